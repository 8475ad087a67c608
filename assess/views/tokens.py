"""Personal access tokens of the API on one's account page: make one (shown once), revoke one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assess.organisation import api_tokens
from assess.store.users import ROLES
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.forms.tokens import TokenForm
from assess.web.login import current_actor

bp = Blueprint("tokens", __name__)


@bp.post("/account/tokens")
@allow(*ROLES)
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("auth.account", _anchor="api-tokens"))
    made = api_tokens.create_confirmed(
        get_db(),
        current_user.email,
        form.password.data,
        form.name.data,
        form.scope.data,
        int(form.days.data),
        current_actor(),
    )
    if isinstance(made, api_tokens.Refused):
        messages = {
            "too_many": _(
                "You have %(num)s active tokens, the most there may be: revoke one first.",
                num=api_tokens.MOST_ACTIVE,
            ),
            "password": _("That is not your password: no token was made."),
            "throttled": _("Too many wrong passwords. Wait 15 minutes and try again."),
        }
        flash(
            messages.get(
                made.reason,
                _("The token could not be made: check its name, what it may do and how long."),
            ),
            "error",
        )
        return redirect(url_for("auth.account", _anchor="api-tokens"))
    # shown on this page only, never again (no redirect: it is never put in the session cookie)
    return render_template("account/token_created.html", token=made.token, name=form.name.data)


@bp.post("/account/tokens/<int:token_id>/revoke")
@allow(*ROLES)
def revoke(token_id: int):
    if Form().validate_on_submit():
        revoked = api_tokens.revoke(get_db(), current_user.id, token_id, current_actor())
        if revoked is True:
            flash(_("Token revoked: it no longer works."), "success")
        else:
            flash(_("No such token of yours is active."), "error")
    return redirect(url_for("auth.account", _anchor="api-tokens"))
