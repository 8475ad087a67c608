"""Per county (and park) sums of the latest facts: derived data for fast regional dashboards.

Sums are kept for now (period '') and for each period a dashboard offers (a quarter end: the
latest assessment of each enterprise submitted by then). `refresh` recomputes the sums of the
given (county, park) keys from result_facts, or of every key when none are given; recomputing
(rather than adding and subtracting) keeps them exact. Each refresh stamps region_version anew,
so that what is derived from the sums (the suppression pattern, assess/region_suppression.py)
knows when to be made again. Completed quarters' re-assessment rows (region_quarters) are the
same in every period.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlite_utils import Database

from assess.store.migrations import FACT_SCENARIOS, FACT_SUB_DOMAINS

NOW = ""
PERIOD_TABLES = ("region_summary", "region_groups", "region_rule_gaps")
KEY = "f.region_code, coalesce(f.park_id, 0)"
QUARTER = "substr(f.submitted_at, 1, 4) || '-Q' || ((CAST(substr(f.submitted_at, 6, 2) AS INTEGER) + 2) / 3)"
RANKS = ", ".join(f"coalesce(sum(f.gradient_rank = {r}), 0)" for r in range(5))


def _summary_columns() -> str:
    parts = [
        "count(*)",
        "coalesce(sum(f.verified), 0)",
        RANKS,
        ", ".join(f"coalesce(sum(f.cmmm_level = {c}), 0)" for c in range(6)),
        "coalesce(sum(f.cmmm_level >= 2), 0)",
        "coalesce(sum(f.gradient_rank >= 3), 0)",
        "coalesce(sum(f.cmmm_score), 0)",
        "coalesce(sum(f.next_gap_count = 1), 0)",
    ]
    for i in range(1, FACT_SCENARIOS + 1):
        parts.append(", ".join(f"coalesce(sum(f.scenario_{i} = {r}), 0)" for r in (-1, *range(5))))
    for i in range(1, FACT_SUB_DOMAINS + 1):
        parts.append(f"coalesce(sum(f.sub_domain_{i}), 0), count(f.sub_domain_{i})")
    return ", ".join(parts)


SUMMARY_COLUMNS = _summary_columns()


def touch(db: Database) -> None:
    """Stamp region_version anew: what is derived from the facts (a declaration made, a
    recognition given) changed without any sum changing."""
    db.execute("UPDATE region_version SET stamp = ?", [secrets.randbits(62)])


def made_with(db: Database) -> list[str] | None:
    """The gradient rules the kept sums were made with (None: not known, made before 0041)."""
    rules = db.execute("SELECT rules FROM region_version").fetchone()[0]
    return None if rules is None else [rule for rule in rules.split(",") if rule]


def kept_periods(db: Database) -> set[str]:
    """The periods whose sums are made (always now, once any sums are)."""
    return {row[0] for row in db.execute("SELECT period FROM region_periods")}


def refresh(
    db: Database,
    rule_ids: list[str],
    keys: Iterable[tuple[str, int | None]] | None = None,
    periods: Iterable[str] = (),
    since: str | None = None,
) -> None:
    """Recompute the sums of some (county, park) keys, or of all, in every kept period (or
    only in those on or after `since`, the earliest submission that changed: an assessment
    submitted today changes no past period). keys=None makes everything anew, for now and
    `periods`, with `rule_ids` (recorded: made_with). A refresh of some keys uses the rules
    the kept sums were made with, whatever version the caller scored with (an assessment of an
    older version submitted today): every county's sums stay those of one version's rules.
    Run in a write transaction."""
    db.execute("UPDATE region_version SET stamp = ?", [secrets.randbits(62)])
    if keys is None:
        for table in (*PERIOD_TABLES, "region_quarters", "region_periods"):
            db.execute(f"DELETE FROM {table}")  # nosec B608  # our table names
        db.execute("UPDATE region_version SET rules = ?", [",".join(rule_ids)])
        ensure_periods(db, rule_ids, [NOW, *periods])
        _fill_quarters(db, "1", [])
        return
    rule_ids = made_with(db) or rule_ids
    kept = sorted(kept_periods(db) | {NOW})
    wanted = [p for p in kept if p == NOW or since is None or p >= since[:10]]
    for region_code, park_id in set(keys):
        params = [region_code, park_id or 0]
        for table in PERIOD_TABLES:
            db.execute(
                f"DELETE FROM {table} WHERE region_code = ? AND park_id = ?"  # nosec B608
                f" AND period IN ({', '.join('?' for _ in wanted)})",
                [*params, *wanted],
            )
        db.execute("DELETE FROM region_quarters WHERE region_code = ? AND park_id = ?", params)
        where = "f.region_code = ? AND coalesce(f.park_id, 0) = ?"
        for period in wanted:
            _fill(db, where, params, rule_ids, period)
        _fill_quarters(db, where, params)


def ensure_periods(db: Database, rule_ids: list[str], periods: Iterable[str]) -> list[str]:
    """Make the sums of the periods not made yet, for every key (with the rules the kept sums
    were made with, when known); return those made. Run in a write transaction."""
    rule_ids = made_with(db) or rule_ids
    made = []
    kept = kept_periods(db)
    for period in periods:
        if period in kept or period in made:
            continue
        _fill(db, "1", [], rule_ids, period)
        db.execute("INSERT INTO region_periods VALUES (?)", [period])
        made.append(period)
    if made:
        db.execute("UPDATE region_version SET stamp = ?", [secrets.randbits(62)])
    return made


def latest_condition(period: str) -> tuple[str, list]:
    """The facts that count in a period: each enterprise's latest assessment then."""
    if period == NOW:
        return "f.is_latest = 1", []
    end = period + "T23:59:59Z"
    return (
        "f.submitted_at <= ? AND f.assessment_id = (SELECT g.assessment_id FROM result_facts g"
        " WHERE g.organisation_id = f.organisation_id AND g.submitted_at <= ?"
        " ORDER BY g.submitted_at DESC, g.assessment_id DESC LIMIT 1)",
        [end, end],
    )


def _fill(db: Database, where: str, params: list, rule_ids: list[str], period: str) -> None:
    condition, latest_params = latest_condition(period)
    latest = f"{condition} AND {where}"
    values = [*latest_params, *params]
    db.execute(
        f"INSERT INTO region_summary SELECT ?, {KEY}, {SUMMARY_COLUMNS}"  # nosec B608  # built from constants
        f" FROM result_facts f WHERE {latest} GROUP BY {KEY}",
        [period, *values],
    )
    for dimension in ("sector", "size"):
        db.execute(
            f"INSERT INTO region_groups SELECT ?, {KEY}, ?, f.{dimension}, count(*), {RANKS},"  # nosec B608
            f" coalesce(sum(f.cmmm_level >= 2), 0) FROM result_facts f WHERE {latest}"
            f" GROUP BY {KEY}, f.{dimension}",
            [period, dimension, *values],
        )
    for rule_id in rule_ids:
        db.execute(
            f"INSERT INTO region_rule_gaps SELECT ?, {KEY}, ?, count(*) FROM result_facts f"  # nosec B608
            f" WHERE {latest} AND instr(f.next_gaps, ?) > 0 GROUP BY {KEY}",
            [period, rule_id, *values, f",{rule_id},"],
        )


def _fill_quarters(db: Database, where: str, params: list) -> None:
    """Per quarter, the re-assessments (an assessment with one before it) and how each moved
    since the one before: a quarter's row never changes once the quarter is over."""
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
