"""Submitting an assessment: lock it, score it, keep the result snapshot and the facts.

The one place that turns a draft into a submitted assessment, for the wizard, the demo data
and the synthetic population alike.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire
from assess.regional import result_facts as facts
from assess.scoring import Answer, Answers, score
from assess.store import assessments, organisations

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
    """Score and lock a draft. Run it inside a write transaction."""
    result = score(q, answers)
    assessments.record_result(
        db, assessment_id, result, submitted_by=submitted_by, submitted_at=submitted_at
    )
    row = assessments.get(db, assessment_id)
    organisation = organisations.get(db, row["organisation_id"])
    sector = answers.get(SECTOR)
    if (
        sector is not None
        and isinstance(sector.value, str)
        and sector.value != organisation["sector"]
    ):
        # the sector declared in the assessment is the newest word on it: the organisation (and
        # so its peers and its region's figures) follows
        organisations.set_sector(db, organisation["id"], sector.value)
        organisation = organisations.get(db, organisation["id"])
        facts.update_organisation(db, organisation, q)
    facts.record(db, [facts.row(q, result, row, organisation, row["submitted_at"])], q)


def profile_from_organisation(db: Database, q: Questionnaire, assessment_id: int) -> None:
    """A new draft starts with what registration already said (the sector)."""
    row = assessments.get(db, assessment_id)
    organisation = organisations.get(db, row["organisation_id"])
    if SECTOR in q.items and organisation["sector"] in {
        o.id for o in q.options_of(q.items[SECTOR])
    }:
        assessments.put_answers(db, assessment_id, [(SECTOR, Answer(organisation["sector"]))], None)
