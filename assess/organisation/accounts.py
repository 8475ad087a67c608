"""Accounts: logging in (throttled, with an optional second factor), passwords, the second
factor, and an administrator enabling or disabling an account. No Flask: the web layer keeps
the session."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from assess.organisation import identity
from assess.store import api_tokens, audit, throttle, users
from assess.store.audit import Actor
from assess.store.database import write_transaction

EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # an account's login: name@host.tld


@dataclass(frozen=True)
class Refused:
    """Nothing changed (but the failure was counted). reason: throttled | wrong | own_account."""

    reason: str


@dataclass(frozen=True)
class NeedsCode:
    """The password is right; the account asks for its second factor next."""

    user_id: int


def _attempt(db: Database, email: str, ip: str) -> int | None:
    """Count an attempt as a failure before it is checked, in one transaction with the throttle
    check: of attempts made at the same moment in several workers, no more are checked than
    the throttle allows. The attempt's id (forgiven when it succeeds), or None when throttled."""
    with write_transaction(db):
        if throttle.blocked(db, email, ip):
            return None
        return throttle.fail(db, email, ip)


def log_in(db: Database, email: str, password: str, ip: str) -> dict | NeedsCode | Refused:
    """Check a password: the account's row when it may log in now, NeedsCode when a second
    factor follows, or Refused (every failure counts towards the throttle)."""
    email = email.strip().lower()[:254]
    attempt = _attempt(db, email, ip)
    if attempt is None:
        audit.record(db, "login_throttled", detail={"email": email}, ip=ip)
        return Refused("throttled")
    row = users.authenticate(db, email, password)
    if row is None:
        audit.record(db, "login_failed", detail={"email": email}, ip=ip)
        return Refused("wrong")
    if row["totp_enabled"]:
        throttle.forgive(db, attempt)
        return NeedsCode(row["id"])
    return logged_in(db, row, ip)


def check_code(db: Database, row: dict, code: str, ip: str | None) -> bool | Refused:
    """Check a code of the account's second factor, throttled like a password (its failures
    count with the password's, per account and address) and accepted once: True, False for a
    wrong or used code, or Refused("throttled") unchecked."""
    if _attempt(db, row["email"], ip or "") is None:
        audit.record(
            db, "login_throttled", user_id=row["id"], detail={"second_factor": True}, ip=ip
        )
        return Refused("throttled")
    if users.verify_totp(db, row, code.strip()) is None:
        audit.record(db, "login_failed", user_id=row["id"], detail={"second_factor": True}, ip=ip)
        return False
    throttle.succeed(db, row["email"])
    return True


def check_second_factor(db: Database, row: dict, code: str, ip: str) -> dict | Refused:
    """The second step: the current code of the account's authenticator app, once."""
    checked = check_code(db, row, code, ip)
    if isinstance(checked, Refused):
        return checked
    if not checked:
        return Refused("wrong")
    return logged_in(db, row, ip)


def confirm_password(db: Database, email: str, password: str, ip: str | None) -> bool | Refused:
    """A logged-in user confirms a grave step with the password, checked as at login (the
    attempt counted first, throttled): True, False, or Refused("throttled") unchecked."""
    email = email.strip().lower()
    attempt = _attempt(db, email, ip or "")
    if attempt is None:
        return Refused("throttled")
    if users.authenticate(db, email, password) is None:
        return False
    throttle.forgive(db, attempt)
    return True


def logged_in(db: Database, row: dict, ip: str) -> dict:
    """Record a successful login (and clear the account's failures)."""
    users.record_login(db, row["id"])
    throttle.succeed(db, row["email"])
    audit.record(db, "login", user_id=row["id"], ip=ip)
    return users.get(db, row["id"])


def log_out(db: Database, by: Actor) -> None:
    """End every session of the account (this one and any other)."""
    audit.record_by(db, by, "logout")
    users.end_sessions(db, by.user_id)


def change_password(
    db: Database, user_id: int, email: str, current: str, new: str, by: Actor
) -> bool:
    """A new password when the current one is right; every session of the account ends, and
    its API tokens are revoked."""
    if users.authenticate(db, email, current) is None:
        return False
    with write_transaction(db):
        users.set_password(db, user_id, new)
        users.end_sessions(db, user_id)
        api_tokens.revoke_all(db, user_id)
        audit.record_by(db, by, "password_changed")
        identity.password_changed_notice(db, users.get(db, user_id))
    return True


def enable_second_factor(
    db: Database, user_id: int, secret: str, code: str, by: Actor
) -> bool | Refused:
    """Confirm a new TOTP secret with its first code (throttled like a password); every other
    session ends. True, False for a wrong code, or Refused("throttled")."""
    row = users.get(db, user_id)
    if _attempt(db, row["email"], by.ip or "") is None:
        return Refused("throttled")
    step = users.totp_step(secret, code.strip())
    if step is None:
        audit.record_by(db, by, "login_failed", detail={"second_factor": True})
        return False
    with write_transaction(db):
        users.enable_totp(db, user_id, secret, step)
        users.end_sessions(db, user_id)
        api_tokens.revoke_all(db, user_id)
        throttle.succeed(db, row["email"])
        audit.record_by(db, by, "totp_enabled")
    return True


def disable_second_factor(db: Database, user_id: int, code: str, by: Actor) -> bool | Refused:
    """Remove the second factor, with a current code (checked as at login: throttled, once)."""
    row = users.get(db, user_id)
    if not row["totp_enabled"]:
        return False
    checked = check_code(db, row, code, by.ip)
    if checked is not True:
        return checked
    with write_transaction(db):
        users.disable_totp(db, user_id)
        audit.record_by(db, by, "totp_disabled")
    return True


def set_active(db: Database, user_id: int, active: bool, by: Actor) -> Refused | None:
    """An administrator enables or disables an account (a disabled one's sessions end)."""
    if user_id == by.user_id and not active:
        return Refused("own_account")
    with write_transaction(db):
        users.set_active(db, user_id, active)
        audit.record_by(
            db,
            by,
            "account_enabled" if active else "account_disabled",
            target_type="user",
            target_id=user_id,
        )
    return None
