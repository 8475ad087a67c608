"""Downloads: a table as CSV or Excel, several tables as a workbook, never cached by the
browser or a proxy (they hold an enterprise's or a region's data)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path

from flask import Response, render_template, send_file
from flask_babel import gettext as _

from assess.report import pdf
from assess.report.exports import FORMATS, Cell, to_workbook


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def respond(fmt: str, stem: str, title: str, headers, rows) -> Response:
    """The table as a download in the format asked for."""
    writer, mimetype = FORMATS[fmt]
    return _attachment(writer(title, headers, rows), mimetype, f"{stem}.{fmt}")


def respond_workbook(
    stem: str, sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Cell]]]]
) -> Response:
    """Several tables as one Excel workbook, a sheet each."""
    return _attachment(to_workbook(sheets), FORMATS["xlsx"][1], f"{stem}.xlsx")


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


def send_pdf(
    render: Callable[[], bytes], name: str, downloaded: Callable[[], None]
) -> Response | tuple:
    """A PDF rendered (or read from the cache) by `render`, as a download (`downloaded()`
    records it); a page asking to retry when rendering passes the time limit (it goes on in the
    background)."""
    try:
        body = render()
    except pdf.RenderTimeout:
        return render_template(
            "error.html",
            code=503,
            message=_("The report is still being prepared. Try the download again in a minute."),
        ), 503
    downloaded()
    response = send_file(
        BytesIO(body), mimetype="application/pdf", as_attachment=True, download_name=name, max_age=0
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
