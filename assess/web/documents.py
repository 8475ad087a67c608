"""PDF downloads through the render queue: a PDF in the cache is sent at once; otherwise the
document is queued (once per cache key) and the user sees 正在生成… with its place in the
queue, on a page that follows the job (documents/status) and starts the download when it is
ready. A failed render or a queue that cannot be reached says "try again"; nothing else in
the app needs the queue."""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, urlencode

from flask import Flask, Response, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _

from assess.report import jobs
from assess.report.queue import RenderQueue, Settings

KEY = re.compile(r"[0-9a-f]{64}")


def render_queue() -> RenderQueue:
    return current_app.extensions["render_queue"]


def cache_file(key: str) -> Path:
    return Path(current_app.config["REPORT_CACHE_DIR"]) / f"{key}.pdf"


def status(key: str) -> jobs.Status:
    return jobs.status(render_queue(), key, cache_file(key))


def prerender(key: str, html: Callable[[], str]) -> jobs.Status:
    """Queue a document that will be asked for soon (a failure here is the download's)."""
    return jobs.request(render_queue(), key, cache_file(key), html)


def pdf_download(
    key: str,
    html: Callable[[], str],
    filename: str,
    ascii_filename: str,
    back: str,
    on_sent: Callable[[], None] = lambda: None,
):
    """The PDF as an attachment when it is ready; else the page that follows its job (202),
    or says to try again (503)."""
    found = requested(key, html)
    if found.state == jobs.READY:
        on_sent()
        return attachment(key, filename, ascii_filename)
    code = 202 if found.state in (jobs.QUEUED, jobs.RENDERING) else 503
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "retry"])
    download_url = request.path + (f"?{query}" if query else "")
    retry_url = download_url + ("&" if query else "?") + "retry=1"
    return render_template(
        "documents/status.html",
        shown=shown(found),
        status_url=url_for("documents.status_json", key=key),
        download_url=download_url,
        retry_url=retry_url,
        back=back,
    ), code


def requested(key: str, html: Callable[[], str], retry: bool | None = None) -> jobs.Status:
    """The document's state, queued once if it is not in the cache (again after a failure
    when asked: retry, else the request's ?retry=1)."""
    if retry is None:
        retry = request.args.get("retry") == "1"
    return jobs.request(render_queue(), key, cache_file(key), html, retry=retry)


def attachment(key: str, filename: str, ascii_filename: str) -> Response:
    """The cached PDF of a key as a download."""
    response = send_file(
        BytesIO(cache_file(key).read_bytes()),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=filename,
        max_age=0,
    )
    # our own ASCII fallback: Werkzeug's drops the Chinese and leaves "--2026-10-20-zh.pdf"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def shown(found: jobs.Status) -> dict:
    """What the page says of a status (also its JSON twin, which the page's script reads)."""
    waiting = found.state in (jobs.QUEUED, jobs.RENDERING)
    if found.state == jobs.QUEUED:
        message = (
            _("Next in the queue.")
            if found.position == 1
            else _("Number %(position)d in the queue.", position=found.position)
        )
    elif found.state == jobs.RENDERING:
        message = _("Rendering the pages.")
    elif found.state == jobs.READY:
        message = _("The PDF is ready; the download starts by itself.")
    elif found.state == jobs.FAILED:
        message = _(
            "The PDF could not be made. Try again; if it fails again, write to %(contact)s.",
            contact=current_app.config["SUPPORT_CONTACT"],
        )
    elif found.state == jobs.UNAVAILABLE:
        message = _("The queue that makes PDFs cannot be reached. Try again in a few minutes.")
    else:
        message = _("Queueing the PDF.")
    headings = {
        jobs.READY: _("The PDF is ready"),
        jobs.FAILED: _("The PDF could not be made"),
        jobs.UNAVAILABLE: _("PDFs cannot be made at the moment"),
    }
    return {
        "state": found.state,
        "heading": headings.get(found.state, _("Preparing…")),
        "message": message,
        "note": _(
            "No render worker is running at the moment: the PDF will be made as soon as one starts."
        )
        if found.no_worker
        else "",
        "position": found.position,
        "progress": found.progress,
        "look_again": found.look_again,
        "waiting": waiting or found.state == jobs.ABSENT,
        "retry": found.state in (jobs.FAILED, jobs.UNAVAILABLE),
    }


def settings(config) -> Settings:
    return Settings(
        where=config["REPORT_QUEUE"],
        retries=int(config["REPORT_RETRIES"]),
        lease=float(config["REPORT_LEASE"]),
        result_ttl=int(config["REPORT_RESULT_TTL"]),
    )


def init_app(app: Flask) -> None:
    app.extensions["render_queue"] = RenderQueue(settings(app.config))
