"""Error pages: a plain message for each status, never a stack trace."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from assess.web import api, logs, uploads
from assess.web.login import api_request

MESSAGES = {
    400: _l("The request could not be understood. Go back, check what you entered and try again."),
    401: _l("Please log in to continue."),
    403: _l("You do not have access to this page."),
    404: _l("This page does not exist, or you do not have access to it."),
    405: _l("This action is not available here."),
    411: _l(
        "Your browser sent this without saying its length, so it was not received and nothing"
        " was saved. Reload the page and try again."
    ),
    413: _l("What you sent is too large: at most %(total)s MB is accepted here."),
    429: _l("Too many attempts. Wait a few minutes and try again."),
    500: _l("Something went wrong on our side. Your saved answers are safe; please try again."),
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.endswith(".json") or (
        best == "application/json" and request.accept_mimetypes[best] > 0
    )


def render_error(error: HTTPException):
    if isinstance(error, CSRFError) and request.endpoint in current_app.view_functions:
        # A form whose session is gone: views that keep such posts (the wizard) do so.
        keep = getattr(current_app.view_functions[request.endpoint], "on_expired_post", None)
        if keep is not None and request.method == "POST":
            try:
                return keep()
            except HTTPException as refused:  # not a post it can keep (no genuine owner)
                error = refused
    code = error.code or 500
    if code in (401, 403):
        _record_denied(code)
    if api_request():
        return api.error_response(error)
    message = getattr(error, "message", None) or MESSAGES.get(code, error.name)
    if code == 413:
        message = _too_large(message)
    if isinstance(error, CSRFError):
        message = _l("This form has expired. Reload the page and try again.")
    if _wants_json():
        return jsonify(
            {"error": code, "message": str(message), "request_id": logs.request_id()}
        ), code
    return render_template(
        "error.html", code=code, message=message, back=_back(), request_id=logs.request_id()
    ), code


def _too_large(message) -> str:
    """Why a body was refused: too large for this page, or files sent without a session."""
    if uploads.refused_because_anonymous():
        return str(
            _l(
                "Your session has expired, so the files could not be received and nothing was"
                " saved. Go back (what you typed is still on the page), copy any long text, log"
                " in again and save the page with its files."
            )
        )
    if uploads.may_upload():
        return str(
            _l(
                "What you sent is too large: each evidence file may be at most 10 MB, and one"
                " save at most %(total)s MB. Go back and save the page with fewer files at a"
                " time."
            )
        ) % {"total": uploads.body_limit() // uploads.MB}
    return str(message) % {"total": max(1, uploads.body_limit() // uploads.MB)}


def _back() -> str | None:
    """The page the user came from, on this site only: where to go back to after a refusal."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def _record_denied(code: int) -> None:
    from flask_login import current_user

    from assess.store import audit
    from assess.web.database import get_db

    user_id = current_user.id if current_user and current_user.is_authenticated else None
    audit.record(
        get_db(),
        "access_denied",
        user_id=user_id,
        target_type="route",
        target_id=request.endpoint,
        detail={"path": request.path, "status": code},
        ip=request.remote_addr,
    )


def render_unexpected(error: Exception):
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return render_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(Exception, render_unexpected)
