"""Reports rendered in the app: the gap report's HTML (one template for the preview and the
PDF), its cache key, and its PDF queued as soon as an assessment is submitted."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale

from assess.assessment import submission
from assess.report import document, pdf
from assess.store import assessments
from assess.web import documents, questionnaires
from assess.web.database import get_db
from assess.web.templating import format_date


def render_report_html(row: dict, language: str) -> str:
    """The report document in one language (the same HTML for preview and PDF)."""
    with force_locale(language):
        context = document.report_context(
            get_db(), questionnaires.versions(), row, language, format_date
        )
        return render_template(document.TEMPLATE, **context)


def report_key(row: dict, language: str) -> str:
    """The PDF's cache key: its content, the code and the translations (pdf.cache_key)."""
    return pdf.cache_key(document.cache_parts(get_db(), row, language))


def for_archive(row: dict, language: str) -> list[tuple[str, bytes]]:
    """A submitted assessment's report for an enterprise's data export: its PDF when one was
    made, else the report page's HTML (the same content)."""
    cached = documents.cache_file(report_key(row, language))
    if cached.exists():
        return [(f"report-{row['id']}-{language}.pdf", cached.read_bytes())]
    return [(f"report-{row['id']}-{language}.html", render_report_html(row, language).encode())]


def cached_files(rows: list[dict]) -> list[Path]:
    """Where the PDFs of these assessments' reports would be, in every language."""
    return [
        documents.cache_file(report_key(row, language))
        for row in rows
        if row["status"] == "submitted"
        for language in current_app.config["LANGUAGES"]
    ]


def prerender(assessment_id: int, language: str) -> None:
    """Queue the PDF of a just-submitted assessment, so that the download the user is about to
    ask for is ready (REPORT_PRERENDER). A queue that cannot be reached is the download's
    problem, never the submission's."""
    if not current_app.config["REPORT_PRERENDER"]:
        return
    row = assessments.get(get_db(), assessment_id)
    documents.prerender(report_key(row, language), lambda: render_report_html(row, language))


def init_app(app: Flask) -> None:
    documents.init_app(app)
    if prerender not in submission.AFTER_SUBMIT:
        submission.AFTER_SUBMIT.append(prerender)
