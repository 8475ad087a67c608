"""CSRF on every state-changing request, and no state change on any GET.

Every POST route of the app (from the access matrix, which lists them all) is sent by a user who
may use it, with the form it expects but without the CSRF token: it is refused with 400 and the
database is unchanged. Every GET route, requested by a user who may use it, leaves the database
as it was (only the audit log, which records reads such as downloads, may grow).
"""

from __future__ import annotations

import pytest

from assess.store.database import connect
from tests.support import bearer, csrf_token
from tests.web.matrix import (
    AUTOSAVE,
    EMAILS,
    PASSWORD,
    POSTED,
    ROWS,
    USERS,
    build_world,
    fresh_copy,
    url_for_row,
)

# Tables a request may write without changing anyone's data: the append-only audit log.
RECORDS = {"audit_log"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csrf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSESS_INSTANCE_PATH", str(folder / "instance"))
        yield build_world(folder)  # CSRF protection on, as in production


def snapshot(world) -> dict:
    db = connect(world["app"].config["DATABASE"])
    try:
        return {
            table: sorted(map(repr, db.execute(f"SELECT * FROM [{table}]").fetchall()))
            for table in db.table_names()
            if table not in RECORDS
        }
    finally:
        db.close()


# Routes that no user of the matrix's columns may use, and the user of its world who may: the
# company contesting A's credit code (tests/web/matrix.py _contest).
OUTSIDE_THE_COLUMNS = {"/contest": "claimant@example.com"}


def logged_in(world, row: dict):
    """A client of the first user the matrix lets use the row, logged in with a real token."""
    # the API's answers may be other than ok for its user (a draft not complete: 409); a form
    # the matrix posts empty may be a 400 for its user (an upload without its file)
    used = ("ok", "400") if not row["rule"].startswith("/api/") else ("ok", "409", "422")
    outside = OUTSIDE_THE_COLUMNS.get(row["rule"])
    who = outside or next(w for w in USERS if row["expected"][w] in used)
    client = world["app"].test_client()
    if who != "anonymous":
        token = csrf_token(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            data={"email": outside or EMAILS[who], "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302 and "/login" not in response.headers["Location"]
    return who, client


POSTS = [row for row in ROWS if row["method"] == "POST"]
GETS = [row for row in ROWS if row["method"] == "GET"]


@pytest.mark.parametrize("row", POSTS, ids=[row["rule"] for row in POSTS])
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world, row):
    fresh_copy(world)
    who, client = logged_in(world, row)
    before = snapshot(world)
    url = url_for_row(row, world["ids"])
    if row["rule"].endswith("/answers"):
        response = client.post(url, json=AUTOSAVE)  # no X-CSRFToken header
    elif row["rule"].startswith("/api/v1/"):
        body = POSTED.get(row["rule"], {})
        response = client.post(url, json=body(world["ids"]) if callable(body) else body)
    else:
        response = client.post(url, data=POSTED.get(row["rule"], {}))
    # the API takes no CSRF token: a browser's session does not act on it at all (401)
    expected = 401 if row["rule"].startswith("/api/v1/") and who != "anonymous" else 400
    assert response.status_code == expected, (who, response.status_code)
    assert snapshot(world) == before


def test_the_same_post_with_the_token_is_accepted(world):
    """The counterpart: the refusal above is the missing token, not the form."""
    row = next(r for r in POSTS if r["rule"] == "/organisation/listing")
    fresh_copy(world)
    _, client = logged_in(world, row)
    token = csrf_token(client.get("/assessments").get_data(as_text=True))
    before = snapshot(world)
    response = client.post(row["rule"], data={"listed": "0", "csrf_token": token})
    assert response.status_code == 302
    after = snapshot(world)  # A was listed in the world; now it is not
    assert after["organisations"] != before["organisations"]


@pytest.mark.parametrize("row", GETS, ids=[row["rule"] for row in GETS])
def test_a_get_changes_no_data(world, row):
    fresh_copy(world)
    who, client = logged_in(world, row)
    headers = {}
    if row["rule"].startswith("/api/v1/") and who != "anonymous":
        headers = bearer(world["ids"]["api tokens"][who])  # the API acts by token only
        client.get("/api/v1/me", headers=headers)  # the token's last use is recorded before
    before = snapshot(world)
    response = client.get(url_for_row(row, world["ids"]), headers=headers)
    assert response.status_code < 400
    response.close()
    assert snapshot(world) == before
