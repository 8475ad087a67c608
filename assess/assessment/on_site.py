"""On-site assessments: evidence files attached to answers, files removed, visits recorded.
Each change is checked against the assessment's status inside the transaction that writes it:
nothing about a submitted assessment changes. No Flask."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlite_utils import Database

from assess.assessment import evidence_files
from assess.assessment.answering import Locked
from assess.questionnaire.definition import Questionnaire
from assess.store import assessments, audit
from assess.store import evidence as evidence_store
from assess.store.audit import Actor
from assess.store.database import write_transaction


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
    """Keep the files sent for items of the questionnaire, at most MAX_FILES_PER_ITEM per item;
    per item, the name and the reason ('too_large', 'empty', 'type', 'too_many') of every file
    refused. Locked once submitted."""
    refused: dict[str, list[tuple[str, str]]] = {}
    for upload in uploads:
        if upload.item_id not in q.items:
            continue
        name = evidence_files.display_name(upload.filename)
        try:
            kind = evidence_files.check(upload.data)
        except evidence_files.EvidenceError as error:
            refused.setdefault(upload.item_id, []).append((name, error.code))
            continue
        stored_name, digest = evidence_files.store(folder, assessment_id, upload.data)
        try:
            with write_transaction(db):
                _draft(db, assessment_id)
                full = (
                    evidence_store.count_files(db, assessment_id, upload.item_id)
                    >= evidence_files.MAX_FILES_PER_ITEM
                )
                if not full:
                    _record_file(db, assessment_id, upload, stored_name, name, kind, digest, by)
        except Locked:
            evidence_files.path_of(folder, stored_name).unlink(missing_ok=True)
            raise
        if full:
            evidence_files.path_of(folder, stored_name).unlink(missing_ok=True)
            refused.setdefault(upload.item_id, []).append((name, "too_many"))
    return refused


def _record_file(db, assessment_id, upload, stored_name, name, kind, digest, by) -> None:
    """The row of a file kept, and its audit entry. Run in a write transaction."""
    file_id = evidence_store.add_file(
        db,
        assessment_id,
        upload.item_id,
        stored_name,
        name,
        kind.mime_type,
        len(upload.data),
        digest,
        by.user_id,
    )
    audit.record_by(
        db,
        by,
        "evidence_uploaded",
        target_type="evidence",
        target_id=file_id,
        detail={"assessment_id": assessment_id, "item": upload.item_id},
    )


def remove(db: Database, folder: Path, assessment_id: int, file_id: int, by: Actor) -> bool:
    """Remove an evidence file uploaded by mistake (a draft's); the audit log keeps its name and
    digest. Another assessment's file is left alone."""
    with write_transaction(db):
        _draft(db, assessment_id)
        removed = evidence_store.delete_file(db, assessment_id, file_id)
        if removed is None:
            return False
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
    # a stored name outside the folder is never written: then there is nothing to remove
    with suppress(evidence_files.EvidenceError):
        evidence_files.path_of(folder, removed["stored_name"]).unlink(missing_ok=True)
    return True


def add_visit(
    db: Database, row: dict, visit_date: date | None, site: str, participants: str, by: Actor
) -> bool:
    """Record an on-site visit (not in the future, nor more than a year before the assessment
    was started, at a named site); False when the visit is not one to record."""
    if visit_date is None or not site or not earliest_visit(row) <= visit_date <= date.today():
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
