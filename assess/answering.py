"""Saving answers and reading an assessment's state: one path for page posts, background
autosaves and answers kept over an expired session. No Flask here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess import wizard
from assess.db import write_transaction
from assess.model import Questionnaire
from assess.scoring import Answer, missing_items, skipped_items
from assess.scoring.answers import AnswerError, check
from assess.scoring.result import Skip
from assess.store import assessments, audit
from assess.store import evidence as evidence_store
from assess.store.assessments import StoredAnswer


class Locked(Exception):
    """The assessment is submitted: its answers can no longer change."""


MAX_REVISION = 2**31 - 1  # revisions are SQLite integers counted from 1; larger is not genuine


def valid_revision(value) -> bool:
    """Whether a client-sent revision number is one the server could have handed out."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_REVISION


@dataclass(frozen=True)
class Proposed:
    """One answer as a client sent it: value, reason and the revision it proposes."""

    item_id: str
    value: object
    reason: str
    revision: int


@dataclass(frozen=True)
class Outcome:
    item_id: str
    status: str  # saved | unchanged | stale | invalid
    revision: int
    current: Answer | None
    error: str = ""  # AnswerError code when invalid


@dataclass(frozen=True)
class State:
    stored: dict[str, StoredAnswer]
    answers: dict[str, Answer]
    skipped: dict[str, Skip]
    missing: list[str]
    progress: wizard.Progress


def state(db: Database, q: Questionnaire, assessment_id: int) -> State:
    stored = assessments.answers(db, assessment_id)
    answers = {item: s.answer for item, s in stored.items() if item in q.items}
    skipped = skipped_items(q, answers)
    missing = missing_items(q, answers, skipped)
    return State(stored, answers, skipped, missing, wizard.progress(q, missing, skipped))


def save(
    db: Database,
    q: Questionnaire,
    assessment_id: int,
    user_id: int | None,
    proposed: list[Proposed],
) -> list[Outcome]:
    """Validate and store each proposed answer in one write transaction.

    An invalid answer changes nothing and says why; the valid ones are kept.
    """
    outcomes = []
    with write_transaction(db):
        row = assessments.get(db, assessment_id)
        if row is None or row["status"] != "draft":
            raise Locked(assessment_id)
        for p in proposed:
            try:
                answer = check(q, p.item_id, p.value, p.reason)
            except AnswerError as error:
                outcomes.append(Outcome(p.item_id, "invalid", p.revision, None, error.code))
                continue
            result = assessments.save_answer(
                db, assessment_id, p.item_id, answer, p.revision, user_id
            )
            outcomes.append(Outcome(p.item_id, result.status, result.revision, result.current))
        if any(o.status == "saved" for o in outcomes):
            assessments.touch(db, assessment_id)
    return outcomes


def save_evidence(
    db: Database,
    assessment_id: int,
    user_id: int,
    rows: list[tuple[str, str, str | None, bool]],
    q: Questionnaire,
) -> int:
    """Store the evidence note, quality and verified mark of items whose evidence changed.

    Compared with what is stored now: an answer changed in the same request has lost its
    verification, and a verified mark sent with it verifies the new value."""
    changed = 0
    with write_transaction(db):
        row = assessments.get(db, assessment_id)
        if row is None or row["status"] != "draft":
            raise Locked(assessment_id)
        known = evidence_store.for_assessment(db, assessment_id)
        for item_id, note, quality, verified in rows:
            if item_id not in q.items:
                continue
            before = known.get(item_id) or {}
            same = (
                before.get("note", "") == note
                and before.get("evidence_quality") == quality
                and bool(before.get("verified_by")) == verified
            )
            if not same:
                if verified and not before.get("verified_by"):
                    audit.record(
                        db,
                        "answer_verified",
                        user_id=user_id,
                        target_type="assessment",
                        target_id=assessment_id,
                        detail={"item": item_id},
                    )
                evidence_store.save(
                    db,
                    assessment_id,
                    item_id,
                    note=note,
                    quality=quality,
                    verified=verified,
                    user_id=user_id,
                )
                changed += 1
        if changed:
            assessments.touch(db, assessment_id)
    return changed


def carry_over(
    db: Database, q: Questionnaire, source_id: int, assessment_id: int, user_id: int
) -> int:
    """Copy the answers of an earlier assessment into a new draft (those still valid under its
    questionnaire version) and remember where they came from. Run in a write transaction."""
    carried = []
    for item_id, stored in assessments.answers(db, source_id).items():
        try:
            carried.append((item_id, check(q, item_id, stored.answer.value, stored.answer.reason)))
        except AnswerError:
            continue  # not in this questionnaire version, or no longer valid
    assessments.put_answers(db, assessment_id, carried, user_id)
    db.execute("UPDATE assessments SET prefilled_from = ? WHERE id = ?", [source_id, assessment_id])
    return len(carried)
