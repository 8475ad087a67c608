"""Downloads: a table as CSV or Excel, several tables as a workbook, never cached by the
browser or a proxy (they hold an enterprise's or a region's data)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flask import Response, send_file

from assess.report.exports import FORMATS, Cell, to_workbook


def attachment(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def respond(fmt: str, stem: str, title: str, headers, rows) -> Response:
    """The table as a download in the format asked for."""
    writer, mimetype = FORMATS[fmt]
    return attachment(writer(title, headers, rows), mimetype, f"{stem}.{fmt}")


def respond_workbook(
    stem: str, sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Cell]]]]
) -> Response:
    """Several tables as one Excel workbook, a sheet each."""
    return attachment(to_workbook(sheets), FORMATS["xlsx"][1], f"{stem}.xlsx")


def send_stored_file(path: Path, mimetype: str, name: str) -> Response:
    """An uploaded file (evidence, a declaration's attachment): always a download, of the type
    found at upload, never sniffed or run by the browser, never cached."""
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; sandbox; frame-ancestors 'none'"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
