"""Fuzz cases of the API (/api/v1) and of the account page's access tokens."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from assess.web.forms.tokens import TokenForm
from tests.fuzz.cases.base import Case, always, refused_if_error
from tests.fuzz.cases.wizard import autosave_body
from tests.fuzz.strategies import INTS, JSON_ANY, NASTY, form_body, one_of_ids, query, valid_form
from tests.support import PASSWORD, api_token, bearer

VERSION = "/api/v1/questionnaires/machinery-smart-factory/2026.1"
PAGES = {"page": INTS | NASTY, "per_page": INTS | NASTY}
REPORT = {
    "lang": st.sampled_from(["zh", "en"]) | NASTY,
    "retry": st.sampled_from(["1", "true"]) | NASTY,
}


def with_token(ctx, role: str = "ent") -> None:
    """A token of the world's account, used once (so that its last use is already recorded)."""
    ctx.cache["token"] = api_token(ctx.db, ctx.w[role])
    ctx.fresh_client().get("/api/v1/me", headers=bearer(ctx.cache["token"]))


def consultant_token(ctx) -> None:
    with_token(ctx, "con")


def signed(ctx, data, arguments: dict) -> dict:
    """The request arguments with the token and a language."""
    lang = data.draw(st.sampled_from(["zh", "en", "xx"]), label="lang")
    return {**arguments, "headers": bearer(ctx.cache["token"], lang)}


def json_body(data, fields: dict) -> dict:
    """A JSON body: these fields (each present or not, of its own kind or any JSON), or any."""
    body = data.draw(
        st.fixed_dictionaries({}, optional={k: v | JSON_ANY for k, v in fields.items()}) | JSON_ANY,
        label="body",
    )
    return {"data": json.dumps(body), "content_type": "application/json"}


def assessment(ctx, data, key: str) -> int:
    return one_of_ids(data, [ctx.w[key]] * 3 + [ctx.w["self_done"]])


def with_tokens(ctx) -> None:
    """The enterprise logged in, with two tokens of its own and one of a consultant."""
    ctx.accounts.login(ctx.w["ent"])
    for email in (ctx.w["ent"], ctx.w["ent"], ctx.w["con"]):
        api_token(ctx.db, email)
    ctx.cache["token_ids"] = [row["id"] for row in ctx.db.query("SELECT id FROM api_tokens")]


def listing(path: str):
    return lambda ctx, data: (
        path + query(data, PAGES),
        {"headers": bearer(ctx.cache["token"], data.draw(st.sampled_from(["zh", "en", "xx"])))},
    )


CASES = [
    Case(
        "tokens.create",
        "POST",
        "ent",
        lambda ctx, data: (
            "/account/tokens",
            form_body(
                data,
                valid_form(
                    TokenForm,
                    name=data.draw(st.sampled_from(["省平台", ""]) | NASTY),
                    scope=data.draw(st.sampled_from(["read", "write"]) | NASTY),
                    days=data.draw(st.sampled_from(["30", "90", "365"]) | NASTY),
                    password=data.draw(st.sampled_from([PASSWORD, "wrong"]) | NASTY),
                ),
            ),
        ),
        refused_if_error,
    ),
    Case(
        "tokens.revoke",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/account/tokens/{one_of_ids(data, ctx.cache['token_ids'])}/revoke",
            form_body(data, {}),
        ),
        refused_if_error,
        prepare=with_tokens,
    ),
    Case(
        "api_assessments.create",
        "POST",
        "ent",
        lambda ctx, data: (
            "/api/v1/assessments",
            signed(
                ctx,
                data,
                json_body(
                    data,
                    {"organisation_id": INTS | st.just(ctx.w["org_a"]), "prefill": st.booleans()},
                ),
            ),
        ),
        refused_if_error,
        prepare=with_token,
    ),
    Case(
        "api_assessments.create",
        "POST",
        "con",
        lambda ctx, data: (
            "/api/v1/assessments",
            signed(
                ctx,
                data,
                json_body(
                    data,
                    {
                        "organisation_id": st.sampled_from([ctx.w["org_a"], ctx.w["org_b"]]) | INTS,
                        "prefill": st.booleans(),
                    },
                ),
            ),
        ),
        refused_if_error,
        prepare=consultant_token,
    ),
    Case(
        "api_assessments.save_answers",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/api/v1/assessments/{assessment(ctx, data, 'self_draft')}/answers",
            signed(ctx, data, autosave_body(ctx, data, on_site=False)),
        ),
        lambda response, flashed: response.status_code >= 400,
        prepare=with_token,
    ),
    Case(
        "api_assessments.save_answers",
        "POST",
        "con",
        lambda ctx, data: (
            f"/api/v1/assessments/{ctx.w['on_site']}/answers",
            signed(ctx, data, autosave_body(ctx, data, on_site=True)),
        ),
        lambda response, flashed: response.status_code >= 400,
        prepare=consultant_token,
    ),
    Case(
        "api_assessments.submit",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/api/v1/assessments/{assessment(ctx, data, 'self_draft')}/submit",
            signed(
                ctx,
                data,
                json_body(data, {"confirm": st.booleans(), "confirm_carried": st.booleans()}),
            ),
        ),
        refused_if_error,
        prepare=with_token,
    ),
    *(
        Case(
            f"api_assessments.{endpoint}",
            "GET",
            None,
            lambda ctx, data, path=path, params=params: (
                path.format(assessment(ctx, data, "self_draft")) + query(data, params),
                signed(ctx, data, {}),
            ),
            always,
            prepare=with_token,
        )
        for endpoint, path, params in [
            (
                "listing",
                "/api/v1/assessments",
                {**PAGES, "organisation_id": INTS | NASTY, "status": NASTY},
            ),
            ("answers", "/api/v1/assessments/{}/answers", PAGES),
            ("report", "/api/v1/assessments/{}/report.pdf", REPORT),
            ("report_status", "/api/v1/assessments/{}/report/status", REPORT),
        ]
    ),
    Case(
        "api_questionnaires.versions",
        "GET",
        None,
        listing("/api/v1/questionnaires"),
        always,
        prepare=with_token,
    ),
    Case(
        "api_questionnaires.items",
        "GET",
        None,
        listing(f"{VERSION}/items"),
        always,
        prepare=with_token,
    ),
]
