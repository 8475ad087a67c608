"""Fuzz cases of consultants' access (requests, invitations, claim codes, revocation, the
portfolio export) and of on-site visits."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from assess.views.grants import ConsultantSignupForm, InviteForm
from assess.web.forms.registration import CreditCodeForm as RequestForm
from tests.fuzz.cases.accounts import registration_values
from tests.fuzz.cases.base import Case, always, ids, refused_unless_redirect
from tests.fuzz.strategies import (
    AS_OF,
    NASTY,
    SPECIAL,
    TEXT,
    credit_code_for,
    form_body,
    one_of_ids,
    query,
    valid_form,
)
from tests.support import PASSWORD

CASES = [
    Case(
        "consultant.register_client",
        "POST",
        "con",
        lambda ctx, data: (
            "/consultant/clients/new",
            form_body(data, registration_values(ctx, data, account=False)),
        ),
        lambda response, flashed: b'class="claim-code"' not in response.data,
    ),
    Case(
        "onsite.add_visit",
        "POST",
        "con",
        lambda ctx, data: (
            f"/assessments/{one_of_ids(data, [ctx.w['on_site']] * 4 + [ctx.w['self_done']])}"
            "/visits",
            form_body(
                data,
                {
                    "visit_date": data.draw(AS_OF | st.just(date.today().isoformat())),
                    "site": "一号车间",
                    "participants": "张三、李四",
                },
            ),
        ),
    ),
    Case(
        "onsite.delete_visit",
        "POST",
        "con",
        lambda ctx, data: (
            f"/assessments/{one_of_ids(data, [ctx.w['on_site']] * 4 + [ctx.w['self_done']])}"
            f"/visits/{one_of_ids(data, [1, 2, 3])}/delete",
            form_body(data, {}),
        ),
    ),
    Case(
        "consultant.request_access",
        "POST",
        "con2",
        lambda ctx, data: (
            "/consultant/requests",
            form_body(
                data,
                valid_form(
                    RequestForm,
                    credit_code=data.draw(
                        st.sampled_from(
                            [
                                credit_code_for("320583", 2),
                                credit_code_for("320505", 77),
                                credit_code_for("320583", 2).lower(),
                            ]
                        )
                    ),
                ),
            ),
        ),
    ),
    Case(
        "consultant.renew_claim_code",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/clients/{one_of_ids(data, [ctx.w['org_a'], ctx.w['org_b']])}/claim-code",
            form_body(data, {}),
        ),
    ),
    Case(
        "consultant.withdraw_request",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/requests/{ids(ctx, data, 'grant_ids')}/withdraw",
            form_body(data, {}),
        ),
    ),
    Case(
        "consultant.accept_invitation",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/invitations/{ids(ctx, data, 'grant_ids')}/accept",
            form_body(data, {}),
        ),
    ),
    Case(
        "consultant.hand_over",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/clients/{one_of_ids(data, [ctx.w['org_a'], ctx.w['org_b']])}/hand-over",
            form_body(data, {"to": one_of_ids(data, ctx.w["user_ids"])}),
        ),
        refused_unless_redirect,
    ),
    Case(
        "consultant.start_on_site",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/clients/{one_of_ids(data, [ctx.w['org_a'], ctx.w['org_b']])}/assessments",
            form_body(data, {"prefill": "self"}),
        ),
    ),
    Case(
        "access.manage",
        "POST",
        "ent",
        lambda ctx, data: (
            "/consultants",
            form_body(
                data,
                valid_form(
                    InviteForm,
                    email=data.draw(st.sampled_from(["new@example.com", "CON2@example.com "])),
                ),
            ),
        ),
        refused_unless_redirect,  # invited: a redirect (the link goes by mail only)
    ),
    Case(
        "access.renew_link",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/consultants/{ids(ctx, data, 'grant_ids')}/link",
            form_body(data, {}),
        ),
    ),
    Case(
        "access.accept_request",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/consultants/{ids(ctx, data, 'grant_ids')}/accept",
            form_body(data, {}),
        ),
    ),
    Case(
        "access.revoke",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/consultants/{ids(ctx, data, 'grant_ids')}/revoke",
            form_body(data, {}),
        ),
    ),
    Case(
        "access.invitation",
        "POST",
        None,
        lambda ctx, data: (
            "/invitations/" + data.draw(st.sampled_from([ctx.w["invite_token"]] * 3) | TEXT),
            form_body(
                data,
                valid_form(
                    ConsultantSignupForm,
                    name="赵顾问",
                    email="invitee@example.com",
                    password=PASSWORD,
                    confirm=PASSWORD,
                    consent="y",
                ),
            ),
        ),
        refused_unless_redirect,
    ),
    Case(
        "access.invitation",
        "POST",
        "con",
        lambda ctx, data: (
            "/invitations/" + data.draw(st.sampled_from([ctx.w["invite_token"]]) | TEXT),
            form_body(data, {}),
        ),
        refused_unless_redirect,
    ),
    # GET routes that read query parameters
    Case(
        "consultant.export",
        "GET",
        "con",
        lambda ctx, data: (
            "/consultant/portfolio." + data.draw(st.sampled_from(["csv", "xlsx"]) | TEXT),
            {},
        ),
        always,
    ),
    Case(
        "consultant.portfolio",
        "GET",
        "con",
        lambda ctx, data: (
            "/consultant"
            + query(
                data,
                {
                    "status": st.sampled_from(["", "on_site", "verified", "self_draft"]) | NASTY,
                    "over_claims": st.sampled_from(["1", "0"]) | NASTY,
                    "q": st.sampled_from(["客户", "9132"]) | NASTY,
                },
            ),
            {},
        ),
        always,
    ),
    Case(
        "access.invitation",
        "GET",
        None,
        lambda ctx, data: ("/invitations/" + data.draw(TEXT | SPECIAL), {}),
        always,
    ),
]
