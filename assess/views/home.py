"""The home page and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from assess.declaration import contests
from assess.organisation import consultant_access
from assess.store import users
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.redirects import safe_next

bp = Blueprint("home", __name__)


@bp.get("/")
@allow(PUBLIC)
def index():
    pending, contest = [], None
    if current_user.is_authenticated and current_user.role == "enterprise":
        pending = consultant_access.pending_requests(get_db(), current_user.organisation_id)
        contest = contests.of_claimant(get_db(), current_user)
    return render_template("home/index.html", pending=pending, contest=contest)


@bp.post("/lang")
@allow(PUBLIC)
def switch_language():
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            users.set_locale(get_db(), current_user.id, lang)
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
