"""Fuzz cases of contesting a taken credit code: the claimant's licence (any bytes, a PDF, a
photo, nothing) and statement; an administrator's decision; handing an enterprise over."""

from __future__ import annotations

import io

from hypothesis import strategies as st

from assess.store import contests, users
from tests.fuzz.cases.base import Case, refused_if_error
from tests.fuzz.strategies import NASTY, TEXT, credit_code_for, form_body, one_of_ids
from tests.support import PASSWORD, PDF, png

CLAIMANT = "claimant@example.com"


def _contest(ctx, send: bool) -> int:
    """A company contesting enterprise A's credit code (its licence sent when `send`)."""
    if "contest" not in ctx.cache:
        client = ctx.fresh_client()
        form = {
            "name": "真甲机械有限公司",
            "credit_code": credit_code_for("320505", 1),
            "province": "320000",
            "city": "320500",
            "county": "320505",
            "sector": "machine_tools",
            "size": "medium",
            "contact_name": "赵工",
            "email": CLAIMANT,
            "password": PASSWORD,
            "confirm": PASSWORD,
            "consent": "y",
            "contest": "y",
        }
        assert client.post("/register", data=form).status_code == 302
        ctx.accounts.confirm(CLAIMANT)
        if send:
            sent = client.post(
                "/contest",
                data={"licence": (io.BytesIO(PDF), "执照.pdf")},
                content_type="multipart/form-data",
            )
            assert sent.status_code == 302
        stand_in = users.get_by_email(ctx.db, CLAIMANT)["organisation_id"]
        ctx.cache["contest"] = contests.of_claimant_organisation(ctx.db, stand_in)["id"]
    return ctx.cache["contest"]


def claimant_prepare(ctx) -> None:
    _contest(ctx, send=False)
    ctx.accounts.login(CLAIMANT)


def licence_body(ctx, data) -> tuple[str, dict]:
    kind = data.draw(st.sampled_from(["bytes", "pdf", "png", "none"]), label="kind")
    fields = {"statement": data.draw(TEXT | NASTY, label="statement")}
    if kind != "none":
        content = {"pdf": PDF, "png": png()}.get(kind) or data.draw(
            st.binary(max_size=2000), label="content"
        )
        name = data.draw(st.sampled_from(["执照.pdf", "a.png", "", "x" * 300]), label="name")
        fields["licence"] = (io.BytesIO(content), name)
    return "/contest", {"data": fields, "content_type": "multipart/form-data"}


def decide_body(ctx, data) -> tuple[str, dict]:
    contest = one_of_ids(data, [_contest(ctx, send=True)])
    decision = data.draw(st.sampled_from(["hand_over", "refuse", ""]) | NASTY, label="decision")
    return f"/admin/contests/{contest}/decide", form_body(
        data, {"decision": decision, "note": data.draw(TEXT, label="note")}
    )


def hand_over_body(ctx, data) -> tuple[str, dict]:
    code = data.draw(
        st.sampled_from([credit_code_for("320505", 1), credit_code_for("320583", 2), ""]) | NASTY,
        label="code",
    )
    email = data.draw(st.sampled_from([ctx.w["ent"], "nobody@example.com", ""]) | NASTY)
    valid = {
        "credit_code": code,
        "email": email,
        "impostor": data.draw(st.sampled_from(["1", "", "0"])),
        "confirm": data.draw(st.sampled_from(["1", ""])),
    }
    return "/admin/hand-over", form_body(data, valid)


def hand_over_query(ctx, data) -> tuple[str, dict]:
    code = data.draw(st.sampled_from([credit_code_for("320505", 1), ""]) | NASTY, label="code")
    return "/admin/hand-over", {"query_string": {"credit_code": code}}


CASES = [
    Case("contests.claimant", "POST", None, licence_body, refused_if_error, claimant_prepare),
    Case("contests.decide", "POST", "admin", decide_body, refused_if_error),
    Case("contests.hand_over", "POST", "admin", hand_over_body, refused_if_error),
    Case("contests.hand_over", "GET", "admin", hand_over_query, None, name="GET hand-over query"),
]
