"""Fuzz cases of an enterprise's own data: closing its account (sometimes with the right
password: then the world's enterprise is closed, and what is kept must still be valid), its
export, and agreeing to the privacy notice in force."""

from __future__ import annotations

from hypothesis import strategies as st

from assess.views.privacy import CloseForm
from tests.fuzz.cases.base import Case, always, refused_unless_redirect
from tests.fuzz.strategies import NASTY, form_body, query, valid_form
from tests.support import PASSWORD

CASES = [
    Case(
        "privacy.close",
        "POST",
        "ent",
        lambda ctx, data: (
            "/organisation/close",
            form_body(
                data,
                valid_form(
                    CloseForm,
                    password=data.draw(st.sampled_from([PASSWORD, "wrong-password-1"])),
                    understood=data.draw(st.sampled_from(["y", None])),
                ),
            ),
        ),
        refused_unless_redirect,
    ),
    Case(
        "privacy.agree",
        "POST",
        "ent",
        lambda ctx, data: (
            "/privacy/agree",
            form_body(data, {"next": data.draw(NASTY | st.just("/account"))}),
        ),
        refused_unless_redirect,
    ),
    Case(
        "privacy.export_archive",
        "GET",
        "ent",
        lambda ctx, data: ("/organisation/export.zip" + query(data, {"lang": NASTY}), {}),
        always,
    ),
]
