"""The dossier (申报书) of a declaration as plain data, in the structure of the programme's
declarations: the enterprise, the basic requirements, capability maturity (this product's
indicative level beside the national self-diagnosis platform's), the construction content by
link and scenario with the steps reached and the enterprise's descriptions, the results
(建设成效), the attachments, the commitment, and the review so far. The page, the PDF and the
JSON for the authorities are all this. No Flask."""

from __future__ import annotations

from sqlite_utils import Database

from assess.declaration import attachments, review, rounds
from assess.declaration.declaring import required_scenarios
from assess.organisation.sizes import size_name
from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.versions import Versions
from assess.regional import regions
from assess.report import verified
from assess.report.content import answer_label, sector_label
from assess.report.results import scored, stored_answers, verification_of
from assess.scoring import explain
from assess.scoring import verification as on_site
from assess.scoring.indicators import figure_text
from assess.scoring.result import Result
from assess.scoring.words import score_value
from assess.store import assessments, organisations, parks
from assess.store import declarations as store
from assess.store import recognitions as recognition_store
from assess.store import rounds as round_store
from assess.translation import local_date, translator


def build(db: Database, versions: Versions, row: dict, lang: str) -> dict:
    """Everything the dossier shows of a declaration, in one language."""
    t = translator(lang)
    assessment = assessments.get(db, row["assessment_id"])
    found = scored(db, versions, assessment)
    q, result = found.q, found.result
    organisation = organisations.get(db, row["organisation_id"])
    round_row = round_store.get(db, row["round_id"])
    files = store.files(db, row["id"])
    level_name = explain.gradient_name(q, row["level"], lang)
    return {
        "declaration": {
            "id": row["id"],
            "level": row["level"],
            "level_name": level_name,
            "status": row["status"],
            "stage": row["stage"],
            "revision": row["revision"],
            "submitted_at": row["submitted_at"],
            "resubmitted_at": row["resubmitted_at"],
            "round": {
                "id": round_row["id"],
                "title": rounds.title(q, round_row, lang),
                "year": round_row["year"],
                "deadline": round_row["deadline"],
            },
        },
        "enterprise": _enterprise(db, q, organisation, row, lang),
        "assessment": {
            "id": assessment["id"],
            "mode": assessment["mode"],
            "submitted_at": assessment["submitted_at"],
            "questionnaire": f"{q.id} {q.version}",
            "level_name": explain.pending_level_name(
                q, result.gradient_level, result.subject_to_results, lang
            ),
            "subject_to_results": result.subject_to_results,
            "verified_on_site": verified_on_site(db, q, assessment, result),
            "verification": _verification(db, q, assessment, result, lang),
        },
        "basic_requirements": _gate(db, q, assessment, lang),
        "cmmm": _cmmm(q, result, row, files, lang),
        "links": _links(q, result, row, store.descriptions(db, row["id"]), files, lang),
        "indicators": _indicators(q, result, lang),
        "attachments": [
            {
                "kind": kind.id,
                "required": kind.required,
                "files": [
                    {"id": f["id"], "name": f["original_name"], "size": f["size"]}
                    for f in files
                    if f["kind"] == kind.id
                ],
            }
            for kind in attachments.KINDS.values()
            if not kind.per_scenario
        ],
        "review": _review(db, row, lang),
        "rechecks": [
            {
                "id": c["id"],
                "stage": c["stage"],
                "consultant": c["consultant_name"],
                "note": c["note"],
                "requested_at": c["requested_at"],
                "assessment_id": c["assessment_id"],
                "attached_at": c["attached_at"],
                "result": _recheck_result(db, versions, c, lang),
            }
            for c in store.rechecks(db, row["id"])
        ],
        "recognition": _recognition(db, row),
        "notice": t.gettext(
            "The levels in this dossier are the enterprise's self-assessment or a consultant's"
            " diagnosis, not an official rating; recognition is the authority's act."
        ),
    }


def _enterprise(db: Database, q: Questionnaire, organisation: dict, row: dict, lang: str) -> dict:
    park = parks.park(db, organisation["park_id"]) if organisation["park_id"] else None
    return {
        "id": organisation["id"],
        "name": organisation["name"],
        "credit_code": organisation["credit_code"],
        "region_code": organisation["region_code"],
        "region": regions.label(organisation["region_code"], lang),
        "park": park[f"name_{lang}"] if park else "",
        "sector": sector_label(q, organisation["sector"], lang),
        "size": size_name(organisation["size"], lang),
        "contact": {
            "name": row["contact_name"],
            "phone": row["contact_phone"],
            "email": row["contact_email"],
        },
    }


def verified_on_site(db: Database, q: Questionnaire, assessment: dict, result: Result) -> bool:
    """Whether the assessment counts as verified on site (assess/scoring/verification.py)."""
    found = verification_of(db, q, assessment, result)
    return found is not None and verified.verified_on_site(assessment["mode"], found)


def _verification(
    db: Database, q: Questionnaire, assessment: dict, result: Result, lang: str
) -> str:
    t = translator(lang)
    found = verification_of(db, q, assessment, result)
    if found is None:
        return t.gettext("Self-assessment by the enterprise.")
    text = found.text(lang, local_date)
    if verified.verified_on_site(assessment["mode"], found):
        return text
    if verified.unverified_deciding(found):
        return t.gettext(
            "Not verified on site (%(num)s of its deciding answers — profile, basic"
            " requirements, which scenarios apply, results — not verified; it counts as a"
            " self-assessment). %(detail)s",
            num=verified.unverified_deciding(found),
            detail=text,
        )
    return t.gettext(
        "Not verified on site (fewer than %(minimum)s of its rated answers verified; it counts"
        " as a self-assessment). %(detail)s",
        minimum=verified.percent(on_site.MIN_COVERAGE),
        detail=text,
    )


def _gate(db: Database, q: Questionnaire, assessment: dict, lang: str) -> list[dict]:
    answers = stored_answers(db, q, assessment["id"])
    rows = []
    for question in q.gate.questions:
        answer = answers.get(question.id)
        value = answer.value if answer is not None else None
        rows.append(
            {
                "id": question.id,
                "text": question.text.get(lang),
                "answer": answer_label(q, question, value, lang) if value else "",
                "met": value == "yes",
            }
        )
    return rows


def _cmmm(q: Questionnaire, result: Result, row: dict, files: list[dict], lang: str) -> dict:
    indicative = result.cmmm.level or 0
    platform = row["platform_level"]
    return {
        "indicative": {
            "level": indicative,
            "name": explain.cmmm_name(q, result.cmmm.level, lang),
            "score": score_value(result.cmmm.total_score),
        },
        "platform": {
            "level": platform,
            "name": explain.cmmm_name(q, platform, lang) if platform else "",
            "score": row["platform_score"],
            "date": row["platform_date"],
            "report": [f["id"] for f in files if f["kind"] == "platform_report"],
        },
        # a difference of a level or more is for the reviewer to look into
        "differs": platform is not None and abs(platform - indicative) >= 1,
    }


def _links(
    q: Questionnaire, result: Result, row: dict, described: dict, files: list[dict], lang: str
) -> list[dict]:
    needed = set(required_scenarios(q, result, row["level"]))
    out = []
    for link in q.links:
        scenarios = []
        for scenario in (s for s in q.scenarios.items if s.link == link.id):
            outcome = result.scenarios[scenario.id]
            steps = [
                {
                    "id": step.id,
                    "text": step.text.get(lang),
                    "level": explain.gradient_name(q, step.level, lang),
                    "met": outcome.step_values.get(step.id, 0.0) >= q.scenarios.met(step.level),
                }
                for step in scenario.steps
                if step.id in outcome.step_values
            ]
            scenarios.append(
                {
                    "id": scenario.id,
                    "number": scenario.number,
                    "name": scenario.name.get(lang),
                    "applicable": outcome.applicable,
                    "level": explain.gradient_name(q, outcome.level, lang),
                    "rank": outcome.rank,
                    "declared": scenario.id in needed,
                    "steps": [s for s in steps if s["met"]],
                    "description": described.get(scenario.id, ""),
                    "photos": [
                        {"id": f["id"], "name": f["original_name"]}
                        for f in files
                        if f["kind"] == "photo" and f["scenario_id"] == scenario.id
                    ],
                }
            )
        if scenarios:
            out.append({"id": link.id, "name": link.name.get(lang), "scenarios": scenarios})
    return out


def _indicators(q: Questionnaire, result: Result, lang: str) -> list[dict]:
    """The results indicators: figure, benchmark, and "not assessed" without a benchmark."""
    rows = []
    for indicator in q.indicators.values():
        found = result.indicators.get(indicator.id)
        if found is None or not found.applicable:
            continue
        if found.value is None:
            state = "not_entered"
        elif found.benchmark is None:
            state = "not_assessed"
        else:
            state = "better" if found.better else "not_better"
        rows.append(
            {
                "id": indicator.id,
                "name": indicator.name.get(lang),
                "unit": indicator.unit.get(lang),
                "value": found.value,
                "benchmark": found.benchmark.value if found.benchmark else None,
                "value_shown": None if found.value is None else figure_text(found.value),
                "benchmark_shown": figure_text(found.benchmark.value) if found.benchmark else None,
                "state": state,
            }
        )
    return rows


def _review(db: Database, row: dict, lang: str) -> list[dict]:
    return [
        {
            "stage": step["stage"],
            "tier": step["tier"],
            "outcome": step["outcome"],
            "comments": step["comments"],
            "checks": step["checks"],
            "reviewer": step["reviewer_name"] or "",
            "region": regions.scope_label(step["region_scope"], lang)
            if step["region_scope"]
            else translator(lang).gettext("China"),
            "revision": step["revision"],
            "at": step["at"],
        }
        for step in store.steps(db, row["id"])
    ]


def _recheck_result(db: Database, versions: Versions, recheck: dict, lang: str) -> dict | None:
    if recheck["assessment_id"] is None:
        return None
    assessment = assessments.get(db, recheck["assessment_id"])
    found = scored(db, versions, assessment)
    return {
        # attached before only verified ones could be: said, never shown as verified
        "verified_on_site": verified_on_site(db, found.q, assessment, found.result),
        "level_name": explain.gradient_name(found.q, found.result.gradient_level, lang),
        "cmmm_name": explain.cmmm_name(found.q, found.result.cmmm.level, lang),
        "score": score_value(found.result.cmmm.total_score),
    }


def _recognition(db: Database, row: dict) -> dict | None:
    found = recognition_store.of_declaration(db, row["id"])
    if found is None:
        return None
    return {
        "id": found["id"],
        "kind": found["kind"],
        "year": found["year"],
        "at": found["recognised_at"],
        "withdrawn_at": found["withdrawn_at"],
        "withdrawal_reason": found["withdrawal_reason"],
    }


def waiting_at(db: Database, row: dict) -> str | None:
    """The tier the declaration waits for (in review), for the enterprise's status page."""
    step = review.current_step(db, row)
    return step.tier if step is not None and row["status"] == "in_review" else None
