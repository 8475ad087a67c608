"""Personal access tokens of the API: stored hashed, found by their prefix."""

from __future__ import annotations

from sqlite_utils import Database

from assess.store.grants import token_hash

__all__ = ["active_count", "by_prefix", "create", "of_user", "revoke", "token_hash", "used"]


def create(
    db: Database,
    *,
    user_id: int,
    name: str,
    prefix: str,
    token: str,
    scopes: str,
    expires_at: str,
) -> int:
    """Keep a new token (only its hash); its id."""
    return (
        db["api_tokens"]
        .insert(
            {
                "user_id": user_id,
                "name": name,
                "prefix": prefix,
                "token_hash": token_hash(token),
                "scopes": scopes,
                "expires_at": expires_at,
            }
        )
        .last_pk
    )


def by_prefix(db: Database, prefix: str) -> dict | None:
    rows = list(db.query("SELECT * FROM api_tokens WHERE prefix = ?", [prefix]))
    return rows[0] if rows else None


def of_user(db: Database, user_id: int) -> list[dict]:
    """A user's tokens, newest first (revoked ones too: the account page shows them)."""
    return list(
        db.query(
            "SELECT id, name, prefix, scopes, created_at, expires_at, revoked_at, last_used_at,"
            " last_used_ip FROM api_tokens WHERE user_id = ? ORDER BY id DESC",
            [user_id],
        )
    )


def active_count(db: Database, user_id: int, now: str) -> int:
    return db.execute(
        "SELECT count(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL"
        " AND expires_at > ?",
        [user_id, now],
    ).fetchone()[0]


def revoke(db: Database, user_id: int, token_id: int, now: str) -> bool:
    """Revoke one of the user's own tokens; False when it has none by that id (or already)."""
    cursor = db.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
        [now, token_id, user_id],
    )
    return cursor.rowcount == 1


def used(db: Database, token_id: int, now: str, ip: str | None) -> None:
    db.execute(
        "UPDATE api_tokens SET last_used_at = ?, last_used_ip = ? WHERE id = ?",
        [now, ip, token_id],
    )
