"""Every operation of the API's OpenAPI document refuses what it must, with the right status, a
JSON error with a stable code, and none of the data: a bad token (401: none, garbage, unknown,
expired, revoked), a token without the scope or of a role that may not use it (403), another
tenant's id or region (404), and a malformed body or query (400/422).

The world is the access matrix's (tests/web/matrix.py): enterprise A's data, asked about by
tokens of the matrix's users; every request starts from a fresh copy of it. CASES says, for
each operation, who may use it, the object of A its path names, who is the other tenant, who
may not use it and what a malformed request is; a test fails when the document has an
operation CASES lacks (or the other way round)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from assess.store.database import connect
from tests.fuzz.world import changed_tables, snapshot
from tests.web.matrix import build_world, fresh_copy, url_for_row

ERROR_KEYS = {"code", "message", "request_id", "errors"}
A_NAME = "甲机械有限公司"  # enterprise A, in the matrix's world


@dataclass(frozen=True)
class Refusals:
    user: str  # a user of the matrix who may use the operation, on A's objects
    object: str = "—"  # the object of A the path (or ?region=) names, in the matrix's words
    stranger: str | None = None  # the same role of another tenant: A's object answers 404
    forbidden: str | None = None  # a role that may not use the operation: 403
    malformed: tuple[dict, ...] = ()  # request arguments of malformed queries or bodies
    # A read that every role may make: every token has the read scope, so no token lacks it
    # and no role is refused (the matrix's row says ok for each); the test checks that.
    everyone: bool = False
    public: bool = False  # needs no token at all (its document says `security: []`)
    # the arguments of a valid request (a body; a function of the world's ids when it names
    # one), sent in every request but the malformed ones
    valid: dict | Callable | None = None


PAGING = ({"query_string": "page=0"}, {"query_string": "per_page=1000"})

CASES: dict[tuple[str, str], Refusals] = {
    ("GET", "/api/v1/openapi.json"): Refusals("anonymous", everyone=True, public=True),
    ("GET", "/api/v1/me"): Refusals("ent. A", everyone=True),
    ("GET", "/api/v1/questionnaires"): Refusals("ent. A", everyone=True, malformed=PAGING),
    ("GET", "/api/v1/questionnaires/{questionnaire}/{version}"): Refusals("ent. A", everyone=True),
    ("GET", "/api/v1/questionnaires/{questionnaire}/{version}/items"): Refusals(
        "ent. A", everyone=True, malformed=PAGING
    ),
    ("GET", "/api/v1/assessments"): Refusals(
        "ent. A",
        forbidden="auth. in",
        malformed=(*PAGING, {"query_string": "status=lost"}, {"query_string": "organisation_id=x"}),
    ),
    ("POST", "/api/v1/assessments"): Refusals(
        "ent. A",
        # another tenant names A in the body: 404, as A's id in a path
        valid=lambda ids: {"json": {"organisation_id": ids["A's organisation"]}},
        stranger="ent. B",
        forbidden="auth. in",
        malformed=(
            {"data": b"{", "content_type": "application/json"},
            {"json": {"organisation_id": "A"}},
            {"json": {"prefill": "sometimes"}},
            {"json": [1]},
        ),
    ),
    ("GET", "/api/v1/assessments/{assessment_id}"): Refusals(
        "ent. A", "A's submitted", stranger="ent. B", everyone=True
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/answers"): Refusals(
        "ent. A", "A's draft", stranger="ent. B", forbidden="auth. in", malformed=PAGING
    ),
    ("POST", "/api/v1/assessments/{assessment_id}/answers"): Refusals(
        "ent. A",
        "A's draft",
        valid={"json": {"answers": [{"item": "profile.sector", "value": "rail"}]}},
        stranger="ent. B",
        forbidden="auth. in",
        malformed=(
            {"data": b"\xff\xfe", "content_type": "application/json"},
            {"json": {"answers": []}},  # nothing to save
            {"json": {"answers": "profile.sector=rail"}},
            {"json": {"answers": [{"item": "profile.sector"}]}},  # no value
            {"json": {"answers": [{"item": "\ud800", "value": "rail"}]}},
        ),
    ),
    ("POST", "/api/v1/assessments/{assessment_id}/submit"): Refusals(
        "ent. A",
        "A's draft",
        valid={"json": {"confirm": True}},
        stranger="ent. B",
        forbidden="auth. in",
        malformed=(
            {"json": {}},
            {"json": {"confirm": "perhaps"}},
            {"data": b"confirm=1", "content_type": "application/x-www-form-urlencoded"},
        ),
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/result"): Refusals(
        "ent. A", "A's submitted", stranger="ent. B", everyone=True
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/report.pdf"): Refusals(
        "ent. A",
        "A's submitted",
        stranger="ent. B",
        forbidden="auth. in",
        malformed=({"query_string": "lang=fr"}, {"query_string": "retry=maybe"}),
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/report/status"): Refusals(
        "ent. A",
        "A's submitted",
        stranger="ent. B",
        forbidden="auth. in",
        malformed=({"query_string": "lang=fr"},),
    ),
    ("GET", "/api/v1/declarations"): Refusals("ent. A", forbidden="auth. in", malformed=PAGING),
    ("GET", "/api/v1/declarations/{declaration_id}"): Refusals(
        "ent. A", "A's declaration", stranger="ent. B", everyone=True
    ),
    ("GET", "/api/v1/recognitions"): Refusals("ent. A", forbidden="cons. +", malformed=PAGING),
    ("GET", "/api/v1/region/declarations"): Refusals(
        "auth. in",
        forbidden="ent. A",
        malformed=(*PAGING, {"query_string": "status=draft"}, {"query_string": "round=x"}),
    ),
    ("GET", "/api/v1/region/recognitions"): Refusals(
        "auth. in",
        forbidden="ent. A",
        malformed=(*PAGING, {"query_string": "level=leading"}, {"query_string": "year=1999"}),
    ),
    ("GET", "/api/v1/region/recognitions.csv"): Refusals(
        "auth. in", forbidden="admin", malformed=({"query_string": "year=x"},)
    ),
    ("POST", "/api/v1/assessments/{assessment_id}/visits"): Refusals(
        "cons. +",
        "A's on-site draft",
        valid={"json": {"visit_date": date.today().isoformat(), "site": "一号车间"}},
        stranger="cons. −",
        forbidden="ent. A",
        malformed=(
            {"data": b"{not json", "content_type": "application/json"},
            {"json": ["2026-01-05", "一号车间"]},
            {"json": {"visit_date": "2026-02-30", "site": "一号车间"}},
            {"json": {"visit_date": "2026-01-05", "site": "\ud800"}},
            {"json": {"visit_date": "2999-01-01", "site": "一号车间"}},  # in the future
        ),
    ),
    ("GET", "/api/v1/region/figures"): Refusals(
        "auth. in",
        "A's region",
        stranger="auth. out",
        forbidden="ent. A",
        malformed=({"query_string": "as_of=2026-02-30"}, {"query_string": "region=32"}),
    ),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api-refusals")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSESS_INSTANCE_PATH", str(folder / "instance"))
        world = build_world(folder, WTF_CSRF_ENABLED=False)
        with world["app"].app_context():
            from assess.web import api

            world["document"] = api.document()
        yield world


def operations(document: dict) -> dict[tuple[str, str], dict]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def url(world, key: tuple[str, str]) -> str:
    """The operation's URL on A's objects (/api/v1/declarations/{declaration_id} filled in as
    the matrix fills its rows)."""
    rule = re.sub(r"\{(\w+)\}", r"<\1>", key[1])
    return url_for_row({"rule": rule, "object": CASES[key].object}, world["ids"])


def send(world, key: tuple[str, str], token: str | None, before=None, **arguments):
    """The operation on A's objects with this token (None: no Authorization header), on a
    fresh copy of the world; the answer, and the tables the request changed."""
    fresh_copy(world)
    if before:
        before(world)
    valid = CASES[key].valid
    arguments = arguments or dict((valid(world["ids"]) if callable(valid) else valid) or {})
    headers = {} if token is None else {"Authorization": token}
    target = url(world, key)
    if "query_string" in arguments:  # a malformed query replaces the object's
        target = target.split("?")[0]
    db = connect(world["app"].config["DATABASE"])
    try:
        earlier = snapshot(db)
        response = (
            world["app"].test_client().open(target, method=key[0], headers=headers, **arguments)
        )
        response.close()
        # a token's last use is written when it authenticates, refused request or not
        return response, [t for t in changed_tables(earlier, snapshot(db)) if t != "api_tokens"]
    finally:
        db.close()


def assert_refused(response, status: int | tuple, codes: set[str] | None = None) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.get_data(as_text=True)[:300]
    assert response.is_json
    body = response.json
    assert set(body) <= ERROR_KEYS, body
    if codes is not None:
        assert body["code"] in codes, body
    assert A_NAME not in response.get_data(as_text=True)


def bearer_of(world, who: str) -> str:
    return f"Bearer {world['ids']['api tokens'][who]}"


def test_cases_cover_every_operation_of_the_document_and_only_those(world):
    assert set(operations(world["document"])) == set(CASES)


def test_every_operation_that_reads_a_query_or_a_body_has_a_malformed_case(world):
    for key, operation in operations(world["document"]).items():
        reads = operation.get("requestBody") or any(
            p["in"] == "query" for p in operation.get("parameters", [])
        )
        if reads:
            assert CASES[key].malformed, key


def _expire(world) -> None:
    db = connect(world["app"].config["DATABASE"])
    db.execute("UPDATE api_tokens SET expires_at = '2000-01-01T00:00:00Z'")
    db.conn.commit()
    db.close()


def _revoke(world) -> None:
    db = connect(world["app"].config["DATABASE"])
    db.execute("UPDATE api_tokens SET revoked_at = '2026-01-01T00:00:00Z'")
    db.conn.commit()
    db.close()


BAD_TOKENS = {
    "none": (None, None, "missing_token"),
    "garbage": ("Bearer not a token", None, "invalid_token"),
    "not bearer": ("Basic YTpi", None, "missing_token"),
    "unknown": ("Bearer ast_000000000000_unknownsecret", None, "invalid_token"),
    "expired": ("user", _expire, "expired_token"),
    "revoked": ("user", _revoke, "revoked_token"),
}


def test_public_operations_are_those_the_document_says_need_no_token(world):
    public = {
        key
        for key, operation in operations(world["document"]).items()
        if operation.get("security") == []
    }
    assert public == {key for key, case in CASES.items() if case.public}


PROTECTED = [key for key, case in CASES.items() if not case.public]


@pytest.mark.parametrize("key", PROTECTED, ids=[" ".join(k) for k in PROTECTED])
@pytest.mark.parametrize("bad", BAD_TOKENS, ids=list(BAD_TOKENS))
def test_a_bad_token_is_401(world, key, bad):
    token, before, code = BAD_TOKENS[bad]
    if token == "user":
        token = bearer_of(world, CASES[key].user)
    response, changed = send(world, key, token, before)
    assert_refused(response, 401, {code})
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert changed == []


RESTRICTED = [key for key, case in CASES.items() if not case.everyone]


@pytest.mark.parametrize("key", RESTRICTED, ids=[" ".join(k) for k in RESTRICTED])
def test_a_token_without_the_scope_or_of_another_role_is_403(world, key):
    case = CASES[key]
    refusals = []
    if key[0] != "GET":
        read_only = f"Bearer {world['ids']['api read tokens'][case.user]}"
        refusals.append((read_only, "insufficient_scope"))
    if case.forbidden:
        refusals.append((bearer_of(world, case.forbidden), "forbidden"))
    assert refusals, "no way to refuse this operation by scope or role: give it a forbidden role"
    for token, code in refusals:
        response, changed = send(world, key, token)
        assert_refused(response, 403, {code})
        assert changed == []
    # and the one who may is not refused by token, role or object with the same request (a
    # submit of an unfinished draft may still be refused for what it lacks: 409)
    assert send(world, key, bearer_of(world, case.user))[0].status_code not in (401, 403, 404)


@pytest.mark.parametrize(
    "key",
    [k for k in CASES if CASES[k].stranger],
    ids=[" ".join(k) for k in CASES if CASES[k].stranger],
)
def test_another_tenants_object_is_404_and_says_nothing_of_it(world, key):
    case = CASES[key]
    response, changed = send(world, key, bearer_of(world, case.stranger))
    assert_refused(response, 404, {"not_found"})
    assert changed == []


@pytest.mark.parametrize(
    "key",
    [k for k in CASES if not CASES[k].stranger],
    ids=[" ".join(k) for k in CASES if not CASES[k].stranger],
)
def test_a_list_of_another_tenant_holds_nothing_of_a(world, key):
    """Routes without an object of a tenant (one's own lists, one's region): another tenant
    of the same role gets its own answer, with nothing of A in it."""
    stranger = {
        "ent. A": "ent. B",
        "auth. in": "auth. out",
        "cons. +": "cons. −",
        "anonymous": "anonymous",
    }[CASES[key].user]
    token = None if stranger == "anonymous" else bearer_of(world, stranger)
    response, _ = send(world, key, token)
    assert response.status_code < 400
    assert A_NAME not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "key",
    [k for k in CASES if CASES[k].malformed],
    ids=[" ".join(k) for k in CASES if CASES[k].malformed],
)
def test_a_malformed_body_or_query_is_400_or_422_and_changes_nothing(world, key):
    case = CASES[key]
    for arguments in case.malformed:
        response, changed = send(world, key, bearer_of(world, case.user), **dict(arguments))
        assert_refused(response, (400, 422), {"bad_request", "invalid"})
        assert changed == [], arguments
