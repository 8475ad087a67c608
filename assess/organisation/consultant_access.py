"""Consultants' access to an enterprise: the enterprise invites, accepts requests and revokes;
the consultant asks, withdraws and accepts invitations. Each is checked and written in one
transaction, so a double click does it once. No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.organisation import mail, notifications
from assess.store import audit, grants, organisations, outbox, users
from assess.store.audit import Actor
from assess.store.database import write_transaction


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: has_access | invitation_waiting | request_waiting |
    email_taken."""

    reason: str


@dataclass(frozen=True)
class Invited:
    message_id: int  # the invitation mail in the outbox: its link is nowhere else


def _send_invitation(db: Database, grant_id: int, email: str, token: str, by: Actor) -> int:
    """Mail the invitation link to the address invited (in the inviter's language): only its
    mailbox gets the link, so the account made with it has a proven address."""
    organisation = organisations.get(db, grants.get(db, grant_id)["organisation_id"])
    inviter = users.get(db, by.user_id)
    t = mail.lang_of(inviter)
    return outbox.queue(
        db,
        to=email,
        subject=t.gettext("%(name)s invites you as its consultant", name=organisation["name"]),
        text=mail.compose(
            db,
            inviter["locale"],
            t.gettext(
                "%(person)s of %(name)s invites you to run its smart-factory assessment on"
                " site as its consultant. Open the link below to accept; without an account"
                " you make one with this address.",
                person=inviter["name"],
                name=organisation["name"],
            ),
            mail.url(db, f"/invitations/{token}"),
            t.gettext(
                "The link works once, for %(days)s days. If you do not know this enterprise,"
                " ignore this message.",
                days=mail.INVITATION_DAYS,
            ),
            security=True,
        ),
        kind="consultant_invitation",
        security=True,
    )


def invite(db: Database, organisation_id: int, email: str, by: Actor) -> Invited | Refused:
    """An enterprise invites a consultant by e-mail; the link goes to that address only (never
    to the enterprise's page) and works once, for that address.

    The answer is the same whatever the address belongs to (nobody, a consultant, an account
    of another kind that can never accept): the invitation is addressed to the e-mail alone,
    and the consultant's name shows once it has accepted. Refused only for what the enterprise
    knows already: a consultant with access, an invitation to the address still waiting."""
    email = email.strip().lower()
    with write_transaction(db):
        existing = users.get_by_email(db, email)
        if existing is not None and grants.active(db, existing["id"], organisation_id):
            return Refused("has_access")
        if grants.open_invitation(db, organisation_id, email):
            return Refused("invitation_waiting")
        token = grants.invite(db, organisation_id, by.user_id, email=email, consultant_id=None)
        grant = grants.open_invitation(db, organisation_id, email)
        message_id = _send_invitation(db, grant["id"], email, token, by)
        audit.record_by(
            db,
            by,
            "grant_invited",
            target_type="organisation",
            target_id=organisation_id,
            detail={"email": email},
        )
    return Invited(message_id)


def own_grant(db: Database, organisation_id: int, grant_id: int) -> dict | None:
    """A grant of the enterprise's own (None for another's, or none)."""
    grant = grants.get(db, grant_id)
    return grant if grant is not None and grant["organisation_id"] == organisation_id else None


def revoke(db: Database, organisation_id: int, grant_id: int, by: Actor) -> bool:
    """Revoke a consultant's access and every open invitation for the same consultant."""
    with write_transaction(db):
        grant = own_grant(db, organisation_id, grant_id)
        if grant is None:
            return False
        was_active = grant["accepted_at"] is not None and grant["revoked_at"] is None
        revoked = grants.revoke(db, grant, by.user_id)
        if was_active:
            notifications.access_revoked(db, grant, by.user_id)
        audit.record_by(
            db,
            by,
            "grant_revoked",
            target_type="grant",
            target_id=grant["id"],
            detail={"consultant_id": grant["consultant_id"], "grants_revoked": revoked},
        )
    return True


def renew_link(db: Database, organisation_id: int, grant_id: int, by: Actor) -> int | None:
    """Mail a new link for a waiting invitation (the first was lost or expired); the old one
    stops working. The new mail's outbox id, or None."""
    with write_transaction(db):
        grant = own_grant(db, organisation_id, grant_id)
        token = grants.renew_link(db, grant["id"]) if grant is not None else None
        if token is None:
            return None
        message_id = _send_invitation(db, grant["id"], grant["invited_email"], token, by)
        audit.record_by(db, by, "grant_link_renewed", target_type="grant", target_id=grant_id)
    return message_id


def accept_request(db: Database, organisation_id: int, grant_id: int, by: Actor) -> bool:
    """The enterprise accepts a consultant's request for access."""
    with write_transaction(db):
        grant = own_grant(db, organisation_id, grant_id)
        if (
            grant is None
            or grant["direction"] != "request"
            or grant["accepted_at"]
            or grant["revoked_at"]
        ):
            return False
        grants.accept(db, grant["id"], grant["consultant_id"])
        notifications.access_granted(db, grant, by.user_id)
        audit.record_by(
            db,
            by,
            "grant_accepted",
            target_type="grant",
            target_id=grant["id"],
            detail={"consultant_id": grant["consultant_id"]},
        )
    return True


def request_access(db: Database, credit_code: str, consultant: Actor) -> Refused | None:
    """A consultant asks the enterprise with a credit code for access; None when sent.

    Sent the same whether or not an enterprise with the code is registered: one that is sees
    it now, one that registers later sees it then, and the consultant learns neither (nor a
    name) until it is accepted. Refused only when it asked already, or has access."""
    with write_transaction(db):
        organisation = organisations.get_by_credit_code(db, credit_code)
        organisation_id = organisation["id"] if organisation else None
        if organisation_id and grants.active(db, consultant.user_id, organisation_id):
            return Refused("has_access")
        if grants.open_request(db, consultant.user_id, credit_code) is not None:
            return Refused("request_waiting")
        grant_id = grants.request_access(db, organisation_id, consultant.user_id, credit_code)
        if organisation_id:
            notifications.access_requested(db, organisation_id, consultant.user_id)
        audit.record_by(
            db,
            consultant,
            "grant_requested",
            target_type="grant",
            target_id=grant_id,
            detail={"credit_code": credit_code},
        )
    return None


def withdraw_request(db: Database, grant_id: int, consultant: Actor) -> bool:
    """Withdraw a request for access that the enterprise has not answered."""
    with write_transaction(db):
        if not grants.withdraw(db, grant_id, consultant.user_id):
            return False
        audit.record_by(db, consultant, "grant_withdrawn", target_type="grant", target_id=grant_id)
    return True


def waiting_invitation(grant: dict | None) -> bool:
    """An invitation neither used, withdrawn nor expired (INVITATION_DAYS after its link)."""
    return (
        grant is not None
        and grant["direction"] == "invitation"
        and not grant["accepted_at"]
        and not grant["revoked_at"]
        and grants.link_age_days(grant) <= mail.INVITATION_DAYS
    )


def accept_invitation(db: Database, grant: dict, consultant: Actor) -> None:
    """The consultant invited accepts (the caller checked it is addressed to them)."""
    with write_transaction(db):
        grants.accept(db, grant["id"], consultant.user_id)
        notifications.invitation_accepted(db, grant, consultant.user_id)
        audit.record_by(
            db,
            consultant,
            "grant_accepted",
            target_type="grant",
            target_id=grant["id"],
            detail={"organisation_id": grant["organisation_id"]},
        )


def accept_own_invitation(
    db: Database, grant_id: int, consultant: Actor, email: str
) -> dict | None:
    """A logged-in consultant accepts an invitation addressed to them (by account or e-mail);
    the grant, or None when it is not theirs or no longer waiting."""
    grant = grants.get(db, grant_id)
    if not waiting_invitation(grant) or not grants.addressed_to(grant, consultant.user_id, email):
        return None
    accept_invitation(db, grant, consultant)
    return grant


def sign_up_and_accept(
    db: Database,
    grant: dict,
    name: str,
    password: str,
    ip: str | None,
    privacy_version: str | None = None,
) -> dict | Refused:
    """A consultant without an account opens an invitation: the account is made for the
    e-mail invited (with the privacy notice agreed to), and the invitation accepted. The new
    account's row, or why not."""
    email = grant["invited_email"]
    with write_transaction(db):
        if users.get_by_email(db, email) is not None:
            return Refused("email_taken")
        user_id = users.create(
            db,
            email=email,
            name=name,
            password=password,
            role="consultant",
            privacy_version=privacy_version,
            email_confirmed=True,  # the link that makes it went only to this mailbox
        )
        audit.record(db, "register", user_id=user_id, target_type="user", target_id=user_id)
    accept_invitation(db, grant, Actor(user_id, ip))
    return users.get(db, user_id)


def pending_requests(db: Database, organisation_id: int) -> list[dict]:
    """Consultants' requests for access the enterprise has not answered yet, newest first."""
    return [
        row
        for row in grants.for_organisation(db, organisation_id)
        if row["direction"] == "request" and not row["accepted_at"] and not row["revoked_at"]
    ]
