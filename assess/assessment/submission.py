"""Submitting an assessment: lock it, score it, keep the result snapshot and the facts.

The one place that turns a draft into a submitted assessment, for the wizard, the demo data
and the synthetic population alike.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

from assess.questionnaire.model import Questionnaire
from assess.regional import facts
from assess.regional.periods import quarter_ends
from assess.scoring import Answer, Answers, score
from assess.store import assessments, organisations, summaries

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


def rebuild_missing_facts(db: Database, questionnaire_of) -> int:
    """Facts for submitted assessments that have none; returns how many were made."""
    from assess.assessment.answering import state

    rows = []
    missing = facts.missing(db)
    for row in missing:
        q = questionnaire_of(row)
        organisation = organisations.get(db, row["organisation_id"])
        rows.append(
            facts.row(
                q, score(q, state(db, q, row["id"]).answers), row, organisation, row["submitted_at"]
            )
        )
    if rows:
        q = questionnaire_of(missing[0])
        facts.record(db, rows, q, refresh=False)
        summaries.refresh(db, list(q.rules), periods=quarter_ends())
    return len(rows)


def init_app(app) -> None:
    """At start-up, make the derived data (facts, regional sums) that an older database lacks."""
    from assess.store.database import connect, write_transaction
    from assess.web import questionnaires as library

    with app.app_context():
        for q in library.all_questionnaires().values():
            facts.check_fits(q)
        db = connect(app.config["DATABASE"], app.config["DATABASE_TIMEOUT"])
        try:
            if facts.missing(db):
                with write_transaction(db):
                    rebuild_missing_facts(db, _questionnaire_of)
            rules = list(library.latest().rules)
            if not summaries.kept_periods(db):
                with write_transaction(db):
                    summaries.refresh(db, rules, periods=quarter_ends())
            elif set(quarter_ends()) - summaries.kept_periods(db):
                # a quarter ended since the sums were made: the new period is made once
                with write_transaction(db):
                    summaries.ensure_periods(db, rules, quarter_ends())
        finally:
            db.close()


def _questionnaire_of(row: dict) -> Questionnaire:
    from assess.web import questionnaires as library

    return library.get(row["questionnaire_id"], row["questionnaire_version"])
