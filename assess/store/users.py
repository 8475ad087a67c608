"""Accounts: creation, lookup, passwords, session invalidation."""

from __future__ import annotations

import time

import pyotp
from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from assess.store import api_tokens

ROLES = ("enterprise", "consultant", "authority", "admin")

# A real hash to compare against when the e-mail is unknown, so that a failed login takes as
# long for an unknown account as for a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class UserError(ValueError):
    """The account cannot be created or changed as asked."""


def create(
    db: Database,
    *,
    email: str,
    name: str,
    password: str,
    role: str,
    organisation_id: int | None = None,
    region_scope: str | None = None,
    locale: str = "zh",
    privacy_version: str | None = None,
    email_confirmed: bool = True,
    member_role: str | None = None,
) -> int:
    """Create an account and return its id (privacy_version: the notice its owner agreed to
    when signing up, recorded with the time). email_confirmed: the address is proven (made by
    an administrator, or through a link that only its mailbox received); False for a
    self-registration, which confirms with the link sent to it. An enterprise account is a
    member of its enterprise's team (member_role, assess/organisation/permissions.py): by
    default its owner when the enterprise has none yet, else a contributor."""
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if role == "enterprise" and organisation_id is None:
        raise UserError("an enterprise account needs an organisation")
    if role == "authority" and region_scope is None:
        raise UserError("an authority account needs a region scope ('' for the whole country)")
    if get_by_email(db, email) is not None:
        raise UserError(f"an account with e-mail {email} already exists")
    if role != "enterprise":
        member_role = None
    elif member_role is None:
        member_role = "contributor" if owner_of(db, organisation_id) else "owner"
    return (
        db["users"]
        .insert(
            {
                "email": email,
                "name": name.strip(),
                "password_hash": generate_password_hash(password),
                "role": role,
                "organisation_id": organisation_id,
                "region_scope": region_scope if role == "authority" else None,
                "locale": locale,
                "privacy_version": privacy_version,
                "privacy_agreed_at": _now() if privacy_version else None,
                "email_confirmed_at": _now() if email_confirmed else None,
                "member_role": member_role,
            }
        )
        .last_pk
    )


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def get(db: Database, user_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    return rows[0] if rows else None


def owner_of(db: Database, organisation_id: int) -> dict | None:
    """The owner of an enterprise's team (the account that manages it), or None."""
    rows = list(
        db.query(
            "SELECT * FROM users WHERE organisation_id = ? AND member_role = 'owner'",
            [organisation_id],
        )
    )
    return rows[0] if rows else None


def get_by_email(db: Database, email: str) -> dict | None:
    rows = list(db.query("SELECT * FROM users WHERE email = ?", [email.strip().lower()]))
    return rows[0] if rows else None


def authenticate(db: Database, email: str, password: str) -> dict | None:
    """The active account with this e-mail and password, or None."""
    user = get_by_email(db, email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user["password_hash"], password) or not user["active"]:
        return None
    return user


def record_login(db: Database, user_id: int) -> None:
    db.execute(
        "UPDATE users SET last_login_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
        [user_id],
    )


def end_sessions(db: Database, user_id: int) -> None:
    """Invalidate every session of the user: their cookies carry the old version."""
    db.execute("UPDATE users SET session_version = session_version + 1 WHERE id = ?", [user_id])


def confirm_email(db: Database, user_id: int) -> None:
    """The address is proven (its mailbox opened the link)."""
    db.execute(
        "UPDATE users SET email_confirmed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id = ? AND email_confirmed_at IS NULL",
        [user_id],
    )


def set_mail_opt_out(db: Database, user_id: int, opt_out: bool) -> None:
    db.execute("UPDATE users SET mail_opt_out = ? WHERE id = ?", [int(opt_out), user_id])


def agree_to_notice(db: Database, user_id: int, version: str) -> None:
    """Record the privacy notice the account agreed to, and when."""
    db.execute(
        "UPDATE users SET privacy_version = ?, privacy_agreed_at = ? WHERE id = ?",
        [version, _now(), user_id],
    )


def of_organisation(db: Database, organisation_id: int) -> list[dict]:
    """The active accounts of an enterprise (who is told what happens to it)."""
    return list(
        db.query(
            "SELECT * FROM users WHERE organisation_id = ? AND active = 1 ORDER BY id",
            [organisation_id],
        )
    )


def set_locale(db: Database, user_id: int, locale: str) -> None:
    db.execute("UPDATE users SET locale = ? WHERE id = ?", [locale, user_id])


def count_by_role(db: Database) -> dict[str, int]:
    return {
        row["role"]: row["n"]
        for row in db.query("SELECT role, count(*) AS n FROM users GROUP BY role")
    }


def set_password(db: Database, user_id: int, password: str) -> None:
    db.execute(
        "UPDATE users SET password_hash = ? WHERE id = ?",
        [generate_password_hash(password), user_id],
    )


def set_active(db: Database, user_id: int, active: bool) -> None:
    """Disable (or enable again) an account; disabling ends all its sessions and revokes its
    API tokens (enabling it again does not bring them back)."""
    db.execute("UPDATE users SET active = ? WHERE id = ?", [int(active), user_id])
    if not active:
        end_sessions(db, user_id)
        api_tokens.revoke_all(db, user_id)


def enable_totp(db: Database, user_id: int, secret: str, step: int) -> None:
    """Turn the second factor on with a secret the user has confirmed with the code of step."""
    db.execute(
        "UPDATE users SET totp_enabled = 1, totp_secret = ?, totp_last_step = ? WHERE id = ?",
        [secret, step, user_id],
    )


def disable_totp(db: Database, user_id: int) -> None:
    db.execute(
        "UPDATE users SET totp_enabled = 0, totp_secret = NULL, totp_last_step = 0 WHERE id = ?",
        [user_id],
    )


def totp_step(
    secret: str | None, code: str, after: int = 0, now: float | None = None
) -> int | None:
    """The time step whose code this is (the current one, or one either side for clock drift),
    if it is later than `after`; else None. Pure: no database."""
    if not secret or not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    for offset in (0, -1, 1):
        step = int(now // totp.interval) + offset
        if step > after and totp.at(step * totp.interval) == code:
            return step
    return None


def verify_totp(db: Database, user: dict, code: str, now: float | None = None) -> int | None:
    """The step of a valid code of the user's second factor, used once: a replayed code, even
    in another worker at the same moment, is refused (the step is claimed atomically)."""
    step = totp_step(user["totp_secret"], code, user["totp_last_step"], now)
    if step is None:
        return None
    claimed = db.execute(
        "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
        [step, user["id"], step],
    )
    return step if claimed.rowcount == 1 else None


def all_accounts(db: Database) -> list[dict]:
    return list(
        db.query(
            "SELECT u.id, u.email, u.name, u.role, u.active, u.region_scope, u.totp_enabled,"
            " u.last_login_at, o.name AS organisation FROM users u"
            " LEFT JOIN organisations o ON o.id = u.organisation_id ORDER BY u.role, u.email"
        )
    )


def authorities_covering(db: Database, region_code: str) -> list[dict]:
    """The active authority accounts whose scope contains a region (any park of it included)."""
    return list(
        db.query(
            "SELECT id, region_scope, park_id FROM users WHERE role = 'authority' AND active = 1"
            " AND substr(?, 1, length(region_scope)) = region_scope",
            [region_code],
        )
    )


def set_region_scope(db: Database, user_id: int, scope: str, park_id: int | None) -> None:
    """An authority's region (a code prefix, "" for the country) and park."""
    db.execute(
        "UPDATE users SET region_scope = ?, park_id = ? WHERE id = ?", [scope, park_id, user_id]
    )


def set_role(
    db: Database, user_id: int, role: str, region_scope: str | None, park_id: int | None
) -> None:
    """A staff account's new role, with its region and park (an authority's, else none); it
    leaves its consultancy."""
    db.execute(
        "UPDATE users SET role = ?, region_scope = ?, park_id = ?, firm_id = NULL WHERE id = ?",
        [role, region_scope, park_id, user_id],
    )
