"""The links sent by e-mail (confirming an address, resetting a password): each is recorded
when made and marked when used, so that a link works once."""

from __future__ import annotations

from sqlite_utils import Database


def record(db: Database, nonce: str, purpose: str, user_id: int) -> None:
    db.execute(
        "INSERT INTO mail_links (nonce, purpose, user_id) VALUES (?, ?, ?)",
        [nonce, purpose, user_id],
    )


def use(db: Database, nonce: str, purpose: str, user_id: int) -> bool:
    """Mark a link used; False when it was used already (or never made here)."""
    cursor = db.execute(
        "UPDATE mail_links SET used_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE nonce = ? AND purpose = ? AND user_id = ? AND used_at IS NULL",
        [nonce, purpose, user_id],
    )
    return cursor.rowcount == 1


def use_all(db: Database, purpose: str, user_id: int) -> None:
    """Every link of the kind still unused stops working (a reset done ends the others)."""
    db.execute(
        "UPDATE mail_links SET used_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE purpose = ? AND user_id = ? AND used_at IS NULL",
        [purpose, user_id],
    )
