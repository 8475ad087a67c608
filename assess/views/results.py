"""Results of a submitted assessment (page and JSON twin), and the history over time."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from assess import answering, result_view
from assess.access import allow
from assess.db import get_db
from assess.i18n import lang
from assess.permissions import visible_assessment
from assess.scoring import score
from assess.scoring.export import result_document
from assess.scoring.gaps import analyse
from assess.store import assessments, organisations
from assess.views.wizard import questionnaire_of

bp = Blueprint("results", __name__)
VIEWERS = ("enterprise", "consultant", "authority", "admin")


def scored(db, row: dict):
    """The questionnaire, result and gap analysis of an assessment, from its answers."""
    q = questionnaire_of(row)
    result = score(q, answering.state(db, q, row["id"]).answers)
    return q, result, analyse(q, result)


@bp.get("/assessments/<int:assessment_id>/results")
@allow(*VIEWERS)
def show(assessment_id: int):
    db = get_db()
    row = visible_assessment(db, current_user, assessment_id)
    if row["status"] != "submitted":
        return redirect(url_for("wizard.resume", assessment_id=assessment_id))
    q, result, analysis = scored(db, row)
    return render_template(
        "results.html",
        q=q,
        assessment=row,
        organisation=organisations.get(db, row["organisation_id"]),
        view=result_view.build(q, result, analysis, lang()),
    )


@bp.get("/assessments/<int:assessment_id>/results.json")
@allow(*VIEWERS)
def show_json(assessment_id: int):
    db = get_db()
    row = visible_assessment(db, current_user, assessment_id)
    if row["status"] != "submitted":
        return jsonify({"error": 404, "message": "not submitted"}), 404
    q, result, analysis = scored(db, row)
    document = result_document(q, result, analysis)
    document["assessment"] = {
        key: row[key]
        for key in (
            "id",
            "organisation_id",
            "questionnaire_id",
            "questionnaire_version",
            "mode",
            "created_at",
            "submitted_at",
        )
    }
    return jsonify(document)


@bp.get("/history")
@allow("enterprise")
def history():
    db = get_db()
    rows = [
        r
        for r in reversed(assessments.for_organisation(db, current_user.organisation_id))
        if r["status"] == "submitted"
    ]
    return render_template(
        "history.html",
        organisation=organisations.get(db, current_user.organisation_id),
        rows=rows,
        q_of=questionnaire_of,
    )
