"""Enterprises grant consultants access: invite, accept requests, revoke; consultants accept."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from assess.organisation import consultant_access
from assess.organisation.consultant_access import Refused
from assess.organisation.mail import INVITATION_DAYS
from assess.organisation.passwords import password_problem
from assess.organisation.permissions import may_manage_organisation
from assess.privacy import NOTICE_VERSION
from assess.store import audit, grants, organisations
from assess.web.access import PUBLIC, allow, proven
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.forms.registration import privacy_consent, validate_email_address
from assess.web.guards import require
from assess.web.i18n import lang
from assess.web.login import current_actor, start_session

bp = Blueprint("access", __name__)


class InviteForm(Form):
    email = EmailField(_l("Consultant's e-mail"), validators=[DataRequired(), Length(max=254)])

    def validate_email(self, field):
        validate_email_address(field)


class ConsultantSignupForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=50)])
    email = EmailField(_l("E-mail (your login)"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    consent = privacy_consent()

    def validate_password(self, field):
        problem = password_problem(field.data, self.email.data or "", lang())
        if problem:
            raise ValidationError(problem)


INVITE_REFUSALS = {
    "has_access": _l("This consultant already has access."),
    "invitation_waiting": _l(
        "An invitation to this e-mail is already waiting. If its mail is lost, send a new"
        " link below."
    ),
}


@bp.route("/consultants", methods=["GET", "POST"])
@allow("enterprise")
@proven
def manage():
    """The enterprise's consultants: invite one, answer requests, revoke access."""
    require(may_manage_organisation(current_user))
    form = InviteForm()
    if form.validate_on_submit():
        outcome = consultant_access.invite(
            get_db(), current_user.organisation_id, form.email.data, current_actor()
        )
        if isinstance(outcome, Refused):
            form.email.errors.append(str(INVITE_REFUSALS[outcome.reason]))
        else:
            flash(
                _(
                    "Invitation sent by e-mail to %(email)s. The consultant accepts it with the"
                    " link in that mail (it works once, for %(days)s days).",
                    email=form.email.data.strip().lower(),
                    days=INVITATION_DAYS,
                ),
                "success",
            )
            return redirect(url_for("access.manage"))
    return _page(form)


def _page(form):
    db = get_db()
    organisation_id = current_user.organisation_id
    return render_template(
        "grants/manage.html",
        form=form,
        organisation=organisations.get(db, organisation_id),
        rows=grants.for_organisation(db, organisation_id),
        accesses=[
            {**row, "what": _access_label(row)}
            for row in audit.for_organisation(db, organisation_id)
        ],
    )


ACCESS_LABELS = {
    ("viewed", "results"): _l("opened the results"),
    ("viewed", "json"): _l("read the results as data (JSON)"),
    ("viewed", "comparison"): _l("opened the comparison with the self-assessment"),
    ("viewed", "report"): _l("opened the report preview"),
    ("client_viewed", None): _l("opened your enterprise's page"),
    ("report_download", None): _l("downloaded the PDF report"),
    ("annex_download", None): _l("downloaded the report's annex (every answer)"),
    ("grant_accepted", None): _l("accepted your invitation and has access"),
    ("evidence_downloaded", None): _l("downloaded an evidence file"),
}


def _access_label(row: dict) -> str:
    """What an access in the log was, in words."""
    page = json.loads(row["detail"] or "{}").get("page")
    label = ACCESS_LABELS.get((row["action"], page)) or ACCESS_LABELS.get((row["action"], None))
    return str(label) if label else _("other access (%(action)s)", action=row["action"])


@bp.post("/consultants/<int:grant_id>/revoke")
@allow("enterprise")
def revoke(grant_id: int):
    require(may_manage_organisation(current_user))
    if not consultant_access.revoke(
        get_db(), current_user.organisation_id, grant_id, current_actor()
    ):
        abort(404)
    flash(_("Access revoked. The consultant can no longer see your enterprise."), "success")
    return redirect(url_for("access.manage"))


@bp.post("/consultants/<int:grant_id>/link")
@allow("enterprise")
@proven
def renew_link(grant_id: int):
    """Mail a new link for a waiting invitation (the first was lost or expired); the old one
    stops working."""
    require(may_manage_organisation(current_user))
    if (
        consultant_access.renew_link(
            get_db(), current_user.organisation_id, grant_id, current_actor()
        )
        is None
    ):
        abort(404)
    flash(
        _("A new invitation is on its way by e-mail. The previous link no longer works."),
        "success",
    )
    return redirect(url_for("access.manage"))


@bp.post("/consultants/<int:grant_id>/accept")
@allow("enterprise")
@proven
def accept_request(grant_id: int):
    """The enterprise accepts a consultant's request for access."""
    require(may_manage_organisation(current_user))
    if not consultant_access.accept_request(
        get_db(), current_user.organisation_id, grant_id, current_actor()
    ):
        abort(404)
    flash(_("The consultant now has access to your enterprise."), "success")
    return redirect(url_for("access.manage"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def invitation(token: str):
    """A consultant opens an invitation: accept it (logged in) or create an account to accept."""
    db = get_db()
    grant = grants.by_token(db, token)
    if not consultant_access.waiting_invitation(grant):
        return render_template("grants/invitation.html", grant=None), 404
    organisation = organisations.get(db, grant["organisation_id"])
    page = {"grant": grant, "organisation": organisation}
    if current_user.is_authenticated:
        if current_user.role != "consultant":
            return render_template("grants/invitation.html", **page, wrong_role=True)
        if not grants.addressed_to(grant, current_user.id, current_user.email):
            # the link reached someone else: only the consultant invited may accept it
            return render_template("grants/invitation.html", **page, wrong_account=True), 403
        if request.method == "POST":
            consultant_access.accept_invitation(db, grant, current_actor())
            return _accepted(grant)
        return render_template("grants/invitation.html", **page)
    form = ConsultantSignupForm()
    form.email.data = grant["invited_email"]  # the account is for the e-mail invited
    if form.validate_on_submit():
        outcome = consultant_access.sign_up_and_accept(
            db, grant, form.name.data, form.password.data, request.remote_addr, NOTICE_VERSION
        )
        if isinstance(outcome, Refused):
            form.email.errors.append(
                _("An account with this e-mail already exists. Log in, or use another e-mail.")
            )
        else:
            start_session(outcome)
            return _accepted(grant)
    return render_template("grants/invitation.html", **page, form=form)


def _accepted(grant: dict):
    flash(_("Invitation accepted: the enterprise is now one of your clients."), "success")
    return redirect(url_for("consultant.client", organisation_id=grant["organisation_id"]))
