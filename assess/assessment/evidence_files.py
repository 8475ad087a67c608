"""Evidence files: what may be uploaded, recognised by content (magic bytes), never by name.

Files are stored under generated names in EVIDENCE_DIR (outside any served folder) and only ever
downloaded as attachments. The name the user gave is kept as text, for display only.

Accepted (`check`): PDF; photos and images (JPEG, PNG, WebP), every one decoded and encoded
again by Pillow, turned upright by its EXIF orientation and stored without any metadata (no
EXIF, no GPS position, no camera serial); Word and Excel documents (.docx, .xlsx), each checked
to be what it claims: an Office Open XML zip whose [Content_Types].xml names the main part of a
document or workbook, and that part present. Refused: a zip whose members would unpack to more
than MAX_UNPACKED bytes or more than MAX_RATIO times its own size (a zip bomb; decided from the
sizes the zip declares, before anything is extracted; reading is bounded by those sizes),
macro-enabled documents (.docm/.xlsm content types, a vbaProject.bin part) whatever their name,
legacy .doc/.xls (OLE2 files can carry macros that cannot be checked here: save them as
.docx/.xlsx or PDF), HEIC photos (Pillow cannot read them without a plug-in: a phone's browser
sends its photos as JPEG when asked for images), and anything else (SVG, HTML, text).
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

MB = 1024 * 1024
MAX_BYTES = 10 * MB  # one file
MAX_FILES_PER_ITEM = 20  # evidence files kept for one answer
MAX_ASSESSMENT_BYTES = 300 * MB  # all the evidence files of one assessment (a file shared by
# several items counts once)
MAX_UNPACKED = 100 * MB  # a .docx/.xlsx unpacked
MAX_RATIO = 100  # unpacked size / packed size of a .docx/.xlsx (real ones: 2-20)
MAX_MEMBERS = 5000  # parts of a .docx/.xlsx
MAX_PIXELS = 64_000_000  # a 48-megapixel phone photo fits; a decompression bomb does not
# (magic prefix, mime type, extension): PDF and common photo formats; no SVG, no HTML.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the content type of the main part -> (mime type, extension) of the document
OFFICE_MAIN_PARTS = {
    DOCX + ".main+xml": (DOCX, ".docx"),
    XLSX + ".main+xml": (XLSX, ".xlsx"),
}
MACRO_MARKS = ("macroenabled", "vbaproject", "vnd.ms-office.activex")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls (and .msg, .ppt)
ZIP = b"PK\x03\x04"
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class EvidenceError(ValueError):
    """The file cannot be kept; `code` says why (too_large, empty, type, too_many, zip_bomb,
    macros, legacy_office, heic, damaged, assessment_full)."""

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


def stored_evidence(head: bytes) -> bool:
    """Whether a stored file's first bytes are of a type `check` keeps (for check-db)."""
    return sniff(head) is not None or head.startswith(ZIP)


def display_name(name: str, fallback: str = "evidence") -> str:
    """A name safe to show and to put in a download header: no path, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"[\"<>|*?:]", "_", name).strip(" .")
    return name[:120] or fallback


EXTENSIONS = (
    {mime_type: extension for _magic, mime_type, extension in SIGNATURES}
    | {"image/webp": ".webp"}
    | dict(OFFICE_MAIN_PARTS.values())
)


def download_name(name: str, mime_type: str) -> str:
    """The name a file downloads under: the user's name for it, with the extension of the type
    its content has (a PDF named x.html downloads as x.pdf)."""
    stem = display_name(name)
    extension = EXTENSIONS.get(mime_type, "")
    base, dot, suffix = stem.rpartition(".")
    if dot and base and 1 <= len(suffix) <= 5:
        stem = base
    return stem[: 120 - len(extension)] + extension


@dataclass(frozen=True)
class Checked:
    """A file to keep: its type and the bytes to store (an image as encoded again)."""

    kind: Sniffed
    data: bytes


def check(data: bytes) -> Checked:
    """The type of an upload and what to store, or EvidenceError."""
    if not data:
        raise EvidenceError("empty")
    if len(data) > MAX_BYTES:
        raise EvidenceError("too_large")
    if data.startswith(ZIP):
        return Checked(office_type(data), data)
    if data.startswith(OLE2):
        raise EvidenceError("legacy_office")
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"heif", b"mif1", b"msf1"):
        raise EvidenceError("heic")
    found = sniff(data[:16])
    if found is None:
        raise EvidenceError("type")
    if found.mime_type.startswith("image/"):
        return clean_image(data, found)
    return Checked(found, data)


def office_type(data: bytes) -> Sniffed:
    """A .docx or .xlsx that is what it claims, judged from the sizes its zip declares and its
    [Content_Types].xml (the only part read, at most as large as declared); EvidenceError
    otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise EvidenceError("type") from None
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or unpacked > min(MAX_UNPACKED, MAX_RATIO * len(data)):
        raise EvidenceError("zip_bomb")
    names = {member.filename.lstrip("/").lower() for member in members}
    if any(name.rsplit("/", 1)[-1].startswith("vbaproject") for name in names):
        raise EvidenceError("macros")
    try:
        types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
    except (KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, ValueError):
        raise EvidenceError("type") from None  # not OOXML, encrypted or damaged
    if any(mark in types for mark in MACRO_MARKS):
        raise EvidenceError("macros")
    found = set()
    for tag in re.findall(r"<override\b([^>]*)>", types):
        attributes = dict(re.findall(r"(\w+)\s*=\s*[\"']([^\"']*)[\"']", tag))
        main = OFFICE_MAIN_PARTS.get(attributes.get("contenttype", ""))
        if main and attributes.get("partname", "").lstrip("/") in names:
            found.add(main)
    if len(found) != 1:
        raise EvidenceError("type")
    return Sniffed(*found.pop())


def clean_image(data: bytes, found: Sniffed) -> Checked:
    """An image decoded and encoded again: upright by its EXIF orientation, with no metadata
    (EXIF with its GPS position, XMP, comments); its colour profile kept. EvidenceError
    when it cannot be decoded or has more than MAX_PIXELS."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format = image.format
                if image_format not in IMAGE_FORMATS:
                    raise EvidenceError("type")
                if image.width * image.height > MAX_PIXELS:
                    raise EvidenceError("damaged")
                icc_profile = image.info.get("icc_profile")
                image.load()
                upright = ImageOps.exif_transpose(image)
    except EvidenceError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise EvidenceError("damaged") from None
    out = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=90, **options)
    elif image_format == "WEBP":
        if upright.mode not in ("RGB", "RGBA"):
            upright = upright.convert("RGBA")
        upright.save(out, "WEBP", quality=90, **options)
    else:
        upright.save(out, "PNG", **options)
    cleaned = out.getvalue()
    if len(cleaned) > MAX_BYTES:
        raise EvidenceError("too_large")
    mime_type = IMAGE_FORMATS[image_format]
    return Checked(Sniffed(mime_type, EXTENSIONS[mime_type]), cleaned)


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
