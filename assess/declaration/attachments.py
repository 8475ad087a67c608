"""A declaration's attachments: what may be uploaded for each kind, checked by content, stored
like evidence files (generated names, outside any served folder), and removed.

Every limit of the declaration's uploads is here (KINDS, MAX_BYTES, MAX_PHOTO_BYTES): the page
states them, the view reads at most the largest plus one byte, and the use case refuses the
rest. No Flask."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from assess.assessment import evidence_files
from assess.store import audit
from assess.store import declarations as store
from assess.store.audit import Actor
from assess.store.database import write_transaction

MB = 1024 * 1024
MAX_BYTES = 10 * MB
MAX_PHOTO_BYTES = 5 * MB
PDF = ("application/pdf",)
IMAGES = ("image/jpeg", "image/png")
FOLDER = "declarations"  # under EVIDENCE_DIR


@dataclass(frozen=True)
class Kind:
    """What one kind of attachment may be: its types, size, how many, whether required."""

    id: str
    types: tuple[str, ...]
    max_bytes: int
    max_files: int
    required: bool
    per_scenario: bool = False


KINDS = {
    kind.id: kind
    for kind in (
        Kind("licence", PDF + IMAGES, MAX_BYTES, 1, True),
        Kind("financials", PDF, MAX_BYTES, 3, True),
        Kind("commitment", PDF + IMAGES, MAX_BYTES, 1, True),
        Kind("platform_report", PDF, MAX_BYTES, 1, True),
        Kind("photo", IMAGES, MAX_PHOTO_BYTES, 3, False, per_scenario=True),
    )
}
READ_LIMIT = max(kind.max_bytes for kind in KINDS.values()) + 1  # a view reads no more


@dataclass(frozen=True)
class Upload:
    """A file sent: its kind, the scenario it shows (photos), the name given, its bytes."""

    kind: str
    scenario_id: str | None
    filename: str
    data: bytes


def folder_of(evidence_dir: Path) -> Path:
    return Path(evidence_dir) / FOLDER


def problem(upload: Upload, existing: list[dict]) -> str | None:
    """Why an upload cannot be kept (kind, empty, too_large, type, too_many), or None."""
    kind = KINDS.get(upload.kind)
    if kind is None:
        return "kind"
    if not upload.data:
        return "empty"
    if len(upload.data) > kind.max_bytes:
        return "too_large"
    sniffed = evidence_files.sniff(upload.data[:16])
    if sniffed is None or sniffed.mime_type not in kind.types:
        return "type"
    same = [
        f for f in existing if f["kind"] == upload.kind and f["scenario_id"] == upload.scenario_id
    ]
    if len(same) >= kind.max_files:
        return "too_many"
    return None


def attach(
    db: Database,
    evidence_dir: Path,
    declaration_id: int,
    upload: Upload,
    editable,
    by: Actor,
) -> str | None:
    """Keep a file for a declaration that `editable(row)` says may change; the reason it was
    refused, or None. The file is written first and removed again if the declaration cannot
    take it any more (it was submitted in between)."""
    folder = folder_of(evidence_dir)
    refused = problem(upload, store.files(db, declaration_id))
    if refused:
        return refused
    stored_name, digest = evidence_files.store(folder, declaration_id, upload.data)
    with write_transaction(db):
        row = store.get(db, declaration_id)
        refused = problem(upload, store.files(db, declaration_id)) or (
            None if row is not None and editable(row) else "locked"
        )
        if refused is None:
            file_id = store.add_file(
                db,
                declaration_id,
                upload.kind,
                upload.scenario_id,
                stored_name=stored_name,
                original_name=evidence_files.display_name(upload.filename, upload.kind),
                mime_type=evidence_files.sniff(upload.data[:16]).mime_type,
                size=len(upload.data),
                sha256=digest,
                uploaded_by=by.user_id,
            )
            audit.record_by(
                db,
                by,
                "declaration_file_added",
                target_type="declaration",
                target_id=declaration_id,
                detail={"file_id": file_id, "kind": upload.kind, "scenario": upload.scenario_id},
            )
    if refused:
        evidence_files.path_of(folder, stored_name).unlink(missing_ok=True)
    return refused


def remove(
    db: Database, evidence_dir: Path, declaration_id: int, file_id: int, editable, by: Actor
) -> bool:
    """Remove a file of a declaration that may still change; the audit log keeps its name and
    digest."""
    with write_transaction(db):
        row = store.get(db, declaration_id)
        if row is None or not editable(row):
            return False
        removed = store.delete_file(db, declaration_id, file_id)
        if removed is None:
            return False
        audit.record_by(
            db,
            by,
            "declaration_file_removed",
            target_type="declaration",
            target_id=declaration_id,
            detail={
                "file_id": file_id,
                "name": removed["original_name"],
                "sha256": removed["sha256"],
            },
        )
    with suppress(evidence_files.EvidenceError):
        evidence_files.path_of(folder_of(evidence_dir), removed["stored_name"]).unlink(
            missing_ok=True
        )
    return True


def path(evidence_dir: Path, row: dict) -> Path | None:
    """The file of a stored attachment, or None when it is missing or outside the folder."""
    try:
        found = evidence_files.path_of(folder_of(evidence_dir), row["stored_name"])
    except evidence_files.EvidenceError:
        return None
    return found if found.is_file() else None


def missing(files: list[dict], scenario_ids=()) -> list[str]:
    """The required kinds without a file."""
    have = {f["kind"] for f in files}
    return [kind.id for kind in KINDS.values() if kind.required and kind.id not in have]
