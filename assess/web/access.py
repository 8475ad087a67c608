"""Who may enter which view: one decorator on every view, deny by default."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from assess.store.users import ROLES
from assess.web.api import refuse
from assess.web.login import api_request

PUBLIC = "public"
F = TypeVar("F", bound=Callable)


def allow(*roles: str) -> Callable[[F], F]:
    """Declare who may use a view: role names, or PUBLIC for everyone including anonymous."""
    unknown = set(roles) - {*ROLES, PUBLIC}
    if not roles or unknown:
        raise ValueError(f"allow() needs roles from {ROLES} or PUBLIC, got {roles}")

    def decorate(view: F) -> F:
        view.access_roles = frozenset(roles)  # type: ignore[attr-defined]
        return view

    return decorate


def proven(view: F) -> F:
    """The view's posts do something others see (a submission, a declaration, access for a
    consultant, the candidate list): an account whose e-mail address is not confirmed yet is
    refused them with a page that says how to confirm it (a GET is not affected)."""
    view.needs_proven_address = True  # type: ignore[attr-defined]
    return view


def access_roles(view: Callable) -> frozenset[str] | None:
    """The roles a view was declared for, or None when it declares nothing."""
    return getattr(view, "access_roles", None)


def _check_access() -> object:
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions[request.endpoint]
    roles = access_roles(view)
    if roles is None:
        current_app.logger.error("view %s declares no access rule: denied", request.endpoint)
        abort(403)
    if PUBLIC in roles:
        return None
    if not current_user.is_authenticated:
        if api_request():
            abort(401)  # no token, or a refused one: errors.py says which
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if getattr(view, "on_expired_post", None) is not None:
            return view.on_expired_post()
        abort(401)
    if current_user.role not in roles:
        abort(403)
    if (
        getattr(view, "needs_proven_address", False)
        and request.method != "GET"
        and not current_user.email_confirmed_at
    ):
        if api_request():
            refuse(403, "unconfirmed_address")
        return render_template("account/confirm_first.html"), 403
    return None


def init_app(app: Flask) -> None:
    app.before_request(_check_access)
