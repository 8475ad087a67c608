"""Per county (and park) sums of the latest facts: derived data for fast regional dashboards.

`refresh` recomputes the sums of the given (county, park) keys from result_facts, or of every
key when none are given. Recomputing (rather than adding and subtracting) keeps them exact.
Each refresh stamps region_version anew, so that what is derived from the sums (the
suppression pattern, assess/region_suppression.py) knows when to be made again.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlite_utils import Database

from assess.migrations import FACT_SCENARIOS, FACT_SUB_DOMAINS

TABLES = ("region_summary", "region_groups", "region_rule_gaps", "region_quarters")
KEY = "f.region_code, coalesce(f.park_id, 0)"
QUARTER = "substr(f.submitted_at, 1, 4) || '-Q' || ((CAST(substr(f.submitted_at, 6, 2) AS INTEGER) + 2) / 3)"
RANKS = ", ".join(f"coalesce(sum(f.gradient_rank = {r}), 0)" for r in range(5))


def _summary_columns() -> str:
    parts = [
        "count(*)",
        "coalesce(sum(f.mode = 'consultant'), 0)",
        RANKS,
        ", ".join(f"coalesce(sum(f.cmmm_level = {c}), 0)" for c in range(6)),
        "coalesce(sum(f.cmmm_level >= 2), 0)",
        "coalesce(sum(f.gradient_rank >= 3), 0)",
        "coalesce(sum(f.cmmm_score), 0)",
        "coalesce(sum(f.next_gap_count = 1), 0)",
        "0, 0, 0",
    ]
    for i in range(1, FACT_SCENARIOS + 1):
        parts.append(", ".join(f"coalesce(sum(f.scenario_{i} = {r}), 0)" for r in (-1, *range(5))))
    for i in range(1, FACT_SUB_DOMAINS + 1):
        parts.append(f"coalesce(sum(f.sub_domain_{i}), 0), count(f.sub_domain_{i})")
    return ", ".join(parts)


SUMMARY_COLUMNS = _summary_columns()


def refresh(
    db: Database, rule_ids: list[str], keys: Iterable[tuple[str, int | None]] | None = None
) -> None:
    """Recompute the sums of some (county, park) keys, or of all. Run in a write transaction."""
    db.execute("UPDATE region_version SET stamp = ?", [secrets.randbits(62)])
    if keys is None:
        for table in TABLES:
            db.execute(f"DELETE FROM {table}")  # nosec B608: our table names
        _fill(db, "1", [], rule_ids)
        return
    for region_code, park_id in set(keys):
        params = [region_code, park_id or 0]
        for table in TABLES:
            db.execute(f"DELETE FROM {table} WHERE region_code = ? AND park_id = ?", params)  # nosec B608
        _fill(db, "f.region_code = ? AND coalesce(f.park_id, 0) = ?", params, rule_ids)


def _fill(db: Database, where: str, params: list, rule_ids: list[str]) -> None:
    latest = f"f.is_latest = 1 AND {where}"
    db.execute(
        f"INSERT INTO region_summary SELECT {KEY}, {SUMMARY_COLUMNS}"  # nosec B608: built from constants
        f" FROM result_facts f WHERE {latest} GROUP BY {KEY}",
        params,
    )
    for row in db.query(
        f"SELECT region_code, park, coalesce(sum(rank > previous), 0) AS up,"  # nosec B608
        " coalesce(sum(rank = previous), 0) AS same, coalesce(sum(rank < previous), 0) AS down"
        f" FROM (SELECT f.region_code, coalesce(f.park_id, 0) AS park, f.is_latest,"
        " f.gradient_rank AS rank, lag(f.gradient_rank) OVER (PARTITION BY f.organisation_id"
        f" ORDER BY f.submitted_at, f.assessment_id) AS previous FROM result_facts f WHERE {where})"
        " WHERE is_latest = 1 AND previous IS NOT NULL GROUP BY region_code, park",
        params,
    ):
        db.execute(
            "UPDATE region_summary SET moved_up = ?, moved_same = ?, moved_down = ?"
            " WHERE region_code = ? AND park_id = ?",
            [row["up"], row["same"], row["down"], row["region_code"], row["park"]],
        )
    for dimension in ("sector", "size"):
        db.execute(
            f"INSERT INTO region_groups SELECT {KEY}, ?, f.{dimension}, count(*), {RANKS},"  # nosec B608
            f" coalesce(sum(f.cmmm_level >= 2), 0) FROM result_facts f WHERE {latest}"
            f" GROUP BY {KEY}, f.{dimension}",
            [dimension, *params],
        )
    for rule_id in rule_ids:
        db.execute(
            f"INSERT INTO region_rule_gaps SELECT {KEY}, ?, count(*) FROM result_facts f"  # nosec B608
            f" WHERE {latest} AND instr(f.next_gaps, ?) > 0 GROUP BY {KEY}",
            [rule_id, *params, f",{rule_id},"],
        )
    # Per quarter, the re-assessments (an assessment with one before it) and how each moved
    # since the one before: a quarter's row never changes once the quarter is over.
    db.execute(
        "INSERT INTO region_quarters (region_code, park_id, quarter, assessments, cmmm_2_plus,"  # nosec B608
        " excellent_plus, score_sum, moved_up, moved_same, moved_down)"
        " SELECT region_code, park, quarter, count(*), sum(level >= 2), sum(rank >= 3),"
        " sum(score), sum(rank > previous), sum(rank = previous), sum(rank < previous)"
        f" FROM (SELECT f.region_code, coalesce(f.park_id, 0) AS park, {QUARTER} AS quarter,"
        " f.cmmm_level AS level, f.cmmm_score AS score, f.gradient_rank AS rank,"
        " lag(f.gradient_rank) OVER (PARTITION BY f.organisation_id"
        f" ORDER BY f.submitted_at, f.assessment_id) AS previous FROM result_facts f WHERE {where})"
        " WHERE previous IS NOT NULL GROUP BY region_code, park, quarter",
        params,
    )
