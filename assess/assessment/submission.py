"""Submitting an assessment: lock it, score it, keep the result snapshot and the result_facts.

The one place that turns a draft into a submitted assessment, for the wizard, the demo data
and the synthetic population alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlite_utils import Database

from assess.assessment import answering
from assess.organisation import notifications
from assess.questionnaire.definition import Questionnaire
from assess.regional import benchmarks, result_facts
from assess.scoring import Answer, Answers, score
from assess.store import assessments, audit, organisations, signers
from assess.store import evidence as evidence_store
from assess.store.audit import Actor
from assess.store.database import write_transaction

SECTOR = "profile.sector"  # the profile question that is also the organisation's sector
# What else happens once a user submitted (assessment id, language), registered by the parts
# of the app that care (the report view readies the PDF): the wizard need not know them.
AFTER_SUBMIT: list[Callable[[int, str], None]] = []


def submit(
    db: Database,
    q: Questionnaire,
    assessment_id: int,
    answers: Answers,
    *,
    submitted_by: int | None,
    submitted_at: str | None = None,
) -> None:
    """Score and lock a draft, with the benchmarks of the organisation's province and of the
    sector the assessment declares; on site, keep who signs it (consultant and firm). Run it
    inside a write transaction."""
    row = assessments.get(db, assessment_id)
    organisation = organisations.get(db, row["organisation_id"])
    sector = declared_sector(organisation, answers)
    result = score(q, answers, benchmarks.for_organisation(db, q, organisation, sector))
    assessments.record_result(
        db, assessment_id, result, submitted_by=submitted_by, submitted_at=submitted_at
    )
    row = assessments.get(db, assessment_id)
    if (
        row["mode"] == "consultant"
    ):  # the report's signer, as it is now: a later rename changes nothing
        signers.record(db, assessment_id)
    if sector != organisation["sector"]:
        # the sector declared in the assessment is the newest word on it: the organisation (and
        # so its peers, its region's figures and its benchmarks) follows, and its earlier
        # results under this version are scored with its new sector's benchmarks
        organisations.set_sector(db, organisation["id"], sector)
        organisation = organisations.get(db, organisation["id"])
        result_facts.update_organisation(db, organisation, q)
        earlier = [
            r
            for r in assessments.for_organisation(db, organisation["id"])
            if r["status"] == "submitted" and r["id"] != assessment_id
        ]
        benchmarks.rescore(db, earlier, lambda r: q if _same_version(r, q) else None, q)
    result_facts.record(
        db,
        [result_facts.of_submitted(db, q, result, row, organisation)],
        q,
    )


def declared_sector(organisation: dict, answers: Answers) -> str:
    """The sector a result is scored with: the one the assessment declares, else the
    organisation's."""
    declared = answers.get(SECTOR)
    if declared is not None and isinstance(declared.value, str):
        return declared.value
    return organisation["sector"]


def scoring_benchmarks(db: Database, q: Questionnaire, organisation: dict, answers: Answers):
    """The benchmarks a submission of these answers would be scored with."""
    sector = declared_sector(organisation, answers)
    return benchmarks.for_organisation(db, q, organisation, sector)


def _same_version(row: dict, q: Questionnaire) -> bool:
    return (row["questionnaire_id"], row["questionnaire_version"]) == q.key


@dataclass(frozen=True)
class Readiness:
    """Whether a draft can be submitted, and what stands in the way."""

    state: answering.State
    on_site: bool
    visits: list[dict]  # on site: the visits recorded (at least one is needed)
    carried_from: dict | None  # a self-assessment's answers carried over: to be confirmed

    @property
    def blocker(self) -> str | None:
        """missing (unanswered items), no_visit (on site, no visit recorded), or None."""
        if self.state.missing:
            return "missing"
        if self.on_site and not self.visits:
            return "no_visit"
        return None


def readiness(db: Database, q: Questionnaire, row: dict) -> Readiness:
    on_site = row["mode"] == "consultant"
    carried = assessments.get(db, row["prefilled_from"]) if row["prefilled_from"] else None
    return Readiness(
        answering.state(db, q, row["id"]),
        on_site,
        evidence_store.visits(db, row["id"]) if on_site else [],
        None if on_site else carried,
    )


def submit_assessment(
    db: Database,
    q: Questionnaire,
    assessment_id: int,
    by: Actor,
    lang: str,
    confirmed: bool,
    reviewed: bool = True,
) -> str | None:
    """Lock, score and record a draft once, then what else happens after a submission
    (AFTER_SUBMIT) in the user's language. None when submitted (or already was: a second
    click), else why not: missing | no_visit | not_confirmed (carried-over answers must be
    confirmed as checked, not submitted by one click) | not_reviewed (the submitter did not
    confirm the review of the answers and levels: submitting locks them)."""
    with write_transaction(db):
        row = assessments.get(db, assessment_id)
        if row is None or row["status"] != "draft":
            return None
        ready = readiness(db, q, row)
        if ready.blocker is not None:
            return ready.blocker
        if ready.carried_from is not None and not confirmed:
            return "not_confirmed"
        if not reviewed:
            return "not_reviewed"
        submit(db, q, assessment_id, ready.state.answers, submitted_by=by.user_id)
        notifications.submitted(db, row, by.user_id)
        audit.record_by(
            db,
            by,
            "submit",
            target_type="assessment",
            target_id=assessment_id,
            detail={"mode": row["mode"]},
        )
    for after in AFTER_SUBMIT:  # e.g. the PDF made ready in the background
        after(assessment_id, lang)
    return None


def profile_from_organisation(db: Database, q: Questionnaire, assessment_id: int) -> None:
    """A new draft starts with what registration already said (the sector)."""
    row = assessments.get(db, assessment_id)
    organisation = organisations.get(db, row["organisation_id"])
    if SECTOR in q.items and organisation["sector"] in {
        o.id for o in q.options_of(q.items[SECTOR])
    }:
        assessments.put_answers(db, assessment_id, [(SECTOR, Answer(organisation["sector"]))], None)
