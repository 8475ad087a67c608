"""Fuzz cases of proven addresses: confirmation and password-reset links (real ones, altered
ones and nonsense), asking for a reset, re-sending a confirmation, the mail preference."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import strategies as st

from assess.organisation import mail
from assess.store import users
from assess.store.database import write_transaction
from assess.views.identity import ForgotForm, ResetForm
from assess.web.forms.mail import MailForm
from tests.fuzz.cases.base import Case, always, refused_if_error, refused_unless_redirect
from tests.fuzz.strategies import NASTY, TEXT, form_body, valid_form


def link_token(ctx, data, purpose: str) -> str:
    """A real link of ent's (made once per case), an altered one, or nonsense."""
    if purpose not in ctx.cache:
        with write_transaction(ctx.db):
            user = users.get_by_email(ctx.db, ctx.w["ent"])
            ctx.cache[purpose] = mail.make_link(ctx.db, purpose, user).rsplit("/", 1)[1]
    token = ctx.cache[purpose]
    drawn = data.draw(
        st.sampled_from([token, token[:-4] + "AAAA", token + "x"]) | TEXT, label="token"
    )
    return quote(drawn, safe="") or "x"


CASES = [
    Case(
        "identity.confirm",
        "GET",
        None,
        lambda ctx, data: (f"/confirm/{link_token(ctx, data, 'confirm_email')}", {}),
        always,
    ),
    Case(
        "identity.confirm",
        "POST",
        None,
        lambda ctx, data: (
            f"/confirm/{link_token(ctx, data, 'confirm_email')}",
            form_body(data, {}),
        ),
        refused_if_error,  # a real link confirms (and redirects); a refused one changes nothing
    ),
    Case(
        "identity.reset",
        "GET",
        None,
        lambda ctx, data: (f"/password/reset/{link_token(ctx, data, 'password_reset')}", {}),
        always,
    ),
    Case(
        "identity.reset",
        "POST",
        None,
        lambda ctx, data: (
            f"/password/reset/{link_token(ctx, data, 'password_reset')}",
            form_body(
                data,
                valid_form(ResetForm, password="Fresh-phrase-2026", confirm="Fresh-phrase-2026"),
            ),
        ),
        refused_unless_redirect,
    ),
    Case(
        "identity.forgot",
        "POST",
        None,
        lambda ctx, data: (
            "/password/forgot",
            form_body(
                data,
                valid_form(ForgotForm, email=data.draw(st.sampled_from([ctx.w["ent"]]) | NASTY)),
            ),
        ),
        None,  # the same answer for any address (a real one queues a mail): nothing to compare
    ),
    Case(
        "identity.resend",
        "POST",
        "ent",
        lambda ctx, data: ("/account/confirm", form_body(data, {})),
        None,
    ),
    Case(
        "identity.mail_preference",
        "POST",
        "ent",
        lambda ctx, data: (
            "/account/mail",
            form_body(
                data, valid_form(MailForm, notifications=data.draw(st.sampled_from(["y", None])))
            ),
        ),
        None,
    ),
]
