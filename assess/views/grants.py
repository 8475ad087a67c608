"""Enterprises grant consultants access: invite, accept requests, revoke; consultants accept."""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from assess.organisation.passwords import password_problem
from assess.store import audit, grants, organisations, users
from assess.store.database import write_transaction
from assess.views.register import EMAIL
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.login import start_session

bp = Blueprint("access", __name__)


class InviteForm(Form):
    email = EmailField(_l("Consultant's e-mail"), validators=[DataRequired(), Length(max=254)])

    def validate_email(self, field):
        field.data = field.data.strip().lower()
        if not EMAIL.match(field.data):
            raise ValidationError(_("Enter an e-mail address such as name@example.com."))


class ConsultantSignupForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=50)])
    email = EmailField(_l("E-mail (your login)"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )

    def validate_password(self, field):
        problem = password_problem(field.data, self.email.data or "")
        if problem:
            raise ValidationError(problem)


@bp.route("/consultants", methods=["GET", "POST"])
@allow("enterprise")
def manage():
    """The enterprise's consultants: invite one, answer requests, revoke access."""
    db = get_db()
    organisation_id = current_user.organisation_id
    form = InviteForm()
    link = None
    if form.validate_on_submit():
        existing = users.get_by_email(db, form.email.data)
        if existing is not None and existing["role"] != "consultant":
            form.email.errors.append(
                _("This e-mail belongs to an account that is not a consultant.")
            )
        else:
            token = None
            with write_transaction(db):  # checked and written at once: a double click invites once
                if existing is not None and grants.active(db, existing["id"], organisation_id):
                    form.email.errors.append(_("This consultant already has access."))
                elif grants.open_invitation(db, organisation_id, form.email.data):
                    form.email.errors.append(
                        _(
                            "An invitation to this e-mail is already waiting. If its link is lost,"
                            " make a new one below."
                        )
                    )
                else:
                    token = grants.invite(
                        db,
                        organisation_id,
                        current_user.id,
                        email=form.email.data,
                        consultant_id=existing["id"] if existing else None,
                    )
                    audit.record(
                        db,
                        "grant_invited",
                        user_id=current_user.id,
                        target_type="organisation",
                        target_id=organisation_id,
                        detail={"email": form.email.data},
                        ip=request.remote_addr,
                    )
            if token:
                link = url_for("access.invitation", token=token, _external=True)
                flash(
                    _("Invitation created. Send the link below to the consultant; it works once."),
                    "success",
                )
    return _page(form, link)


def _page(form, link: str | None):
    db = get_db()
    organisation_id = current_user.organisation_id
    return render_template(
        "access/manage.html",
        form=form,
        link=link,
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
    ("grant_accepted", None): _l("accepted your invitation and has access"),
    ("evidence_downloaded", None): _l("downloaded an evidence file"),
}


def _access_label(row: dict) -> str:
    """What an access in the log was, in words."""
    page = json.loads(row["detail"] or "{}").get("page")
    label = ACCESS_LABELS.get((row["action"], page)) or ACCESS_LABELS.get((row["action"], None))
    return str(label) if label else _("other access (%(action)s)", action=row["action"])


def _own_grant(grant_id: int) -> dict:
    grant = grants.get(get_db(), grant_id)
    if grant is None or grant["organisation_id"] != current_user.organisation_id:
        abort(404)
    return grant


@bp.post("/consultants/<int:grant_id>/revoke")
@allow("enterprise")
def revoke(grant_id: int):
    grant = _own_grant(grant_id)
    db = get_db()
    with write_transaction(db):
        revoked = grants.revoke(db, grant, current_user.id)
        audit.record(
            db,
            "grant_revoked",
            user_id=current_user.id,
            target_type="grant",
            target_id=grant["id"],
            detail={"consultant_id": grant["consultant_id"], "grants_revoked": revoked},
            ip=request.remote_addr,
        )
    flash(_("Access revoked. The consultant can no longer see your enterprise."), "success")
    return redirect(url_for("access.manage"))


@bp.post("/consultants/<int:grant_id>/link")
@allow("enterprise")
def renew_link(grant_id: int):
    """A new link for a waiting invitation (the first was lost); the old one stops working."""
    grant = _own_grant(grant_id)
    db = get_db()
    with write_transaction(db):
        token = grants.renew_link(db, grant["id"])
        if token is None:
            abort(404)
        audit.record(
            db,
            "grant_link_renewed",
            user_id=current_user.id,
            target_type="grant",
            target_id=grant["id"],
            ip=request.remote_addr,
        )
    flash(_("New invitation link made. The previous link no longer works."), "success")
    return _page(
        InviteForm(formdata=None), url_for("access.invitation", token=token, _external=True)
    )


@bp.post("/consultants/<int:grant_id>/accept")
@allow("enterprise")
def accept_request(grant_id: int):
    """The enterprise accepts a consultant's request for access."""
    grant = _own_grant(grant_id)
    if grant["direction"] != "request" or grant["accepted_at"] or grant["revoked_at"]:
        abort(404)
    db = get_db()
    with write_transaction(db):
        grants.accept(db, grant["id"], grant["consultant_id"])
        audit.record(
            db,
            "grant_accepted",
            user_id=current_user.id,
            target_type="grant",
            target_id=grant["id"],
            detail={"consultant_id": grant["consultant_id"]},
            ip=request.remote_addr,
        )
    flash(_("The consultant now has access to your enterprise."), "success")
    return redirect(url_for("access.manage"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def invitation(token: str):
    """A consultant opens an invitation: accept it (logged in) or create an account to accept."""
    db = get_db()
    grant = grants.by_token(db, token)
    if grant is None or grant["accepted_at"] or grant["revoked_at"]:
        return render_template("access/invitation.html", grant=None), 404
    organisation = organisations.get(db, grant["organisation_id"])
    form = ConsultantSignupForm()
    if current_user.is_authenticated:
        if current_user.role != "consultant":
            return render_template(
                "access/invitation.html", grant=grant, organisation=organisation, wrong_role=True
            )
        if not grants.addressed_to(grant, current_user.id, current_user.email):
            # the link reached someone else: only the consultant invited may accept it
            return render_template(
                "access/invitation.html", grant=grant, organisation=organisation, wrong_account=True
            ), 403
        if request.method == "POST":
            return _accept(grant, current_user.id)
        return render_template("access/invitation.html", grant=grant, organisation=organisation)
    # the account is made for the e-mail invited, whatever the form posts
    form.email.data = grant["invited_email"]
    if form.validate_on_submit():
        if users.get_by_email(db, form.email.data) is not None:
            form.email.errors.append(
                _("An account with this e-mail already exists. Log in, or use another e-mail.")
            )
        else:
            with write_transaction(db):
                user_id = users.create(
                    db,
                    email=form.email.data,
                    name=form.name.data,
                    password=form.password.data,
                    role="consultant",
                )
                audit.record(db, "register", user_id=user_id, target_type="user", target_id=user_id)
            start_session(users.get(db, user_id))
            return _accept(grant, user_id)
    return render_template(
        "access/invitation.html", grant=grant, organisation=organisation, form=form
    )


def _accept(grant: dict, consultant_id: int):
    db = get_db()
    with write_transaction(db):
        grants.accept(db, grant["id"], consultant_id)
        audit.record(
            db,
            "grant_accepted",
            user_id=consultant_id,
            target_type="grant",
            target_id=grant["id"],
            detail={"organisation_id": grant["organisation_id"]},
            ip=request.remote_addr,
        )
    flash(_("Invitation accepted: the enterprise is now one of your clients."), "success")
    return redirect(url_for("consultant.client", organisation_id=grant["organisation_id"]))
