"""Offline preparation: the questionnaire as a printable PDF and as an Excel answer sheet, and a
filled sheet uploaded back (checked whole, applied through the wizard's saving path)."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.assessment import answering
from assess.assessment.answer_sheet import Applied, apply_sheet
from assess.organisation.permissions import answerable_items
from assess.report import answer_sheet, pdf
from assess.report.content import answer_label
from assess.scoring import explain
from assess.store import assessments, organisations
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.documents import pdf_download
from assess.web.downloads import attachment
from assess.web.guards import editable_assessment
from assess.web.i18n import lang
from assess.web.login import current_actor
from assess.web.questionnaires import questionnaire_of
from assess.web.questions import ERRORS
from assess.web.reports import render_printable_questionnaire
from assess.web.uploads import takes_files

bp = Blueprint("answer_sheet", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSALS = {
    "too_large": _l("The file is too large for an answer sheet (at most 2 MB)."),
    "not_xlsx": _l(
        "This is not an Excel workbook (.xlsx). Upload the answer sheet you downloaded."
    ),
    "unsafe": _l("The workbook unpacks to far more than an answer sheet holds; it was not read."),
    "not_sheet": _l("This workbook is not an answer sheet of this service."),
    "other_version": _l(
        "This answer sheet is of another questionnaire version. Download the sheet of this"
        " assessment and copy your answers into it."
    ),
    "other_assessment": _l(
        "This answer sheet belongs to another assessment. Download the sheet of this one."
    ),
    "locked": _l("This assessment is submitted and can no longer be changed."),
    "no_file": _l("Choose the filled answer sheet (.xlsx) to upload."),
}
CELL_ERRORS = {
    **ERRORS,
    "unknown_option": _l("Not one of the allowed answers: choose from the list."),
    "unknown_item": _l("Unknown question id: rows must keep their hidden id."),
    "duplicate": _l("This question appears twice."),
    "revision": _l("The hidden revision column was changed."),
    "too_many_rows": _l("The sheet has far more rows than the questionnaire."),
}


def _draft(assessment_id: int):
    row = editable_assessment(get_db(), current_user, assessment_id)
    if row["status"] != "draft":
        flash(_("This assessment is submitted and can no longer be changed."), "error")
        return row, redirect(url_for("results.show", assessment_id=assessment_id))
    return row, None


@bp.get("/assessments/<int:assessment_id>/answer-sheet.xlsx")
@allow("enterprise", "consultant")
def download(assessment_id: int):
    """The Excel answer sheet with the current answers."""
    row, gone = _draft(assessment_id)
    if gone:
        return gone
    q = questionnaire_of(row)
    body = answer_sheet.build(q, row, answering.state(get_db(), q, assessment_id), lang())
    return attachment(body, XLSX, f"answer-sheet-{assessment_id}-{q.version}.xlsx")


@bp.post("/assessments/<int:assessment_id>/answer-sheet")
@allow("enterprise", "consultant")
@takes_files(3, "enterprise", "consultant")
def upload(assessment_id: int):
    """A filled sheet: refused whole with each bad cell, or applied with what it changed."""
    row, gone = _draft(assessment_id)
    if gone:
        return gone
    q = questionnaire_of(row)
    sent = request.files.get("sheet")
    if sent is None or not sent.filename:
        flash(str(REFUSALS["no_file"]), "error")
        return redirect(url_for("wizard.submit", assessment_id=assessment_id))
    allowed = answerable_items(get_db(), q, current_user, row)
    outcome = apply_sheet(get_db(), q, row, sent.stream.read(), current_actor(), allowed)
    label = lambda item_id: explain.item_label(q, item_id, lang())  # noqa: E731
    shown = lambda item_id, answer: (  # noqa: E731
        answer_label(q, q.items[item_id], answer.value, lang())
        if answer is not None and answer.value is not None
        else _("not answered")
    )
    context = {
        "assessment": row,
        "organisation": organisations.get(get_db(), row["organisation_id"]),
        "label": label,
        "shown": shown,
        "q_items": q.items,
    }
    if isinstance(outcome, Applied):
        return render_template("wizard/answer_sheet.html", applied=outcome, **context)
    return render_template(
        "wizard/answer_sheet.html",
        refusal=str(REFUSALS.get(outcome.reason, "")),
        errors=[(e, str(CELL_ERRORS.get(e.code, e.code))) for e in outcome.errors],
        **context,
    ), 422


@bp.get("/assessments/<int:assessment_id>/questionnaire.pdf")
@allow("enterprise", "consultant")
def printable(assessment_id: int):
    """The questionnaire to print, with the answers given so far, through the render queue."""
    row = editable_assessment(get_db(), current_user, assessment_id)
    q = questionnaire_of(row)
    language = lang()
    digest = assessments.answers_digest(get_db(), assessment_id)
    key = pdf.cache_key(
        {
            "document": "questionnaire",
            "questionnaire": q.key,
            "assessment": assessment_id,
            "answers": hashlib.sha256(json.dumps(digest, default=str).encode()).hexdigest(),
            "lang": language,
        }
    )
    return pdf_download(
        key,
        lambda: render_printable_questionnaire(row, q, language),
        f"{q.title.get(language)}-{q.version}.pdf",
        f"questionnaire-{q.version}-{language}.pdf",
        back=url_for("wizard.submit", assessment_id=assessment_id),
    )
