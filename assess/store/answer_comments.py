"""The enterprise's comments on its answers, one per item of an assessment."""

from __future__ import annotations

from sqlite_utils import Database


def for_assessment(db: Database, assessment_id: int) -> dict[str, str]:
    """Per item, the comment."""
    return {
        row["item_id"]: row["comment"]
        for row in db.query(
            "SELECT item_id, comment FROM answer_comments WHERE assessment_id = ? ORDER BY item_id",
            [assessment_id],
        )
    }


def put(db: Database, assessment_id: int, item_id: str, comment: str, user_id: int | None) -> bool:
    """Store a comment (an empty one removes it); True when something changed."""
    if not comment:
        cursor = db.execute(
            "DELETE FROM answer_comments WHERE assessment_id = ? AND item_id = ?",
            [assessment_id, item_id],
        )
        return cursor.rowcount > 0
    cursor = db.execute(
        "INSERT INTO answer_comments (assessment_id, item_id, comment, updated_by)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (assessment_id, item_id) DO UPDATE SET"
        " comment = excluded.comment, updated_by = excluded.updated_by,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE comment != excluded.comment",
        [assessment_id, item_id, comment, user_id],
    )
    return cursor.rowcount > 0
