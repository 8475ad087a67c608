"""The gap report of a submitted assessment: HTML preview and PDF download."""

from __future__ import annotations

from flask import Blueprint, current_app, request, url_for
from flask_login import current_user

from assess.web import read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.documents import pdf_download
from assess.web.guards import submitted_assessment
from assess.web.i18n import lang
from assess.web.reports import render_report_html, report_filenames, report_key

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
    return render_report_html(row, _report_lang())


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@allow(*READERS)
def download(assessment_id: int):
    """The PDF when it is ready, else the page that follows its render (see web/documents.py)."""
    row = _submitted(assessment_id)
    language = _report_lang()
    db = get_db()
    filename, ascii_filename = report_filenames(row, language)
    return pdf_download(
        report_key(row, language),
        lambda: render_report_html(row, language),
        filename,
        ascii_filename,
        back=url_for("results.show", assessment_id=assessment_id),
        on_sent=lambda: read_log.record_download(
            db,
            "report_download",
            "assessment",
            assessment_id,
            row["organisation_id"],
            lang=language,
        ),
    )
