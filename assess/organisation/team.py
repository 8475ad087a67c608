"""An enterprise's team: the owner invites colleagues by e-mail (a signed, expiring, single-use
link), revokes and re-sends invitations, changes a member's role or removes a member, assigns
sections of the questionnaire to contributors, and hands ownership over. No Flask.

Roles and what each may do: assess/organisation/permissions.py. Mail goes through the outbox
(assess/store/outbox.py), in the transaction of the change that causes it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlite_utils import Database
from werkzeug.security import check_password_hash

from assess.organisation import accounts, mail
from assess.organisation.permissions import answerable_items
from assess.questionnaire import pages
from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.sections import section_map, sections
from assess.store import audit, organisations, outbox, team, users
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.translation import translator

INVITATION_DAYS = 7
_SALT = "team-invitation"


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: see REFUSALS in assess/views/team.py."""

    reason: str


@dataclass(frozen=True)
class Invitation:
    """An invitation a link opens (valid, unused, not revoked, not expired)."""

    row: dict
    organisation: dict
    account: dict | None  # the account the invited address has already, if any


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def _new_link(secret_key: str, invitation_id: int) -> tuple[str, str]:
    """(token, digest of its nonce): the token signs the invitation's id and a fresh nonce."""
    nonce = secrets.token_urlsafe(16)
    return _serializer(secret_key).dumps([invitation_id, nonce]), _digest(nonce)


@dataclass(frozen=True)
class Mailer:
    """What sending an invitation needs from the web: the key that signs its link, how a token
    becomes the link's address, and the language of the mail (the inviter's)."""

    secret_key: str
    link: Callable[[str], str]
    lang: str


def _send(db: Database, invitation_id: int, by: Actor, mailer: Mailer, action: str) -> None:
    """A new link for the invitation (valid INVITATION_DAYS from now; any older one no longer
    opens it), mailed to the address invited, and the audit entry. In a write transaction."""
    token, digest = _new_link(mailer.secret_key, invitation_id)
    team.resend(db, invitation_id, digest, _stamp(_now() + timedelta(days=INVITATION_DAYS)))
    row = team.invitation(db, invitation_id)
    organisation = organisations.get(db, row["organisation_id"])
    t = translator(mailer.lang)
    roles = {"contributor": t.gettext("contributor"), "viewer": t.gettext("viewer")}
    outbox.queue(
        db,
        to=row["email"],
        subject=t.gettext("%(name)s invites you to its team", name=organisation["name"]),
        text=t.gettext(
            "%(inviter)s invites you to join %(name)s on the smart-factory maturity"
            " assessment service as a %(role)s.\n\nOpen this link within %(days)s days to"
            " accept (it works once):\n%(link)s\n\nIf you did not expect this, ignore this"
            " message.",
            inviter=users.get(db, by.user_id)["name"],
            name=organisation["name"],
            role=roles[row["member_role"]],
            days=INVITATION_DAYS,
            link=mailer.link(token),
        ),
        kind="team_invitation",
    )
    audit.record_by(
        db,
        by,
        action,
        target_type="organisation",
        target_id=row["organisation_id"],
        detail={
            "email": row["email"],
            "member_role": row["member_role"],
            "organisation": row["organisation_id"],
        },
    )


def invite(
    db: Database, organisation_id: int, email: str, member_role: str, by: Actor, mailer: Mailer
) -> int | Refused:
    """Invite a colleague's address with a role (contributor or viewer): the invitation's id,
    or Refused (member: already in the team; invitation_waiting: re-send that one)."""
    email = email.strip().lower()
    if member_role not in team.INVITED_ROLES:
        return Refused("role")
    with write_transaction(db):
        if any(m["email"] == email and m["active"] for m in team.members(db, organisation_id)):
            return Refused("member")
        if team.open_invitation_for(db, organisation_id, email) is not None:
            return Refused("invitation_waiting")
        expires = _stamp(_now() + timedelta(days=INVITATION_DAYS))
        invitation_id = team.invite(
            db, organisation_id, email, member_role, "", by.user_id, expires
        )
        _send(db, invitation_id, by, mailer, "team_invited")
    return invitation_id


def resend(
    db: Database, organisation_id: int, invitation_id: int, by: Actor, mailer: Mailer
) -> Refused | None:
    """The invitation sent again with a new link; the old link no longer opens it."""
    with write_transaction(db):
        if _open_invitation(db, organisation_id, invitation_id) is None:
            return Refused("not_found")
        _send(db, invitation_id, by, mailer, "team_invitation_resent")
    return None


def revoke(db: Database, organisation_id: int, invitation_id: int, by: Actor) -> Refused | None:
    with write_transaction(db):
        row = _open_invitation(db, organisation_id, invitation_id)
        if row is None:
            return Refused("not_found")
        team.revoke(db, invitation_id)
        audit.record_by(
            db,
            by,
            "team_invitation_revoked",
            target_type="organisation",
            target_id=organisation_id,
            detail={"email": row["email"], "organisation": organisation_id},
        )
    return None


def _open_invitation(db: Database, organisation_id: int, invitation_id: int) -> dict | None:
    row = team.invitation(db, invitation_id)
    if row is None or row["organisation_id"] != organisation_id:
        return None
    if row["accepted_at"] or row["revoked_at"]:
        return None
    return row


def read_link(db: Database, secret_key: str, token: str) -> Invitation | Refused:
    """The invitation a link opens, or why not: invalid (forged, altered, or replaced by a
    re-sent link), expired, used, revoked."""
    try:
        invitation_id, nonce = _serializer(secret_key).loads(token, max_age=INVITATION_DAYS * 86400)
    except SignatureExpired:
        return Refused("expired")
    except (BadSignature, ValueError, TypeError):
        return Refused("invalid")
    if not isinstance(invitation_id, int) or not isinstance(nonce, str):
        return Refused("invalid")
    row = team.invitation(db, invitation_id)
    refusal = mail.invitation_refusal(row, _digest(nonce), _stamp(_now()))
    if refusal is not None:
        return Refused(refusal)
    organisation = organisations.get(db, row["organisation_id"])
    if organisation is None or organisation["closed_at"]:
        return Refused("revoked")
    return Invitation(row, organisation, users.get_by_email(db, row["email"]))


def accept_new(
    db: Database,
    secret_key: str,
    token: str,
    name: str,
    password: str,
    locale: str,
    privacy_version: str,
    ip: str | None,
) -> dict | Refused:
    """Accept an invitation with a new account for the invited address (whatever a form says):
    the new account's row, or why not (as read_link; account_exists: log in with it)."""
    with write_transaction(db):
        found = read_link(db, secret_key, token)
        if isinstance(found, Refused):
            return found
        if found.account is not None:
            return Refused("account_exists")
        row = found.row
        user_id = users.create(
            db,
            email=row["email"],
            name=name,
            password=password,
            role="enterprise",
            organisation_id=row["organisation_id"],
            locale=locale,
            privacy_version=privacy_version,
            member_role=row["member_role"],
        )
        _joined(db, row, user_id, ip)
    return users.get(db, user_id)


def accept_existing(
    db: Database, secret_key: str, token: str, password: str, ip: str | None
) -> dict | Refused:
    """Accept an invitation with the account the invited address has already, confirmed by its
    password (counted and throttled as at login): a colleague removed from this team earlier
    comes back with the invited role. An account of another enterprise, or of a consultant, an
    authority or an administrator, cannot join (an account belongs to one enterprise)."""
    found = read_link(db, secret_key, token)
    if isinstance(found, Refused):
        return found
    account = found.account
    if account is None:
        return Refused("no_account")
    checked = accounts.confirm_password(db, account["email"], password, ip)
    if isinstance(checked, accounts.Refused):
        return Refused("throttled")
    if not checked and not (
        not account["active"] and check_password_hash(account["password_hash"], password)
    ):
        return Refused("wrong_password")
    if (refused := join_refusal(account, found.row)) is not None:
        return refused
    with write_transaction(db):
        again = read_link(db, secret_key, token)
        if isinstance(again, Refused):
            return again
        team.set_member_role(db, account["id"], found.row["member_role"])
        users.set_active(db, account["id"], True)
        _joined(db, found.row, account["id"], ip)
    return users.get(db, account["id"])


def join_refusal(account: dict, invitation: dict) -> Refused | None:
    """Why an existing account cannot take an invitation: it belongs to another enterprise
    (other_enterprise: an account belongs to one enterprise, and the two stay separate) or is
    no enterprise account (not_enterprise), or is in the team already (member); None: it can
    (a colleague removed from this team earlier). The invitee is told on opening the link; the
    inviter is never told whether the address has an account."""
    if account["role"] != "enterprise":
        return Refused("not_enterprise")
    if account["organisation_id"] != invitation["organisation_id"]:
        return Refused("other_enterprise")
    if account["active"]:
        return Refused("member")
    return None


def _joined(db: Database, row: dict, user_id: int, ip: str | None) -> None:
    if not team.accept(db, row["id"], user_id):
        raise RuntimeError("invitation used meanwhile")  # pragma: no cover (inside the lock)
    audit.record(
        db,
        "team_joined",
        user_id=user_id,
        target_type="organisation",
        target_id=row["organisation_id"],
        detail={"member_role": row["member_role"], "organisation": row["organisation_id"]},
        ip=ip,
    )


def set_role(
    db: Database, organisation_id: int, user_id: int, member_role: str, by: Actor
) -> Refused | None:
    """Make a member a contributor or a viewer (a viewer's sections go back to the owner)."""
    if member_role not in team.INVITED_ROLES:
        return Refused("role")
    with write_transaction(db):
        found = team.member(db, organisation_id, user_id)
        if found is None or found["member_role"] == "owner":
            return Refused("not_found")
        if found["member_role"] == member_role:
            return None
        team.set_member_role(db, user_id, member_role)
        if member_role == "viewer":
            team.unassign_member(db, organisation_id, user_id)
        audit.record_by(
            db,
            by,
            "team_role_changed",
            target_type="user",
            target_id=user_id,
            detail={
                "from": found["member_role"],
                "to": member_role,
                "organisation": organisation_id,
            },
        )
    return None


def remove(db: Database, organisation_id: int, user_id: int, by: Actor) -> Refused | None:
    """Remove a member (not the owner): the account is disabled (its sessions end) and its
    sections go back to the owner; its answers stay, with its name on them. An invitation to its
    address brings it back."""
    with write_transaction(db):
        found = team.member(db, organisation_id, user_id)
        if found is None or found["member_role"] == "owner":
            return Refused("not_found")
        team.unassign_member(db, organisation_id, user_id)
        users.set_active(db, user_id, False)
        audit.record_by(
            db,
            by,
            "team_member_removed",
            target_type="user",
            target_id=user_id,
            detail={"email": found["email"], "organisation": organisation_id},
        )
    return None


def assign_sections(
    db: Database,
    q: Questionnaire,
    organisation_id: int,
    chosen: dict[str, int | None],
    by: Actor,
    link: str,
) -> int | Refused:
    """Assign sections to contributors (section id → contributor's id, None: to nobody, the
    owner answers it); the number of sections whose assignee changed. Each contributor given
    new sections gets one mail naming them. Refused (not_contributor) when an id is not an
    active contributor of the team, or (unknown_section) a section is not of q: nothing
    changes then."""
    known = section_map(q)
    if set(chosen) - set(known):
        return Refused("unknown_section")
    with write_transaction(db):
        contributors = {
            m["id"]: m
            for m in team.members(db, organisation_id)
            if m["member_role"] == "contributor" and m["active"]
        }
        if any(user_id is not None and user_id not in contributors for user_id in chosen.values()):
            return Refused("not_contributor")
        before = team.assignments(db, organisation_id)
        changed: dict[int, list[str]] = {}
        count = 0
        for section_id, user_id in chosen.items():
            if before.get(section_id) == user_id:
                continue
            team.assign(db, organisation_id, section_id, user_id, by.user_id)
            count += 1
            if user_id is not None:
                changed.setdefault(user_id, []).append(section_id)
        for user_id, new in changed.items():
            _mail_sections(db, q, contributors[user_id], new, organisation_id, link)
        if count:
            audit.record_by(
                db,
                by,
                "team_sections_assigned",
                target_type="organisation",
                target_id=organisation_id,
                detail={
                    "changes": {s: chosen[s] for s in chosen if before.get(s) != chosen[s]},
                    "organisation": organisation_id,
                },
            )
    return count


def _mail_sections(db, q, member: dict, new: list[str], organisation_id: int, link: str):
    account = users.get(db, member["id"])
    t = translator(account["locale"])
    known = section_map(q)
    titles = [known[s].title.get(account["locale"]) for s in sorted(new, key=_order(q))]
    organisation = organisations.get(db, organisation_id)
    outbox.queue(
        db,
        to=account["email"],
        subject=t.ngettext(
            "A section of %(name)s's assessment is assigned to you",
            "%(num)s sections of %(name)s's assessment are assigned to you",
            len(titles),
            name=organisation["name"],
        ),
        text=t.gettext(
            "You answer these sections of the assessment:\n%(sections)s\n\nThe questionnaire"
            " shows them first: %(link)s",
            sections="\n".join(f"- {title}" for title in titles),
            link=link,
        ),
        kind="section_assigned",
    )


def _order(q: Questionnaire) -> Callable[[str], int]:
    index = {s.id: i for i, s in enumerate(sections(q))}
    return lambda section_id: index.get(section_id, len(index))


def transfer(
    db: Database,
    organisation_id: int,
    owner,
    to_user_id: int,
    old_role: str,
    password: str,
    by: Actor,
) -> Refused | None:
    """Hand the ownership to another active member, confirmed by the owner's password; the old
    owner becomes a contributor or a viewer. The enterprise has one owner at every moment."""
    if old_role not in team.INVITED_ROLES:
        return Refused("role")
    checked = accounts.confirm_password(db, owner.email, password, by.ip)
    if isinstance(checked, accounts.Refused):
        return Refused("throttled")
    if not checked:
        return Refused("wrong_password")
    with write_transaction(db):
        target = team.member(db, organisation_id, to_user_id)
        current = users.owner_of(db, organisation_id)
        if (
            target is None
            or current is None
            or current["id"] != owner.id
            or target["id"] == owner.id
        ):
            return Refused("not_found")
        team.set_member_role(db, owner.id, old_role)  # first: one owner at a time
        team.set_member_role(db, to_user_id, "owner")
        team.unassign_member(db, organisation_id, to_user_id)  # the owner answers every item
        audit.record_by(
            db,
            by,
            "team_ownership_transferred",
            target_type="organisation",
            target_id=organisation_id,
            detail={"from": owner.id, "to": to_user_id, "old_owner_role": old_role},
        )
    return None


@dataclass(frozen=True)
class SectionActivity:
    """Per section: who it is assigned to, who last answered one of its items and when, and
    how many of its items are answered."""

    section_id: str
    assignee: int | None
    last_by: int | None
    last_at: str | None
    answered: int


def activity(
    db: Database, q: Questionnaire, organisation_id: int, assessment_id: int | None
) -> tuple[list[SectionActivity], dict[int, str]]:
    """Who answered what and when, per section, in an assessment (from its answers' last
    saves), and the names of the people named."""
    saved = team.last_answers(db, assessment_id) if assessment_id else {}
    assigned = team.assignments(db, organisation_id)
    rows = []
    for section in sections(q):
        done = [saved[item] for item in section.item_ids if item in saved]
        last_at, last_by = max(done, key=lambda pair: pair[0]) if done else (None, None)
        rows.append(
            SectionActivity(section.id, assigned.get(section.id), last_by, last_at, len(done))
        )
    people = {r.assignee for r in rows} | {r.last_by for r in rows}
    return rows, team.names(db, people)


@dataclass(frozen=True)
class ContributorView:
    """What the wizard shows a contributor: the items it answers, the pages that hold them (in
    the wizard's order, shown first), and for each other item who answers it."""

    allowed: frozenset[str]
    own_pages: tuple[str, ...]
    holder: dict[str, str]  # item id → the name of who answers it (the owner when nobody)


def contributor_view(db: Database, q: Questionnaire, user, row: dict) -> ContributorView | None:
    """None when the user answers every item (the owner, a consultant on site)."""
    allowed = answerable_items(db, q, user, row)
    if allowed is None:
        return None
    assigned = team.assignments(db, row["organisation_id"])
    owner = users.owner_of(db, row["organisation_id"])
    names = team.names(db, assigned.values())
    of_section = {item: s.id for s in sections(q) for item in s.item_ids}
    holder = {}
    for item in q.items:
        if item in allowed:
            continue
        assignee = assigned.get(of_section.get(item, ""))
        holder[item] = names.get(assignee) or (owner["name"] if owner else "")
    own = tuple(p.id for p in pages.pages(q) if allowed & set(p.item_ids))
    return ContributorView(allowed, own, holder)
