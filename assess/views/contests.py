"""Contesting a taken credit code: the claimant's page (its business licence and statement),
the administrators' list of contests with both sides and the decision, and handing an
enterprise to a new owner."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.declaration import contests
from assess.organisation import handover
from assess.store import contests as contest_store
from assess.store import organisations, team, users
from assess.web import questionnaires
from assess.web.access import allow, proven
from assess.web.database import get_db
from assess.web.downloads import send_stored_file
from assess.web.forms.team import ROLE_NAMES
from assess.web.login import current_actor
from assess.web.questions import FILE_ERRORS
from assess.web.uploads import takes_files

bp = Blueprint("contests", __name__)

REFUSALS = {
    "statement": _l("The statement is too long: at most 2,000 characters."),
    "decided": _l("This contest has been decided already."),
    "not_found": _l("There is no contest of yours to send."),
    "type": _l("A business licence is a PDF, JPEG or PNG file of at most 10 MB."),
}
HAND_OVER_REFUSALS = {
    "unknown": _l("There is no enterprise with this credit code, or it is closed."),
    "new_owner": _l(
        "This e-mail is not a confirmed enterprise account of this enterprise, nor the account"
        " of a company contesting its credit code."
    ),
    "owner_already": _l("This account is the enterprise's owner already."),
}


def _refusal(refused: contests.Refused) -> str:
    if refused.reason == "file":
        known = REFUSALS.get(refused.detail) or FILE_ERRORS.get(refused.detail)
        return str(known or REFUSALS["type"])
    if refused.reason == "handed_over":
        return str(HAND_OVER_REFUSALS.get(refused.detail, REFUSALS["decided"]))
    return str(REFUSALS[refused.reason])


@bp.route("/contest", methods=["GET", "POST"])
@allow("enterprise")
@proven
@takes_files(11, "enterprise")
def claimant():
    """The company that registered a taken code: its licence, its statement, the outcome."""
    db = get_db()
    row = contests.of_claimant(db, current_user)
    if row is None:
        abort(404)
    if request.method == "POST":
        sent = request.files.get("licence")
        if current_user.member_role != "owner":
            abort(403)
        if sent is None or not sent.filename:
            flash(_("Choose the file of your business licence."), "error")
        else:
            refused = contests.send(
                db,
                Path(current_app.config["EVIDENCE_DIR"]),
                current_user,
                sent.filename,
                sent.stream.read(contests.LICENCE.max_bytes + 1),
                request.form.get("statement", ""),
                current_actor(),
            )
            if refused:
                flash(_refusal(refused), "error")
            else:
                flash(
                    _(
                        "Sent. An administrator compares your business licence with the"
                        " registration of the code and decides; you get an e-mail either way."
                    ),
                    "success",
                )
                return redirect(url_for("contests.claimant"))
        row = contests.of_claimant(db, current_user)
    return render_template("contests/claimant.html", row=row)


@bp.get("/admin/contests")
@allow("admin")
def index():
    """Every contest sent: the open ones first."""
    return render_template("contests/index.html", rows=contest_store.listing(get_db()))


@bp.get("/admin/contests/<int:contest_id>")
@allow("admin")
def show(contest_id: int):
    """Both sides of a contest, and the decision."""
    sides = contests.both_sides(get_db(), contest_id)
    if sides is None:
        abort(404)
    return render_template("contests/show.html", role_names=ROLE_NAMES, **sides)


@bp.get("/admin/contests/<int:contest_id>/licence")
@allow("admin")
def licence(contest_id: int):
    """The claimant's business licence, as a download."""
    sides = contests.both_sides(get_db(), contest_id)
    row = sides and sides["contest"]
    path = row and contests.licence_path(Path(current_app.config["EVIDENCE_DIR"]), row)
    if not path:
        abort(404)
    return send_stored_file(path, row["licence_type"], row["licence_name"])


@bp.post("/admin/contests/<int:contest_id>/decide")
@allow("admin")
def decide(contest_id: int):
    """Hand the code over, or refuse the contest (with a note the claimant reads)."""
    decision = request.form.get("decision")
    if decision not in ("hand_over", "refuse"):
        flash(_("Choose to hand the code over or to refuse."), "error")
        return redirect(url_for("contests.show", contest_id=contest_id))
    outcome = contests.decide(
        get_db(),
        questionnaires.latest(),
        contest_id,
        decision == "hand_over",
        request.form.get("note", ""),
        current_actor(),
    )
    if isinstance(outcome, contests.Refused):
        if outcome.reason == "not_found":
            abort(404)
        flash(_refusal(outcome), "error")
    elif outcome is None:
        flash(_("The contest is refused; the claimant is told by e-mail."), "success")
    else:
        flash(
            _(
                "The credit code is handed over. %(ended)s accounts lost their access and"
                " %(aside)s submitted assessments no longer count; both sides are told by"
                " e-mail.",
                ended=len(outcome.ended),
                aside=len(outcome.set_aside),
            ),
            "success",
        )
    return redirect(url_for("contests.show", contest_id=contest_id))


@bp.route("/admin/hand-over", methods=["GET", "POST"])
@allow("admin")
def hand_over():
    """Hand an enterprise to a new owner: found by its credit code, the new owner by the
    e-mail of its account."""
    db = get_db()
    code = (request.values.get("credit_code") or "").strip().upper()[:40]
    found = organisations.get_by_credit_code(db, code) if code else None
    if request.method == "POST":
        email = (request.form.get("email") or "").strip()[:254]
        new_owner = users.get_by_email(db, email) if email else None
        if found is None:
            flash(str(HAND_OVER_REFUSALS["unknown"]), "error")
        elif new_owner is None:
            flash(str(HAND_OVER_REFUSALS["new_owner"]), "error")
        elif request.form.get("confirm") != "1":
            flash(_("Tick the box that confirms the hand-over."), "error")
        else:
            outcome = handover.hand_over(
                db,
                questionnaires.latest(),
                found["id"],
                new_owner["id"],
                current_actor(),
                impostor=request.form.get("impostor") == "1",
            )
            if isinstance(outcome, handover.Refused):
                flash(str(HAND_OVER_REFUSALS[outcome.reason]), "error")
            else:
                flash(
                    _(
                        "%(name)s is handed to %(email)s; %(ended)s accounts lost their access."
                        " Both sides are told by e-mail.",
                        name=found["name"],
                        email=new_owner["email"],
                        ended=len(outcome.ended),
                    ),
                    "success",
                )
                return redirect(url_for("contests.hand_over", credit_code=code))
    members = team.members(db, found["id"]) if found else []
    return render_template(
        "contests/hand_over.html", code=code, found=found, members=members, role_names=ROLE_NAMES
    )
