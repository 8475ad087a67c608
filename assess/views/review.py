"""Declarations, the authorities' side: rounds, the declarations of their region with whose
turn it is, the review form, on-site re-checks, the recognised list and the summary table;
and the expert's side of a re-check."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.declaration import chain, dossier, listing, recheck, review, rounds
from assess.report.verified import percent
from assess.scoring.verification import MIN_COVERAGE
from assess.store import declarations as store
from assess.store import organisations, recognitions
from assess.store import rounds as round_store
from assess.translation import today_in_china
from assess.web import questionnaires, read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.downloads import respond_workbook
from assess.web.guards import deny, visible_declaration
from assess.web.i18n import lang
from assess.web.ids import id_arg
from assess.web.login import current_actor, current_authority

bp = Blueprint("review", __name__)

ROUND_REFUSALS = {
    "not_opener": _l("Your authority does not open rounds of this level."),
    "unknown_level": _l("Choose a level."),
    "exists": _l("A round of this level and year is already open for your region."),
    "dates": _l("Give a year, an opening day and a deadline on or after it."),
    "order": _l("The deadline is before the opening day: give a deadline on or after it."),
    "year": _l(
        "The year of a round is the year it opens or closes in: give the year of its opening day"
        " or of its deadline."
    ),
    "long": _l("A round is open for a year at most: give a deadline closer to its opening day."),
    "past": _l("This deadline has already passed: give one from today on."),
}
DECISION_REFUSALS = {
    "not_found": _l("This declaration is not waiting for your decision."),
    "not_your_step": _l("This declaration is not waiting for your decision."),
    "stale": _l(
        "The declaration changed since you opened it (decided or amended): look at it again."
    ),
    "outcome": _l("Choose one of the outcomes offered."),
    "comments": _l("Give your reasons (at most 2,000 characters) to return or reject."),
}
RECHECK_REFUSALS = {
    "not_your_step": _l("Only the reviewer whose turn it is can ask for an on-site re-check."),
    "not_a_consultant": _l("No consultant account has this e-mail."),
    "asked": _l("This expert was already asked and has not attached a result yet."),
    "note": _l("The note is too long (at most 1,000 characters)."),
}


@bp.get("/review")
@allow("authority")
def queue():
    """The declarations of the region, those waiting for this authority first, and rounds."""
    return _queue()


def _queue(typed: dict | None = None):
    """The queue page; `typed`: the round form as posted, shown again after a refusal."""
    db = get_db()
    authority = current_authority()
    q = questionnaires.latest()
    round_id = id_arg("round")
    status = request.args.get("status")
    status = status if status in listing.STATUSES else None
    rows = listing.declarations_of(db, authority, round_id, status)
    rows.sort(key=lambda r: not r["my_turn"])
    seen_rounds = [
        {
            **r,
            "title": rounds.title(q, r, lang()),
            "state": rounds.state(r),
            "cancellable": rounds.may_cancel(authority, r) and not r["declared"],
        }
        for r in round_store.seen_by(db, authority["region_scope"])
    ]
    today = today_in_china()
    return render_template(
        "declaration/queue.html",
        rows=rows,
        rounds=seen_rounds,
        round_titles={r["id"]: r["title"] for r in seen_rounds},
        openable=[lv for lv in chain.levels() if rounds.may_open(authority, lv)],
        level_name=lambda level: _level_name(q, level),
        filters={"round": round_id, "status": status},
        export_args={k: v for k, v in (("round", round_id), ("status", status)) if v},
        statuses=listing.STATUSES,
        typed={"level": "", "year": today.year, "opens_on": today.isoformat(), "deadline": ""}
        | (typed or {}),
    )


def _level_name(q, level: str) -> str:
    return next((lv.name.get(lang()) for lv in q.gradient.levels if lv.id == level), level)


@bp.post("/review/rounds")
@allow("authority")
def open_round():
    form = request.form
    typed = {name: form.get(name, "")[:20] for name in ("level", "year", "opens_on", "deadline")}
    try:
        opens_on = date.fromisoformat(typed["opens_on"])
        deadline = date.fromisoformat(typed["deadline"])
        year = int(typed["year"])
    except ValueError:
        flash(str(ROUND_REFUSALS["dates"]), "error")
        return _queue(typed), 400
    outcome = rounds.open_round(
        get_db(), current_authority(), typed["level"], year, opens_on, deadline, current_actor()
    )
    if isinstance(outcome, rounds.Refused):
        flash(str(ROUND_REFUSALS.get(outcome.detail) or ROUND_REFUSALS[outcome.reason]), "error")
        return _queue(typed), 400
    flash(_("Round opened. Enterprises of your region can declare until its deadline."), "success")
    return redirect(url_for("review.queue"))


@bp.post("/review/rounds/<int:round_id>/cancel")
@allow("authority")
def cancel_round(round_id: int):
    db = get_db()
    outcome = rounds.cancel(
        db,
        current_authority(),
        round_id,
        current_actor(),
        confirmed=request.form.get("confirm") == "1",
    )
    if outcome == rounds.Refused("not_found"):
        deny(db, current_user, "round", round_id)
    if outcome == rounds.Refused("not_confirmed"):
        flash(
            _(
                "Nothing was cancelled: tick “Yes, delete this round” to confirm that the round"
                " is to be deleted."
            ),
            "error",
        )
    elif isinstance(outcome, rounds.Refused):
        flash(_("Enterprises have declared in this round: it can no longer be cancelled."), "error")
    else:
        flash(_("Round cancelled."), "success")
    return redirect(url_for("review.queue"))


@bp.get("/review/declarations/<int:declaration_id>")
@allow("authority")
def show(declaration_id: int):
    """A declaration's dossier, its review so far, and the review form when it is this
    authority's turn."""
    return _show(declaration_id)


def _show(declaration_id: int, typed: dict | None = None):
    """The review page; `typed`: what the reviewer posted, shown again after a refusal."""
    db = get_db()
    row = visible_declaration(db, current_user, declaration_id)
    read_log.record(db, "viewed", row["organisation_id"], declaration=row["id"], page="review")
    authority = current_authority()
    step = review.current_step(db, row)
    earlier = store.steps(db, row["id"])
    return render_template(
        "declaration/review.html",
        row=row,
        data=dossier.build(db, questionnaires.versions(), row, lang()),
        chain=round_store.get(db, row["round_id"])["chain"],
        step=step,
        my_turn=review.may_decide(db, authority, row),
        checks=review.CHECKS,
        checked_before=set(review.CHECKS) - set(review.unchecked(earlier, row["revision"], {})),
        typed={"checks": {}, "outcome": "", "comments": "", "email": "", "note": "", "reason": ""}
        | (typed or {}),
        withdrawable=_withdrawable(db, row),
        identity=organisations.get(db, row["organisation_id"])["identity"],
    )


def _withdrawable(db, row: dict) -> bool:
    """Whether this authority may withdraw the declaration's recognition."""
    found = recognitions.of_declaration(db, row["id"])
    return (
        bool(found)
        and not found["withdrawn_at"]
        and review.may_withdraw(db, current_authority(), found)
    )


@bp.post("/review/declarations/<int:declaration_id>/decide")
@allow("authority")
def decide(declaration_id: int):
    db = get_db()
    visible_declaration(db, current_user, declaration_id)
    form = request.form
    checks = {name: form.get(f"check:{name}") == "1" for name in review.CHECKS}
    outcome = review.decide(
        db,
        current_authority(),
        declaration_id,
        stage=form.get("stage", type=int, default=-1),
        revision=form.get("revision", type=int, default=-1),
        outcome=form.get("outcome", ""),
        comments=form.get("comments", ""),
        checks=checks,
        by=current_actor(),
    )
    if isinstance(outcome, review.Refused):
        if outcome.reason == "unchecked":
            flash(
                _(
                    "Not recorded: to recognise or recommend to the ministry, every material"
                    " must have been checked. Not checked yet: %(missing)s.",
                    missing=listing.checks_label(outcome.missing, lang()),
                ),
                "error",
            )
        else:
            flash(str(DECISION_REFUSALS[outcome.reason]), "error")
        typed = {"checks": checks, "outcome": form.get("outcome", "")}
        return _show(declaration_id, typed | {"comments": form.get("comments", "")[:4000]}), 400
    flash(
        _("Recorded: %(outcome)s.", outcome=listing.outcome_label(outcome.outcome, lang())),
        "success",
    )
    return redirect(url_for("review.show", declaration_id=declaration_id))


@bp.post("/review/declarations/<int:declaration_id>/recheck")
@allow("authority")
def request_recheck(declaration_id: int):
    db = get_db()
    visible_declaration(db, current_user, declaration_id)
    outcome = recheck.request(
        db,
        current_authority(),
        declaration_id,
        request.form.get("email", "").strip(),
        request.form.get("note", ""),
        current_actor(),
    )
    if isinstance(outcome, recheck.Refused):
        flash(str(RECHECK_REFUSALS[outcome.reason]), "error")
        typed = {"email": request.form.get("email", "")[:254]}
        return _show(declaration_id, typed | {"note": request.form.get("note", "")[:1000]}), 400
    else:
        flash(
            _(
                "Re-check requested. The enterprise is asked to grant the expert access; the"
                " expert then attaches the verified assessment here."
            ),
            "success",
        )
    return redirect(url_for("review.show", declaration_id=declaration_id, _anchor="recheck"))


@bp.get("/review/recognised")
@allow("authority")
def recognised():
    """The recognised factories (and recommendations to the ministry) per level and year."""
    db = get_db()
    q = questionnaires.latest()
    level = request.args.get("level")
    level = level if level in chain.levels() else None
    year = _year()
    rows = listing.recognised(db, current_authority(), level, year)
    return render_template(
        "declaration/recognised.html",
        rows=rows,
        levels=chain.levels(),
        level_name=lambda lv: _level_name(q, lv),
        filters={"level": level, "year": year},
        export_args={k: v for k, v in (("level", level), ("year", year)) if v},
        years=sorted(
            {r["year"] for r in listing.recognised(db, current_authority())}, reverse=True
        ),
    )


def _year() -> int | None:
    """A year from the query string, or None when absent or not a plausible one."""
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= 2100 else None


@bp.get("/review/export.xlsx")
@allow("authority")
def export():
    """The summary table (推荐汇总表) of the declarations or of the recognised factories."""
    db = get_db()
    authority = current_authority()
    which = request.args.get("list", "declarations")
    if which == "recognised":
        level = request.args.get("level")
        rows = listing.recognised(
            db,
            authority,
            level if level in chain.levels() else None,
            _year(),
            withdrawn=False,
        )
        title = _("Recognised smart factories")
    elif which == "declarations":
        status = request.args.get("status")
        rows = listing.declarations_of(
            db, authority, id_arg("round"), status if status in listing.STATUSES else None
        )
        title = _("Summary table of declarations")
    else:
        abort(404)
    read_log.record_export(
        db, "declarations", {"list": which, "scope": authority["region_scope"], "rows": len(rows)}
    )
    headers, table = listing.summary_table(db, questionnaires.versions(), rows, lang())
    stem = f"{which}-{authority['region_scope'] or 'cn'}-{today_in_china().isoformat()}"
    return respond_workbook(stem, {title: (headers, table)})


@bp.post("/review/recognitions/<int:recognition_id>/withdraw")
@allow("authority")
def withdraw(recognition_id: int):
    db = get_db()
    outcome = review.withdraw_recognition(
        db, current_authority(), recognition_id, request.form.get("reason", ""), current_actor()
    )
    if outcome == review.Refused("not_found"):
        deny(db, current_user, "recognition", recognition_id)
    if isinstance(outcome, review.Refused):
        flash(
            _("Give the reason for the withdrawal (at most 2,000 characters).")
            if outcome.reason == "comments"
            else _("This recognition was already withdrawn."),
            "error",
        )
        # the page of the declaration again, the reason as typed (nothing was withdrawn)
        declaration_id = recognitions.get(db, recognition_id)["declaration_id"]
        return _show(declaration_id, {"reason": request.form.get("reason", "")[:4000]}), 400
    flash(_("Recognition withdrawn."), "success")
    return redirect(url_for("review.recognised"))


@bp.get("/rechecks")
@allow("consultant")
def rechecks():
    """The on-site re-checks this expert was asked for, and what it can attach to each."""
    db = get_db()
    rows = [
        {
            **row,
            "attachable": recheck.attachable(db, current_user.id, row),
            "partly_verified": recheck.partly_verified(db, current_user.id, row),
        }
        for row in store.rechecks_of_consultant(db, current_user.id)
    ]
    return render_template(
        "declaration/rechecks.html", rows=rows, verified_minimum=percent(MIN_COVERAGE)
    )


@bp.post("/rechecks/<int:recheck_id>/attach")
@allow("consultant")
def attach(recheck_id: int):
    db = get_db()
    outcome = recheck.attach(
        db,
        current_user.id,
        recheck_id,
        request.form.get("assessment", type=int, default=0),
        current_actor(),
    )
    if outcome == recheck.Refused("not_found"):
        deny(db, current_user, "recheck", recheck_id)
    if outcome == recheck.Refused("partly_verified"):
        flash(
            _(
                "This on-site assessment is only partly verified (fewer than %(minimum)s of its"
                " rated answers verified): it counts as a self-assessment and cannot be attached."
                " Verify the answers on site in a new on-site assessment and attach that one.",
                minimum=percent(MIN_COVERAGE),
            ),
            "error",
        )
    elif isinstance(outcome, recheck.Refused):
        flash(_("Choose one of your submitted on-site assessments of this enterprise."), "error")
    else:
        flash(_("Verified assessment attached to the declaration."), "success")
    return redirect(url_for("review.rechecks"))
