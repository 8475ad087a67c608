"""Log in (with throttling and an optional second factor), log out, and one's own account."""

from __future__ import annotations

import time

import pyotp
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from assess.organisation import accounts, api_tokens
from assess.organisation.passwords import password_problem
from assess.store import users
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.forms.mail import MailForm
from assess.web.forms.tokens import TokenForm
from assess.web.i18n import lang
from assess.web.kept_pages import apply_kept_page
from assess.web.login import current_actor, end_session, start_session
from assess.web.redirects import safe_next
from assess.web.templating import landing_url

bp = Blueprint("auth", __name__)
SECOND_FACTOR_MINUTES = 5
TOTP_ROLES = ("consultant", "authority", "admin")  # who may add a second factor
PENDING_TOTP = "totp_pending"  # a new secret until its first code confirms it
ISSUER = "assess"


class LoginForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class CodeForm(Form):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[DataRequired(), Regexp(r"^\s*\d{6}\s*$", message=_l("Enter the six digits."))],
    )


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )

    def validate_password(self, field):
        problem = password_problem(field.data, current_user.email, lang())
        if problem:
            raise ValidationError(problem)


def _finish_login(row: dict, next_url: str | None):
    """Password (and second factor) accepted: a new session, kept answers saved."""
    start_session(row)
    kept = session.pop("pending_save", None)
    if kept:  # answers posted when the session had expired: save them now
        apply_kept_page(get_db(), kept, current_user)
    return redirect(next_url or landing_url(row["role"]))


def _too_many():
    return render_template(
        "error.html",
        code=429,
        message=_(
            "Too many failed attempts. Wait 15 minutes and try again, or ask an administrator."
        ),
    ), 429


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if session.pop("expired", False) and request.method == "GET":
        flash(_("Your session expired. Please log in again; nothing you saved is lost."), "info")
    if form.validate_on_submit():
        outcome = accounts.log_in(
            get_db(), form.email.data, form.password.data, request.remote_addr or ""
        )
        if isinstance(outcome, accounts.NeedsCode):
            session["second_factor"] = {
                "user": outcome.user_id,
                "at": time.time(),
                "next": next_url,
            }
            return redirect(url_for("auth.second_factor"))
        if not isinstance(outcome, accounts.Refused):
            return _finish_login(outcome, next_url)
        if outcome.reason == "throttled":
            return _too_many()
        flash(_("Wrong e-mail or password."), "error")
    return render_template("account/login.html", form=form, next_url=next_url)


@bp.route("/login/code", methods=["GET", "POST"])
@allow(PUBLIC)
def second_factor():
    """The second step for accounts with a TOTP second factor."""
    pending = session.get("second_factor")
    if not pending or time.time() - pending["at"] > SECOND_FACTOR_MINUTES * 60:
        session.pop("second_factor", None)
        return redirect(url_for("auth.login"))
    db = get_db()
    row = users.get(db, pending["user"])
    if row is None or not row["active"]:
        abort(403)
    form = CodeForm()
    if form.validate_on_submit():
        outcome = accounts.check_second_factor(db, row, form.code.data, request.remote_addr or "")
        if not isinstance(outcome, accounts.Refused):
            session.pop("second_factor", None)
            return _finish_login(outcome, pending.get("next"))
        if outcome.reason == "throttled":
            return _too_many()
        flash(_("That code is not right. Use the current code of your authenticator app."), "error")
    return render_template("account/login_code.html", form=form)


@bp.post("/logout")
@allow(PUBLIC)
def logout():
    if current_user.is_authenticated:
        accounts.log_out(get_db(), current_actor())
    end_session()
    flash(_("You are logged out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/account", methods=["GET", "POST"])
@allow("enterprise", "consultant", "authority", "admin")
def account():
    """Change one's password (every other session of the account ends)."""
    form = PasswordForm()
    db = get_db()
    if form.validate_on_submit():
        changed = accounts.change_password(
            db,
            current_user.id,
            current_user.email,
            form.current.data,
            form.password.data,
            current_actor(),
        )
        if not changed:
            form.current.errors.append(_("This is not your current password."))
        else:
            start_session(users.get(db, current_user.id))
            flash(_("Password changed. Every other session of your account has ended."), "success")
            return redirect(url_for("auth.account"))
    row = users.get(db, current_user.id)
    return render_template(
        "account/account.html",
        form=form,
        row=row,
        totp_roles=TOTP_ROLES,
        code_form=CodeForm(),
        mail_form=MailForm(formdata=None, notifications=not row["mail_opt_out"]),
        token_form=TokenForm(formdata=None),
        tokens=api_tokens.listing(db, current_user.id),
    )


@bp.route("/account/totp", methods=["GET", "POST"])
@allow(*TOTP_ROLES)
def totp():
    """Add a TOTP second factor: a new secret, kept in the session until a first code confirms
    it (a GET changes nothing stored)."""
    db = get_db()
    row = users.get(db, current_user.id)
    if row["totp_enabled"]:
        return redirect(url_for("auth.account"))
    form = CodeForm()
    secret = session.get(PENDING_TOTP)
    if request.method == "GET" or not secret:
        secret = session[PENDING_TOTP] = pyotp.random_base32()
    elif form.validate_on_submit():
        enabled = accounts.enable_second_factor(
            db, row["id"], secret, form.code.data, current_actor()
        )
        if isinstance(enabled, accounts.Refused):
            return _too_many()
        if not enabled:
            flash(
                _("That code is not right. Use the current code of your authenticator app."),
                "error",
            )
        else:
            start_session(users.get(db, row["id"]))
            flash(_("Second factor added: you will be asked for a code at every login."), "success")
            return redirect(url_for("auth.account"))
    uri = pyotp.TOTP(secret).provisioning_uri(name=row["email"], issuer_name=ISSUER)
    return render_template("account/totp.html", form=form, secret=secret, uri=uri)


@bp.post("/account/totp/off")
@allow(*TOTP_ROLES)
def totp_off():
    form = CodeForm()
    disabled = form.validate_on_submit() and accounts.disable_second_factor(
        get_db(), current_user.id, form.code.data, current_actor()
    )
    if isinstance(disabled, accounts.Refused):
        return _too_many()
    if disabled:
        flash(_("Second factor removed."), "success")
    else:
        flash(_("That code is not right. Use the current code of your authenticator app."), "error")
    return redirect(url_for("auth.account"))
