"""The roadmap an enterprise tracks: its target, each action's owner and due date, and the plan
as an Excel workbook."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assess.organisation.permissions import is_owner
from assess.report import roadmap
from assess.report.results import scored
from assess.web import questionnaires
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.downloads import respond_workbook
from assess.web.guards import require, submitted_assessment
from assess.web.i18n import lang
from assess.web.login import current_actor

bp = Blueprint("roadmap", __name__)


@bp.post("/assessments/<int:assessment_id>/roadmap")
@allow("enterprise")
def save(assessment_id: int):
    """The target and the owners and due dates typed on the results page (the enterprise's
    owner: the plan is the enterprise's, as its team and profile are)."""
    row = submitted_assessment(get_db(), current_user, assessment_id)
    require(is_owner(current_user))
    form = request.form
    entries = {
        key[len("owner-") :]: (form.get(key, ""), form.get("due-" + key[len("owner-") :], ""))
        for key in form
        if key.startswith("owner-")
    }
    refusal = roadmap.save(
        get_db(),
        current_actor(),
        questionnaires.versions().of(row),
        row,
        form.get("target_level", ""),
        form.get("target_cmmm", ""),
        entries,
    )
    if refusal is None:
        flash(_("Plan saved. It is carried over to your next assessment."), "success")
    else:
        flash(roadmap_refusal(refusal.reason), "error")
    return redirect(url_for("results.show", assessment_id=assessment_id, _anchor="roadmap"))


def roadmap_refusal(reason: str) -> str:
    return {
        "bad_target": _("Choose a target from the list."),
        "bad_owner": _("An owner is at most %(n)s characters.", n=roadmap.MAX_OWNER),
        "bad_date": _("A due date is a date such as 2027-06-30."),
        "unknown_item": _("The plan lists an action this questionnaire does not have."),
    }[reason]


@bp.get("/assessments/<int:assessment_id>/roadmap.xlsx")
@allow("enterprise", "consultant", "admin")
def workbook(assessment_id: int):
    """The phased roadmap with owners and due dates, a sheet per phase."""
    row = submitted_assessment(get_db(), current_user, assessment_id)
    db = get_db()
    found = scored(db, questionnaires.versions(), row)
    shown = roadmap.of_assessment(db, questionnaires.versions(), row, found, lang())
    return respond_workbook(f"roadmap-{assessment_id}", roadmap.sheets(shown, lang()))
