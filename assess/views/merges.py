"""Merging duplicate enterprises: an administrator finds the two (by name or credit code), sees
both side by side, chooses the one kept and confirms with its name typed
(assess/declaration/merging.py)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assess.declaration import merging, rounds
from assess.store import merges
from assess.web import questionnaires
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.forms.team import ROLE_NAMES
from assess.web.i18n import lang
from assess.web.ids import parse_id
from assess.web.login import current_actor

bp = Blueprint("merges", __name__)

REFUSALS = {
    "same": _l("Choose two different enterprises: an enterprise cannot be merged with itself."),
    "unknown": _l("One of the two enterprises does not exist."),
    "not_enterprise": _l(
        "One of the two is not an enterprise on the service any more (closed, or set aside by a"
        " hand-over): it cannot be merged."
    ),
    "merged": _l("One of the two has been merged already: look for the enterprise it went to."),
    "contest": _l(
        "A contest of a credit code of one of the two is open: decide it first (Contests of"
        " credit codes)."
    ),
    "name": _l("Type the name of the enterprise kept exactly as it is shown, to confirm."),
    "choose": _l("Choose which of the two enterprises is kept."),
}


def _id(value: str | None) -> int | None:
    return parse_id(value)


@bp.get("/admin/merges")
@allow("admin")
def index():
    """Find the two enterprises: search, choose the first, search again, compare."""
    db = get_db()
    text = (request.args.get("q") or "").strip()[:100]
    first = _id(request.args.get("a"))
    chosen = merging.side(db, first) if first else None
    return render_template(
        "admin/merges.html",
        text=text,
        found=merges.find(db, text) if text else [],
        chosen=chosen["organisation"] if chosen else None,
    )


@bp.get("/admin/merges/compare")
@allow("admin")
def compare():
    """Both enterprises side by side, and the form that merges them."""
    db = get_db()
    a, b = _id(request.args.get("a")), _id(request.args.get("b"))
    sides = [merging.side(db, a) if a else None, merging.side(db, b) if b else None]
    if None in sides:
        flash(_("Choose two enterprises to compare."), "error")
        return redirect(url_for("merges.index"))
    levels = {lv.id: lv.name.get(lang()) for lv in questionnaires.latest().gradient.levels}
    return render_template(
        "admin/merge_compare.html",
        sides=sides,
        role_names=ROLE_NAMES,
        level_name=lambda level: levels.get(level, level),
    )


@bp.post("/admin/merges")
@allow("admin")
def merge():
    """Merge the one not kept into the one kept."""
    a, b = _id(request.form.get("a")), _id(request.form.get("b"))
    kept = request.form.get("kept")
    back = url_for("merges.compare", a=a, b=b) if a and b else url_for("merges.index")
    if not a or not b:
        flash(_("Choose two enterprises to compare."), "error")
        return redirect(back)
    if kept not in ("a", "b"):
        flash(str(REFUSALS["choose"]), "error")
        return redirect(back)
    kept_id, other_id = (a, b) if kept == "a" else (b, a)
    outcome = merging.merge(
        get_db(),
        questionnaires.versions(),
        kept_id,
        other_id,
        (request.form.get("name") or "")[:200],
        current_actor(),
        Path(current_app.config["EVIDENCE_DIR"]),
    )
    if isinstance(outcome, merging.Refused):
        if outcome.reason == "declared_twice":
            flash(
                _(
                    "Both enterprises declared in the same round (%(rounds)s): a round takes one"
                    " declaration per enterprise. Nothing was merged.",
                    rounds=_("; ").join(
                        rounds.title(questionnaires.latest(), r, lang()) for r in outcome.rounds
                    ),
                ),
                "error",
            )
        else:
            flash(str(REFUSALS[outcome.reason]), "error")
        return redirect(back)
    moved = outcome.moved
    flash(
        _(
            "Merged: %(accounts)s accounts, %(assessments)s assessments with %(answers)s answers"
            " and %(evidence)s evidence files, %(declarations)s declarations and"
            " %(recognitions)s recognitions moved. Both owners are told by e-mail.",
            accounts=moved["accounts"],
            assessments=moved["assessments"],
            answers=moved["answers"],
            evidence=moved["evidence_files"],
            declarations=moved["declarations"],
            recognitions=moved["recognitions"],
        ),
        "success",
    )
    return redirect(url_for("merges.compare", a=kept_id, b=other_id))
