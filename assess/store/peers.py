"""Aggregates over other enterprises' latest submitted assessments (never their names)."""

from __future__ import annotations

from sqlite_utils import Database

LATEST = """
SELECT a.gradient_rank AS gradient_rank, a.cmmm_level AS cmmm_level, a.cmmm_score AS cmmm_score
FROM assessments a JOIN organisations o ON o.id = a.organisation_id
WHERE a.status = 'submitted' AND a.organisation_id != :organisation_id AND {where}
  AND a.id = (
    SELECT b.id FROM assessments b
    WHERE b.organisation_id = a.organisation_id AND b.status = 'submitted'
    ORDER BY b.submitted_at DESC, b.id DESC LIMIT 1
  )
"""
GROUPS = {
    "sector": "o.sector = :sector",
    "province": "substr(o.region_code, 1, 2) = :province",
}


def peer_scores(db: Database, organisation: dict, group: str) -> list[dict]:
    """The latest submitted result of every other organisation in the same sector or province."""
    sql = LATEST.format(where=GROUPS[group])
    params = {
        "organisation_id": organisation["id"],
        "sector": organisation["sector"],
        "province": organisation["region_code"][:2],
    }
    return list(db.query(sql, params))


def earlier_submitted(db: Database, organisation_id: int, before_id: int) -> list[dict]:
    """Submitted assessments of the organisation before a given one, oldest first."""
    return list(
        db.query(
            "SELECT * FROM assessments WHERE organisation_id = ? AND status = 'submitted'"
            " AND id != ? AND submitted_at <= (SELECT submitted_at FROM assessments WHERE id = ?)"
            " ORDER BY submitted_at, id",
            [organisation_id, before_id, before_id],
        )
    )


def scenario_ranks(db: Database, assessment_id: int) -> dict[str, tuple[bool, int]]:
    return {
        row["scenario_id"]: (bool(row["applicable"]), row["rank"])
        for row in db.query(
            "SELECT scenario_id, applicable, rank FROM assessment_scenarios WHERE assessment_id = ?",
            [assessment_id],
        )
    }


def sub_domain_scores(db: Database, assessment_id: int) -> dict[str, float]:
    return {
        row["sub_domain_id"]: row["score"]
        for row in db.query(
            "SELECT sub_domain_id, score FROM assessment_sub_domains WHERE assessment_id = ?"
            " AND applicable = 1",
            [assessment_id],
        )
    }
