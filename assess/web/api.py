"""The API's plumbing (/api/v1): the OpenAPI document made from the code (flask-smorest with
marshmallow schemas), token scopes, JSON errors with a stable code, pagination and ETags on
lists, and the one helper every endpoint asks "may this token's user see / change this?".

Who acts is the user of the bearer token (assess/web/login.py `load_token_user`); the role
check is the web's `@allow` (assess/web/access.py) and the object checks are the web's guards
(assess/web/guards.py on assess/organisation/permissions.py): the API has no rules of its own.
A token with only the `read` scope may not change anything (403 `insufficient_scope`).
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

import flask_smorest
import marshmallow as ma
from flask import Flask, Response, current_app, g, jsonify, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from assess.web import guards
from assess.web.autosave import BODY_PROBLEMS, SURROGATE, read_body
from assess.web.database import get_db

READING = frozenset({"GET", "HEAD", "OPTIONS"})
PER_PAGE = 20
MOST_PER_PAGE = 100

# A stable code for each refusal: clients branch on it; the message is for people, in the
# language of Accept-Language (Chinese by default).
MESSAGES = {
    "bad_request": _l("The request could not be understood."),
    "missing_token": _l("Send a personal access token: Authorization: Bearer <token>."),
    "invalid_token": _l("This access token is not valid."),
    "expired_token": _l("This access token has expired. Make a new one on your account page."),
    "revoked_token": _l("This access token was revoked."),
    "inactive_account": _l("The account of this access token is disabled."),
    "forbidden": _l("Your account may not do this."),
    "insufficient_scope": _l("This access token may only read. Make one with the write scope."),
    "unconfirmed_address": _l(
        "Confirm your e-mail address first: open the link we sent you when you registered."
    ),
    "not_found": _l("Not found, or you do not have access to it."),
    "method_not_allowed": _l("This method is not available here."),
    "conflict": _l("This cannot be done in the current state."),
    "too_large": _l("What you sent is too large."),
    "invalid": _l("Some of what you sent is not valid; see errors."),
    "throttled": _l("Too many attempts. Wait 15 minutes and try again."),
    "server_error": _l("Something went wrong on our side. Nothing you sent was lost; try again."),
}
STATUS_CODES = {
    400: "bad_request",
    401: "missing_token",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "throttled",
}
TOKEN_REFUSALS = {  # assess/organisation/api_tokens.py's reasons
    "missing": "missing_token",
    "invalid": "invalid_token",
    "expired": "expired_token",
    "revoked": "revoked_token",
    "inactive": "inactive_account",
}


class ApiError(HTTPException):
    """A refusal with its stable code, a message (an English msgid, translated when sent) and
    details (e.g. errors per field)."""

    def __init__(self, status: int, code: str, message=None, **details):
        super().__init__()
        self.code = status
        self.api_code = code
        self.api_message = message
        self.details = details


def refuse(status: int, code: str, message=None, **details):
    """Stop here with a JSON refusal (never returns)."""
    raise ApiError(status, code, message, **details)


def error_response(error: HTTPException) -> tuple[Response, int]:
    """The JSON body of an API error: {"code", "message", "request_id"[, "errors"]}."""
    from assess.web import logs

    status = error.code or 500
    code = getattr(error, "api_code", None) or STATUS_CODES.get(status, "server_error")
    if status == 401 and getattr(g, "api_refusal", None):
        code = TOKEN_REFUSALS.get(g.api_refusal, code)
    message = getattr(error, "api_message", None) or MESSAGES.get(code) or error.name
    body = {"code": code, "message": str(message), "request_id": logs.request_id()}
    body.update(getattr(error, "details", {}))
    data = getattr(error, "data", None)  # webargs: the fields that failed, each with why
    if isinstance(data, dict) and data.get("messages"):
        body["errors"] = data["messages"]
    response = jsonify(body)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="assess"'
    return response, status


# --- the OpenAPI document ---------------------------------------------------------------


class ErrorSchema(ma.Schema):
    """Every refusal of the API."""

    code = ma.fields.String(
        required=True, metadata={"description": "stable: " + ", ".join(sorted(MESSAGES))}
    )
    message = ma.fields.String(required=True, metadata={"description": "in the asked language"})
    request_id = ma.fields.String(metadata={"description": "quote it to support"})
    errors = ma.fields.Dict(metadata={"description": "what was wrong, per place and field"})


class Api(flask_smorest.Api):
    """flask-smorest's Api without its app-wide error handler: the web pages keep their HTML
    error pages (assess/web/errors.py answers JSON on /api/v1 through error_response)."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


def blueprint(name: str, import_name: str, description: str) -> flask_smorest.Blueprint:
    """A blueprint of the API under /api/v1, in the OpenAPI document, with scopes checked."""
    bp = flask_smorest.Blueprint(
        f"api_{name}", import_name, url_prefix="/api/v1", description=description
    )
    bp.before_request(_check_scope)
    return bp


def _check_scope() -> None:
    """A write needs the write scope; its JSON body is read as the wizard reads a save (never
    nested too deeply, no text that could not be stored) before any schema sees it."""
    if request.method in READING or not current_user.is_authenticated:
        return
    if "write" not in getattr(g, "api_scopes", frozenset()):
        refuse(403, "insufficient_scope")
    if request.is_json:
        _, problem = read_body(request.get_data())
        if problem in ("too_deep", "unsavable_text"):
            refuse(400, "bad_request", BODY_PROBLEMS[problem])


class Text(ma.fields.String):
    """A text another system sends: no half of a UTF-16 pair (it could not be stored)."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if SURROGATE.search(text):
            raise ma.ValidationError("holds a broken character (half of a UTF-16 pair)")
        return text


def answer(body: dict, status: int = 200) -> Response:
    """JSON with a status of one's choosing."""
    response = jsonify(body)
    response.status_code = status
    return response


def init_app(app: Flask, blueprints, exempt) -> Api:
    """The API of this app: its document and its blueprints (exempt: the CSRF exemption, as
    the API acts by token only, never by a browser's cookie)."""
    app.config.setdefault("API_TITLE", "assess API")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config["OPENAPI_URL_PREFIX"] = None  # the document is served by views/api/meta.py
    api = Api(
        app,
        spec_kwargs={
            "info": {
                "description": (
                    "Smart-factory maturity assessment (智能工厂成熟度评估). Authenticate with a"
                    " personal access token made on your account page: `Authorization: Bearer"
                    " ast_…`. Errors are JSON with a stable `code` and a `message` in the"
                    " language of `Accept-Language` (zh by default, en). Lists take `page` and"
                    " `per_page`, give `next` and a `Link` header, and answer 304 to a"
                    " matching `If-None-Match`."
                )
            },
            "servers": [{"url": "/"}],
        },
    )
    api.spec.components.security_scheme(
        "token", {"type": "http", "scheme": "bearer", "description": "a personal access token"}
    )
    api.spec.options["security"] = [{"token": []}]
    for bp in blueprints:
        api.register_blueprint(bp)
        exempt(bp)
    app.extensions["assess-api"] = api
    return api


def N_(text: str) -> str:
    """Mark an API text (an operation's summary, a response's description) for translation:
    pybabel extracts N_, the OpenAPI document keeps the English, and the /api/docs page shows
    it in the reader's language (operations)."""
    return text


# what flask-smorest writes of a response that says nothing of its own, for the docs page
SMOREST_WORDS = (
    N_("OK"),
    N_("Created"),
    N_("Unprocessable Entity"),
    N_("Default error response"),
)


def document() -> dict:
    """The OpenAPI document of the running app."""
    return current_app.extensions["assess-api"].spec.to_dict()


# --- lists: pagination and ETags ----------------------------------------------------------


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(
        load_default=PER_PAGE, validate=ma.validate.Range(min=1, max=MOST_PER_PAGE)
    )


class PageSchema(ma.Schema):
    """The envelope of a list: its items are described by each list's own schema."""

    page = ma.fields.Integer(required=True)
    per_page = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)
    next = ma.fields.String(allow_none=True, metadata={"description": "the next page's URL"})


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A list's schema: the envelope with items of this schema."""
    return type(name, (PageSchema,), {"items": ma.fields.List(ma.fields.Nested(item))})


def listing(items: list, args: dict, schema: ma.Schema) -> Response:
    """One page of a list as JSON, with `next`, a `Link` header and an ETag; 304 when the
    client's If-None-Match already names this page."""
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    shown = items[start : start + per_page]
    links = {}
    if start + per_page < len(items):
        links["next"] = _page_url(page + 1, per_page)
    if page > 1 and items:
        links["prev"] = _page_url(min(page - 1, (len(items) - 1) // per_page + 1), per_page)
    body = {
        "items": schema.dump(shown, many=True),
        "page": page,
        "per_page": per_page,
        "total": len(items),
        "next": links.get("next"),
    }
    response = tagged(body)
    if links:
        response.headers["Link"] = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items())
    return response


def tagged(body: dict) -> Response:
    """JSON with a strong ETag of its content; 304 without a body when If-None-Match has it."""
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    etag = hashlib.sha256(data.encode()).hexdigest()[:32]
    if request.if_none_match.contains(etag):
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(data, mimetype="application/json")
    response.set_etag(etag)
    return response


def _page_url(page: int, per_page: int) -> str:
    args = {key: value for key, value in request.args.items() if key not in ("page", "per_page")}
    query = urlencode({**args, "page": page, "per_page": per_page})
    return url_for(request.endpoint, **request.view_args, _external=False) + "?" + query


# --- "may this token's user see / change this?" -------------------------------------------
# The web's guards, on the same predicates (assess/organisation/permissions.py): what the user
# may not see is a 404 recorded in the audit log, as on the web.


def assessment_to_read(assessment_id: int) -> dict:
    """The assessment if the token's user may see it (`may_see`); 404 otherwise."""
    return guards.visible_assessment(get_db(), current_user, assessment_id)


def assessment_to_answer(assessment_id: int) -> dict:
    """The assessment if the token's user may answer it (`may_answer`); 404 otherwise (403 for
    an enterprise's viewer)."""
    return guards.editable_assessment(get_db(), current_user, assessment_id)


def declaration_to_read(declaration_id: int) -> dict:
    """The declaration if the token's user may see it (`can_see_declaration`); 404 otherwise."""
    return guards.visible_declaration(get_db(), current_user, declaration_id)


def client(organisation_id: int) -> dict:
    """A client organisation of the token's consultant (an active grant); 404 otherwise."""
    return guards.client_of(organisation_id)


def allowed(decision: bool) -> None:
    """403 when the user's role in its team may not do this (the web's guards.require)."""
    guards.require(decision)


def operations(document: dict) -> list[dict]:
    """The document's operations in order, for the docs page (in its language): method, path,
    summary, tag,
    parameters, the request body's and responses' schema names, and whether a token is needed."""
    found = []
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            body = operation.get("requestBody", {}).get("content", {})
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": _translated(
                        operation.get("summary") or operation.get("description", "")
                    ),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [
                        *item.get("parameters", []),
                        *operation.get("parameters", []),
                    ],
                    "body": [_schema_name(media.get("schema", {})) for media in body.values()],
                    "responses": {
                        status: _translated(_resolved(document, response).get("description", ""))
                        for status, response in sorted(operation.get("responses", {}).items())
                    },
                    "token": operation.get("security") != [],
                }
            )
    return found


def _resolved(document: dict, response: dict) -> dict:
    """A response, or the shared one it refers to (#/components/responses/NAME)."""
    ref = response.get("$ref", "")
    if ref.startswith("#/components/responses/"):
        name = ref.rsplit("/", 1)[-1]
        return document.get("components", {}).get("responses", {}).get(name, {})
    return response


def _translated(text: str) -> str:
    """An English text of the document (marked N_) in the page's language."""
    return gettext(text) if text else ""


def _schema_name(schema: dict) -> str:
    return schema.get("$ref", "").rsplit("/", 1)[-1] or schema.get("type", "")
