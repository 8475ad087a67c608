"""On-site assessments: evidence files attached to answers, files removed, visits recorded.
Each change is checked against the assessment's status inside the transaction that writes it:
nothing about a submitted assessment changes. No Flask."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlite_utils import Database

from assess.assessment import answering, evidence_files
from assess.assessment.answering import Locked
from assess.questionnaire.definition import Questionnaire
from assess.scoring.verification import verifiable
from assess.store import answer_comments, assessments, audit
from assess.store import evidence as evidence_store
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.translation import today_in_china


@dataclass(frozen=True)
class Upload:
    """A file sent for an item: its name as the user gave it, and its bytes (at most
    evidence_files.MAX_BYTES + 1 read)."""

    item_id: str
    filename: str
    data: bytes


def _draft(db: Database, assessment_id: int) -> dict:
    row = assessments.get(db, assessment_id)
    if row is None or row["status"] != "draft":
        raise Locked(assessment_id)
    return row


def earliest_visit(row: dict) -> date:
    """A visit belongs to its assessment: at most a year before the assessment was started."""
    return date.fromisoformat(row["created_at"][:10]) - timedelta(days=366)


def files_by_item(db: Database, assessment_id: int) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in evidence_store.files(db, assessment_id):
        grouped.setdefault(row["item_id"], []).append(row)
    return grouped


def attach(
    db: Database,
    folder: Path,
    q: Questionnaire,
    assessment_id: int,
    uploads: list[Upload],
    by: Actor,
) -> dict[str, list[tuple[str, str]]]:
    """Keep the files sent for items of the questionnaire, at most MAX_FILES_PER_ITEM per item
    and MAX_ASSESSMENT_BYTES in all; per item, the name and the reason (an EvidenceError code,
    or 'too_many', 'assessment_full') of every file refused. Each file is kept in a write
    transaction that checks first that the assessment is still a draft: Locked once
    submitted, and a file written to the folder before is removed again."""
    refused: dict[str, list[tuple[str, str]]] = {}
    for upload in uploads:
        if upload.item_id not in q.items:
            continue
        name = evidence_files.display_name(upload.filename)
        try:
            checked = evidence_files.check(upload.data)
        except evidence_files.EvidenceError as error:
            refused.setdefault(upload.item_id, []).append((name, error.code))
            continue
        stored_name, digest = evidence_files.store(folder, assessment_id, checked.data)
        try:
            with write_transaction(db):
                _draft(db, assessment_id)
                full = _full(db, assessment_id, upload.item_id, len(checked.data))
                if not full:
                    _record_file(
                        db,
                        by,
                        assessment_id,
                        upload.item_id,
                        {
                            "stored_name": stored_name,
                            "original_name": name,
                            "mime_type": checked.kind.mime_type,
                            "size": len(checked.data),
                            "sha256": digest,
                        },
                    )
        except Locked:
            evidence_files.path_of(folder, stored_name).unlink(missing_ok=True)
            raise
        if full:
            evidence_files.path_of(folder, stored_name).unlink(missing_ok=True)
            refused.setdefault(upload.item_id, []).append((name, full))
    return refused


def _full(db: Database, assessment_id: int, item_id: str, size: int) -> str:
    """Why one more file of `size` bytes cannot be kept for the item ('too_many',
    'assessment_full'), or ''. Run in the write transaction that keeps it."""
    if evidence_store.count_files(db, assessment_id, item_id) >= evidence_files.MAX_FILES_PER_ITEM:
        return "too_many"
    if evidence_store.total_bytes(db, assessment_id) + size > evidence_files.MAX_ASSESSMENT_BYTES:
        return "assessment_full"
    return ""


def _record_file(db, by: Actor, assessment_id: int, item_id: str, file: dict, **detail) -> int:
    """The row of a file kept, and its audit entry. Run in a write transaction."""
    file_id = evidence_store.add_file(
        db,
        assessment_id,
        item_id,
        file["stored_name"],
        file["original_name"],
        file["mime_type"],
        file["size"],
        file["sha256"],
        by.user_id,
    )
    audit.record_by(
        db,
        by,
        "evidence_uploaded",
        target_type="evidence",
        target_id=file_id,
        detail={"assessment_id": assessment_id, "item": item_id, **detail},
    )
    return file_id


def same_as_above(
    db: Database, q: Questionnaire, assessment_id: int, item_id: str, above: str, by: Actor
) -> int | None:
    """Give an item the evidence files of the item above it: new references to the same stored
    files (nothing is copied; a file is deleted from the folder once no item refers to it).
    Files the item has already are skipped; at most MAX_FILES_PER_ITEM. The number of files
    added, or None when the items are not the questionnaire's. Locked once submitted."""
    if item_id not in q.items or above not in q.items or item_id == above:
        return None
    with write_transaction(db):
        _draft(db, assessment_id)
        files = evidence_store.files(db, assessment_id)
        has = {f["stored_name"] for f in files if f["item_id"] == item_id}
        room = evidence_files.MAX_FILES_PER_ITEM - len(has)
        taken = [f for f in files if f["item_id"] == above and f["stored_name"] not in has]
        for file in taken[: max(room, 0)]:
            _record_file(db, by, assessment_id, item_id, file, same_as=above)
        added = min(len(taken), max(room, 0))
        if added:
            assessments.touch(db, assessment_id)
    return added


def verify_all(
    db: Database, q: Questionnaire, assessment_id: int, item_ids: list[str], by: Actor
) -> int:
    """ "Verify all on this page": mark verified each of `item_ids` that is verifiable (rated,
    or deciding: assess/scoring/verification.py), answered,
    asked (not folded away by the staircase) and not verified yet, through the same saving
    path as one tick (answering.save_evidence_in: each item's answer_verified entry), plus one
    audit entry for the action with its count. How many items it verified. Locked once
    submitted."""
    with write_transaction(db):
        _draft(db, assessment_id)
        current = answering.state(db, q, assessment_id)
        known = evidence_store.for_assessment(db, assessment_id)
        rows = [
            (
                item_id,
                (known.get(item_id) or {}).get("note", ""),
                (known.get(item_id) or {}).get("evidence_quality"),
                True,
            )
            for item_id in item_ids
            if item_id in q.items
            and verifiable(q, item_id)
            and item_id in current.answers
            and item_id not in current.skipped
            and not (known.get(item_id) or {}).get("verified_by")
        ]
        verified = answering.save_evidence_in(db, q, assessment_id, (by.user_id, rows))
        if verified:
            audit.record_by(
                db,
                by,
                "page_verified",
                target_type="assessment",
                target_id=assessment_id,
                detail={"items": [row[0] for row in rows], "count": verified},
            )
    return verified


def remove(db: Database, folder: Path, assessment_id: int, file_id: int, by: Actor) -> bool:
    """Remove an evidence file uploaded by mistake (a draft's); the audit log keeps its name and
    digest. Another assessment's file is left alone."""
    with write_transaction(db):
        _draft(db, assessment_id)
        removed = evidence_store.delete_file(db, assessment_id, file_id)
        if removed is None:
            return False
        shared = evidence_store.references(db, removed["stored_name"]) > 0
        audit.record_by(
            db,
            by,
            "evidence_removed",
            target_type="evidence",
            target_id=file_id,
            detail={
                "assessment_id": assessment_id,
                "item": removed["item_id"],
                "name": removed["original_name"],
                "sha256": removed["sha256"],
            },
        )
    if shared:  # another item refers to the same file ("same evidence as above")
        return True
    # a stored name outside the folder is never written: then there is nothing to remove
    with suppress(evidence_files.EvidenceError):
        evidence_files.path_of(folder, removed["stored_name"]).unlink(missing_ok=True)
    return True


def add_visit(
    db: Database, row: dict, visit_date: date | None, site: str, participants: str, by: Actor
) -> bool:
    """Record an on-site visit (not in the future, nor more than a year before the assessment
    was started, at a named site); False when the visit is not one to record."""
    if visit_date is None or not site or not earliest_visit(row) <= visit_date <= today_in_china():
        return False
    with write_transaction(db):
        _draft(db, row["id"])
        evidence_store.add_visit(
            db, row["id"], visit_date.isoformat(), site, participants, by.user_id
        )
    return True


def delete_visit(db: Database, assessment_id: int, visit_id: int, by: Actor) -> bool:
    """Take back a visit recorded by mistake, while the assessment is a draft; the audit log
    keeps what it said."""
    with write_transaction(db):
        _draft(db, assessment_id)
        visit = evidence_store.delete_visit(db, assessment_id, visit_id)
        if visit is None:
            return False
        audit.record_by(
            db,
            by,
            "visit_deleted",
            target_type="assessment",
            target_id=assessment_id,
            detail={k: visit[k] for k in ("visit_date", "site", "participants")},
        )
    return True


@dataclass(frozen=True)
class SelfAnswers:
    """The enterprise's own answers beside an on-site assessment: the self-assessment it
    checks, its answers, evidence notes, files and comments, per item."""

    assessment: dict
    answers: dict
    evidence: dict[str, dict]
    files: dict[str, list[dict]]
    comments: dict[str, str]


def self_answers(db: Database, row: dict) -> SelfAnswers | None:
    """What the enterprise answered in the self-assessment an on-site assessment checks (the
    one it started from, else the newest submitted before); None when there is none."""
    own = assessments.self_assessment_checked_by(db, row)
    if own is None:
        return None
    return SelfAnswers(
        own,
        assessments.answers(db, own["id"]),
        evidence_store.for_assessment(db, own["id"]),
        files_by_item(db, own["id"]),
        answer_comments.for_assessment(db, own["id"]),
    )


def evidence_used(db: Database, assessment_id: int) -> int:
    """The bytes of evidence an assessment holds (against MAX_ASSESSMENT_BYTES)."""
    return evidence_store.total_bytes(db, assessment_id)
