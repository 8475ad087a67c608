"""Fuzz cases of the administrator's pages of issue 20 (accounts by invitation, password
resets, consultancies) and of accepting an account invitation."""

from __future__ import annotations

from hypothesis import strategies as st

from assess.regional import staff
from assess.store import firms, users
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.views.firms import FirmForm, PlaceForm
from assess.views.staff import InviteForm
from assess.web.forms.new_account import JoinForm
from tests.fuzz.cases.base import Case, always, ids, refused_if_error, refused_unless_redirect
from tests.fuzz.strategies import INTS, NASTY, form_body, one_of_ids, valid_form
from tests.support import PASSWORD, outbox_link


def _invite(ctx) -> None:
    """A new invitation waiting (its id and its link's token in ctx.cache), and a consultancy;
    the shared client logged out (the link is opened by someone not logged in)."""
    count = ctx.cache.get("invited", 0) + 1
    email = f"invited{count}@example.com"
    admin = users.get_by_email(ctx.db, ctx.w["admin"])["id"]
    made = staff.invite(
        ctx.db, staff.Invitation(email, "新顾问", "consultant"), Actor(admin, "127.0.0.1")
    )
    with write_transaction(ctx.db):
        firm = firms.create(ctx.db, name=f"咨询机构{count}")
    ctx.cache.update(
        invited=count,
        invitation=made,
        firm=firm,
        token=outbox_link(ctx.db, email, "/accounts/join/").rsplit("/", 1)[1],
    )


def _as_admin(ctx) -> None:
    _invite(ctx)
    ctx.accounts.login(ctx.w["admin"])


def _anonymous(ctx) -> None:
    _invite(ctx)
    ctx.accounts.logout()


def _token(ctx, data) -> str:
    good = ctx.cache["token"]
    return data.draw(st.sampled_from([good, good[:-2] + "xy", good + "a"]) | NASTY.filter(bool))


def _choice(ctx, data, key: str) -> str:
    return data.draw(
        st.just("") | st.just(str(ctx.cache.get(key, ""))) | INTS.map(str) | NASTY, label=key
    )


CASES = [
    Case(
        "staff.invite",
        "POST",
        "admin",
        lambda ctx, data: (
            "/admin/accounts/new",
            form_body(
                data,
                valid_form(
                    InviteForm,
                    email=data.draw(st.sampled_from(["city@example.com", "admin@example.com"])),
                    name="苏州市工信局",
                    role=data.draw(st.sampled_from(["authority", "consultant", "admin"])),
                    locale=data.draw(st.sampled_from(["zh", "en"])),
                    region=data.draw(st.sampled_from(["320500", "320505", "000000", ""])),
                    park=data.draw(st.just("") | st.sampled_from(ctx.w["park_ids"]).map(str)),
                    firm=_choice(ctx, data, "firm"),
                ),
            ),
        ),
        refused_if_error,
        prepare=_as_admin,
    ),
    Case(
        "staff.resend",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/invitations/{one_of_ids(data, [ctx.cache['invitation']])}/resend",
            form_body(data, {}),
        ),
        refused_if_error,
        prepare=_as_admin,
    ),
    Case(
        "staff.revoke",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/invitations/{one_of_ids(data, [ctx.cache['invitation']])}/revoke",
            form_body(data, {}),
        ),
        refused_if_error,
        prepare=_as_admin,
    ),
    Case(
        "staff.join",
        "GET",
        None,
        lambda ctx, data: (f"/accounts/join/{_token(ctx, data)}", {}),
        always,
        prepare=_anonymous,
    ),
    Case(
        "staff.join",
        "POST",
        None,
        lambda ctx, data: (
            f"/accounts/join/{_token(ctx, data)}",
            form_body(
                data,
                valid_form(
                    JoinForm,
                    name="新顾问",
                    email="someone@example.com",
                    password=PASSWORD,
                    confirm=PASSWORD,
                    consent="y",
                ),
            ),
        ),
        refused_unless_redirect,
        prepare=_anonymous,
    ),
    Case(
        "admin.send_reset",
        "POST",
        "admin",
        lambda ctx, data: (f"/admin/users/{ids(ctx, data, 'user_ids')}/reset", form_body(data, {})),
        refused_if_error,
    ),
    Case(
        "firms.create",
        "POST",
        "admin",
        lambda ctx, data: (
            "/admin/firms",
            form_body(
                data, valid_form(FirmForm, name="江南智造咨询有限公司", qualification="CMMM")
            ),
        ),
        refused_if_error,
    ),
    Case(
        "firms.update",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/firms/{one_of_ids(data, [ctx.cache['firm']])}",
            form_body(data, valid_form(FirmForm, name="江南智造", qualification="")),
        ),
        refused_if_error,
        prepare=_as_admin,
    ),
    Case(
        "firms.place",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/firms/{one_of_ids(data, [ctx.cache['firm']])}/consultants",
            form_body(
                data,
                valid_form(
                    PlaceForm, email=data.draw(st.sampled_from([ctx.w["con2"], ctx.w["authority"]]))
                ),
            ),
        ),
        refused_if_error,
        prepare=_as_admin,
    ),
]
