"""Results of a submitted assessment (page and JSON twin), and the history over time."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from assess.report import movement, peer_benchmarks, result_json, roadmap, verified, view
from assess.report.results import (
    comment_rows,
    comparison_helpers,
    comparison_of,
    scored,
    verification_of,
)
from assess.store import assessments, organisations
from assess.store import evidence as evidence_store
from assess.web import questionnaires, read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.guards import visible_assessment
from assess.web.i18n import lang
from assess.web.questionnaires import questionnaire_of
from assess.web.templating import format_date

bp = Blueprint("results", __name__)
VIEWERS = ("enterprise", "consultant", "authority", "admin")


@bp.get("/assessments/<int:assessment_id>/results")
@allow(*VIEWERS)
def show(assessment_id: int):
    db = get_db()
    row = visible_assessment(db, current_user, assessment_id)
    if row["status"] != "submitted":
        return redirect(url_for("wizard.resume", assessment_id=assessment_id))
    found = scored(db, questionnaires.versions(), row)
    read_log.record(db, "viewed", row["organisation_id"], assessment=row["id"], page="results")
    verification = verification_of(db, found.q, row, found.result)
    on_site = row["mode"] == "consultant"
    identity = verified.identity(verified.kind_of(verification), lang())
    return render_template(
        "results/results.html",
        roadmap=roadmap.of_assessment(db, questionnaires.versions(), row, found, lang()),
        roadmap_editable=current_user.role == "enterprise",
        benchmarks=peer_benchmarks.of_assessment(
            db, found.q, row, found.result, lang(), format_date
        ),
        comments=[] if current_user.role == "authority" else comment_rows(db, found.q, row, lang()),
        q=found.q,
        assessment=row,
        organisation=organisations.get(db, row["organisation_id"]),
        view=view.build(
            found.q, found.result, found.analysis, lang(), found.answers, on_site=on_site
        ),
        verification=verification.text(lang(), format_date) if verification else None,
        identity=identity,
        # the site's footer says what this result is, not that results are self-assessments
        footer_notice=identity.notice if identity.kind != verified.SELF else None,
    )


@bp.get("/assessments/<int:assessment_id>/results.json")
@allow(*VIEWERS)
def show_json(assessment_id: int):
    db = get_db()
    row = visible_assessment(db, current_user, assessment_id)
    if row["status"] != "submitted":
        return jsonify({"error": 404, "message": "not submitted"}), 404
    read_log.record(db, "viewed", row["organisation_id"], assessment=row["id"], page="json")
    document = result_json.document_of(db, questionnaires.versions(), row, lang())
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
        "results/history.html",
        organisation=organisations.get(db, current_user.organisation_id),
        rows=rows,
        q_of=questionnaire_of,
    )


@bp.get("/history/compare")
@allow("enterprise")
def what_moved():
    """Two of the enterprise's assessments side by side (default: the last two)."""
    db = get_db()
    rows = movement.submitted_of(db, current_user.organisation_id)
    by_id = {row["id"]: row for row in rows}
    chosen = [request.args.get(name, type=int) for name in ("before", "after")]
    if any(value is not None and value not in by_id for value in chosen):
        abort(404)
    if len(rows) < 2:
        found = None
    else:
        before = by_id.get(chosen[0]) or rows[-2]
        after = by_id.get(chosen[1]) or rows[-1]
        found = movement.compare(db, questionnaires.versions(), before, after, lang())
    return render_template(
        "results/movement.html",
        organisation=organisations.get(db, current_user.organisation_id),
        rows=rows,
        found=found,
    )


@bp.get("/assessments/<int:assessment_id>/comparison")
@allow("enterprise", "consultant", "admin")
def comparison(assessment_id: int):
    """Where the verified ratings differ from the self-assessment; over-claims first."""
    db = get_db()
    row = visible_assessment(db, current_user, assessment_id)
    if row["status"] != "submitted" or row["mode"] != "consultant":
        return redirect(url_for("results.show", assessment_id=assessment_id))
    own, found = comparison_of(db, questionnaires.versions(), row)
    q = questionnaire_of(row)
    read_log.record(db, "viewed", row["organisation_id"], assessment=row["id"], page="comparison")
    return render_template(
        "results/comparison.html",
        q=q,
        assessment=row,
        own=own,
        comparison=found,
        organisation=organisations.get(db, row["organisation_id"]),
        **comparison_helpers(q, lang(), evidence_store.verified_items(db, row["id"])),
    )
