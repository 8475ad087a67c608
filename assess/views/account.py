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

from assess.organisation.passwords import password_problem
from assess.store import audit, throttle, users
from assess.store.database import write_transaction
from assess.views.wizard import apply_kept_answers
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.login import end_session, start_session
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
        problem = password_problem(field.data, current_user.email)
        if problem:
            raise ValidationError(problem)


def _finish_login(row: dict, next_url: str | None):
    """Password (and second factor) accepted: a new session, kept answers saved."""
    db = get_db()
    users.record_login(db, row["id"])
    throttle.succeed(db, row["email"])
    audit.record(db, "login", user_id=row["id"], ip=request.remote_addr)
    start_session(row)
    kept = session.pop("pending_save", None)
    if kept:  # answers posted when the session had expired: save them now
        apply_kept_answers(db, kept, current_user)
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
        db = get_db()
        email = form.email.data.strip().lower()[:254]
        ip = request.remote_addr or ""
        if throttle.blocked(db, email, ip):
            audit.record(db, "login_throttled", detail={"email": email}, ip=ip)
            return _too_many()
        row = users.authenticate(db, email, form.password.data)
        if row is None:
            throttle.fail(db, email, ip)
            audit.record(db, "login_failed", detail={"email": email}, ip=ip)
            flash(_("Wrong e-mail or password."), "error")
        elif row["totp_enabled"]:
            session["second_factor"] = {"user": row["id"], "at": time.time(), "next": next_url}
            return redirect(url_for("auth.second_factor"))
        else:
            return _finish_login(row, next_url)
    return render_template("login.html", form=form, next_url=next_url)


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
        ip = request.remote_addr or ""
        if throttle.blocked(db, row["email"], ip):
            return _too_many()
        step = users.verify_totp(db, row, form.code.data.strip())
        if step is None:
            throttle.fail(db, row["email"], ip)
            audit.record(
                db, "login_failed", user_id=row["id"], detail={"second_factor": True}, ip=ip
            )
            flash(
                _("That code is not right. Use the current code of your authenticator app."),
                "error",
            )
        else:
            session.pop("second_factor", None)
            return _finish_login(row, pending.get("next"))
    return render_template("login_code.html", form=form)


@bp.post("/logout")
@allow(PUBLIC)
def logout():
    if current_user.is_authenticated:
        audit.record(get_db(), "logout", user_id=current_user.id, ip=request.remote_addr)
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
        if users.authenticate(db, current_user.email, form.current.data) is None:
            form.current.errors.append(_("This is not your current password."))
        else:
            with write_transaction(db):
                users.set_password(db, current_user.id, form.password.data)
                users.end_sessions(db, current_user.id)
                audit.record(
                    db, "password_changed", user_id=current_user.id, ip=request.remote_addr
                )
            start_session(users.get(db, current_user.id))
            flash(_("Password changed. Every other session of your account has ended."), "success")
            return redirect(url_for("auth.account"))
    row = users.get(db, current_user.id)
    return render_template(
        "account.html", form=form, row=row, totp_roles=TOTP_ROLES, code_form=CodeForm()
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
        step = users.totp_step(secret, form.code.data.strip())
        if step is None:
            flash(
                _("That code is not right. Use the current code of your authenticator app."),
                "error",
            )
        else:
            with write_transaction(db):
                users.enable_totp(db, row["id"], secret, step)
                users.end_sessions(db, row["id"])
                audit.record(db, "totp_enabled", user_id=row["id"], ip=request.remote_addr)
            start_session(users.get(db, row["id"]))
            flash(_("Second factor added: you will be asked for a code at every login."), "success")
            return redirect(url_for("auth.account"))
    uri = pyotp.TOTP(secret).provisioning_uri(name=row["email"], issuer_name=ISSUER)
    return render_template("account_totp.html", form=form, secret=secret, uri=uri)


@bp.post("/account/totp/off")
@allow(*TOTP_ROLES)
def totp_off():
    form = CodeForm()
    db = get_db()
    row = users.get(db, current_user.id)
    if (
        row["totp_enabled"]
        and form.validate_on_submit()
        and users.verify_totp(db, row, form.code.data.strip())
    ):
        with write_transaction(db):
            users.disable_totp(db, row["id"])
            audit.record(db, "totp_disabled", user_id=row["id"], ip=request.remote_addr)
        flash(_("Second factor removed."), "success")
    else:
        flash(_("That code is not right. Use the current code of your authenticator app."), "error")
    return redirect(url_for("auth.account"))
