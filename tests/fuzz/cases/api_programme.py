"""Fuzz cases of the programme on the API (/api/v1): each request carries a personal access token of the
world's account (made once before the examples), generated query parameters, bodies and
headers."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from tests.fuzz.cases.base import Case, always, refused_if_error
from tests.fuzz.strategies import (
    AS_OF,
    DEEP_JSON,
    INTS,
    JSON_ANY,
    LONE_SURROGATES,
    NASTY,
    REGION,
    one_of_ids,
    query,
)
from tests.support import api_token, bearer

# Header values a client can send (a test client refuses line breaks before the app sees them)
HEADER = st.one_of(
    st.sampled_from(["zh", "en", "fr", "en-GB;q=0.5, zh;q=0.9", "*", ""]),
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60),
)
PAGE = {"page": st.one_of(INTS, NASTY), "per_page": st.one_of(INTS, NASTY)}
LEVEL = st.one_of(st.sampled_from(["basic", "advanced", "excellent", "leading"]), NASTY)
STATUS = st.one_of(st.sampled_from(["in_review", "recognised", "draft", "returned"]), NASTY)
YEAR = st.one_of(st.sampled_from([2025, 2026, 1999, 2101]), INTS, NASTY)


def token_of(who: str, scope: str = "write"):
    """prepare: a token of the world's account `who` for every example of the case."""

    def prepare(ctx) -> None:
        ctx.cache["token"] = api_token(ctx.db, ctx.w[who], scope)
        # used once, so that its last use is already recorded (a refused GET changes nothing)
        ctx.fresh_client().get("/api/v1/me", headers=bearer(ctx.cache["token"]))

    return prepare


def headers(ctx, data) -> dict:
    """The token, and an Accept-Language and If-None-Match of any kind."""
    sent = bearer(ctx.cache["token"])
    for name in ("Accept-Language", "If-None-Match"):
        if data.draw(st.booleans(), label=f"{name}?"):
            sent[name] = data.draw(HEADER, label=name)
    return {"headers": sent}


def get(endpoint: str, who: str, path, params: dict) -> Case:
    """A GET of the API as `who`, its path made from the data (ids) and its query generated."""
    return Case(
        endpoint,
        "GET",
        None,
        lambda ctx, data: (path(ctx, data) + query(data, params), headers(ctx, data)),
        always,
        prepare=token_of(who),
        name=f"GET {endpoint} as {who}",
    )


def declaration_path(ctx, data) -> str:
    found = data.draw(
        st.one_of(st.sampled_from([ctx.w["declaration"]]), INTS.filter(lambda i: i >= 0))
    )
    return f"/api/v1/declarations/{found}"


CASES = [
    get("api_programme.own_declarations", "ent", lambda ctx, data: "/api/v1/declarations", PAGE),
    get("api_programme.own_recognitions", "ent", lambda ctx, data: "/api/v1/recognitions", PAGE),
    get("api_programme.declaration", "ent", declaration_path, {}),
    get("api_programme.declaration", "authority", declaration_path, {}),
    get(
        "api_programme.region_declarations",
        "authority",
        lambda ctx, data: "/api/v1/region/declarations",
        {**PAGE, "round": st.one_of(INTS, NASTY), "status": STATUS},
    ),
    get(
        "api_programme.region_recognitions",
        "authority",
        lambda ctx, data: "/api/v1/region/recognitions",
        {
            **PAGE,
            "level": LEVEL,
            "year": YEAR,
            "withdrawn": st.one_of(st.sampled_from(["true", "0", "yes"]), NASTY),
        },
    ),
    get(
        "api_programme.region_recognitions_csv",
        "authority",
        lambda ctx, data: "/api/v1/region/recognitions.csv",
        {"level": LEVEL, "year": YEAR},
    ),
    get(
        "api_programme.region_figures",
        "authority",
        lambda ctx, data: "/api/v1/region/figures",
        {
            "region": REGION,
            "park": st.one_of(st.just(1), INTS, NASTY),
            "as_of": AS_OF,
        },
    ),
]


def visit_body(ctx, data) -> tuple[str, dict]:
    """A visit of the consultant's on-site draft (or another assessment): valid fields, some
    replaced by anything JSON holds, or a body that is not the JSON asked for."""
    assessment = one_of_ids(data, ctx.w["drafts"])
    fields = {
        "visit_date": st.one_of(st.sampled_from([date.today().isoformat()]), AS_OF, JSON_ANY),
        "site": st.one_of(st.just("一号车间"), NASTY, LONE_SURROGATES, JSON_ANY),
        "participants": st.one_of(st.just("厂长"), NASTY, LONE_SURROGATES, JSON_ANY),
    }
    body = {name: data.draw(value, label=name) for name, value in fields.items()}
    body = {k: v for k, v in body.items() if data.draw(st.integers(0, 5), label=f"{k}?")}
    how = data.draw(st.sampled_from(["json"] * 4 + ["shape", "deep", "bytes"]), label="how")
    sent = headers(ctx, data)
    if how == "json":
        sent["json"] = body
    elif how == "shape":
        sent["json"] = data.draw(JSON_ANY, label="shape")
    else:
        raw = data.draw(DEEP_JSON) if how == "deep" else data.draw(st.binary(max_size=200))
        sent["data"], sent["content_type"] = raw, "application/json"
    return f"/api/v1/assessments/{assessment}/visits", sent


CASES.append(
    Case(
        "api_visits.add",
        "POST",
        None,
        visit_body,
        refused_if_error,
        prepare=token_of("con"),
        name="POST api_visits.add as con",
    )
)
