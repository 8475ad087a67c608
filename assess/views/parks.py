"""Administration of industrial parks: create one below a county, move the county's enterprises
into it or out of it (their figures follow: assess/regional/parks.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from assess.organisation import credit_code
from assess.regional import parks, regions
from assess.store import organisations
from assess.store import parks as store
from assess.web import questionnaires
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.i18n import lang, listing
from assess.web.ids import parse_id
from assess.web.login import current_actor

bp = Blueprint("parks", __name__)
MAX_CODES = 200

REFUSALS = {
    "county": _l("That is not the code of a county (or of a city without counties)."),
    "name": _l("Give the park a name of at most 60 characters, on one line."),
    "name_taken": _l("The county has a park of that name already."),
    "not_found": _l("One of those enterprises no longer exists; nothing was moved."),
}


class ParkForm(Form):
    county = StringField(
        _l("County code (GB/T 2260)"),
        validators=[DataRequired(), Regexp(r"^\d{6}$", message=_l("Six digits, e.g. 320505."))],
    )
    name_zh = StringField(_l("Name in Chinese"), validators=[DataRequired(), Length(max=60)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=60)])


@bp.get("/admin/parks")
@allow("admin")
def index():
    return _list(ParkForm())


def _list(form: ParkForm):
    return render_template("admin/parks.html", parks=parks.listing(get_db(), lang()), form=form)


@bp.post("/admin/parks")
@allow("admin")
def create():
    form = ParkForm()
    if not form.validate_on_submit():
        return _list(form), 400
    made = parks.create(
        get_db(), form.county.data, form.name_zh.data, form.name_en.data or "", current_actor()
    )
    if isinstance(made, parks.Refused):
        flash(str(REFUSALS[made.reason]), "error")
        return _list(form), 400
    flash(_("Park created. Now move its enterprises into it."), "success")
    return redirect(url_for("parks.show", park_id=made))


@bp.get("/admin/parks/<int:park_id>")
@allow("admin")
def show(park_id: int):
    db = get_db()
    park = store.park(db, park_id)
    if park is None:
        abort(404)
    return render_template(
        "admin/park.html",
        park=park,
        county=regions.label(park["county_code"], lang()),
        members=store.members(db, park_id),
        candidates=store.outside_parks(db, park["county_code"]),
    )


@bp.post("/admin/parks/<int:park_id>/enterprises")
@allow("admin")
def move_in(park_id: int):
    db = get_db()
    if store.park(db, park_id) is None:
        abort(404)
    chosen = [i for i in map(parse_id, request.form.getlist("organisation")) if i is not None]
    codes = request.form.get("codes", "").split()
    unknown = []
    for code in codes[:MAX_CODES]:
        found = organisations.get_by_credit_code(db, _valid(code)) if _valid(code) else None
        if found is None:
            unknown.append(code)
        else:
            chosen.append(found["id"])
    if len(codes) > MAX_CODES or unknown:
        flash(
            _("These credit codes are not of a registered enterprise: %(codes)s. Nothing was moved.",
              codes=listing(unknown[:10]) or "…"),
            "error",
        )  # fmt: skip
        return redirect(url_for("parks.show", park_id=park_id))
    if not chosen:
        flash(_("Choose the enterprises to move into the park."), "error")
        return redirect(url_for("parks.show", park_id=park_id))
    moved = parks.move(db, park_id, chosen, questionnaires.latest(), current_actor())
    if isinstance(moved, parks.Refused):
        if moved.reason == "outside":
            flash(
                _("These enterprises are not registered in the park's county: %(names)s. Nothing was moved.",
                  names=listing(list(moved.names[:10]))),
                "error",
            )  # fmt: skip
        else:
            flash(str(REFUSALS[moved.reason]), "error")
    else:
        flash(_("%(num)d enterprise(s) moved into the park.", num=moved), "success")
    return redirect(url_for("parks.show", park_id=park_id))


def _valid(code: str) -> str | None:
    try:
        return credit_code.validate(code)
    except credit_code.CreditCodeError:
        return None


@bp.post("/admin/parks/<int:park_id>/enterprises/<int:organisation_id>/out")
@allow("admin")
def take_out(park_id: int, organisation_id: int):
    db = get_db()
    if store.park(db, park_id) is None:
        abort(404)
    if not parks.take_out(db, park_id, organisation_id, questionnaires.latest(), current_actor()):
        abort(404)
    flash(_("The enterprise is no longer in the park; it stays in its county."), "success")
    return redirect(url_for("parks.show", park_id=park_id))
