"""Accounts an administrator makes: inviting a consultant, an authority (with its region and
park) or an administrator by e-mail, re-sending or withdrawing an invitation, and the invited
person accepting it (the account exists from then on). Use cases: assess/regional/staff.py."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from assess.privacy import NOTICE_VERSION
from assess.regional import parks, staff
from assess.store import account_invitations, firms
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.forms.new_account import JoinForm
from assess.web.forms.registration import validate_email_address
from assess.web.i18n import lang
from assess.web.ids import parse_id
from assess.web.login import current_actor, start_session
from assess.web.templating import ROLE_LABELS

bp = Blueprint("staff", __name__)

ROLE_CHOICES = [SelectChoice(role, ROLE_LABELS[role]) for role in staff.ROLES]
REFUSALS = {
    "email": _l("Enter an e-mail address such as name@example.com."),
    "name": _l("Give the person's name, at most 50 characters."),
    "role": _l("Choose a role: consultant, authority or administrator."),
    "region": _l(
        "An authority needs its region: six digits of a province, city or county, or 000000 for"
        " the whole country."
    ),
    "park": _l("A park belongs to an authority of the park's own county; choose it or no park."),
    "firm": _l("Only a consultant belongs to a consultancy; choose one that exists, or none."),
    "account_exists": _l("An account with this e-mail exists already."),
    "invitation_waiting": _l(
        "An invitation to this e-mail is waiting already: send it again from the list below."
    ),
    "not_found": _l("This invitation was accepted or withdrawn already."),
}
LINK_REFUSALS = {
    "invalid": _l("This link is not valid: it was mistyped, or a newer link replaced it."),
    "expired": _l("This invitation has expired. Ask the administrator to send it again."),
    "used": _l("This invitation was accepted already. Log in with the account made then."),
    "revoked": _l("This invitation was withdrawn by the administrator."),
    "account_exists": _l("An account with this e-mail exists already: log in with it."),
}


class InviteForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    name = StringField(
        _l("Name (a person or an office)"), validators=[DataRequired(), Length(max=50)]
    )
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    locale = SelectField(
        _l("Language of the account"),
        choices=[SelectChoice("zh", "中文"), SelectChoice("en", "English")],
    )
    region = StringField(
        _l("Region code (authority only)"),
        validators=[Optional(), Regexp(r"^\d{6}$", message=_l("Six digits, e.g. 320500."))],
    )
    park = SelectField(_l("Park (authority of a county only)"), choices=[], validate_choice=False)
    firm = SelectField(_l("Consultancy (consultant only)"), choices=[], validate_choice=False)

    def validate_email(self, field):
        validate_email_address(field)


def _form(empty: bool = False) -> InviteForm:
    """The invitation form (empty: not read from the request), its parks and firms to choose."""
    db = get_db()
    form = InviteForm(formdata=None) if empty else InviteForm()
    form.park.choices = [SelectChoice("", _("no park: the whole region"))] + [
        SelectChoice(str(p["id"]), f"{p['name_zh']} · {p['county']} {p['county_code']}")
        for p in parks.listing(db, lang())
    ]
    form.firm.choices = [SelectChoice("", _("no consultancy"))] + [
        SelectChoice(str(f["id"]), f["name"]) for f in firms.all_firms(db)
    ]
    return form


def _page(form: InviteForm, status: int = 200):
    return render_template(
        "admin/invite.html",
        form=form,
        invitations=account_invitations.open_invitations(get_db()),
    ), status


def _id(value: str | None) -> int | None:
    """A chosen park's or firm's id; None when none is chosen, 0 (no such one) when it cannot
    be an id."""
    if not value:
        return None
    return parse_id(value) or 0


@bp.get("/admin/accounts/new")
@allow("admin")
def new():
    return _page(_form(empty=True))


@bp.post("/admin/accounts/new")
@allow("admin")
def invite():
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400)
    invited = staff.invite(
        get_db(),
        staff.Invitation(
            email=form.email.data,
            name=form.name.data,
            role=form.role.data,
            region_code=form.region.data or "",
            park_id=_id(form.park.data),
            firm_id=_id(form.firm.data),
            locale=form.locale.data,
        ),
        current_actor(),
    )
    if isinstance(invited, staff.Refused):
        flash(str(REFUSALS[invited.reason]), "error")
        return _page(form, 400)
    flash(
        _(
            "The invitation is sent to %(email)s. The account exists once its link is opened"
            " and a password chosen.",
            email=form.email.data,
        ),
        "success",
    )
    return redirect(url_for("staff.new"))


@bp.post("/admin/invitations/<int:invitation_id>/resend")
@allow("admin")
def resend(invitation_id: int):
    refused = staff.resend(get_db(), invitation_id, current_actor())
    if refused is not None:
        flash(str(REFUSALS[refused.reason]), "error")
    else:
        flash(_("The invitation is sent again; the earlier link no longer works."), "success")
    return redirect(url_for("staff.new"))


@bp.post("/admin/invitations/<int:invitation_id>/revoke")
@allow("admin")
def revoke(invitation_id: int):
    refused = staff.revoke(get_db(), invitation_id, current_actor())
    if refused is not None:
        flash(str(REFUSALS[refused.reason]), "error")
    else:
        flash(_("The invitation is withdrawn; its link no longer works."), "success")
    return redirect(url_for("staff.new"))


@bp.route("/accounts/join/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def join(token: str):
    """The invited person opens the link: chooses a name and a password; the account is made."""
    db = get_db()
    found = staff.read_link(db, token)
    if isinstance(found, staff.Refused):
        return render_template("staff/join.html", refused=LINK_REFUSALS[found.reason]), 404
    page = {"invitation": found}
    if current_user.is_authenticated:
        return render_template("staff/join.html", **page, logged_in=True)
    form = JoinForm(data={"name": found["name"]} if request.method == "GET" else None)
    form.email.data = found["email"]  # the account is for the address invited
    if form.validate_on_submit():
        made = staff.accept(
            db, token, form.name.data, form.password.data, NOTICE_VERSION, request.remote_addr
        )
        if isinstance(made, staff.Refused):
            form.password.errors.append(str(LINK_REFUSALS[made.reason]))
        else:
            start_session(made)
            flash(_("Your account is ready. Welcome."), "success")
            return redirect(url_for("home.index"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/join.html", **page, form=form), status
