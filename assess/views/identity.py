"""Proven addresses: confirming one's e-mail, a forgotten password, notifications by e-mail."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from assess.organisation import identity
from assess.organisation.mail import LinkRefused
from assess.organisation.passwords import password_problem
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.forms.mail import MailForm
from assess.web.i18n import lang
from assess.web.login import current_actor, end_session
from assess.web.redirects import safe_next

bp = Blueprint("identity", __name__)
ROLES = ("enterprise", "consultant", "authority", "admin")

LINK_REFUSALS = {
    "forged": _l(
        "This link is not valid: it may have been copied incompletely. Open it from the"
        " message again, or ask for a new one."
    ),
    "expired": _l("This link has expired. Ask for a new one."),
    "used": _l("This link has been used already: each link works once. Ask for a new one."),
    "unknown": _l(
        "This link is no longer valid for its account (the account changed or was closed)."
    ),
}


class ForgotForm(Form):
    email = EmailField(_l("E-mail (your login)"), validators=[DataRequired(), Length(max=254)])


class ResetForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    email = ""  # the account's, set by the view: a password may not contain it

    def validate_password(self, field):
        problem = password_problem(field.data, self.email, lang())
        if problem:
            raise ValidationError(problem)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def confirm(token: str):
    """The link of the confirmation mail: a button that proves the address (a GET changes
    nothing, so a mail scanner opening the link confirms nothing)."""
    db = get_db()
    if request.method == "GET":
        link = identity.check_confirmation(db, token)
        if isinstance(link, LinkRefused):
            return _refused(link, forgot=False)
        return render_template("identity/confirm.html", email=link.user["email"])
    outcome = identity.confirm(db, token, request.remote_addr)
    if isinstance(outcome, LinkRefused):
        return _refused(outcome, forgot=False)
    flash(
        _("Thank you: your e-mail address %(email)s is confirmed.", email=outcome["email"]),
        "success",
    )
    return redirect(url_for("home.index"))


@bp.post("/account/confirm")
@allow(*ROLES)
def resend():
    """Send the confirmation link again (at most once a minute and five times a day)."""
    refused = identity.resend_confirmation(get_db(), current_user.id, current_actor())
    if refused is None:
        flash(
            _("A new confirmation link is on its way to %(email)s.", email=current_user.email),
            "success",
        )
    elif refused.reason == "confirmed":
        flash(_("Your e-mail address is confirmed already."), "info")
    elif refused.reason == "wait":
        flash(_("A link was sent less than a minute ago. Wait a minute, then try again."), "error")
    else:
        flash(
            _("Five links were sent today. Look in your spam folder, or try again tomorrow."),
            "error",
        )
    return redirect(safe_next(request.form.get("next")) or url_for("auth.account"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@allow(PUBLIC)
def forgot():
    """Ask for a password-reset link; the answer is the same for any address."""
    form = ForgotForm()
    if form.validate_on_submit():
        identity.request_reset(get_db(), form.email.data, request.remote_addr)
        return render_template("identity/forgot_sent.html", email=form.email.data.strip())
    return render_template("identity/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def reset(token: str):
    """The link of the reset mail: choose a new password (every session then ends)."""
    db = get_db()
    link = identity.check_reset(db, token)
    if isinstance(link, LinkRefused):
        return _refused(link)
    form = ResetForm()
    form.email = link.user["email"]
    if form.validate_on_submit():
        outcome = identity.reset_password(db, token, form.password.data, request.remote_addr)
        if isinstance(outcome, LinkRefused):
            return _refused(outcome)
        if current_user.is_authenticated:
            end_session()
        flash(_("Your password is changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("identity/reset.html", form=form, email=link.user["email"])


def _refused(link: LinkRefused, forgot: bool = True):
    """A link refused: 410 when it was good but is spent or too old, 404 when it never was."""
    status = 410 if link.reason in ("expired", "used") else 404
    return render_template(
        "identity/link_refused.html", reason=str(LINK_REFUSALS[link.reason]), forgot=forgot
    ), status


@bp.post("/account/mail")
@allow(*ROLES)
def mail_preference():
    """Turn notifications by e-mail off or on (security mail always comes)."""
    form = MailForm()
    if form.validate_on_submit():
        identity.set_mail_opt_out(
            get_db(), current_user.id, not form.notifications.data, current_actor()
        )
        if form.notifications.data:
            flash(_("Notifications by e-mail are on."), "success")
        else:
            flash(
                _(
                    "Notifications by e-mail are off. Mail about your account's security"
                    " (confirming the address, password resets and changes) still comes."
                ),
                "success",
            )
    return redirect(url_for("auth.account"))
