"""Proven addresses: confirming an account's e-mail, and resetting a forgotten password, each
through a signed, expiring, single-use link sent to the address. No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.organisation import mail
from assess.organisation.mail import Link, LinkRefused
from assess.store import api_tokens, audit, mail_links, outbox, throttle, users
from assess.store.audit import Actor
from assess.store.database import write_transaction

RESEND_GAP = 60  # seconds between two confirmation mails to one address
RESEND_PER_DAY = 5  # confirmation mails to one address in 24 hours
RESETS_PER_HOUR = 3  # reset mails to one address in an hour (more asks are answered alike)


@dataclass(frozen=True)
class Refused:
    """Nothing sent. reason: confirmed (already) | wait (too soon after the last one) | today
    (too many today) | hour (too many resets this hour) | not_found | disabled."""

    reason: str


def send_confirmation(db: Database, user: dict) -> int:
    """Queue the confirmation link to an account's address (in the caller's transaction)."""
    t = mail.lang_of(user)
    link = mail.make_link(db, "confirm_email", user)
    return mail.to_user(
        db,
        user,
        "confirm_email",
        t.gettext("Confirm your e-mail address"),
        t.gettext(
            "Please confirm that this address is yours by opening the link below. Until then"
            " your account can answer and read its own assessments, but nothing that others"
            " see: no submission, declaration, access for consultants or candidate list."
        ),
        link,
        t.gettext(
            "The link works once, for %(hours)s hours. If you did not register, ignore this"
            " message.",
            hours=mail.CONFIRM_HOURS,
        ),
        security=True,
    )


def resend_confirmation(db: Database, user_id: int, by: Actor) -> Refused | None:
    """Send the confirmation link again (throttled per address); None when sent."""
    with write_transaction(db):
        user = users.get(db, user_id)
        if user["email_confirmed_at"]:
            return Refused("confirmed")
        if outbox.sent_recently(db, user["email"], "confirm_email", RESEND_GAP):
            return Refused("wait")
        if outbox.sent_recently(db, user["email"], "confirm_email", 24 * 3600) >= RESEND_PER_DAY:
            return Refused("today")
        send_confirmation(db, user)
        audit.record_by(db, by, "confirmation_sent")
    return None


def check_confirmation(db: Database, token: str) -> Link | LinkRefused:
    """Whether a confirmation link may be used (shown before its button is pressed: a mail
    scanner that opens the link confirms nothing)."""
    return mail.read_link(db, "confirm_email", token, mail.CONFIRM_HOURS * 3600)


def confirm(db: Database, token: str, ip: str | None) -> dict | LinkRefused:
    """Use a confirmation link: the account's row, now proven, or why not."""
    with write_transaction(db):
        link = check_confirmation(db, token)
        if isinstance(link, LinkRefused):
            return link
        if not mail.use_link(db, "confirm_email", link):
            return LinkRefused("used")
        users.confirm_email(db, link.user["id"])
        mail_links.use_all(db, "confirm_email", link.user["id"])
        audit.record(db, "email_confirmed", user_id=link.user["id"], ip=ip)
    return users.get(db, link.user["id"])


def request_reset(db: Database, email: str, ip: str | None) -> None:
    """Someone asks for a password reset for an address. The answer is always the same (it
    tells nobody whether the address has an account); the link goes to the address only, a
    few times an hour at most, and one network asks a limited number of times an hour
    (store/throttle.py), whatever the addresses."""
    email = email.strip().lower()[:254]
    with write_transaction(db):
        if throttle.requests_blocked(db, "password_reset", ip or ""):
            audit.record(
                db,
                "password_reset_throttled",
                detail={"network": throttle.network_of(ip or "")},
                ip=ip,
            )
            return
        throttle.count_request(db, "password_reset", ip or "")
        user = users.get_by_email(db, email)
        if user is None or not user["active"]:
            audit.record(db, "password_reset_asked", detail={"email": email, "known": False}, ip=ip)
            return
        if outbox.sent_recently(db, email, "password_reset", 3600) >= RESETS_PER_HOUR:
            audit.record(db, "password_reset_throttled", user_id=user["id"], ip=ip)
            return
        _reset_mail(
            db,
            user,
            mail.lang_of(user).gettext(
                "Someone (we hope you) asked to reset the password of your account."
            ),
        )
        audit.record(db, "password_reset_asked", user_id=user["id"], ip=ip)


def _reset_mail(db: Database, user: dict, why: str) -> int:
    """Queue a reset link to an account's address (in the caller's transaction)."""
    t = mail.lang_of(user)
    return mail.to_user(
        db,
        user,
        "password_reset",
        t.gettext("Reset your password"),
        why,
        mail.make_link(db, "password_reset", user),
        t.gettext(
            "The link works once, for %(minutes)s minutes. Setting a new password logs"
            " out every session of your account. If you did not ask, ignore this message:"
            " your password stays as it is.",
            minutes=mail.RESET_MINUTES,
        ),
        security=True,
    )


def check_reset(db: Database, token: str) -> Link | LinkRefused:
    """Whether a reset link may be used (shown before the new password is typed)."""
    return mail.read_link(db, "password_reset", token, mail.RESET_MINUTES * 60)


def reset_password(db: Database, token: str, password: str, ip: str | None) -> dict | LinkRefused:
    """Set a new password with a reset link: the link and every other reset link stop
    working, every session of the account ends, and the address counts as proven (the link
    reached it). The account's row, or why not."""
    with write_transaction(db):
        link = check_reset(db, token)
        if isinstance(link, LinkRefused):
            return link
        if not mail.use_link(db, "password_reset", link):
            return LinkRefused("used")
        user_id = link.user["id"]
        users.set_password(db, user_id, password)
        users.end_sessions(db, user_id)
        api_tokens.revoke_all(db, user_id)
        users.confirm_email(db, user_id)
        mail_links.use_all(db, "password_reset", user_id)
        audit.record(db, "password_reset", user_id=user_id, ip=ip)
        password_changed_notice(db, link.user)
    return users.get(db, user_id)


def password_changed_notice(db: Database, user: dict) -> int:
    """Tell an account its password changed (security mail: it cannot be turned off)."""
    t = mail.lang_of(user)
    return mail.to_user(
        db,
        user,
        "password_changed",
        t.gettext("Your password was changed"),
        t.gettext(
            "The password of your account was changed just now, and every session of the"
            " account was logged out."
        ),
        t.gettext(
            "If it was not you, reset your password at once with “Forgot password” on the"
            " login page: %(url)s",
            url=mail.url(db, "/password/forgot"),
        ),
        security=True,
    )


def set_mail_opt_out(db: Database, user_id: int, opt_out: bool, by: Actor) -> None:
    """Turn notifications by e-mail off (or on again); security mail is always sent."""
    with write_transaction(db):
        users.set_mail_opt_out(db, user_id, opt_out)
        audit.record_by(db, by, "mail_off" if opt_out else "mail_on")


def send_reset(db: Database, user_id: int, by: Actor) -> Refused | None:
    """An administrator sends an account a password-reset link (to its own address only: the
    administrator never sees or sets the password). The password stays as it is until the
    link is used. Refused: not_found, disabled (enable it first), hour (RESETS_PER_HOUR sent
    in the last hour)."""
    with write_transaction(db):
        user = users.get(db, user_id)
        if user is None:
            return Refused("not_found")
        if not user["active"]:
            return Refused("disabled")
        if outbox.sent_recently(db, user["email"], "password_reset", 3600) >= RESETS_PER_HOUR:
            return Refused("hour")
        _reset_mail(
            db,
            user,
            mail.lang_of(user).gettext(
                "An administrator of the service sent you this link to set a new password for"
                " your account."
            ),
        )
        audit.record_by(db, by, "password_reset_sent", target_type="user", target_id=user_id)
    return None
