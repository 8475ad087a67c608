"""Consultancies from the administrator's pages: create a firm (name, qualification, logo),
change it, and place consultants in it. Use cases: assess/organisation/firms.py."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from assess.organisation import firms as consultancies
from assess.organisation import logos
from assess.store import firms
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.forms.registration import validate_email_address
from assess.web.login import current_actor

bp = Blueprint("firms", __name__)

REFUSALS = {
    "name": _l("Give the consultancy a name."),
    "not_found": _l("That consultancy does not exist."),
    "not_consultant": _l("No consultant account has that e-mail: invite it first."),
}
LOGO_ERRORS = {
    "empty": _l("The logo file is empty."),
    "too_large": _l("The logo is larger than 512 KB."),
    "type": _l("The logo must be a PNG or JPEG image (SVG is refused)."),
    "broken": _l("The logo is not a whole PNG or JPEG image."),
    "dimensions": _l("The logo must be at most 4000 pixels on each side."),
}


class FirmForm(Form):
    name = StringField(
        _l("Name, as printed on verified reports"),
        validators=[DataRequired(), Length(max=consultancies.NAME_MAX)],
    )
    qualification = TextAreaField(
        _l("Qualification (e.g. its CMMM assessor registration)"),
        validators=[Length(max=consultancies.QUALIFICATION_MAX)],
    )


class PlaceForm(Form):
    email = EmailField(_l("A consultant's e-mail"), validators=[DataRequired(), Length(max=254)])

    def validate_email(self, field):
        validate_email_address(field)


def _logo() -> tuple[logos.Logo | None, str | None]:
    """The logo sent with the form (None: none sent), or why it is refused."""
    sent = request.files.get("logo")
    if sent is None or not sent.filename:
        return None, None
    try:
        return logos.check(sent.stream.read(logos.MAX_BYTES + 1)), None
    except logos.LogoError as error:
        return None, str(LOGO_ERRORS[error.code])


def _list(form: FirmForm, status: int = 200):
    return render_template("admin/firms.html", firms=firms.all_firms(get_db()), form=form), status


@bp.get("/admin/firms")
@allow("admin")
def index():
    return _list(FirmForm(formdata=None))


@bp.post("/admin/firms")
@allow("admin")
def create():
    form = FirmForm()
    if not form.validate_on_submit():
        return _list(form, 400)
    logo, problem = _logo()
    if problem:
        flash(problem, "error")
        return _list(form, 400)
    made = consultancies.create_firm(
        get_db(), form.name.data, form.qualification.data or "", logo, current_actor()
    )
    if isinstance(made, consultancies.Refused):
        flash(str(REFUSALS[made.reason]), "error")
        return _list(form, 400)
    flash(_("Consultancy created. Now place its consultants in it."), "success")
    return redirect(url_for("firms.show", firm_id=made))


def _page(firm_id: int, form: FirmForm | None = None, place: PlaceForm | None = None, status=200):
    db = get_db()
    firm = firms.get(db, firm_id) if 0 < firm_id < 2**63 else None
    if firm is None:
        abort(404)
    return render_template(
        "admin/firm.html",
        firm=firm,
        logo=logos.data_url(firm),
        consultants=firms.consultants(db, firm_id),
        form=form or FirmForm(formdata=None, data=firm),
        place=place or PlaceForm(formdata=None),
    ), status


@bp.get("/admin/firms/<int:firm_id>")
@allow("admin")
def show(firm_id: int):
    return _page(firm_id)


@bp.post("/admin/firms/<int:firm_id>")
@allow("admin")
def update(firm_id: int):
    form = FirmForm()
    if not form.validate_on_submit():
        return _page(firm_id, form=form, status=400)
    logo, problem = _logo()
    if problem:
        flash(problem, "error")
        return _page(firm_id, form=form, status=400)
    refused = consultancies.update_firm(
        get_db(),
        firm_id,
        current_actor(),
        name=form.name.data,
        qualification=form.qualification.data or "",
        logo=logo,
    )
    if refused is not None and refused.reason == "not_found":
        abort(404)
    if refused is not None:
        flash(str(REFUSALS[refused.reason]), "error")
        return _page(firm_id, form=form, status=400)
    flash(_("The consultancy is changed."), "success")
    return redirect(url_for("firms.show", firm_id=firm_id))


@bp.post("/admin/firms/<int:firm_id>/consultants")
@allow("admin")
def place(firm_id: int):
    form = PlaceForm()
    if not form.validate_on_submit():
        return _page(firm_id, place=form, status=400)
    refused = consultancies.place_consultant(get_db(), firm_id, form.email.data, current_actor())
    if refused is not None and refused.reason == "not_found":
        abort(404)
    if refused is not None:
        flash(str(REFUSALS[refused.reason]), "error")
        return _page(firm_id, place=form, status=400)
    flash(_("%(email)s is now a consultant of this consultancy.", email=form.email.data), "success")
    return redirect(url_for("firms.show", firm_id=firm_id))
