"""Results of a submitted assessment (page and JSON twin), and the history over time."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assess.assessment import answering
from assess.organisation.permissions import visible_assessment
from assess.report import view as result_view
from assess.report.content import answer_label
from assess.scoring import explain, score
from assess.scoring.comparison import compare
from assess.scoring.export import result_document
from assess.scoring.gaps import analyse
from assess.scoring.result import rated_items
from assess.store import assessments, organisations, users
from assess.store import evidence as evidence_store
from assess.web import read_log as access_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.i18n import lang, listing
from assess.web.questionnaires import questionnaire_of
from assess.web.templating import format_date

bp = Blueprint("results", __name__)
VIEWERS = ("enterprise", "consultant", "authority", "admin")


@dataclass(frozen=True)
class Verification:
    """How much of an on-site assessment a consultant verified, who, and when on site."""

    verified: int  # rated answers verified
    rated: int  # rated answers asked (requirements and steps, not applicable included)
    consultant: str
    visits: tuple[str, ...]  # visit dates

    @property
    def text(self) -> str:
        if not self.consultant or not self.visits:  # imported or synthetic data: say so
            return _(
                "On-site assessment without a consultant or a visit on record: %(verified)s of"
                " %(rated)s rated answers marked verified.",
                verified=self.verified,
                rated=self.rated,
            )
        return _(
            "Verified on site by %(name)s: %(verified)s of %(rated)s rated answers checked"
            " (visits: %(dates)s).",
            name=self.consultant,
            verified=self.verified,
            rated=self.rated,
            dates=listing(format_date(d) for d in self.visits),
        )


def verification_of(db, row: dict, result) -> Verification | None:
    """The verification of an on-site assessment (None for a self-assessment)."""
    if row["mode"] != "consultant":
        return None
    asked = rated_items(result)
    consultant = users.get(db, row["consultant_id"]) if row["consultant_id"] else None
    return Verification(
        verified=len(asked & evidence_store.verified_items(db, row["id"])),
        rated=len(asked),
        consultant=consultant["name"] if consultant else "",
        visits=tuple(v["visit_date"] for v in evidence_store.visits(db, row["id"])),
    )


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
    access_log.record(db, "viewed", row["organisation_id"], assessment=row["id"], page="results")
    return render_template(
        "results.html",
        q=q,
        assessment=row,
        organisation=organisations.get(db, row["organisation_id"]),
        view=result_view.build(q, result, analysis, lang()),
        verification=verification_of(db, row, result),
    )


@bp.get("/assessments/<int:assessment_id>/results.json")
@allow(*VIEWERS)
def show_json(assessment_id: int):
    db = get_db()
    row = visible_assessment(db, current_user, assessment_id)
    if row["status"] != "submitted":
        return jsonify({"error": 404, "message": "not submitted"}), 404
    q, result, analysis = scored(db, row)
    access_log.record(db, "viewed", row["organisation_id"], assessment=row["id"], page="json")
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


def comparison_of(db, row: dict):
    """The verified assessment compared with the self-assessment it checked: the one it started
    from, else the last one submitted before it (a later self-assessment changes nothing)."""
    own = assessments.self_assessment_checked_by(db, row)
    if own is None:
        return None, None
    q_self, self_result, _ = scored(db, own)
    q, verified_result, _ = scored(db, row)
    if q_self is not q:
        return own, None  # different questionnaire versions: items do not line up
    self_answers = answering.state(db, q, own["id"]).answers
    verified_answers = answering.state(db, q, row["id"]).answers
    return own, compare(q, self_answers, self_result, verified_answers, verified_result)


@bp.get("/assessments/<int:assessment_id>/comparison")
@allow("enterprise", "consultant", "admin")
def comparison(assessment_id: int):
    """Where the verified ratings differ from the self-assessment; over-claims first."""
    db = get_db()
    row = visible_assessment(db, current_user, assessment_id)
    if row["status"] != "submitted" or row["mode"] != "consultant":
        return redirect(url_for("results.show", assessment_id=assessment_id))
    own, found = comparison_of(db, row)
    q = questionnaire_of(row)
    access_log.record(db, "viewed", row["organisation_id"], assessment=row["id"], page="comparison")
    return render_template(
        "comparison.html",
        q=q,
        assessment=row,
        own=own,
        comparison=found,
        organisation=organisations.get(db, row["organisation_id"]),
        option_label=lambda *args: report_option_label(q, *args),
        **comparison_helpers(q, evidence_store.verified_items(db, row["id"])),
    )


def comparison_helpers(q, checked: set[str] = frozenset()) -> dict:
    """Names by rank and level, item labels, and the items the consultant marked verified
    (`checked`), for templates/_comparison.html."""
    language = lang()
    return {
        "checked": checked,
        "gradient_by_rank": lambda rank: explain.gradient_name(
            q, q.gradient.levels[rank - 1].id if rank else None, language
        ),
        "cmmm_by_level": lambda level: explain.cmmm_name(q, level, language),
        "item_label": lambda item_id: explain.item_label(q, item_id, language),
    }


def report_option_label(q, item_id: str, option: str | None, status: str = "answered") -> str:
    """An answer as the comparison shows it; an item not asked says so, not its old answer."""
    if status == "skipped":
        return _("not asked (counts as not met)")
    if option is None:
        return "—"
    return answer_label(q, q.items[item_id], option, lang())
