"""A firm's logo, checked by what it is, not by its name: a whole PNG or JPEG of sensible size.

The logo is printed on the cover of every verified report (as a data: URL, so a render worker
needs no file): SVG is refused (it may carry scripts and links), and so is anything whose
structure does not hold, so that a file named logo.png that is not one never reaches WeasyPrint.
"""

from __future__ import annotations

import base64
import struct
import zlib
from dataclasses import dataclass

MAX_BYTES = 512 * 1024
MAX_SIDE = 4000  # pixels


class LogoError(ValueError):
    """Why a logo is refused: empty, too_large, type, broken, dimensions."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Logo:
    data: bytes
    mime_type: str
    width: int
    height: int


def check(data: bytes) -> Logo:
    """The logo, or LogoError."""
    if not data:
        raise LogoError("empty")
    if len(data) > MAX_BYTES:
        raise LogoError("too_large")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        width, height = _png_size(data)
        mime_type = "image/png"
    elif data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data)
        mime_type = "image/jpeg"
    else:
        raise LogoError("type")
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise LogoError("dimensions")
    return Logo(data, mime_type, width, height)


def _png_size(data: bytes) -> tuple[int, int]:
    """Walk every chunk (lengths and CRCs must hold) up to IEND, which must end the file."""
    position, size, seen_data = 8, None, False
    while position + 12 <= len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        end = position + 12 + length
        if end > len(data) or len(body) != length:
            break
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise LogoError("broken")
        if size is None:
            if kind != b"IHDR" or length != 13:
                raise LogoError("broken")
            size = struct.unpack(">II", body[:8])
        seen_data = seen_data or kind == b"IDAT"
        if kind == b"IEND":
            if not seen_data or end != len(data):
                raise LogoError("broken")
            return size
        position = end
    raise LogoError("broken")


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """The frame's size from its SOF segment; the file must end with EOI."""
    if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise LogoError("broken")
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise LogoError("broken")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2:
            raise LogoError("broken")
        if marker in _SOF:
            if position + 9 > len(data):
                raise LogoError("broken")
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return width, height
        if marker == 0xDA:  # start of scan before any frame header
            break
        position += 2 + length
    raise LogoError("broken")


def data_url(firm: dict | None) -> str:
    """The firm's logo as a data: URL for the report (empty without one)."""
    if not firm or not firm.get("logo") or firm.get("logo_mime") not in ("image/png", "image/jpeg"):
        return ""
    return f"data:{firm['logo_mime']};base64,{base64.b64encode(firm['logo']).decode()}"
