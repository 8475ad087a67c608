"""Evidence files: what may be uploaded, recognised by content (magic bytes), never by name.

Files are stored under generated names in EVIDENCE_DIR (outside any served folder) and only ever
downloaded as attachments. The name the user gave is kept as text, for display only.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_ITEM = 20  # evidence files kept for one answer
# (magic prefix, mime type, extension): PDF and common photo formats; no SVG, no HTML.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


class EvidenceError(ValueError):
    """The file cannot be kept; `code` says why (too_large, empty, type, too_many)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Sniffed:
    mime_type: str
    extension: str


def sniff(head: bytes) -> Sniffed | None:
    """The file type from its first bytes (WebP: RIFF....WEBP), or None."""
    for magic, mime_type, extension in SIGNATURES:
        if head.startswith(magic):
            return Sniffed(mime_type, extension)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", ".webp")
    return None


def display_name(name: str, fallback: str = "evidence") -> str:
    """A name safe to show and to put in a download header: no path, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[\"<>|*?:]", "_", name).strip(" .")
    return name[:120] or fallback


EXTENSIONS = {mime_type: extension for _magic, mime_type, extension in SIGNATURES} | {
    "image/webp": ".webp"
}


def download_name(name: str, mime_type: str) -> str:
    """The name a file downloads under: the user's name for it, with the extension of the type
    its content has (a PDF named x.html downloads as x.pdf)."""
    stem = display_name(name)
    extension = EXTENSIONS.get(mime_type, "")
    base, dot, suffix = stem.rpartition(".")
    if dot and base and 1 <= len(suffix) <= 5:
        stem = base
    return stem[: 120 - len(extension)] + extension


def check(data: bytes) -> Sniffed:
    """The type of an upload, or EvidenceError."""
    if not data:
        raise EvidenceError("empty")
    if len(data) > MAX_BYTES:
        raise EvidenceError("too_large")
    found = sniff(data[:16])
    if found is None:
        raise EvidenceError("type")
    return found


def store(directory: Path, assessment_id: int, data: bytes) -> tuple[str, str]:
    """Write the bytes under a generated name; returns (stored name, sha256)."""
    folder = directory / str(int(assessment_id))
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{int(assessment_id)}/{secrets.token_hex(16)}"
    (directory / stored_name).write_bytes(data)
    return stored_name, hashlib.sha256(data).hexdigest()


def path_of(directory: Path, stored_name: str) -> Path:
    """The file of a stored name, refusing anything outside the evidence folder."""
    path = (directory / stored_name).resolve()
    if directory.resolve() not in path.parents:
        raise EvidenceError("path")
    return path
