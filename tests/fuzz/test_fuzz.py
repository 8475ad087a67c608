"""Generated input on every form, JSON endpoint and query parameter (hypothesis).

Each route that accepts a POST, or reads query or path parameters, gets generated data from a
user of a role that may use it: strings of every kind (unicode, huge, NUL bytes), missing,
repeated and unknown fields, wrong types, huge and negative numbers, invalid JSON and JSON of
the wrong shape. Whatever arrives: never a 5xx, a refused input leaves the database as it was,
and everything the database holds afterwards is valid (assess.integrity, the app's own check,
which the check-db command runs too).

The generated values are in strategies.py, the world every test starts from in world.py, and
the requests, one Case per route and role, in cases/ by area.

Set FUZZ_EXAMPLES to run more examples per route (the default keeps the file under 40 s).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.integrity import problems
from tests.fuzz.cases import CASES, PATH_ONLY_GET, PLAIN_GET, Case
from tests.fuzz.strategies import FUZZ, INTS, TEXT
from tests.fuzz.world import changed_tables, snapshot


def _routes(app) -> tuple[set[str], set[str]]:
    rules = list(app.url_map.iter_rules())
    return (
        {r.endpoint for r in rules if "POST" in r.methods},
        {r.endpoint for r in rules if "GET" in r.methods},
    )


def test_every_post_route_and_every_get_route_with_parameters_is_fuzzed(app):
    posts, gets = _routes(app)
    fuzzed_posts = {c.endpoint for c in CASES if c.method == "POST"}
    fuzzed_gets = {c.endpoint for c in CASES if c.method == "GET"}
    assert posts - fuzzed_posts == set(), "POST routes the fuzzer does not cover: add a Case"
    unknown = gets - fuzzed_gets - PATH_ONLY_GET - PLAIN_GET
    assert unknown == set(), "GET routes not classified: add a Case, or PATH_ONLY_GET/PLAIN_GET"


def send(client, method: str, url: str, arguments: dict):
    response = client.open(url, method=method, **arguments)
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return response, any(category == "error" for category, _ in flashes)


def check_response(ctx, case: Case, url: str, response, before: dict) -> None:
    assert response.status_code < 500, f"{case.id}: {url} answered {response.status_code}"
    location = response.headers.get("Location", "")
    assert not urlsplit(location).netloc or urlsplit(location).netloc == "localhost", location
    if response.mimetype == "text/html":
        assert "<script>alert(1)" not in response.get_data(as_text=True)


def logout_then_login(ctx) -> None:
    ctx.accounts.login(ctx.w["ent"])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_generated_input_never_breaks_the_app(ctx, case):
    if case.role:
        ctx.accounts.login(ctx.w[case.role])
    if case.prepare:
        case.prepare(ctx)
    evidence_dir = Path(ctx.app.config["EVIDENCE_DIR"])

    @FUZZ
    @given(data=st.data())
    def example(data):
        url, arguments = case.build(ctx, data)
        client = ctx.accounts.client if case.role or case.prepare else ctx.cache.pop("client", None)
        client = client or ctx.fresh_client()
        before = snapshot(ctx.db)
        response, flashed_error = send(client, case.method, url, arguments)
        check_response(ctx, case, url, response, before)
        if case.refused is not None and case.refused(response, flashed_error):
            after = snapshot(ctx.db)
            assert changed_tables(before, after) == [], (
                f"{case.id}: refused ({response.status_code}) but changed the database"
            )
        assert problems(ctx.db, ctx.versions, evidence_dir) == []
        if case.endpoint == "auth.logout":
            logout_then_login(ctx)

    example()


def test_path_ids_never_break(ctx):
    """Every GET route with ids in its path, with ids that exist, do not, or overflow."""
    rules = [
        r
        for r in ctx.app.url_map.iter_rules()
        if "GET" in r.methods and r.arguments and r.endpoint != "static"
    ]
    roles = ["ent", "con", "authority", "admin"]

    @FUZZ
    @given(data=st.data())
    def example(data):
        rule = data.draw(st.sampled_from(rules), label="rule")
        role = data.draw(st.sampled_from(roles), label="role")
        values = {}
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
            if converter == "int":
                values[name] = data.draw(st.sampled_from([1, 2, 3]) | INTS.filter(lambda i: i >= 0))
            else:
                values[name] = data.draw(
                    st.sampled_from(["gate", "csv", "xlsx"]) | TEXT.filter(bool)
                )
        with ctx.app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        ctx.accounts.login(ctx.w[role])
        before = snapshot(ctx.db)
        response, _ = send(ctx.accounts.client, "GET", url, {})
        assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
        assert changed_tables(before, snapshot(ctx.db)) == [], url

    example()
