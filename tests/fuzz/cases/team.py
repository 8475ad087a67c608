"""Fuzz cases of an enterprise's team: invitations (sent, re-sent, withdrawn, accepted through
the link), roles, members removed, sections assigned, ownership handed over, the company
profile; and a contributor's autosave outside its sections."""

from __future__ import annotations

from hypothesis import strategies as st

from assess.views.team import InviteForm, ProfileForm, TransferForm
from assess.web.forms.new_account import JoinForm
from tests.fuzz.cases.base import Case, always, ids, refused_if_error, refused_unless_redirect
from tests.fuzz.cases.wizard import autosave_body
from tests.fuzz.strategies import NASTY, form_body, one_of_ids, query, valid_form
from tests.support import PASSWORD

ROLES = st.sampled_from(["contributor", "viewer", "owner", ""])


def _member(ctx, data) -> int:
    return one_of_ids(data, ctx.w["member_ids"])


def _token(ctx, data) -> str:
    good = ctx.w["team_token"]
    return data.draw(st.sampled_from([good, good[:-2] + "xy", good + "a"]) | NASTY.filter(bool))


CASES = [
    Case(
        "team.invite",
        "POST",
        "ent",
        lambda ctx, data: (
            "/team/invitations",
            form_body(
                data,
                valid_form(
                    InviteForm,
                    email=data.draw(st.sampled_from(["new@example.com", "contrib@example.com"])),
                    member_role=data.draw(ROLES),
                ),
            ),
        ),
        refused_if_error,
    ),
    *(
        Case(
            f"team.{action}",
            "POST",
            "ent",
            lambda ctx, data, action=action: (
                f"/team/invitations/{ids(ctx, data, 'team_invitation_ids')}/{action}",
                form_body(data, {}),
            ),
            refused_if_error,
        )
        for action in ("resend", "revoke")
    ),
    Case(
        "team.set_role",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/team/members/{_member(ctx, data)}/role",
            form_body(data, {"member_role": data.draw(ROLES)}),
        ),
        refused_if_error,
    ),
    Case(
        "team.remove",
        "POST",
        "ent",
        lambda ctx, data: (f"/team/members/{_member(ctx, data)}/remove", form_body(data, {})),
        refused_if_error,
    ),
    Case(
        "team.assign",
        "POST",
        "ent",
        lambda ctx, data: (
            "/team/sections",
            form_body(
                data,
                {
                    "s:data": data.draw(
                        st.sampled_from(["", *map(str, ctx.w["member_ids"])]) | NASTY
                    ),
                    "s:org_strategy": str(_member(ctx, data)),
                    data.draw(
                        st.sampled_from(["s:nope", "s:", "s:s09_networked_manufacturing"])
                    ): "",
                },
            ),
        ),
        refused_if_error,
    ),
    Case(
        "team.transfer",
        "POST",
        "ent",
        lambda ctx, data: (
            "/team/transfer",
            form_body(
                data,
                valid_form(
                    TransferForm,
                    to=str(_member(ctx, data)),
                    old_role=data.draw(ROLES),
                    password=data.draw(st.sampled_from([PASSWORD, "wrong-password-1"])),
                ),
            ),
        ),
        refused_if_error,
    ),
    Case(
        "team.join",
        "GET",
        None,
        lambda ctx, data: (f"/team/join/{_token(ctx, data)}", {}),
        always,
    ),
    Case(
        "team.join",
        "POST",
        None,
        lambda ctx, data: (
            f"/team/join/{_token(ctx, data)}",
            form_body(
                data,
                valid_form(
                    JoinForm,
                    name="周工",
                    email="someone@example.com",
                    password=PASSWORD,
                    confirm=PASSWORD,
                    consent="y",
                ),
            ),
        ),
        refused_unless_redirect,
    ),
    Case(
        "team.edit_profile",
        "POST",
        "ent",
        lambda ctx, data: (
            "/organisation/profile",
            form_body(
                data,
                valid_form(
                    ProfileForm,
                    name="甲智能装备有限公司",
                    province="320000",
                    city="320500",
                    county=data.draw(st.sampled_from(["320505", "320583", "330106"])),
                    sector=data.draw(st.sampled_from(["machine_tools", "rail", "nope"])),
                    size="medium",
                    contact_name="王经理",
                    contact_phone="0512-1234567",
                    refresh=None,
                ),
            ),
        ),
        refused_unless_redirect,
    ),
    Case(
        "team.edit_profile",
        "GET",
        "ent",
        lambda ctx, data: ("/organisation/profile" + query(data, {"lang": NASTY}), {}),
        always,
    ),
    Case(
        "wizard.autosave",
        "POST",
        "contrib",
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_draft']}/answers",
            autosave_body(ctx, data, on_site=False),
        ),
        lambda response, flashed: response.status_code >= 400,
        name="POST wizard.autosave as a contributor (outside its sections: refused per item)",
    ),
]
