"""Quarterly snapshots of how a sector's, a province's and a size's enterprises spread per
sub-domain (score S in steps of 0.05) and per scenario (gradient rank): the benchmarks on the
results page (assess/regional/peer_parts.py decides what is shown)."""

from __future__ import annotations

import json

from sqlite_utils import Database

from assess.store import summaries

GROUPS = {"sector": "f.sector", "province": "substr(f.region_code, 1, 2)", "size": "f.size"}
STEP = "min(CAST(p.score * 20 + 1e-9 AS INTEGER), 100)"


def latest_by_group(db: Database, period: str, grouping: str) -> list[tuple]:
    """(group key, part, kind, bucket, enterprises) of each enterprise's latest assessment by
    the end of the period, for the sub-domains and scenarios that apply to it."""
    condition, params = summaries.latest_condition(period)
    group = GROUPS[grouping]
    return db.execute(
        f"SELECT {group}, p.sub_domain_id, 'sub_domain', {STEP}, count(*)"  # nosec B608  # our expressions
        " FROM result_facts f JOIN assessment_sub_domains p ON p.assessment_id = f.assessment_id"
        f" WHERE p.applicable = 1 AND {condition} GROUP BY 1, 2, 4"
        f" UNION ALL SELECT {group}, p.scenario_id, 'scenario', p.rank, count(*)"
        " FROM result_facts f JOIN assessment_scenarios p ON p.assessment_id = f.assessment_id"
        f" WHERE p.applicable = 1 AND {condition} GROUP BY 1, 2, 4",
        params + params,
    ).fetchall()


def add(db: Database, period: str, rows: list[tuple]) -> None:
    """Store a period's snapshot rows: (grouping, key, part, enterprises, counts)."""
    db.conn.executemany(
        "INSERT INTO peer_part_snapshots VALUES (?, ?, ?, ?, ?, ?)",
        [(period, g, k, part, n, json.dumps(counts)) for g, k, part, n, counts in rows],
    )


def delete(db: Database) -> None:
    db.execute("DELETE FROM peer_part_snapshots")


def periods(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT DISTINCT period FROM peer_part_snapshots")}


def latest(db: Database, grouping: str, key: str, until: str, min_size: int) -> dict[str, dict]:
    """Per part, the group's latest snapshot up to a day that counts at least min_size
    enterprises: {period, enterprises, counts}."""
    out: dict[str, dict] = {}
    for period, part, enterprises, counts in db.execute(
        "SELECT period, part, enterprises, counts FROM peer_part_snapshots"
        " WHERE grouping = ? AND key = ? AND period <= ? AND enterprises >= ? ORDER BY period",
        [grouping, key, until, min_size],
    ):
        out[part] = {"period": period, "enterprises": enterprises, "counts": json.loads(counts)}
    return out
