"""Accounts an administrator invites (assess/regional/staff.py), without the web: what a link
opens, and the account made is the one invited whatever else is sent."""

from __future__ import annotations

from assess.organisation import mail
from assess.regional import staff
from assess.store import users
from assess.store.audit import Actor
from assess.store.database import write_transaction
from tests.support import outbox_link

BY = Actor(None, "127.0.0.1")


def token_of(db, email: str) -> str:
    return outbox_link(db, email, "/accounts/join/").rsplit("/", 1)[1]


def test_a_link_opens_its_invitation_until_it_is_used(app, db):
    made = staff.invite(
        db, staff.Invitation("Nation@Example.com", "工信部", "authority", "000000"), BY
    )
    token = token_of(db, "nation@example.com")
    assert staff.read_link(db, token)["id"] == made
    row = staff.accept(db, token, "", "Strong-pass-2026", "2026-1", "10.0.0.1")
    assert (row["email"], row["name"], row["role"], row["region_scope"]) == (
        "nation@example.com",
        "工信部",
        "authority",
        "",
    )
    assert staff.read_link(db, token) == staff.Refused("used")
    assert staff.accept(db, token, "x", "Strong-pass-2026", "2026-1", None) == staff.Refused("used")


def test_an_expired_forged_or_foreign_link_opens_nothing(app, db):
    staff.invite(db, staff.Invitation("c@example.com", "李顾问", "consultant"), BY)
    token = token_of(db, "c@example.com")
    foreign = mail.signer(db, "password_reset").dumps([1, "nonce"])
    assert staff.read_link(db, foreign) == staff.Refused("invalid")
    assert staff.read_link(db, token[:-3] + "abc") == staff.Refused("invalid")
    assert staff.read_link(db, mail.signer(db, staff.PURPOSE).dumps([1, "other"])) == (
        staff.Refused("invalid")
    )
    with write_transaction(db):
        db.execute("UPDATE account_invitations SET expires_at = '2020-01-01T00:00:00Z'")
    assert staff.read_link(db, token) == staff.Refused("expired")
    assert users.get_by_email(db, "c@example.com") is None


def test_an_address_that_got_an_account_meanwhile_cannot_use_its_invitation(app, db, accounts):
    staff.invite(db, staff.Invitation("c@example.com", "李顾问", "consultant"), BY)
    token = token_of(db, "c@example.com")
    accounts.user("consultant", email="c@example.com")
    assert staff.read_link(db, token) == staff.Refused("account_exists")
