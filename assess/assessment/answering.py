"""Saving answers and reading an assessment's state: one path for page posts, background
autosaves and answers kept over an expired session. No Flask here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from sqlite_utils import Database

from assess.questionnaire import pages
from assess.questionnaire.definition import Questionnaire
from assess.scoring import Answer, carry, explain, missing_items, skipped_items
from assess.scoring.answers import AnswerError, check
from assess.scoring.result import Skip
from assess.store import assessments, audit
from assess.store import evidence as evidence_store
from assess.store.assessments import StoredAnswer
from assess.store.database import write_transaction


class Locked(Exception):
    """The assessment is submitted: its answers can no longer change."""


REVIEWER_ONLY = "reviewer_only"  # the error of a review answered outside an on-site assessment
NOT_ASSIGNED = "not_assigned"  # the error of a contributor's answer outside its sections
MAX_NOTE = 4000  # characters of an evidence note


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


# In an evidence row (save_evidence): a field the sender did not send; the stored one stays.
KEEP = _Keep()
MAX_REVISION = 2**53 - 1  # revisions count from 1; the largest integer a page counts exactly
# A page proposes one more than the revision it last saw, plus one per change it made since
# (changes queued while offline): far more than this ahead of the stored one is not genuine,
# and refused for its item, so that no revision can push an answer out of reach.
MAX_AHEAD = 100_000


def valid_revision(value) -> bool:
    """Whether a client-sent revision number is a whole number a page could send."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_REVISION


def revision_within_reach(value, stored: int) -> bool:
    """Whether a proposed revision may be saved over the stored one (0: none stored)."""
    return valid_revision(value) and value <= stored + MAX_AHEAD


@dataclass(frozen=True)
class Proposed:
    """One answer as a client sent it: value, reason and the revision it proposes."""

    item_id: str
    value: object
    reason: str
    revision: int  # as the client sent it: checked per item (revision_within_reach)


@dataclass(frozen=True)
class Outcome:
    item_id: str
    status: str  # saved | unchanged | stale | invalid
    revision: int
    current: Answer | None
    error: str = ""  # AnswerError code when invalid
    changed_by: int | None = None  # stale: who saved the newer answer kept
    changed_at: str | None = None  # stale: when (UTC)
    proposed: Answer | None = None  # stale: the answer sent, kept for the sender to see


@dataclass(frozen=True)
class State:
    stored: dict[str, StoredAnswer]
    answers: dict[str, Answer]
    skipped: dict[str, Skip]
    missing: list[str]
    progress: pages.Progress


def state(db: Database, q: Questionnaire, assessment_id: int) -> State:
    stored = assessments.answers(db, assessment_id)
    answers = {item: s.answer for item, s in stored.items() if item in q.items}
    skipped = skipped_items(q, answers)
    missing = missing_items(q, answers, skipped)
    waiting = frozenset(i for i, skip in skipped.items() if explain.waiting(q, skip, answers))
    return State(stored, answers, skipped, missing, pages.progress(q, missing, skipped, waiting))


def save(
    db: Database,
    q: Questionnaire,
    assessment_id: int,
    user_id: int | None,
    proposed: list[Proposed],
    allowed: frozenset[str] | None = None,
) -> list[Outcome]:
    """Validate and store each proposed answer in one write transaction.

    An invalid answer, or one proposed with a revision out of reach, changes nothing and says
    why (with the stored revision and answer); the valid ones are kept. `allowed`: the items
    this user may answer (None: all); another item is refused (not_assigned) unless it is sent
    back as stored.
    """
    with write_transaction(db):
        return save_within(db, q, assessment_id, user_id, proposed, allowed)


def save_within(
    db: Database,
    q: Questionnaire,
    assessment_id: int,
    user_id: int | None,
    proposed: list[Proposed],
    allowed: frozenset[str] | None = None,
) -> list[Outcome]:
    """save() inside the caller's write transaction (with what else it writes, e.g. audit)."""
    outcomes = []
    row = assessments.get(db, assessment_id)
    if row is None or row["status"] != "draft":
        raise Locked(assessment_id)
    stored = assessments.answers(db, assessment_id)
    for p in proposed:
        before = stored.get(p.item_id)
        if allowed is not None and p.item_id not in allowed:
            outcomes.append(_outside(q, p, before))
            continue
        if not revision_within_reach(p.revision, before.revision if before else 0):
            outcomes.append(
                Outcome(
                    p.item_id,
                    "invalid",
                    before.revision if before else 0,
                    before.answer if before else None,
                    "revision",
                )
            )
            continue
        try:
            answer = check(q, p.item_id, p.value, p.reason)
        except AnswerError as error:
            outcomes.append(Outcome(p.item_id, "invalid", p.revision, None, error.code))
            continue
        result = assessments.save_answer(db, assessment_id, p.item_id, answer, p.revision, user_id)
        if result.status == "stale":
            stale = (result.by, result.at, answer)
            outcomes.append(
                Outcome(p.item_id, "stale", result.revision, result.current, "", *stale)
            )
            continue
        outcomes.append(Outcome(p.item_id, result.status, result.revision, result.current))
    if any(o.status == "saved" for o in outcomes):
        assessments.touch(db, assessment_id)
    return outcomes


def _outside(q: Questionnaire, p: Proposed, before: StoredAnswer | None) -> Outcome:
    """A proposed answer to an item outside the user's sections: unchanged when it is the
    stored answer sent back, else refused with the stored one (nothing is lost)."""
    try:
        answer = check(q, p.item_id, p.value, p.reason)
    except AnswerError:
        answer = None
    if before is not None and answer == before.answer:
        return Outcome(p.item_id, "unchanged", before.revision, before.answer)
    return Outcome(
        p.item_id,
        "invalid",
        before.revision if before else 0,
        before.answer if before else None,
        NOT_ASSIGNED,
    )


def save_page(
    db: Database,
    q: Questionnaire,
    row: dict,
    user_id: int,
    proposed: list[Proposed],
    evidence_rows: list[tuple] = (),
    allowed: frozenset[str] | None = None,
) -> list[Outcome]:
    """Save a page: its answers, and on site its evidence notes (an answer changed on the page
    loses its verification unless the page verifies the new value). Locked once submitted.

    A reviewer's verdict on a tailoring is given on site: a self-assessment refuses it
    (reviewer_only), so that an enterprise never reviews its own tailoring."""
    refused = []
    if row["mode"] != "consultant":
        reviews = review_items(q)
        refused = [p for p in proposed if p.item_id in reviews]
        proposed = [p for p in proposed if p.item_id not in reviews]
    outcomes = save(db, q, row["id"], user_id, proposed, allowed)
    outcomes += [Outcome(p.item_id, "invalid", p.revision, None, REVIEWER_ONLY) for p in refused]
    if row["mode"] == "consultant" and evidence_rows:
        save_evidence(db, row["id"], user_id, list(evidence_rows), q, saved_items(outcomes))
    return outcomes


@cache
def review_items(q: Questionnaire) -> frozenset[str]:
    """The items a reviewer answers on site: the verdicts on tailoring."""
    return frozenset(review.id for _, review in q.tailoring_questions.values())


def evidence_shown(note: str, quality: str | None, verified: bool) -> str:
    """The evidence of an item as a page shows it, in a short form the page sends back: the
    note's digest, the quality and the verified mark."""
    return f"{_note_digest(note)}|{quality or ''}|{int(bool(verified))}"


def _note_digest(note: str) -> str:
    return hashlib.sha256(note.encode("utf-8")).hexdigest()[:16]


def note_unchanged(note: str, shown: str | None) -> bool:
    """Whether a page sends back the note it showed (evidence_shown), untouched."""
    parsed = _shown(shown)
    return parsed is not None and parsed[0] == _note_digest(note)


def note_conflict(sent: str, shown: str | None, stored: str) -> bool:
    """Whether a note sent as a change of the evidence `shown` was changed elsewhere meanwhile
    too: the stored note is not the one sent (both are kept, _merged)."""
    return _shown(shown) is not None and not note_unchanged(sent, shown) and stored != sent


def note_refused(sent: str, shown: str | None, stored: str) -> bool:
    """Whether a note sent as a change was not stored at all: changed elsewhere meanwhile too,
    and both together too long to keep (_merged)."""
    return note_conflict(sent, shown, stored) and sent not in stored


def saved_items(outcomes: list[Outcome]) -> frozenset[str]:
    """The items whose answer a save changed (their verification went with it)."""
    return frozenset(o.item_id for o in outcomes if o.status == "saved")


def _shown(value: str | None) -> tuple[str, str | None, bool] | None:
    """(note digest, quality, verified) from evidence_shown; None when absent or malformed."""
    parts = (value or "").split("|")
    if len(parts) != 3 or len(parts[0]) != 16 or parts[2] not in ("0", "1"):
        return None
    return parts[0], parts[1] or None, parts[2] == "1"


def _merged(
    sent: tuple[str, str | None, bool],
    before: tuple[str, str | None, bool],
    shown: tuple,
    answered: bool = False,
) -> tuple[str, str | None, bool]:
    """What to store when a page sends evidence it showed as `shown`: each field the page
    changed, the stored one for each it did not (another window may have changed it since).
    A note changed in both is kept twice, the stored text first: no typed note is lost; when
    both together are longer than a note may be, the stored one stays and the page, told so
    (note_refused), keeps the one sent for the consultant to combine.
    `answered`: the page changed the answer too, so its verified mark is sent afresh."""
    note, quality, verified = sent
    note_was, quality_was, verified_was = shown
    if answered:
        verified_was = not verified  # the mark goes with the new value, as sent
    if _note_digest(note) == note_was:
        note = before[0]  # not changed on this page
    elif _note_digest(before[0]) != note_was and before[0]:
        both = note if before[0] in note else f"{before[0]}\n\n{note}".strip()
        note = both if len(both) <= MAX_NOTE else before[0]
    return (
        note,
        quality if quality != quality_was else before[1],
        verified if verified != verified_was else before[2],
    )


def save_evidence(
    db: Database,
    assessment_id: int,
    user_id: int,
    rows: list[tuple],
    q: Questionnaire,
    answered: frozenset[str] = frozenset(),
) -> int:
    """Store the evidence note, quality and verified mark of items whose evidence changed.

    rows: (item, note, quality, verified[, shown]). With `shown` (a page form: the evidence as
    the page showed it), only what the page changed is written (_merged): a page left open in
    another window does not undo what was saved since. Compared with what is stored now: an
    answer changed in the same request (`answered`) has lost its verification, and a verified
    mark sent with it verifies the new value."""
    with write_transaction(db):
        row = assessments.get(db, assessment_id)
        if row is None or row["status"] != "draft":
            raise Locked(assessment_id)
        return save_evidence_in(db, q, assessment_id, (user_id, rows), answered)


def save_evidence_in(
    db: Database, q: Questionnaire, assessment_id: int, by_rows: tuple, answered=frozenset()
) -> int:
    """save_evidence inside a write transaction that checked the assessment is a draft;
    by_rows: (user id, rows)."""
    user_id, rows = by_rows
    changed = 0
    known = evidence_store.for_assessment(db, assessment_id)
    for item_id, note, quality, verified, *more in rows:
        if item_id not in q.items:
            continue
        before = known.get(item_id) or {}
        # a field another system did not send (KEEP) keeps its stored value
        note = before.get("note", "") if note is KEEP else note
        quality = before.get("evidence_quality") if quality is KEEP else quality
        verified = bool(before.get("verified_by")) if verified is KEEP else verified
        shown = _shown(more[0]) if more else None
        if shown is not None:
            stored = (
                before.get("note", ""),
                before.get("evidence_quality"),
                bool(before.get("verified_by")),
            )
            note, quality, verified = _merged(
                (note, quality, verified), stored, shown, item_id in answered
            )
        same = (
            before.get("note", "") == note
            and before.get("evidence_quality") == quality
            and bool(before.get("verified_by")) == verified
        )
        if not same:
            if verified != bool(before.get("verified_by")):
                audit.record(
                    db,
                    "answer_verified" if verified else "answer_unverified",
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


@dataclass(frozen=True)
class Carried:
    """What a re-assessment's start carried over from an earlier assessment."""

    count: int  # answers filled in
    new: tuple[str, ...] = ()  # items of a newer version that nothing carried to
    not_carried: int = 0  # earlier answers left behind: dropped items, or values no longer allowed


def carry_over(
    db: Database,
    q: Questionnaire,
    source_id: int,
    assessment_id: int,
    user_id: int,
    source_q: Questionnaire | None = None,
    reviews: bool = True,
) -> Carried:
    """Copy the answers of an earlier assessment into a new draft and remember where they came
    from. Under the same version, every answer still valid; from an older version
    (`source_q`), through the newer version's carry-over (assess.scoring.carry): renamed items
    follow, dropped ones do not, and the new items are said. `reviews=False` (a
    self-assessment) leaves a reviewer's verdicts on tailoring behind. Run in a write
    transaction."""
    stored = {item: s.answer for item, s in assessments.answers(db, source_id).items()}
    new: tuple[str, ...] = ()
    if source_q is not None and source_q.key != q.key:
        found = carry.carry_over(source_q, q, stored)
        candidates = found.answers
        new = found.new
        not_carried = len(found.dropped) + len(found.refused)
    else:
        candidates, not_carried = {}, 0
        for item_id, answer in stored.items():
            try:
                candidates[item_id] = check(q, item_id, answer.value, answer.reason)
            except AnswerError:
                continue  # not in this questionnaire version, or no longer valid
    if not reviews:
        candidates = {k: v for k, v in candidates.items() if k not in review_items(q)}
    assessments.put_answers(db, assessment_id, list(candidates.items()), user_id)
    assessments.set_prefilled_from(db, assessment_id, source_id)
    return Carried(len(candidates), new, not_carried)
