"""The facts regional aggregates read: one wide row per submitted assessment (derived data).

Scenario ranks and sub-domain totals go into numbered columns in questionnaire order, so that
one indexed scan answers a dashboard (its SQL: assess/store/result_facts.py). No Flask.
"""

from __future__ import annotations

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire
from assess.scoring.result import Result, rated_items
from assess.scoring.verification import ON_SITE, deciding_items, verified_on_site
from assess.store import evidence, result_facts, summaries
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


def verified_answers(db: Database, q: Questionnaire, assessment: dict, result: Result) -> tuple:
    """(rated answers verified, deciding answers not verified) of an assessment: what decides
    whether it is verified on site (assess/scoring/verification.py); (0, 0) for a
    self-assessment."""
    if assessment["mode"] != ON_SITE:
        return 0, 0
    verified = evidence.verified_items(db, assessment["id"])
    deciding = deciding_items(q, evidence.answered_items(db, assessment["id"]), result)
    return len(rated_items(result) & verified), len(deciding - verified)


def row(
    q: Questionnaire,
    result: Result,
    assessment: dict,
    organisation: dict,
    submitted_at: str,
    checks: tuple[int, int] = (0, 0),
) -> dict:
    """The facts of one submitted assessment; checks: its rated answers marked verified and its
    deciding answers not verified (verified_answers), whence whether it counts as verified on
    site."""
    verified, unverified_deciding = checks
    rated = len(rated_items(result))
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
        "verified_answers": verified,
        "rated_answers": rated,
        "verified": int(
            verified_on_site(
                assessment["mode"], verified, rated, unverified_deciding=unverified_deciding
            )
        ),
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


def of_submitted(
    db: Database, q: Questionnaire, result: Result, assessment: dict, organisation: dict
) -> dict:
    """The facts of a stored submitted assessment, with its answers verified on site counted."""
    return row(
        q,
        result,
        assessment,
        organisation,
        assessment["submitted_at"],
        verified_answers(db, q, assessment, result),
    )


def record(db: Database, rows: list[dict], q: Questionnaire, refresh: bool = True) -> None:
    """Store facts rows and refresh the regional sums of the counties concerned (refresh=False:
    the caller refreshes them all at the end). Run in a write transaction."""
    if not rows:
        return
    result_facts.insert(db, rows)
    if refresh:
        keys = {(r["region_code"], r["park_id"]) for r in rows}
        summaries.refresh(db, list(q.rules), keys, since=min(r["submitted_at"] for r in rows))


def update_organisation(db: Database, organisation: dict, q: Questionnaire) -> None:
    """Keep the facts of an organisation in step when its region, park, sector, size or
    listing change, and the sums of the counties it leaves and joins."""
    before = result_facts.keys_of(db, organisation["id"])
    result_facts.follow_organisation(db, organisation)
    keys = before | {(organisation["region_code"], organisation.get("park_id"))}
    summaries.refresh(db, list(q.rules), keys)
