"""Evidence types and their lies (assess/assessment/evidence_files.py): PDF, photos encoded
again without metadata and turned upright, Word and Excel checked as what they claim to be,
zip bombs refused before anything is extracted, macros refused whatever the name."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from assess.assessment import evidence_files as evidence
from assess.assessment.evidence_files import DOCX, XLSX, EvidenceError
from tests.support import PDF, PNG

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)


def docx(main: str = DOCX + ".main+xml", extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word document (what Word needs: the content types and the main part)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES.format(main=main))
        archive.writestr("word/document.xml", "<w:document><w:body>制度文件</w:body></w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx() -> bytes:
    """A real workbook, as openpyxl (and Excel) writes it: a 台账."""
    book = openpyxl.Workbook()
    book.active.append(["设备编号", "点检日期"])
    book.active.append(["CNC-01", "2026-11-30"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(data: bytes, change) -> bytes:
    """A zip with each member's bytes passed through change(name, data)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def refused(data: bytes) -> str:
    with pytest.raises(EvidenceError) as caught:
        evidence.check(data)
    return caught.value.code


def test_word_and_excel_are_kept_as_what_their_content_is():
    assert evidence.check(docx()).kind.mime_type == DOCX
    book = xlsx()
    assert evidence.check(book) == evidence.Checked(evidence.Sniffed(XLSX, ".xlsx"), book)
    # recognised by content, never by name: a workbook named .docx downloads as .xlsx
    assert evidence.download_name("台账.docx", XLSX) == "台账.xlsx"
    assert evidence.download_name("制度", DOCX) == "制度.docx"


@pytest.mark.parametrize(
    ("case", "data"),
    [
        ("text named .docx", b"This is not a Word document"),
        ("a zip of something else", None),
        ("content types naming a part that is not there", None),
        ("a template, not a document", None),
        ("a truncated document", None),
    ],
)
def test_a_docx_that_is_not_one_is_refused(case, data):
    if case == "a zip of something else":
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("photo.jpg", b"\xff\xd8\xff" + b"\x00" * 100)
        data = out.getvalue()
    elif case == "content types naming a part that is not there":
        data = rewritten(docx(), lambda name, body: body.replace(b"/word/", b"/nowhere/"))
    elif case == "a template, not a document":
        template = (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
        )
        data = docx(main=template)
    elif case == "a truncated document":
        data = docx()[:-30]
    assert refused(data) == "type"


def test_a_zip_bomb_is_refused_before_anything_is_extracted(monkeypatch):
    """5 MB of zeros pack into a few kB: a ratio far above MAX_RATIO. Nothing is read (ZipFile
    .read would fail the test); the sizes the zip declares decide."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES.format(main=DOCX + ".main+xml"))
        archive.writestr("word/document.xml", b"\x00" * (5 * 1024 * 1024))
    bomb = out.getvalue()
    assert len(bomb) < 50_000

    def no_extraction(*args, **kwargs):
        raise AssertionError("a zip bomb was opened")

    monkeypatch.setattr(zipfile.ZipFile, "read", no_extraction)
    monkeypatch.setattr(zipfile.ZipFile, "open", no_extraction)
    assert refused(bomb) == "zip_bomb"


def test_a_document_too_large_unpacked_is_refused_whatever_its_ratio(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_UNPACKED", 1000)
    assert refused(xlsx()) == "zip_bomb"


@pytest.mark.parametrize(
    "case",
    ["docm content type renamed .docx", "xlsm content type renamed .xlsx", "vbaProject.bin inside"],
)
def test_a_macro_enabled_document_is_refused_whatever_its_name(case):
    if case == "docm content type renamed .docx":
        data = docx(main="application/vnd.ms-word.document.macroEnabled.main+xml")
    elif case == "xlsm content type renamed .xlsx":
        data = rewritten(
            xlsx(),
            lambda name, body: body.replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            ),
        )
    else:  # a macro project slipped into an ordinary-looking document
        data = docx(extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert refused(data) == "macros"


def test_legacy_office_files_and_heic_photos_are_refused_with_their_own_reason():
    assert refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500) == "legacy_office"
    assert refused(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic") == "heic"


def phone_photo() -> tuple[bytes, Image.Image]:
    """A JPEG as a phone camera writes it: stored sideways (40 wide, 20 high) with EXIF
    orientation 6 (turn 90° clockwise to show it), the camera's make and model, and the GPS
    position where it was taken."""
    picture = Image.new("RGB", (40, 20), (255, 255, 255))
    picture.paste((200, 0, 0), (0, 0, 10, 20))  # red on the left: on top once upright
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15"
    exif[0x8825] = {1: "N", 2: (31.0, 18.0, 30.0), 3: "E", 4: (120.0, 37.0, 10.0)}
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue(), picture


def test_a_phone_photo_is_turned_upright_and_its_location_is_gone():
    data, _ = phone_photo()
    with Image.open(io.BytesIO(data)) as original:  # the test photo does carry a position
        assert original.getexif().get_ifd(0x8825)[2] == (31.0, 18.0, 30.0)
    kept = evidence.check(data)
    assert kept.kind.mime_type == "image/jpeg"
    with Image.open(io.BytesIO(kept.data)) as stored:
        assert stored.size == (20, 40)  # upright: taller than wide
        assert dict(stored.getexif()) == {} and stored.getexif().get_ifd(0x8825) == {}
        top, bottom = stored.getpixel((10, 2)), stored.getpixel((10, 37))
    assert top[0] > 150 and top[1] < 80 and bottom == pytest.approx((255, 255, 255), abs=30)
    assert b"Exif" not in kept.data and b"iPhone" not in kept.data and b"GPS" not in kept.data


def test_images_are_encoded_again_without_metadata_whatever_their_name():
    """A PNG named .jpg is fine: it is a PNG (kept and downloaded as one). Its text chunks
    (here a location someone wrote in) do not survive."""
    picture = Image.new("RGB", (8, 8), (0, 128, 0))
    info = PngInfo()
    info.add_text("Location", "31.3N 120.6E 苏州")
    out = io.BytesIO()
    picture.save(out, "PNG", pnginfo=info)
    kept = evidence.check(out.getvalue())
    assert kept.kind.mime_type == "image/png" and b"Location" not in kept.data
    assert evidence.download_name("车间.jpg", kept.kind.mime_type) == "车间.png"
    assert evidence.check(PNG).data == PNG  # already clean: unchanged
    assert evidence.check(PDF).data == PDF  # a PDF is kept as sent


def test_an_image_that_cannot_be_decoded_or_is_too_large_in_pixels_is_refused(monkeypatch):
    assert refused(b"\xff\xd8\xff\xe0 not really a jpeg") == "damaged"
    out = io.BytesIO()
    Image.new("L", (10, 10)).save(out, "PNG")
    assert evidence.check(out.getvalue()).kind.mime_type == "image/png"
    monkeypatch.setattr(evidence, "MAX_PIXELS", 99)  # a decompression bomb, in small
    assert refused(out.getvalue()) == "damaged"
