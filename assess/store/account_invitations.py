"""Invitations to accounts an administrator makes: who is invited, as what, until when; the
link's nonce is kept only as its digest."""

from __future__ import annotations

from sqlite_utils import Database

NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def create(db: Database, *, nonce_hash: str, expires_at: str, **values) -> int:
    """A new invitation (email, name, role, region_scope, park_id, firm_id, locale,
    invited_by); its id."""
    row = {**values, "nonce_hash": nonce_hash, "expires_at": expires_at}
    return db["account_invitations"].insert(row).last_pk


def get(db: Database, invitation_id: int) -> dict | None:
    if not 0 < invitation_id < 2**63:
        return None
    return next(db.query("SELECT * FROM account_invitations WHERE id = ?", [invitation_id]), None)


def open_invitations(db: Database) -> list[dict]:
    """Invitations not accepted nor withdrawn (expired ones too: they can be sent again), with
    the firm's name, newest first."""
    return list(
        db.query(
            "SELECT i.*, f.name AS firm, p.name_zh AS park FROM account_invitations i"
            " LEFT JOIN firms f ON f.id = i.firm_id LEFT JOIN parks p ON p.id = i.park_id"
            " WHERE i.accepted_at IS NULL AND i.revoked_at IS NULL ORDER BY i.id DESC"
        )
    )


def open_for(db: Database, email: str) -> dict | None:
    return next(
        db.query(
            "SELECT * FROM account_invitations WHERE email = ? AND accepted_at IS NULL"
            " AND revoked_at IS NULL",
            [email],
        ),
        None,
    )


def renew(db: Database, invitation_id: int, nonce_hash: str, expires_at: str) -> None:
    """A new link: the old one no longer opens the invitation."""
    db.execute(
        "UPDATE account_invitations SET nonce_hash = ?, expires_at = ? WHERE id = ?",
        [nonce_hash, expires_at, invitation_id],
    )


def revoke(db: Database, invitation_id: int) -> None:
    db.execute(
        f"UPDATE account_invitations SET revoked_at = {NOW} WHERE id = ?",  # nosec B608
        [invitation_id],
    )


def accept(db: Database, invitation_id: int, user_id: int) -> bool:
    """Mark the invitation used by the account made; False when used or withdrawn meanwhile."""
    cursor = db.execute(
        f"UPDATE account_invitations SET accepted_at = {NOW}, accepted_by = ?"  # nosec B608
        " WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
        [user_id, invitation_id],
    )
    return cursor.rowcount == 1


def prune(db: Database, days: int) -> int:
    """Forget the invitations accepted, withdrawn or expired more than `days` ago: an invited
    name and address are kept no longer than the mail that carried them."""
    return db.execute(
        "DELETE FROM account_invitations WHERE coalesce(accepted_at, revoked_at, expires_at)"
        " < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)",
        [f"-{int(days)} days"],
    ).rowcount
