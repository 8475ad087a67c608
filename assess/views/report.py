"""The gap report of a submitted assessment: HTML preview and PDF download."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request, url_for
from flask_login import current_user

from assess.report import document, signed
from assess.web import read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.documents import pdf_download
from assess.web.guards import deny, submitted_assessment
from assess.web.i18n import lang
from assess.web.reports import (
    render_report_html,
    report_filenames,
    report_key,
    signed_copy_key,
)

bp = Blueprint("report", __name__)
READERS = ("enterprise", "consultant", "admin")


def _report_lang() -> str:
    chosen = request.args.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else lang()


def _submitted(assessment_id: int) -> dict:
    return submitted_assessment(get_db(), current_user, assessment_id)


@bp.get("/assessments/<int:assessment_id>/report")
@allow(*READERS)
def preview(assessment_id: int):
    """The report as HTML, exactly as it is printed."""
    row = _submitted(assessment_id)
    read_log.record(get_db(), "viewed", row["organisation_id"], assessment=row["id"], page="report")
    return render_report_html(row, _report_lang(), document.ALL)


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@allow(*READERS)
def download(assessment_id: int):
    """The report's PDF when it is ready, else the page that follows its render (see
    web/documents.py)."""
    return _pdf(assessment_id, document.REPORT)


@bp.get("/assessments/<int:assessment_id>/annex.pdf")
@allow(*READERS)
def annex(assessment_id: int):
    """The annex's PDF (the method and every answer, paginated on its own), the same way."""
    return _pdf(assessment_id, document.ANNEX)


@bp.get("/assessments/<int:assessment_id>/signed.pdf")
@allow("consultant")
def signed_copy(assessment_id: int):
    """The report this consultant signed, exactly as signed (assess/report/signed.py): theirs
    to keep, also after the client withdrew their access. The download is audited."""
    db = get_db()
    language = _report_lang()
    found = signed.copy_for(db, current_user.id, assessment_id, language)
    if found == signed.Refused("not_found"):
        deny(db, current_user, "assessment", assessment_id)  # 404: nothing revealed
    if isinstance(found, signed.Refused):
        abort(404)
    row = found["row"]
    filename, ascii_filename = report_filenames(row, language)
    return pdf_download(
        signed_copy_key(found["html"]),
        lambda: found["html"],
        filename,
        "signed-" + ascii_filename,
        back=url_for("consultant.portfolio"),
        on_sent=lambda: read_log.record_download(
            db,
            "signed_report_download",
            "assessment",
            assessment_id,
            row["organisation_id"],
            lang=language,
            kept_at=found["kept_at"],
        ),
    )


def _pdf(assessment_id: int, part: str):
    row = _submitted(assessment_id)
    language = _report_lang()
    db = get_db()
    filename, ascii_filename = report_filenames(row, language, part)
    return pdf_download(
        report_key(row, language, part),
        lambda: render_report_html(row, language, part),
        filename,
        ascii_filename,
        back=url_for("results.show", assessment_id=assessment_id),
        on_sent=lambda: read_log.record_download(
            db,
            "report_download" if part == document.REPORT else "annex_download",
            "assessment",
            assessment_id,
            row["organisation_id"],
            lang=language,
        ),
    )
