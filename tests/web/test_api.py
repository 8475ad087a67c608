"""The API's foundation (/api/v1, assess/web/api.py): the OpenAPI document validates and lists
every route; tokens authenticate (a session cookie does not); scopes; JSON errors with a stable
code in the language asked for; pagination and ETags on lists; the docs page; the account
page's tokens."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from assess.store import throttle
from assess.web import api
from assess.web.access import allow, proven
from tests.support import PASSWORD, api_token, bearer

QUESTIONNAIRE = "/api/v1/questionnaires/machinery-smart-factory/2026.1"


@pytest.fixture
def token(accounts, db):
    return api_token(db, accounts.user("enterprise", email="api@example.com"))


def api_routes(app) -> set[tuple[str, str]]:
    """Every (method, path) of the app under /api/v1, in the document's spelling."""
    return {
        (method.lower(), re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_the_openapi_document_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)  # raises on any fault
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_every_api_route_is_in_the_document_and_nothing_else(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert api_routes(app) - documented == set(), "routes missing from the OpenAPI document"
    assert documented - api_routes(app) == set(), "the document lists routes that do not exist"
    assert ("get", "/api/v1/questionnaires") in documented


def test_every_api_route_declares_who_may_use_it(app):
    from assess.web.access import access_roles

    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            assert access_roles(app.view_functions[rule.endpoint]), rule.rule


def test_a_token_acts_for_its_user(client, token):
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.get_json()["email"] == "api@example.com"
    assert response.get_json()["scopes"] == ["read", "write"]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_token"),
        ({"Authorization": "Basic YTpi"}, "missing_token"),
        ({"Authorization": "Bearer "}, "missing_token"),
        ({"Authorization": "Bearer ast_000000000000_nothing"}, "invalid_token"),
        ({"Authorization": "Bearer " + "字" * 300}, "invalid_token"),
    ],
)
def test_without_a_valid_token_the_answer_is_401_in_chinese(client, headers, code):
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    body = response.get_json()
    assert body["code"] == code
    assert re.search(r"[\u4e00-\u9fff]", body["message"]), body["message"]
    assert set(body) == {"code", "message", "request_id"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_message_is_in_the_language_asked_for(client):
    english = client.get("/api/v1/me", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.get_json()["message"].startswith("Send a personal access token")
    chinese = client.get("/api/v1/me", headers={"Accept-Language": "zh-CN"})
    other = client.get("/api/v1/me", headers={"Accept-Language": "fr"})
    assert chinese.get_json()["message"] == other.get_json()["message"]
    assert chinese.get_json()["code"] == english.get_json()["code"] == "missing_token"


def test_revoked_and_expired_tokens_say_so(client, db, token):
    prefix = token.split("_")[1]
    db.execute(
        "UPDATE api_tokens SET revoked_at = '2026-01-01T00:00:00Z' WHERE prefix = ?", [prefix]
    )
    assert client.get("/api/v1/me", headers=bearer(token)).get_json()["code"] == "revoked_token"
    db.execute(
        "UPDATE api_tokens SET revoked_at = NULL, expires_at = '2020-01-01T00:00:00Z'"
        " WHERE prefix = ?",
        [prefix],
    )
    assert client.get("/api/v1/me", headers=bearer(token)).get_json()["code"] == "expired_token"


def test_a_session_cookie_does_not_act_on_the_api(accounts, client):
    accounts.login(accounts.user("enterprise", email="browser@example.com"))
    assert client.get("/account").status_code == 200  # logged in on the site
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.get_json()["code"] == "missing_token"


def test_wrong_tokens_are_throttled_with_429(client, db, token):
    guess = token[:-4] + "ZZZZ"
    for _ in range(throttle.PER_ACCOUNT_AND_ADDRESS):
        assert client.get("/api/v1/me", headers=bearer(guess)).status_code == 401
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 429
    assert response.get_json()["code"] == "throttled"
    actions = {row["action"] for row in db.query("SELECT action FROM audit_log")}
    assert {"api_token_failed", "api_token_throttled"} <= actions


@pytest.fixture
def probe(app):
    """A writing endpoint of the API (the scope and the proven address are checked before any
    view runs), registered through the API like every blueprint."""
    bp = api.blueprint("probe", __name__, "a test's")

    @bp.post("/probe")
    @allow("enterprise")
    @proven
    def probe_view():
        return {"ok": True}

    app.extensions["assess-api"].register_blueprint(bp)
    return "/api/v1/probe"


def test_a_read_token_may_not_write(client, db, accounts, probe):
    email = accounts.user("enterprise", email="reader@example.com")
    response = client.post(probe, headers=bearer(api_token(db, email, scope="read")))
    assert response.status_code == 403
    assert response.get_json()["code"] == "insufficient_scope"
    assert client.post(probe, headers=bearer(api_token(db, email))).status_code == 200


def test_the_role_is_checked_as_on_the_web(client, db, accounts, probe):
    email = accounts.user("consultant", email="c@example.com")
    response = client.post(probe, headers=bearer(api_token(db, email)))
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"


def test_an_unconfirmed_address_may_not_write(client, db, accounts, probe):
    email = accounts.user("enterprise", email="new@example.com")
    db.execute("UPDATE users SET email_confirmed_at = NULL WHERE email = ?", [email])
    response = client.post(probe, headers=bearer(api_token(db, email)))
    assert response.status_code == 403
    assert response.get_json()["code"] == "unconfirmed_address"


def test_the_api_needs_no_csrf_token_but_the_site_still_does(csrf_app):
    from assess.store.database import connect
    from tests.support import Accounts

    client = csrf_app.test_client()
    db = connect(csrf_app.config["DATABASE"])
    email = Accounts(csrf_app, client, db).user("enterprise", email="csrf@example.com")
    token = api_token(db, email)
    response = client.post("/api/v1/me", headers=bearer(token))
    assert response.status_code == 405  # reached the API's routing: no CSRF refusal
    assert response.get_json()["code"] == "method_not_allowed"
    assert client.post("/login", data={"email": email, "password": "x"}).status_code == 400


def test_unknown_api_paths_are_json_404(client, token):
    response = client.get("/api/v1/nothing-here", headers=bearer(token))
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_lists_are_paginated_with_next_and_link(client, token):
    first = client.get(f"{QUESTIONNAIRE}/items?per_page=5", headers=bearer(token))
    body = first.get_json()
    assert (body["page"], body["per_page"], len(body["items"])) == (1, 5, 5)
    assert body["total"] > 100
    assert body["next"] == f"{QUESTIONNAIRE}/items?page=2&per_page=5"
    assert first.headers["Link"] == f'<{body["next"]}>; rel="next"'
    second = client.get(body["next"], headers=bearer(token)).get_json()
    assert second["items"][0]["id"] != body["items"][0]["id"]
    pages = -(-body["total"] // 5)
    last = client.get(f"{QUESTIONNAIRE}/items?per_page=5&page={pages}", headers=bearer(token))
    assert last.get_json()["next"] is None
    assert 'rel="prev"' in last.headers["Link"] and 'rel="next"' not in last.headers["Link"]
    beyond = client.get(f"{QUESTIONNAIRE}/items?page={pages + 1}", headers=bearer(token))
    assert beyond.get_json()["items"] == []


@pytest.mark.parametrize("query", ["page=0", "per_page=101", "page=x", "per_page=-1"])
def test_bad_pages_are_refused_with_422(client, token, query):
    response = client.get(f"/api/v1/questionnaires?{query}", headers=bearer(token, "en"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid"
    assert "query" in body["errors"]


def test_a_list_answers_304_to_its_own_etag(client, token):
    first = client.get("/api/v1/questionnaires", headers=bearer(token))
    etag = first.headers["ETag"]
    again = client.get("/api/v1/questionnaires", headers={**bearer(token), "If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    other_page = client.get(
        "/api/v1/questionnaires?per_page=1", headers={**bearer(token), "If-None-Match": etag}
    )
    assert other_page.status_code == 200


def test_the_docs_page_lists_every_operation(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "/api/v1/questionnaires/{questionnaire}/{version}/items" in text
    assert "/api/v1/openapi.json" in text
    assert "/api/v1/me" in text


def test_the_docs_page_says_each_operation_in_the_readers_language(app, client):
    """The summaries and response texts of the document, in Chinese by default and in English
    when asked; the document itself keeps the English (one text for every client)."""
    from babel.messages.pofile import read_po

    zh = client.get("/api/docs").get_data(as_text=True)
    assert "您可查看的评估，最新的在前" in zh and "The assessments you may see" not in zh
    assert "正在生成：请查询 status_url" in zh and "<code>200</code> 成功" in zh
    assert "<code>422</code> 参数有误" in zh and "<code>default</code> 出错时的响应" in zh
    client.post("/lang", data={"lang": "en"})
    en = client.get("/api/docs").get_data(as_text=True)
    assert "The assessments you may see, newest first" in en and "您可查看的评估" not in en
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["paths"]["/api/v1/assessments"]["get"]["summary"] == (
        "The assessments you may see, newest first"
    )
    # every summary and response text of the document has its Chinese
    with open(Path(app.root_path) / "translations/zh/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    operations = [
        op
        for item in document["paths"].values()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    texts = {op["summary"] for op in operations} | {
        r.get("description", "") for op in operations for r in op["responses"].values()
    }
    texts |= {r["description"] for r in document["components"]["responses"].values()}
    assert [t for t in texts if t and (t not in catalog or not catalog[t].string)] == []


def test_the_account_page_makes_a_token_shown_once_and_revokes_it(accounts, client, db):
    email = accounts.user("authority", email="gov@example.com")
    accounts.login(email)
    form = {"name": "省政务平台", "scope": "read", "days": "30"}
    wrong = client.post("/account/tokens", data={**form, "password": "not-mine"})
    assert wrong.status_code == 302 and db["api_tokens"].count == 0  # the password, asked again
    made = client.post("/account/tokens", data={**form, "password": PASSWORD})
    assert made.status_code == 200
    token = re.search(r"(ast_[0-9a-f]{12}_[A-Za-z0-9_-]+)", made.get_data(as_text=True))[1]
    assert client.get("/api/v1/me", headers=bearer(token)).get_json()["scopes"] == ["read"]
    page = client.get("/account").get_data(as_text=True)
    assert "省政务平台" in page and token not in page and token.split("_")[1] in page
    token_id = next(db["api_tokens"].rows)["id"]
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert client.get("/api/v1/me", headers=bearer(token)).get_json()["code"] == "revoked_token"


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scope": "read", "days": "30", "password": PASSWORD},
        {"name": "x", "scope": "admin", "days": "30", "password": PASSWORD},
        {"name": "x", "scope": "read", "days": "7", "password": PASSWORD},
        {"name": "x" * 81, "scope": "read", "days": "30", "password": PASSWORD},
        {"name": "x", "scope": "read", "days": "30"},
    ],
)
def test_a_bad_token_form_makes_nothing(accounts, client, db, data):
    accounts.login(accounts.user("enterprise", email="form@example.com"))
    response = client.post("/account/tokens", data=data)
    assert response.status_code == 302
    assert db["api_tokens"].count == 0


def test_nobody_revokes_anothers_token(accounts, client, db):
    owner = accounts.user("enterprise", email="owner1@example.com")
    api_token(db, owner)
    accounts.login(accounts.user("consultant", email="thief@example.com"))
    token_id = next(db["api_tokens"].rows)["id"]
    client.post(f"/account/tokens/{token_id}/revoke")
    assert next(db["api_tokens"].rows)["revoked_at"] is None
