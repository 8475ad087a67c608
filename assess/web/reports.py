"""Reports rendered in the app: the gap report's HTML (one template for the preview and the
PDF), where its PDF is cached, and the PDF made ready as soon as an assessment is submitted;
a declaration's dossier the same way."""

from __future__ import annotations

import base64
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale

from assess.assessment import submission
from assess.declaration import attachments, dossier
from assess.report import document, pdf
from assess.store import assessments
from assess.store import declarations as declaration_store
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


DOSSIER_TEMPLATE = "declaration/dossier.html"


def render_dossier_html(row: dict, language: str, embed: bool = False) -> str:
    """A declaration's dossier as one document (the preview and the PDF); embed: the scenario
    photos inside it as data: URLs, as the PDF needs them."""
    with force_locale(language):
        data = dossier.build(get_db(), questionnaires.versions(), row, language)
        return render_template(
            DOSSIER_TEMPLATE, data=data, photos=_photos(data) if embed else {}, embed=embed
        )


def _photos(data: dict) -> dict[int, str]:
    """Per photo id, a data: URL of its bytes (the PDF fetches nothing else)."""
    folder = Path(current_app.config["EVIDENCE_DIR"])
    found = {}
    for link in data["links"]:
        for scenario in link["scenarios"]:
            for photo in scenario["photos"]:
                row = declaration_store.file(get_db(), photo["id"])
                path = attachments.path(folder, row) if row else None
                if path is not None:
                    encoded = base64.b64encode(path.read_bytes()).decode()
                    found[photo["id"]] = f"data:{row['mime_type']};base64,{encoded}"
    return found


def dossier_pdf(row: dict, language: str) -> bytes:
    """The dossier as a PDF, cached by content; pdf.RenderTimeout past REPORT_TIMEOUT. The one
    function that renders it, so that it moves to the job queue with the gap report."""
    html = render_dossier_html(row, language, embed=True)
    target = (
        Path(current_app.config["REPORT_CACHE_DIR"]) / f"{pdf.cache_key({'dossier': html})}.pdf"
    )
    return pdf.render_pdf(html, target, current_app.config["REPORT_TIMEOUT"])
