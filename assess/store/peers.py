"""Aggregates over other enterprises' results for a report (never their names): the quarterly
peer snapshots (what they hold: assess/regional/peer_figures.py), and an organisation's own
earlier results."""

from __future__ import annotations

import json

from sqlite_utils import Database

from assess.store import summaries

RANKS = 5
GROUPS = {"sector": "f.sector", "province": "substr(f.region_code, 1, 2)"}
# a total score S in steps of 0.05 (0..5: 101 steps), the same arithmetic in SQL and Python
SCORE_STEP = "min(CAST(f.cmmm_score * 20 + 1e-9 AS INTEGER), 100)"


def score_step(score: float) -> int:
    """The step of 0.05 a total score S falls in, as the snapshots count it."""
    return min(int(score * 20 + 1e-9), 100)


def latest_by_group(db: Database, period: str, grouping: str) -> list[tuple]:
    """(group key, gradient rank, score step, enterprises) of the latest assessment of each
    enterprise submitted by the end of the period (a quarter end)."""
    condition, params = summaries.latest_condition(period)
    return db.execute(
        f"SELECT {GROUPS[grouping]}, f.gradient_rank, {SCORE_STEP}, count(*)"  # nosec B608  # our expressions
        f" FROM result_facts f WHERE {condition} GROUP BY 1, 2, 3",
        params,
    ).fetchall()


def snapshot_periods(db: Database) -> set[str]:
    return {row[0] for row in db.execute("SELECT DISTINCT period FROM peer_snapshots")}


def add_snapshots(db: Database, period: str, groups: dict[tuple[str, str], dict]) -> None:
    """Store a period's snapshot: per (grouping, key), enterprises, ranks and score steps."""
    db.conn.executemany(
        "INSERT INTO peer_snapshots VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (period, grouping, key, g["enterprises"], *g["ranks"], json.dumps(g["scores"]))
            for (grouping, key), g in sorted(groups.items())
        ],
    )


def delete_snapshots(db: Database) -> None:
    db.execute("DELETE FROM peer_snapshots")


def snapshots(db: Database, grouping: str, key: str, until: str) -> list[dict]:
    """A group's snapshots up to a day, oldest first: {period, enterprises, ranks, scores}."""
    return [
        {
            "period": row[0],
            "enterprises": row[1],
            "ranks": tuple(row[2 : 2 + RANKS]),
            "scores": tuple(json.loads(row[2 + RANKS])),
        }
        for row in db.execute(
            "SELECT period, enterprises, rank_0, rank_1, rank_2, rank_3, rank_4, scores"
            " FROM peer_snapshots WHERE grouping = ? AND key = ? AND period <= ? ORDER BY period",
            [grouping, key, until],
        )
    ]


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
