"""Accounts in the session: Flask-Login, idle and absolute timeouts."""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, abort, current_app, g, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from assess.organisation import api_tokens
from assess.store import users
from assess.store.audit import Actor
from assess.web.database import get_db

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "basic"

API_PREFIX = "/api/v1/"  # requests here act by a personal access token, never by a session
# Session keys that survive a login or logout (a fresh session is made on both).
CARRIED_KEYS = ("lang", "pending_save")


@dataclass(frozen=True)
class User(UserMixin):
    """The signed-in account, as views see it."""

    id: int
    email: str
    name: str
    role: str
    organisation_id: int | None
    region_scope: str | None
    park_id: int | None
    locale: str
    session_version: int
    email_confirmed_at: str | None  # None until the address is proven (organisation/identity)
    member_role: str | None = None  # in an enterprise's team: owner | contributor | viewer
    privacy_version: str | None = None  # the privacy notice agreed to (privacy/agreement.py)

    @classmethod
    def from_row(cls, row: dict) -> User:
        return cls(**{field: row[field] for field in cls.__dataclass_fields__})

    def get_id(self) -> str:
        # The version makes every older cookie of this user invalid once it is bumped.
        return f"{self.id}:{self.session_version}"


def api_request() -> bool:
    """Whether this request is to the API, where only a token says who acts."""
    return request.path.startswith(API_PREFIX)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if api_request():
        return None  # a browser's session cookie does not act on the API (it has no CSRF check)
    try:
        uid, version = (int(part) for part in user_id.split(":"))
    except ValueError:
        return None
    row = users.get(get_db(), uid)
    if row is None or not row["active"] or row["session_version"] != version:
        return None
    return User.from_row(row)


@login_manager.request_loader
def load_token_user(_request) -> User | None:
    """On the API: the user of the bearer token (`Authorization: Bearer ast_…`); its scopes in
    g.api_scopes. Why a token was refused is kept in g.api_refusal (a throttled one: 429)."""
    if not api_request():
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    outcome = api_tokens.authenticate(
        get_db(), token.strip() if scheme.lower() == "bearer" else None, request.remote_addr
    )
    if isinstance(outcome, api_tokens.Refused):
        g.api_refusal = outcome.reason
        if outcome.reason == "throttled":
            abort(429)
        return None
    g.api_scopes = outcome.scopes
    return User.from_row(outcome.user)


def current_actor() -> Actor:
    """The logged-in user and the client's address, as the audit log records them."""
    user_id = current_user.id if current_user.is_authenticated else None
    return Actor(user_id, request.remote_addr)


def current_authority() -> dict:
    """The logged-in authority as the use cases take one: its id, region scope and park."""
    return {
        "id": current_user.id,
        "region_scope": current_user.region_scope or "",
        "park_id": current_user.park_id,
    }


def start_session(row: dict) -> None:
    """A new session for a successful login (never reuse the anonymous one)."""
    carried = {key: session[key] for key in CARRIED_KEYS if key in session}
    session.clear()
    session.update(carried)
    user = User.from_row(row)
    login_user(user)
    session.permanent = True
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now
    if "lang" in carried and carried["lang"] != row["locale"]:
        users.set_locale(get_db(), row["id"], carried["lang"])  # chosen just now: remember it
    else:
        session["lang"] = row["locale"]


def end_session() -> None:
    """Log out here (the account's other sessions end with organisation.accounts.log_out)."""
    carried = {key: session[key] for key in CARRIED_KEYS if key in session}
    logout_user()
    session.clear()
    session.update(carried)


def _expire_idle_session() -> None:
    """Log out a session idle for too long or older than its absolute lifetime."""
    if "_user_id" not in session:
        return
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    if now - session.get("seen_at", 0) > idle or now - session.get("login_at", 0) > lifetime:
        carried = {key: session[key] for key in CARRIED_KEYS if key in session}
        logout_user()
        session.clear()
        session.update(carried)
        session["expired"] = True
        return
    session["seen_at"] = now


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(_expire_idle_session)
