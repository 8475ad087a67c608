"""The facts regional aggregates read: one wide row per submitted assessment (derived data).

Scenario ranks and sub-domain totals go into numbered columns in questionnaire order, so that
one indexed scan answers a dashboard. `rebuild_missing` recreates rows from the answers.
"""

from __future__ import annotations

from sqlite_utils import Database

from assess.questionnaire.model import Questionnaire
from assess.scoring.result import Result
from assess.store import summaries
from assess.store.migrations import FACT_SCENARIOS, FACT_SUB_DOMAINS

NOT_APPLICABLE = -1  # a scenario column's value when the scenario does not apply


def check_fits(q: Questionnaire) -> None:
    """The facts table has room for this questionnaire's scenarios and sub-domains."""
    if len(q.scenarios.items) > FACT_SCENARIOS or len(q.sub_domains) > FACT_SUB_DOMAINS:
        raise ValueError(f"{q.id} {q.version} has more scenarios or sub-domains than result_facts")


def scenario_column(q: Questionnaire, scenario_id: str) -> str:
    return f"scenario_{[s.id for s in q.scenarios.items].index(scenario_id) + 1}"


def sub_domain_column(q: Questionnaire, sub_domain_id: str) -> str:
    return f"sub_domain_{list(q.sub_domains).index(sub_domain_id) + 1}"


def row(
    q: Questionnaire, result: Result, assessment: dict, organisation: dict, submitted_at: str
) -> dict:
    """The facts of one submitted assessment."""
    failing = []
    if result.gradient_rank < len(result.levels):
        failing = [o.rule_id for o in result.levels[result.gradient_rank].rules if not o.passed]
    facts = {
        "assessment_id": assessment["id"],
        "organisation_id": organisation["id"],
        "region_code": organisation["region_code"],
        "park_id": organisation.get("park_id"),
        "sector": organisation["sector"],
        "size": organisation["size"],
        "mode": assessment["mode"],
        "submitted_at": submitted_at,
        "questionnaire_id": q.id,
        "questionnaire_version": q.version,
        "gradient_rank": result.gradient_rank,
        "cmmm_level": result.cmmm.level or 0,
        "cmmm_score": result.cmmm.total_score,
        "next_gaps": "," + "".join(f"{rule}," for rule in failing),
        "next_gap_count": len(failing),
    }
    for i, scenario in enumerate(q.scenarios.items, start=1):
        outcome = result.scenarios[scenario.id]
        facts[f"scenario_{i}"] = outcome.rank if outcome.applicable else NOT_APPLICABLE
    for i, sub_id in enumerate(q.sub_domains, start=1):
        score = result.cmmm.sub_domains[sub_id]
        facts[f"sub_domain_{i}"] = score.total if score.applicable else None
    return facts


def record(db: Database, rows: list[dict], q: Questionnaire, refresh: bool = True) -> None:
    """Insert facts rows, mark each organisation's latest, and refresh the regional sums of
    the counties concerned (refresh=False: the caller refreshes them all at the end)."""
    if not rows:
        return
    columns = list(rows[0])
    db.conn.executemany(
        f"INSERT OR REPLACE INTO result_facts ({', '.join(columns)})"  # nosec B608  # column names are ours
        f" VALUES ({', '.join('?' for _ in columns)})",
        [[r[c] for c in columns] for r in rows],
    )
    mark_latest(db, {r["organisation_id"] for r in rows})
    db.conn.executemany(
        "UPDATE result_facts SET listed = (SELECT listing_opt_in FROM organisations o"
        " WHERE o.id = result_facts.organisation_id) WHERE assessment_id = ?",
        [(r["assessment_id"],) for r in rows],
    )
    if refresh:
        keys = {(r["region_code"], r["park_id"]) for r in rows}
        summaries.refresh(db, list(q.rules), keys, since=min(r["submitted_at"] for r in rows))


def mark_latest(db: Database, organisation_ids) -> None:
    db.conn.executemany(
        "UPDATE result_facts SET is_latest = (assessment_id = ("
        " SELECT assessment_id FROM result_facts f WHERE f.organisation_id = ?"
        " ORDER BY f.submitted_at DESC, f.assessment_id DESC LIMIT 1))"
        " WHERE organisation_id = ?",
        [(org, org) for org in organisation_ids],
    )


def missing(db: Database) -> list[dict]:
    """Submitted assessments without facts (a database from before the facts existed)."""
    return list(
        db.query(
            "SELECT a.* FROM assessments a LEFT JOIN result_facts f ON f.assessment_id = a.id"
            " WHERE a.status = 'submitted' AND f.assessment_id IS NULL"
        )
    )


def update_organisation(db: Database, organisation: dict, q: Questionnaire) -> None:
    """Keep the facts of an organisation in step when its region, park, sector, size or
    listing change, and the sums of the counties it leaves and joins."""
    before = {
        (row["region_code"], row["park_id"])
        for row in db.query(
            "SELECT DISTINCT region_code, park_id FROM result_facts WHERE organisation_id = ?",
            [organisation["id"]],
        )
    }
    db.execute(
        "UPDATE result_facts SET region_code = ?, park_id = ?, sector = ?, size = ?, listed = ?"
        " WHERE organisation_id = ?",
        [
            organisation["region_code"],
            organisation.get("park_id"),
            organisation["sector"],
            organisation["size"],
            organisation.get("listing_opt_in", 0),
            organisation["id"],
        ],
    )
    keys = before | {(organisation["region_code"], organisation.get("park_id"))}
    summaries.refresh(db, list(q.rules), keys)
