"""The access matrix of docs/access.md, walked over every route of the app as every kind of user.

The table is the specification: each row is a route and method, the object of enterprise A it is
asked about, and the answer each user gets. The test fails when the app has a route the table
does not list (or the other way round), and when any answer differs from the table.
"""

from __future__ import annotations

import pytest

from assess.web.access import access_roles
from tests.support import ready_app
from tests.web.matrix import (
    AUTOSAVE,
    EMAILS,
    MEMBER_EMAILS,
    MEMBER_ROWS,
    PASSWORD,
    POSTED,
    ROWS,
    USERS,
    build_world,
    fresh_copy,
    url_for_row,
)


def app_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Enterprise A with drafts, a submitted self-assessment, an on-site assessment with an
    evidence file, grants and invitations; enterprise B; the users of the matrix. Built once;
    every request starts from a copy, so no request sees what another one changed."""
    folder = tmp_path_factory.mktemp("matrix")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSESS_INSTANCE_PATH", str(folder / "instance"))
        yield build_world(folder, WTF_CSRF_ENABLED=False)


def answer_kind(response) -> str:
    """What the user got, in the words of the matrix."""
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303) and location.startswith("/login?next="):
        return "login"
    if response.status_code in (400, 401, 403, 404):
        return str(response.status_code)
    return "ok"


def request_as(world, who: str, row: dict):
    fresh_copy(world)
    client = world["app"].test_client()
    if row["rule"].startswith("/api/v1/"):
        return api_request_as(world, who, row)
    if who != "anonymous":
        email = {**EMAILS, **MEMBER_EMAILS}[who]
        login = client.post("/login", data={"email": email, "password": PASSWORD})
        assert login.status_code == 302 and "/login" not in login.headers["Location"], who
    url = url_for_row(row, world["ids"])
    if row["method"] == "GET":
        response = client.get(url)
    elif row["rule"].endswith("/answers"):
        response = client.post(url, json=AUTOSAVE)
    else:
        response = client.post(url, data=POSTED.get(row["rule"], {}))
    kind = answer_kind(response)
    if not row["rule"].startswith("/regions/"):  # the public list of regions may be cached
        assert response.headers["Cache-Control"] == "no-store", (who, row["rule"])
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    response.close()  # file downloads hold the file open until closed
    return kind


def api_request_as(world, who: str, row: dict) -> str:
    """The API acts by token only: the user's own (none for anonymous), never a session."""
    token = world["ids"]["api tokens"].get(who)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = url_for_row(row, world["ids"])
    client = world["app"].test_client()
    if row["method"] == "GET":
        response = client.get(url, headers=headers)
    else:
        body = POSTED.get(row["rule"], {})
        body = body(world["ids"]) if callable(body) else body
        response = client.post(url, headers=headers, json=body)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.headers["Cache-Control"] == "no-store", (who, row["rule"])
    # JSON, or the file a route is named for (its refusals are JSON all the same)
    served = {".pdf": "application/pdf", ".csv": "text/csv"}.get(row["rule"][-4:])
    served = served if response.status_code == 200 else None
    assert response.mimetype == (served or "application/json"), (who, row["rule"])
    kind = "ok" if response.status_code < 300 else str(response.status_code)
    response.close()
    return kind


def test_the_matrix_lists_every_route_of_the_app_and_only_those(world):
    listed = [(row["method"], row["rule"]) for row in ROWS]
    assert len(listed) == len(set(listed)), "a route is listed twice in docs/access.md"
    routes = app_routes(world["app"])
    assert routes - set(listed) == set(), "routes without a row in docs/access.md"
    assert set(listed) - routes == set(), "rows in docs/access.md for routes the app lacks"


def test_a_new_route_without_a_row_fails_the_check(world):
    app = ready_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(world["folder"] / "new.sqlite")}
    )  # the instance folder is the world's (set by the fixture)
    app.add_url_rule("/undocumented", "undocumented", lambda: "hello")
    listed = {(row["method"], row["rule"]) for row in ROWS}
    assert app_routes(app) - listed == {("GET", "/undocumented")}
    # and with no access rule it is denied, not served
    assert app.test_client().get("/undocumented").status_code == 403


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['method']} {r['rule']}" for r in ROWS])
def test_every_user_gets_the_documented_answer(world, row):
    got = {who: request_as(world, who, row) for who in USERS}
    assert got == row["expected"]


# The second table: every route an enterprise account may enter, for each member of A's team.


def test_the_team_table_lists_every_enterprise_route(world):
    app = world["app"]
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and "enterprise" in (access_roles(app.view_functions[rule.endpoint]) or ())
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = [(row["method"], row["rule"]) for row in MEMBER_ROWS]
    assert len(listed) == len(set(listed)), "a route is listed twice in the team's table"
    assert set(listed) == routes


@pytest.mark.parametrize(
    "row", MEMBER_ROWS, ids=[f"{r['method']} {r['rule']}" for r in MEMBER_ROWS]
)
def test_every_member_of_the_team_gets_the_documented_answer(world, row):
    main = next(r for r in ROWS if (r["method"], r["rule"]) == (row["method"], row["rule"]))
    assert row["expected"]["owner"] == main["expected"]["ent. A"]  # ent. A is the owner
    row = {**row, "object": main["object"]}
    got = {who: request_as(world, who, row) for who in ("contributor", "viewer")}
    assert got == {who: row["expected"][who] for who in ("contributor", "viewer")}
