"""Personal access tokens: made with a name, a scope and an expiry, stored hashed, shown once,
revoked by their owner only, throttled and audited like logins."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assess.organisation import api_tokens
from assess.store import throttle, users
from assess.store.audit import Actor
from assess.store.grants import token_hash


@pytest.fixture
def owner(accounts, db):
    email = accounts.user("enterprise", email="tokens@example.com")
    return users.get_by_email(db, email)


def actions(db) -> list[str]:
    return [row["action"] for row in db.query("SELECT action FROM audit_log ORDER BY id")]


def test_a_token_is_stored_only_as_its_hash_and_acts_for_its_user(db, owner):
    made = api_tokens.create(db, owner["id"], "省平台", "write", 90, Actor(owner["id"], "10.0.0.1"))
    stored = db["api_tokens"].get(made.token_id)
    assert made.token.startswith("ast_") and made.token not in str(stored)
    assert stored["token_hash"] == token_hash(made.token)
    assert stored["scopes"] == "read write"
    found = api_tokens.authenticate(db, made.token, "10.0.0.2")
    assert found.user["id"] == owner["id"]
    assert found.scopes == {"read", "write"}
    assert db["api_tokens"].get(made.token_id)["last_used_ip"] == "10.0.0.2"
    assert actions(db) == ["api_token_created"]


def test_a_read_token_has_only_the_read_scope(db, owner):
    made = api_tokens.create(db, owner["id"], "只读", "read", 30, Actor(owner["id"]))
    assert api_tokens.authenticate(db, made.token, "10.0.0.1").scopes == {"read"}


@pytest.mark.parametrize(
    ("name", "scope", "days", "reason"),
    [
        ("", "read", 30, "name"),
        ("   ", "read", 30, "name"),
        ("x" * 81, "read", 30, "name"),
        ("ok", "admin", 30, "scope"),
        ("ok", "read", 31, "expiry"),
        ("ok", "read", 0, "expiry"),
    ],
)
def test_a_bad_request_for_a_token_makes_none(db, owner, name, scope, days, reason):
    assert api_tokens.create(db, owner["id"], name, scope, days, Actor(owner["id"])) == (
        api_tokens.Refused(reason)
    )
    assert db["api_tokens"].count == 0


def test_at_most_twenty_live_tokens(db, owner):
    for number in range(api_tokens.MOST_ACTIVE):
        api_tokens.create(db, owner["id"], f"t{number}", "read", 30, Actor(owner["id"]))
    refused = api_tokens.create(db, owner["id"], "one more", "read", 30, Actor(owner["id"]))
    assert refused == api_tokens.Refused("too_many")
    api_tokens.revoke(db, owner["id"], 1, Actor(owner["id"]))
    assert isinstance(
        api_tokens.create(db, owner["id"], "one more", "read", 30, Actor(owner["id"])),
        api_tokens.Created,
    )


def test_revoked_expired_and_disabled_tokens_are_refused_and_audited(db, owner, accounts):
    revoked = api_tokens.create(db, owner["id"], "a", "read", 30, Actor(owner["id"]))
    assert api_tokens.revoke(db, owner["id"], revoked.token_id, Actor(owner["id"])) is True
    assert api_tokens.authenticate(db, revoked.token, "1.1.1.1") == api_tokens.Refused("revoked")
    expired = api_tokens.create(db, owner["id"], "b", "read", 30, Actor(owner["id"]))
    past = (datetime.now(UTC) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    db.execute("UPDATE api_tokens SET expires_at = ? WHERE id = ?", [past, expired.token_id])
    assert api_tokens.authenticate(db, expired.token, "1.1.1.1") == api_tokens.Refused("expired")
    live = api_tokens.create(db, owner["id"], "c", "read", 30, Actor(owner["id"]))
    db.execute("UPDATE users SET active = 0 WHERE id = ?", [owner["id"]])
    assert api_tokens.authenticate(db, live.token, "1.1.1.1") == api_tokens.Refused("inactive")
    assert actions(db).count("api_token_failed") == 3
    assert "api_token_revoked" in actions(db)
    assert [row["state"] for row in api_tokens.listing(db, owner["id"])] == [
        "active",
        "expired",
        "revoked",
    ]


def test_only_its_owner_revokes_a_token(db, owner, accounts):
    other = users.get_by_email(db, accounts.user("consultant", email="other@example.com"))
    made = api_tokens.create(db, owner["id"], "mine", "read", 30, Actor(owner["id"]))
    assert api_tokens.revoke(db, other["id"], made.token_id, Actor(other["id"])) == (
        api_tokens.Refused("unknown")
    )
    assert api_tokens.authenticate(db, made.token, "1.1.1.1").user["id"] == owner["id"]


@pytest.mark.parametrize(
    "token", [None, "", "Bearer", "ast_", "ast_short_x", "ast_000000000000_wrong", "x" * 500]
)
def test_a_wrong_token_is_refused_and_counted(db, owner, token):
    outcome = api_tokens.authenticate(db, token, "10.9.9.9")
    assert outcome == api_tokens.Refused("missing" if not token else "invalid")
    failures = db.execute("SELECT count(*) FROM login_failures").fetchone()[0]
    assert failures == (0 if not token else 1)


def test_a_genuine_prefix_with_a_wrong_secret_is_refused(db, owner):
    made = api_tokens.create(db, owner["id"], "a", "read", 30, Actor(owner["id"]))
    forged = made.token[:-4] + ("AAAA" if not made.token.endswith("AAAA") else "BBBB")
    assert api_tokens.authenticate(db, forged, "10.0.0.1") == api_tokens.Refused("invalid")


def test_wrong_tokens_are_throttled_like_passwords(db, owner):
    made = api_tokens.create(db, owner["id"], "a", "read", 30, Actor(owner["id"]))
    guess = made.token[:-4] + "ZZZZ"
    for _ in range(throttle.PER_ACCOUNT_AND_ADDRESS):
        assert api_tokens.authenticate(db, guess, "10.0.0.7") == api_tokens.Refused("invalid")
    # this address may try this token no more, even the genuine one, for the window
    assert api_tokens.authenticate(db, made.token, "10.0.0.7") == api_tokens.Refused("throttled")
    # from elsewhere it works
    assert api_tokens.authenticate(db, made.token, "10.0.0.8").user["id"] == owner["id"]
    assert "api_token_throttled" in actions(db)


def test_many_wrong_tokens_from_one_address_are_throttled(db, owner):
    made = api_tokens.create(db, owner["id"], "a", "read", 30, Actor(owner["id"]))
    for number in range(throttle.PER_ADDRESS):
        api_tokens.authenticate(db, f"ast_{number:012d}_guess", "10.0.0.9")
    assert api_tokens.authenticate(db, made.token, "10.0.0.9") == api_tokens.Refused("throttled")


def test_a_new_password_a_reset_a_second_factor_or_disabling_revokes_every_token(
    db, owner, accounts
):
    """What ends the sessions of an account that may be in other hands ends its API access:
    a stolen session cannot keep a token through the owner's recovery. A log-out does not."""
    from assess.organisation import accounts as account_use_cases

    def live() -> str:
        return api_tokens.create(db, owner["id"], "x", "write", 30, Actor(owner["id"])).token

    token = live()
    account_use_cases.log_out(db, Actor(owner["id"]))
    assert api_tokens.authenticate(db, token, "10.0.0.1").user["id"] == owner["id"]
    assert account_use_cases.change_password(
        db,
        owner["id"],
        owner["email"],
        "correct-horse-battery",
        "another-horse-battery-9",
        Actor(owner["id"]),
    )
    assert api_tokens.authenticate(db, token, "10.0.0.1") == api_tokens.Refused("revoked")
    token = live()
    users.set_active(db, owner["id"], False)
    users.set_active(db, owner["id"], True)  # enabled again: the old token stays revoked
    assert api_tokens.authenticate(db, token, "10.0.0.1") == api_tokens.Refused("revoked")


def test_wrong_tokens_do_not_lock_an_address_out_of_the_web_logins_nor_a_token_everywhere(
    db, owner
):
    for number in range(throttle.PER_ADDRESS):
        api_tokens.authenticate(db, f"ast_{number:012d}_guess", "10.0.0.9")
    assert not throttle.blocked(db, owner["email"], "10.0.0.9")  # passwords from there: fine
    made = api_tokens.create(db, owner["id"], "a", "read", 30, Actor(owner["id"]))
    guess = made.token[:-4] + "ZZZZ"
    addresses = throttle.PER_ACCOUNT // throttle.PER_ACCOUNT_AND_ADDRESS + 1
    for n in range(addresses):  # the prefix guessed wrong from many addresses
        for _ in range(throttle.PER_ACCOUNT_AND_ADDRESS):
            api_tokens.authenticate(db, guess, f"10.1.{n}.1")
    assert api_tokens.authenticate(db, made.token, "10.2.0.1").user["id"] == owner["id"]


def test_making_a_token_asks_for_the_password_and_wrong_ones_are_throttled(db, owner):
    by = Actor(owner["id"], "10.0.0.5")

    def make(password):
        return api_tokens.create_confirmed(db, owner["email"], password, "x", "read", 30, by)

    assert make("correct-horse-battery").token.startswith("ast_")
    for _ in range(throttle.PER_ACCOUNT_AND_ADDRESS):
        assert make("wrong") == api_tokens.Refused("password")
    assert make("correct-horse-battery") == api_tokens.Refused("throttled")
    assert db["api_tokens"].count == 1
