"""Whole tables read for the database check (assess/integrity.py)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlite_utils import Database

CHECKED = (
    "organisations",
    "users",
    "access_grants",
    "assessments",
    "answers",
    "evidence_files",
    "site_visits",
    "benchmarks",
    "declaration_rounds",
    "declarations",
    "declaration_scenarios",
    "declaration_files",
    "declaration_steps",
    "declaration_rechecks",
    "recognitions",
    "team_invitations",
    "section_assignments",
    "contests",
)
# tables WITHOUT ROWID: their key
ORDER = {
    "benchmarks": "province, sector, indicator_id",
    "declaration_scenarios": "declaration_id, scenario_id",
    "section_assignments": "organisation_id, section",
}


def rows(db: Database, table: str) -> Iterator[dict]:
    """Every row of one of the checked tables."""
    if table not in CHECKED:
        raise ValueError(f"not a checked table: {table}")
    order = ORDER.get(table, "rowid")
    return db.query(f"SELECT * FROM [{table}] ORDER BY {order}")  # nosec B608  # a table of ours


def set_aside_still_counting(db: Database, organisation_id: int) -> int:
    """Of an organisation set aside by a hand-over: its active accounts and its assessments not
    set aside or still with facts (each should be none)."""
    active = db.execute(
        "SELECT count(*) FROM users WHERE organisation_id = ? AND active = 1", [organisation_id]
    ).fetchone()[0]
    counted = db.execute(
        "SELECT count(*) FROM assessments a WHERE organisation_id = ?"
        " AND (set_aside_at IS NULL OR EXISTS"
        " (SELECT 1 FROM result_facts f WHERE f.assessment_id = a.id))",
        [organisation_id],
    ).fetchone()[0]
    return active + counted
