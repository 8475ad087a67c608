"""Starting an assessment: a self-assessment by the enterprise, or an on-site assessment by
its consultant, empty or pre-filled from an earlier one (a re-assessment). One draft of each
kind at a time: starting again returns the draft there is. New assessments start on the newest
published questionnaire version; one pre-filled from an assessment of an older version carries
its answers over through the newer version's carry-over and says which items are new. No
Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.assessment import answering
from assess.assessment.submission import profile_from_organisation
from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.versions import Versions
from assess.scoring.carry import new_items
from assess.store import assessments, audit
from assess.store.audit import Actor
from assess.store.database import write_transaction


@dataclass(frozen=True)
class Started:
    assessment_id: int
    resumed: bool  # a draft was already there: nothing new was made
    carried_from: dict | None = None  # the assessment whose answers were filled in
    version: str = ""  # the questionnaire version the new draft is answered under
    new: tuple[str, ...] = ()  # items new since the version carried from (marked in the wizard)
    not_carried: int = 0  # earlier answers that do not carry to the newer version


def start_self_assessment(
    db: Database, versions: Versions, organisation_id: int, by: Actor, carry_over: bool
) -> Started:
    """The enterprise's new draft; with carry_over, filled in from its last submitted
    assessment (self or on site, whichever is newer; a reviewer's verdicts on tailoring stay
    behind: the enterprise's own tailoring is reviewed anew on site)."""
    with write_transaction(db):
        draft = assessments.draft_for(db, organisation_id)
        if draft is not None:
            return Started(draft["id"], resumed=True)
        last = assessments.latest_submitted(db, organisation_id) if carry_over else None
        return _start(db, versions, organisation_id, by, last, "self")


def start_on_site(
    db: Database, versions: Versions, organisation_id: int, consultant: Actor, carry_over: bool
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
        return _start(db, versions, organisation_id, consultant, own, "consultant")


def new_since_carried(db: Database, versions: Versions, row: dict) -> frozenset[str]:
    """The items of a draft that are new since the older questionnaire version its answers
    were carried from (empty when it started empty or from the same version)."""
    if not row.get("prefilled_from"):
        return frozenset()
    try:
        new = versions.of(row)
    except KeyError:
        return frozenset()
    old = _source_version(versions, assessments.get(db, row["prefilled_from"]), new)
    return frozenset(new_items(old, new)) if old is not None else frozenset()


def _source_version(versions: Versions, source: dict, q: Questionnaire) -> Questionnaire | None:
    """The older version a source was answered under, when `q` carries answers from it; None
    for the same version (or one without a carry-over: its answers are checked one by one)."""
    try:
        old = versions.of(source)
    except KeyError:
        return None
    carried = q.carried_from
    if old.key == q.key or carried is None or (old.id, old.version) != (q.id, carried.version):
        return None
    return old


def _start(
    db: Database,
    versions: Versions,
    organisation_id: int,
    by: Actor,
    source: dict | None,
    mode: str,
) -> Started:
    q = versions.latest()
    on_site = mode == "consultant"
    assessment_id = assessments.create(
        db,
        organisation_id=organisation_id,
        questionnaire=q,
        created_by=by.user_id,
        mode=mode,
        consultant_id=by.user_id if on_site else None,
    )
    copied, carried = 0, None
    if source is not None:
        old = _source_version(versions, source, q)
        carried = answering.carry_over(
            db, q, source["id"], assessment_id, by.user_id, old, reviews=on_site
        )
        copied = carried.count
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
    if not copied:
        return Started(assessment_id, resumed=False, version=q.version)
    return Started(
        assessment_id,
        resumed=False,
        carried_from=source,
        version=q.version,
        new=carried.new,
        not_carried=carried.not_carried,
    )
