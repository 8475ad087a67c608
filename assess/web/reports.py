"""Reports rendered in the app: the gap report's HTML (one template for the preview and the
PDF), its cache key, and its PDF queued as soon as an assessment is submitted; a declaration's
dossier the same way (its photos inside its HTML, so that a render worker needs no files)."""

from __future__ import annotations

import base64
from pathlib import Path

from flask import Flask, current_app, render_template
from flask_babel import force_locale

from assess.assessment import answering, submission
from assess.declaration import attachments, dossier
from assess.report import document, pdf, signed
from assess.report.answer_sheet import printable_sections
from assess.store import assessments, organisations
from assess.store import declarations as declaration_store
from assess.web import documents, questionnaires
from assess.web.database import get_db
from assess.web.templating import format_date


def render_report_html(row: dict, language: str, part: str = document.REPORT) -> str:
    """The report document in one language (the same HTML for preview and PDF): the report,
    its annex, or both (document.ALL: the preview)."""
    with force_locale(language):
        context = document.report_context(
            get_db(), questionnaires.versions(), row, language, format_date, part
        )
        return render_template(document.TEMPLATE, **context)


def report_key(row: dict, language: str, part: str = document.REPORT) -> str:
    """A PDF's cache key: its content, the code and the translations (pdf.cache_key)."""
    return pdf.cache_key(document.cache_parts(get_db(), row, language, part))


def report_keys(row: dict, language: str) -> dict[str, str]:
    """The cache keys of both PDFs (the report and its annex), their content read once."""
    parts = document.cache_parts(get_db(), row, language)
    return {part: pdf.cache_key({**parts, "part": part}) for part in document.PDF_PARTS}


def report_filenames(row: dict, language: str, part: str = document.REPORT) -> tuple[str, str]:
    """A report PDF's file name (the report's or its annex's), and its ASCII fallback for old
    clients."""
    db = get_db()
    organisation = organisations.get(db, row["organisation_id"])
    kind = document.report_kind(db, questionnaires.versions(), row)
    return (
        document.filename(organisation, row, language, format_date, kind, part),
        document.ascii_filename(row, language, format_date, part),
    )


def for_archive(row: dict, language: str) -> list[tuple[str, bytes]]:
    """A submitted assessment's report for an enterprise's data export: the PDFs that were made
    (the report, its annex), and the report page's HTML (the same content, both parts) when
    either was not."""
    files = [
        (f"{part}-{row['id']}-{language}.pdf", cached.read_bytes())
        for part, key in report_keys(row, language).items()
        if (cached := documents.cache_file(key)).exists()
    ]
    if len(files) < len(document.PDF_PARTS):
        html = render_report_html(row, language, document.ALL)
        files.append((f"report-{row['id']}-{language}.html", html.encode()))
    return files


def cached_files(rows: list[dict]) -> list[Path]:
    """Where the PDFs of these assessments' reports would be, in every language."""
    return [
        documents.cache_file(key)
        for row in rows
        if row["status"] == "submitted"
        for language in current_app.config["LANGUAGES"]
        for key in report_keys(row, language).values()
    ]


def prerender(assessment_id: int, language: str) -> None:
    """Queue the report's PDF of a just-submitted assessment, so that the download the user is
    about to ask for is ready (REPORT_PRERENDER). Its annex is made when it is asked for: few
    ask, and a declaration round's render workers have better to do. A queue that cannot be
    reached is the download's problem, never the submission's."""
    if not current_app.config["REPORT_PRERENDER"]:
        return
    row = assessments.get(get_db(), assessment_id)
    documents.prerender(report_key(row, language), lambda: render_report_html(row, language))


def keep_signed_copy(assessment_id: int, language: str) -> None:
    """An on-site assessment just submitted (signed): keep its report as it is now, in every
    language, for the consultant's records (assess/report/signed.py)."""
    row = assessments.get(get_db(), assessment_id)
    if not signed.signed(row):
        return
    try:
        copies = {lg: render_report_html(row, lg) for lg in current_app.config["LANGUAGES"]}
    except Exception:  # the submission stands: a report that cannot be made says so itself
        current_app.logger.exception("signed copy of assessment %s not kept", assessment_id)
        return
    signed.keep(get_db(), assessment_id, copies)


def signed_copy_key(html: str) -> str:
    """A signed copy's PDF cache key: the HTML as signed (and the code that prints it)."""
    return pdf.cache_key({"signed_copy": html})


def init_app(app: Flask) -> None:
    documents.init_app(app)
    for after in (keep_signed_copy, prerender):
        if after not in submission.AFTER_SUBMIT:
            submission.AFTER_SUBMIT.append(after)


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


def dossier_key(row: dict, language: str) -> str:
    """The dossier PDF's cache key: its content as printed (its photos by their stored ids)."""
    return pdf.cache_key({"dossier": render_dossier_html(row, language)})


def render_printable_questionnaire(row: dict, q, language: str) -> str:
    """The questionnaire of a draft to print, with its answers so far (HTML for the PDF)."""
    with force_locale(language):
        state = answering.state(get_db(), q, row["id"])
        return render_template(
            "report/questionnaire.html",
            q=q,
            assessment=row,
            sections=printable_sections(q, row, state, language),
            progress=state.progress,
        )
