"""The gap report of a submitted assessment: HTML preview and PDF download."""

from __future__ import annotations

from io import BytesIO
from urllib.parse import quote

from flask import Blueprint, abort, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from assess.report import document, pdf
from assess.store import organisations
from assess.web import read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.guards import visible_assessment
from assess.web.i18n import lang
from assess.web.reports import cache_file, render_report_html
from assess.web.templating import format_date

bp = Blueprint("report", __name__)
READERS = ("enterprise", "consultant", "admin")


def _report_lang() -> str:
    chosen = request.args.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else lang()


def _submitted(assessment_id: int) -> dict:
    row = visible_assessment(get_db(), current_user, assessment_id)
    if row["status"] != "submitted":
        abort(404)
    return row


@bp.get("/assessments/<int:assessment_id>/report")
@allow(*READERS)
def preview(assessment_id: int):
    """The report as HTML, exactly as it is printed."""
    row = _submitted(assessment_id)
    read_log.record(get_db(), "viewed", row["organisation_id"], assessment=row["id"], page="report")
    return render_report_html(row, _report_lang())


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@allow(*READERS)
def download(assessment_id: int):
    row = _submitted(assessment_id)
    language = _report_lang()
    target = cache_file(row, language)
    try:
        if target.exists():
            body = target.read_bytes()
        else:
            html = render_report_html(row, language)
            body = pdf.render_pdf(html, target, current_app.config["REPORT_TIMEOUT"])
    except pdf.RenderTimeout:
        return render_template(
            "error.html",
            code=503,
            message=_("The report is still being prepared. Try the download again in a minute."),
        ), 503
    db = get_db()
    organisation = organisations.get(db, row["organisation_id"])
    read_log.record_download(
        db, "report_download", "assessment", assessment_id, row["organisation_id"], lang=language
    )
    name = document.filename(organisation, row, language, format_date)
    response = send_file(
        BytesIO(body), mimetype="application/pdf", as_attachment=True, download_name=name, max_age=0
    )
    # our own ASCII fallback: Werkzeug's drops the Chinese and leaves "--2026-10-20-zh.pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{document.ascii_filename(row, language, format_date)}";'
        f" filename*=UTF-8''{quote(name)}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
