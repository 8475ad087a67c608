"""Starting an assessment: a self-assessment by the enterprise, or an on-site assessment by
its consultant, empty or pre-filled from an earlier one (a re-assessment). One draft of each
kind at a time: starting again returns the draft there is. No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.assessment import answering
from assess.assessment.submission import profile_from_organisation
from assess.questionnaire.definition import Questionnaire
from assess.store import assessments, audit
from assess.store.audit import Actor
from assess.store.database import write_transaction


@dataclass(frozen=True)
class Started:
    assessment_id: int
    resumed: bool  # a draft was already there: nothing new was made
    carried_from: dict | None = None  # the assessment whose answers were filled in


def start_self_assessment(
    db: Database, q: Questionnaire, organisation_id: int, by: Actor, carry_over: bool
) -> Started:
    """The enterprise's new draft; with carry_over, filled in from its last submitted
    assessment (self or on site, whichever is newer)."""
    with write_transaction(db):
        draft = assessments.draft_for(db, organisation_id)
        if draft is not None:
            return Started(draft["id"], resumed=True)
        last = assessments.latest_submitted(db, organisation_id) if carry_over else None
        return _start(db, q, organisation_id, by, last, "self")


def start_on_site(
    db: Database, q: Questionnaire, organisation_id: int, consultant: Actor, carry_over: bool
) -> Started:
    """A consultant's on-site assessment of a client (the caller checked the client's grant);
    with carry_over, filled in from the client's latest self-assessment."""
    with write_transaction(db):
        draft = assessments.draft_for(
            db, organisation_id, mode="consultant", consultant_id=consultant.user_id
        )
        if draft is not None:
            return Started(draft["id"], resumed=True)
        own = assessments.latest_submitted(db, organisation_id, mode="self") if carry_over else None
        return _start(db, q, organisation_id, consultant, own, "consultant")


def _start(
    db: Database,
    q: Questionnaire,
    organisation_id: int,
    by: Actor,
    source: dict | None,
    mode: str,
) -> Started:
    on_site = mode == "consultant"
    assessment_id = assessments.create(
        db,
        organisation_id=organisation_id,
        questionnaire=q,
        created_by=by.user_id,
        mode=mode,
        consultant_id=by.user_id if on_site else None,
    )
    copied = 0
    if source is not None:
        copied = answering.carry_over(db, q, source["id"], assessment_id, by.user_id)
    else:
        profile_from_organisation(db, q, assessment_id)
    audit.record_by(
        db,
        by,
        "assessment_started",
        target_type="assessment",
        target_id=assessment_id,
        detail={"mode": "consultant"}
        if on_site
        else {"prefilled_from": source["id"] if copied else None},
    )
    return Started(assessment_id, resumed=False, carried_from=source if copied else None)
