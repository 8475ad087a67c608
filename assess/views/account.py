"""Log in and log out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from assess.access import PUBLIC, allow
from assess.auth import end_session, start_session
from assess.db import get_db
from assess.store import audit, users
from assess.ui import landing_url
from assess.views.safety import safe_next

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    if session.pop("expired", False) and request.method == "GET":
        flash(_("Your session expired. Please log in again; nothing you saved is lost."), "info")
    if form.validate_on_submit():
        db = get_db()
        row = users.authenticate(db, form.email.data, form.password.data)
        if row is None:
            audit.record(
                db,
                "login_failed",
                detail={"email": form.email.data.strip().lower()[:254]},
                ip=request.remote_addr,
            )
            flash(_("Wrong e-mail or password."), "error")
        else:
            users.record_login(db, row["id"])
            audit.record(db, "login", user_id=row["id"], ip=request.remote_addr)
            start_session(row)
            return redirect(next_url or landing_url(row["role"]))
    return render_template("login.html", form=form, next_url=next_url)


@bp.post("/logout")
@allow(PUBLIC)
def logout():
    if current_user.is_authenticated:
        audit.record(get_db(), "logout", user_id=current_user.id, ip=request.remote_addr)
    end_session()
    flash(_("You are logged out."), "info")
    return redirect(url_for("home.index"))
