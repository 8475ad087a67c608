"""Fuzz cases of registration, login, the second factor, the account page, the language switch
and administration."""

from __future__ import annotations

from urllib.parse import quote

import pyotp
from hypothesis import strategies as st

from assess.views.account import CodeForm, LoginForm, PasswordForm
from assess.web.forms.registration import ClientForm, RegistrationForm
from tests.fuzz.cases.base import Case, always, ids, refused_if_error, refused_unless_redirect
from tests.fuzz.strategies import INTS, LANG, NASTY, credit_code_for, form_body, query, valid_form
from tests.support import PASSWORD


def registration_values(ctx, data, account: bool = True) -> dict:
    serial = data.draw(st.integers(10, 10**9 - 1), label="serial")
    form = ClientForm if not account else RegistrationForm
    values = {
        "name": "丙机械有限公司",
        "credit_code": credit_code_for("320505", serial),
        "province": "320000",
        "city": "320500",
        "county": "320505",
        "sector": "machine_tools",
        "size": "medium",
        "contact_name": "王工",
        "contact_phone": "0512-1234567",
        "claim_code": None,
        "refresh": None,
    }
    if account:
        values.update(
            email=f"r{serial}@example.com",
            password=PASSWORD,
            confirm=PASSWORD,
            consent="y",
            contest=data.draw(st.sampled_from([None, "y"]), label="contest"),
        )
    return valid_form(form, **values)


def login_with_code(ctx) -> None:
    client = ctx.accounts.client
    ctx.accounts.login(ctx.w["totp"])
    code = pyotp.TOTP(ctx.w["totp_secret"]).now()
    assert client.post("/login/code", data={"code": code}).status_code == 302


def second_factor_build(ctx, data):
    client = ctx.fresh_client()
    client.post("/login", data={"email": ctx.w["totp"], "password": PASSWORD})
    ctx.cache["client"] = client
    code = valid_form(CodeForm, code="123456")
    return "/login/code", form_body(data, code)


def totp_prepare(ctx) -> None:
    ctx.accounts.login(ctx.w["con"])
    assert ctx.accounts.client.get("/account/totp").status_code == 200  # the secret is set


# the audit log's filters: known and unknown actions and objects, names, ids, dates and junk
AUDIT_FILTERS = {
    "action": NASTY | st.sampled_from(["login", "submit", "declaration_return"]),
    "user": NASTY | INTS.map(str) | st.just("admin@"),
    "target_type": NASTY | st.just("organisation"),
    "target_id": NASTY | INTS.map(str),
    "since": NASTY | st.dates().map(str),
    "until": NASTY | st.dates().map(str),
}

CASES = [
    Case(
        "register.register",
        "POST",
        None,
        lambda ctx, data: ("/register", form_body(data, registration_values(ctx, data))),
        refused_unless_redirect,
    ),
    Case(
        "auth.login",
        "POST",
        None,
        lambda ctx, data: (
            "/login"
            + query(data, {"next": NASTY | st.sampled_from(["/history", "//evil.example"])}),
            form_body(data, valid_form(LoginForm, email=ctx.w["ent"], password=PASSWORD)),
        ),
        refused_unless_redirect,
    ),
    Case("auth.second_factor", "POST", None, second_factor_build, refused_unless_redirect),
    Case(
        "auth.logout",
        "POST",
        "ent",
        lambda ctx, data: ("/logout", form_body(data, {})),
        None,
        name="POST auth.logout as ent",
    ),
    Case(
        "auth.account",
        "POST",
        "ent",
        lambda ctx, data: (
            "/account",
            form_body(
                data,
                valid_form(
                    PasswordForm,
                    current=data.draw(st.sampled_from([PASSWORD, "wrong-password-1"])),
                    password="another-long-phrase-9",
                    confirm="another-long-phrase-9",
                ),
            ),
        ),
        refused_unless_redirect,
    ),
    Case(
        "auth.totp",
        "POST",
        None,
        lambda ctx, data: ("/account/totp", form_body(data, valid_form(CodeForm, code="000000"))),
        refused_unless_redirect,
        prepare=totp_prepare,
        name="POST auth.totp as con",
    ),
    Case(
        "auth.totp_off",
        "POST",
        None,
        lambda ctx, data: (
            "/account/totp/off",
            form_body(data, valid_form(CodeForm, code="000000")),
        ),
        refused_if_error,
        prepare=login_with_code,
        name="POST auth.totp_off as totp",
    ),
    Case(
        "admin.set_active",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/users/{ids(ctx, data, 'user_ids')}/active",
            form_body(data, {"active": data.draw(st.sampled_from(["0", "1"]))}),
        ),
    ),
    Case(
        "home.switch_language",
        "POST",
        "ent",
        lambda ctx, data: (
            "/lang",
            form_body(
                data, {"lang": data.draw(LANG), "next": data.draw(NASTY | st.just("/history"))}
            ),
        ),
        None,
    ),
    Case(
        "home.switch_language",
        "POST",
        None,
        lambda ctx, data: ("/lang", form_body(data, {"lang": "en", "next": "/register"})),
        None,
    ),
    # GET routes that read query parameters
    Case(
        "admin.audit_log",
        "GET",
        "admin",
        lambda ctx, data: (
            "/admin/audit" + query(data, AUDIT_FILTERS | {"before": INTS | NASTY}),
            {},
        ),
        always,
    ),
    Case(
        "admin.backups_page",
        "GET",
        "admin",
        lambda ctx, data: ("/admin/backups" + query(data, {"x": NASTY}), {}),
        always,
    ),
    Case(
        "admin.download_backup",
        "GET",
        "admin",
        lambda ctx, data: (
            "/admin/backups/"
            + quote(
                data.draw(NASTY | st.just("assess-20261201T000000Z.tar") | st.just("..")), safe=""
            ),
            {},
        ),
        always,
    ),
    Case(
        "admin.start_backup",
        "POST",
        "admin",
        lambda ctx, data: ("/admin/backups", form_body(data, {})),
        None,  # whatever the body, a backup starts (or one is running): nothing to refuse
    ),
    Case(
        "admin.set_scope",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/users/{ids(ctx, data, 'user_ids')}/scope",
            form_body(
                data,
                {
                    "region": data.draw(st.sampled_from(["320505", "320000", "000000"]) | NASTY),
                    "park": data.draw(
                        st.just("") | st.sampled_from(ctx.w["park_ids"]).map(str) | NASTY
                    ),
                },
            ),
        ),
        None,  # a valid region for an authority is a change; checked for validity only
    ),
    Case(
        "admin.set_role",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/users/{ids(ctx, data, 'user_ids')}/role",
            form_body(
                data,
                {
                    "role": data.draw(
                        st.sampled_from(["consultant", "authority", "admin", "enterprise"]) | NASTY
                    ),
                    "region": data.draw(st.sampled_from(["320505", "320000", "000000"]) | NASTY),
                    "park": data.draw(
                        st.just("") | st.sampled_from(ctx.w["park_ids"]).map(str) | NASTY
                    ),
                },
            ),
        ),
        None,  # a staff account given a valid role is a change; checked for validity only
    ),
    Case(
        "parks.create",
        "POST",
        "admin",
        lambda ctx, data: (
            "/admin/parks",
            form_body(
                data,
                {
                    "county": data.draw(st.sampled_from(["320505", "320500", "999999"]) | NASTY),
                    "name_zh": data.draw(st.just("新园区") | NASTY),
                    "name_en": data.draw(st.just("") | NASTY),
                },
            ),
        ),
    ),
    Case(
        "parks.move_in",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/parks/{ids(ctx, data, 'park_ids')}/enterprises",
            form_body(
                data,
                {
                    "organisation": data.draw(st.sampled_from(ctx.w["org_ids"]).map(str) | NASTY),
                    "codes": data.draw(st.just("") | NASTY),
                },
            ),
        ),
        None,  # moving an enterprise of the county in is not refused: check validity only
    ),
    Case(
        "parks.take_out",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/parks/{ids(ctx, data, 'park_ids')}/enterprises/"
            f"{ids(ctx, data, 'org_ids')}/out",
            form_body(data, {}),
        ),
        None,
    ),
    Case(
        "admin.audit_csv",
        "GET",
        "admin",
        lambda ctx, data: ("/admin/audit.csv" + query(data, AUDIT_FILTERS), {}),
        always,
    ),
    Case(
        "auth.login",
        "GET",
        None,
        lambda ctx, data: ("/login" + query(data, {"next": NASTY}), {}),
        always,
    ),
]
