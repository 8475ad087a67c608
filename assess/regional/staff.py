"""Accounts an administrator makes: a consultant (in a firm or none), an authority (its region
and, below a county, a park) or another administrator. The administrator invites an address;
the account exists only when the invitation is accepted from that mailbox (a signed, expiring,
single-use link), with the password its owner chooses. No Flask.

It lives in `regional` because an authority's invitation carries its region (scope_of), and
`regional` is the lowest layer that knows regions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired
from sqlite_utils import Database

from assess.organisation import mail
from assess.organisation.accounts import EMAIL_ADDRESS
from assess.regional.authorities import region_code_of, scope_of
from assess.store import account_invitations as store
from assess.store import audit, firms, outbox, users
from assess.store import parks as park_store
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.translation import translator

ROLES = ("consultant", "authority", "admin")
LOCALES = ("zh", "en")
DAYS = mail.INVITATION_DAYS
PURPOSE = "account_invitation"
PATH = "/accounts/join/{token}"
NAME_MAX = 50


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: email | name | role | region | park | firm | account_exists |
    invitation_waiting | not_found (an invitation); of a link: invalid | expired | used |
    revoked."""

    reason: str


@dataclass(frozen=True)
class Invitation:
    """What the administrator asks for."""

    email: str
    name: str
    role: str
    region_code: str = ""  # an authority's region, six digits ("000000": the country)
    park_id: int | None = None  # an authority's park, in its county
    firm_id: int | None = None  # a consultant's firm
    locale: str = "zh"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _problem(db: Database, wanted: Invitation) -> tuple[str, str | None] | None:
    """Why the invitation cannot be made (a reason), else None and the authority's scope."""
    if not EMAIL_ADDRESS.match(wanted.email) or len(wanted.email) > 254:
        return "email", None
    if not wanted.name or len(wanted.name) > NAME_MAX:
        return "name", None
    if wanted.role not in ROLES or wanted.locale not in LOCALES:
        return "role", None
    if wanted.role != "authority":
        if wanted.park_id is not None:
            return "park", None
        if wanted.firm_id is not None and (
            wanted.role != "consultant" or firms.get(db, wanted.firm_id) is None
        ):
            return "firm", None
        return None
    scope = scope_of(wanted.region_code)
    if scope is None:
        return "region", None
    if wanted.firm_id is not None:
        return "firm", None
    if wanted.park_id is not None:
        park = park_store.park(db, wanted.park_id)
        if park is None or park["county_code"] != wanted.region_code:
            return "park", None
    return None


def invite(db: Database, wanted: Invitation, by: Actor) -> int | Refused:
    """Invite an address to an account of a role: the invitation's id (a mail with its link is
    queued), or Refused with nothing sent."""
    wanted = replace(wanted, email=wanted.email.strip().lower(), name=wanted.name.strip())
    with write_transaction(db):
        problem = _problem(db, wanted)
        if problem is not None:
            return Refused(problem[0])
        if users.get_by_email(db, wanted.email) is not None:
            return Refused("account_exists")
        if store.open_for(db, wanted.email) is not None:
            return Refused("invitation_waiting")
        invitation_id = store.create(
            db,
            email=wanted.email,
            name=wanted.name,
            role=wanted.role,
            region_scope=scope_of(wanted.region_code) if wanted.role == "authority" else None,
            park_id=wanted.park_id,
            firm_id=wanted.firm_id,
            locale=wanted.locale,
            invited_by=by.user_id,
            nonce_hash="",
            expires_at="",
        )
        _send(db, invitation_id, by, "account_invited")
    return invitation_id


def resend(db: Database, invitation_id: int, by: Actor) -> Refused | None:
    """The invitation sent again with a new link, valid DAYS from now (the old link no longer
    opens it)."""
    with write_transaction(db):
        if _open(db, invitation_id) is None:
            return Refused("not_found")
        _send(db, invitation_id, by, "account_invitation_resent")
    return None


def revoke(db: Database, invitation_id: int, by: Actor) -> Refused | None:
    """The invitation withdrawn: its link no longer opens it."""
    with write_transaction(db):
        row = _open(db, invitation_id)
        if row is None:
            return Refused("not_found")
        store.revoke(db, invitation_id)
        audit.record_by(
            db,
            by,
            "account_invitation_revoked",
            target_type="invitation",
            target_id=invitation_id,
            detail={"email": row["email"], "role": row["role"]},
        )
    return None


def _open(db: Database, invitation_id: int) -> dict | None:
    row = store.get(db, invitation_id)
    if row is None or row["accepted_at"] or row["revoked_at"]:
        return None
    return row


def _send(db: Database, invitation_id: int, by: Actor, action: str) -> None:
    """A new link for the invitation, mailed in the invited account's language, and the audit
    entry (in the caller's write transaction)."""
    nonce = secrets.token_urlsafe(16)
    token = mail.signer(db, PURPOSE).dumps([invitation_id, nonce])
    store.renew(db, invitation_id, _digest(nonce), _stamp(datetime.now(UTC) + timedelta(days=DAYS)))
    row = store.get(db, invitation_id)
    t = translator(row["locale"])
    roles = {
        "consultant": t.gettext("a consultant"),
        "authority": t.gettext("an authority"),
        "admin": t.gettext("an administrator"),
    }
    outbox.queue(
        db,
        to=row["email"],
        subject=t.gettext("Your account on the smart-factory assessment service"),
        text=mail.compose(
            db,
            row["locale"],
            t.gettext(
                "An administrator of the smart-factory maturity assessment service invites you"
                " to an account as %(role)s.",
                role=roles[row["role"]],
            ),
            t.gettext(
                "Open this link within %(days)s days to choose your password; the account"
                " exists from then on (the link works once):",
                days=DAYS,
            ),
            mail.url(db, PATH.format(token=token)),
            t.gettext("If you did not expect this, ignore this message."),
            name=row["name"],
            security=True,
        ),
        kind="account_invitation",
        security=True,
    )
    audit.record_by(
        db,
        by,
        action,
        target_type="invitation",
        target_id=invitation_id,
        detail={"email": row["email"], "role": row["role"], **_where(row)},
    )


def _where(row: dict) -> dict:
    """What else the account will be, for the audit log."""
    found = {}
    if row["role"] == "authority":
        found["region"] = region_code_of(row["region_scope"])
    if row["park_id"] is not None:
        found["park"] = row["park_id"]
    if row["firm_id"] is not None:
        found["firm"] = row["firm_id"]
    return found


def read_link(db: Database, token: str) -> dict | Refused:
    """The invitation a link opens (its row), or why not: invalid (forged, altered, or replaced
    by a newer link), expired, used, revoked, account_exists."""
    try:
        loaded = mail.signer(db, PURPOSE).loads(token, max_age=DAYS * 86400)
    except SignatureExpired:
        return Refused("expired")
    except BadSignature:
        return Refused("invalid")
    if not (isinstance(loaded, list) and len(loaded) == 2):
        return Refused("invalid")
    invitation_id, nonce = loaded
    if not isinstance(invitation_id, int) or not isinstance(nonce, str):
        return Refused("invalid")
    row = store.get(db, invitation_id)
    refusal = mail.invitation_refusal(row, _digest(nonce), _stamp(datetime.now(UTC)))
    if refusal is not None:
        return Refused(refusal)
    if users.get_by_email(db, row["email"]) is not None:
        return Refused("account_exists")
    return row


def accept(
    db: Database, token: str, name: str, password: str, privacy_version: str, ip: str | None
) -> dict | Refused:
    """Accept an invitation: the account is made for the address invited, with the role,
    region, park or firm the administrator chose (whatever a form says) and the password given
    (checked by the caller). The new account's row, or why not (as read_link)."""
    with write_transaction(db):
        row = read_link(db, token)
        if isinstance(row, Refused):
            return row
        user_id = users.create(
            db,
            email=row["email"],
            name=name.strip()[:NAME_MAX] or row["name"],
            password=password,
            role=row["role"],
            region_scope=row["region_scope"],
            locale=row["locale"],
            privacy_version=privacy_version,
        )
        if row["park_id"] is not None:
            users.set_region_scope(db, user_id, row["region_scope"], row["park_id"])
        if row["firm_id"] is not None:
            firms.set_firm(db, user_id, row["firm_id"])
        if not store.accept(db, row["id"], user_id):
            raise RuntimeError("invitation used meanwhile")  # pragma: no cover (in the lock)
        audit.record(
            db,
            "account_invitation_accepted",
            user_id=user_id,
            target_type="user",
            target_id=user_id,
            detail={"role": row["role"], "invitation": row["id"], **_where(row)},
            ip=ip,
        )
    return users.get(db, user_id)
