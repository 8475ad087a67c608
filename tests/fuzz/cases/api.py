"""Fuzz cases of the API (/api/v1) and of the account page's access tokens."""

from __future__ import annotations

from hypothesis import strategies as st

from assess.web.forms.tokens import TokenForm
from tests.fuzz.cases.base import Case, always, refused_if_error
from tests.fuzz.strategies import INTS, NASTY, form_body, one_of_ids, query, valid_form
from tests.support import api_token, bearer

VERSION = "/api/v1/questionnaires/machinery-smart-factory/2026.1"
PAGES = {"page": INTS | NASTY, "per_page": INTS | NASTY}


def with_token(ctx) -> None:
    """A token of the enterprise, used once (so that its last use is already recorded)."""
    ctx.cache["token"] = api_token(ctx.db, ctx.w["ent"])
    ctx.fresh_client().get("/api/v1/me", headers=bearer(ctx.cache["token"]))


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
