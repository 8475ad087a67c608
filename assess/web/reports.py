"""Reports rendered in the app: the gap report's HTML (one template for the preview and the
PDF), where its PDF is cached, and the PDF made ready as soon as an assessment is submitted."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale

from assess.assessment import submission
from assess.report import document, pdf
from assess.store import assessments
from assess.web import questionnaires
from assess.web.database import get_db
from assess.web.templating import format_date


def render_report_html(row: dict, language: str) -> str:
    """The report document in one language (the same HTML for preview and PDF)."""
    with force_locale(language):
        context = document.report_context(
            get_db(), questionnaires.versions(), row, language, format_date
        )
        return render_template(document.TEMPLATE, **context)


def cache_file(row: dict, language: str) -> Path:
    key = pdf.cache_key(document.cache_parts(get_db(), row, language))
    return Path(current_app.config["REPORT_CACHE_DIR"]) / f"{key}.pdf"


def for_archive(row: dict, language: str) -> list[tuple[str, bytes]]:
    """A submitted assessment's report for an enterprise's data export: its PDF when one was
    made, else the report page's HTML (the same content)."""
    cached = cache_file(row, language)
    if cached.exists():
        return [(f"report-{row['id']}-{language}.pdf", cached.read_bytes())]
    return [(f"report-{row['id']}-{language}.html", render_report_html(row, language).encode())]


def cached_files(rows: list[dict]) -> list[Path]:
    """Where the PDFs of these assessments' reports would be, in every language."""
    return [
        cache_file(row, language)
        for row in rows
        if row["status"] == "submitted"
        for language in current_app.config["LANGUAGES"]
    ]


def prerender(assessment_id: int, language: str) -> None:
    """Start the PDF of a just-submitted assessment in the background, so that the download the
    user is about to ask for is ready (REPORT_PRERENDER)."""
    if not current_app.config["REPORT_PRERENDER"]:
        return
    row = assessments.get(get_db(), assessment_id)
    target = cache_file(row, language)
    if not target.exists():
        pdf.render_in_background(render_report_html(row, language), target)


def init_app(app: Flask) -> None:
    if prerender not in submission.AFTER_SUBMIT:
        submission.AFTER_SUBMIT.append(prerender)
