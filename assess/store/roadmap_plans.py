"""The roadmap an enterprise tracks: its chosen target and each action's owner and due date."""

from __future__ import annotations

from sqlite_utils import Database


def target(db: Database, organisation_id: int) -> tuple[str | None, int | None]:
    """The target gradient and CMMM levels the enterprise chose (None, None: the default)."""
    for row in db.query(
        "SELECT target_level, target_cmmm FROM roadmap_targets WHERE organisation_id = ?",
        [organisation_id],
    ):
        return row["target_level"], row["target_cmmm"]
    return None, None


def set_target(
    db: Database,
    organisation_id: int,
    target_level: str | None,
    target_cmmm: int | None,
    user_id: int | None,
) -> None:
    db.execute(
        "INSERT INTO roadmap_targets (organisation_id, target_level, target_cmmm, updated_by)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (organisation_id) DO UPDATE SET"
        " target_level = excluded.target_level, target_cmmm = excluded.target_cmmm,"
        " updated_by = excluded.updated_by,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        [organisation_id, target_level, target_cmmm, user_id],
    )


def entries(db: Database, organisation_id: int) -> dict[str, dict]:
    """Per action (item id): owner, due date, the assessment it was planned on, when."""
    return {
        row["item_id"]: row
        for row in db.query(
            "SELECT item_id, owner, due_date, assessment_id, updated_at FROM roadmap_plans"
            " WHERE organisation_id = ? ORDER BY item_id",
            [organisation_id],
        )
    }


def set_entry(
    db: Database,
    organisation_id: int,
    item_id: str,
    owner: str,
    due_date: str | None,
    assessment_id: int,
    user_id: int | None,
) -> None:
    """Owner and due date of one action; both empty removes it from the plan."""
    if not owner and not due_date:
        db.execute(
            "DELETE FROM roadmap_plans WHERE organisation_id = ? AND item_id = ?",
            [organisation_id, item_id],
        )
        return
    db.execute(
        "INSERT INTO roadmap_plans (organisation_id, item_id, owner, due_date, assessment_id,"
        " updated_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (organisation_id, item_id) DO UPDATE"
        " SET owner = excluded.owner, due_date = excluded.due_date,"
        " assessment_id = excluded.assessment_id, updated_by = excluded.updated_by,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        [organisation_id, item_id, owner, due_date, assessment_id, user_id],
    )
