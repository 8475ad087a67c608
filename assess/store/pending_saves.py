"""Pages posted after a session expired, kept for their owner (assess/assessment/pending.py)."""

from __future__ import annotations

from sqlite_utils import Database


def keep(
    db: Database,
    token: str,
    user_id: int,
    assessment_id: int,
    page_id: str,
    payload: str,
    keep_days: int,
) -> None:
    """Store one kept page, and forget those older than keep_days."""
    db.execute(
        "DELETE FROM pending_saves WHERE created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)",
        [f"-{keep_days} days"],
    )
    db.execute(
        "INSERT INTO pending_saves (token, user_id, assessment_id, page, payload)"
        " VALUES (?, ?, ?, ?, ?)",
        [token, user_id, assessment_id, page_id, payload],
    )


def take(db: Database, token: str) -> dict | None:
    """The kept page of a token, removed (it is applied once)."""
    rows = list(db.query("SELECT * FROM pending_saves WHERE token = ?", [token]))
    if not rows:
        return None
    db.execute("DELETE FROM pending_saves WHERE token = ?", [token])
    return rows[0]
