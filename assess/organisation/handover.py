"""Handing an enterprise to a new owner: an administrator's act, for a contest of a taken
credit code (assess/declaration/contests.py) and for an enterprise whose owner is gone. No Flask.

Two cases, one use case:
- the people holding the enterprise are not the company (impostor=True): every account of the
  enterprise loses its access (moved to an organisation set aside, disabled, logged out
  everywhere); everything they did under the credit code (assessments, declarations,
  recognitions, roadmap plans, consultants' grants) goes with them and counts nowhere official
  any more: no regional figure, candidate list or recognised list; what it counted as is kept in
  the audit entry. The administrator has seen the business licence: the identity is verified.
- the enterprise changes hands (impostor=False): the old owner's access ends; the colleagues and
  every result stay.

The new owner is an account with a proven address: a member of the enterprise, or the claimant
of a contest of its credit code, whose stand-in organisation's people and work join the
enterprise (the claimant's profile replaces the impostor's). Both sides are told by mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.organisation import mail
from assess.questionnaire.definition import Questionnaire
from assess.store import audit, contests, organisations, result_facts, summaries, team, users
from assess.store import handover as store
from assess.store.audit import Actor
from assess.store.database import write_transaction


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: unknown (no such enterprise, or closed) | new_owner (not an
    active enterprise account with a confirmed address, a member or a claimant of this
    enterprise) | owner_already."""

    reason: str


@dataclass(frozen=True)
class HandedOver:
    new_owner_id: int
    ended: tuple[int, ...]  # accounts whose access ended
    set_aside: tuple[dict, ...]  # the submitted results set aside (what they counted as)
    aside_organisation_id: int | None  # where the impostor's accounts and work went


def hand_over(
    db: Database,
    q: Questionnaire,
    organisation_id: int,
    new_owner_id: int,
    by: Actor,
    *,
    impostor: bool,
) -> HandedOver | Refused:
    """Hand the enterprise to the new owner, in one write transaction. A new owner who
    contests the enterprise's code has its open contest decided with it (handed over)."""
    with write_transaction(db):
        new_owner = users.get(db, new_owner_id)
        contest = (
            contests.of_claimant_organisation(db, new_owner["organisation_id"])
            if new_owner is not None
            else None
        )
        if contest is not None and (
            contest["organisation_id"] != organisation_id or contest["status"] != "open"
        ):
            contest = None
        done = hand_over_within(
            db,
            q,
            organisation_id,
            new_owner_id,
            by,
            impostor=impostor,
            contest_id=contest["id"] if contest else None,
        )
        if contest is not None and isinstance(done, HandedOver):
            contests.decide(db, contest["id"], "handed_over", by.user_id, "")
        return done


def candidate(db: Database, organisation_id: int, new_owner: dict | None) -> str | None:
    """Why this account cannot become the enterprise's owner, or None."""
    if (
        new_owner is None
        or new_owner["role"] != "enterprise"
        or not new_owner["active"]
        or not new_owner["email_confirmed_at"]
    ):
        return "new_owner"
    if new_owner["organisation_id"] == organisation_id:
        return "owner_already" if new_owner["member_role"] == "owner" else None
    contest = contests.of_claimant_organisation(db, new_owner["organisation_id"])
    # a claimant only while its contest is open (its licence sent, not yet decided): one refused
    # or never sent is no better a candidate than anyone else
    if (
        contest is None
        or contest["organisation_id"] != organisation_id
        or contest["status"] != "open"
    ):
        return "new_owner"
    return None


def hand_over_within(
    db: Database,
    q: Questionnaire,
    organisation_id: int,
    new_owner_id: int,
    by: Actor,
    *,
    impostor: bool,
    contest_id: int | None = None,
) -> HandedOver | Refused:
    """The hand-over inside the caller's write transaction (a contest decided at once)."""
    organisation = organisations.get(db, organisation_id)
    if organisation is None or organisation["closed_at"]:
        return Refused("unknown")
    new_owner = users.get(db, new_owner_id)
    refused = candidate(db, organisation_id, new_owner)
    if refused:
        return Refused(refused)
    keys = result_facts.keys_of(db, organisation_id)
    before = [u for u in team.members(db, organisation_id) if u["id"] != new_owner_id]
    told = [users.get(db, u["id"]) for u in before if u["active"]]
    set_aside: list[dict] = []
    aside_id = None
    if impostor:
        ended = before
        set_aside = store.results_of(db, organisation_id)
        aside_id = store.set_aside_organisation(db, organisation)
        store.set_aside(db, organisation_id, aside_id, by.user_id)
        store.move_accounts(db, [u["id"] for u in ended], aside_id, active=False)
    else:
        ended = [u for u in before if u["member_role"] == "owner"]
        for account in ended:
            team.unassign_member(db, organisation_id, account["id"])
            team.set_member_role(db, account["id"], "contributor")
            users.set_active(db, account["id"], False)
        told = [u for u in told if u["member_role"] == "owner"]
    for account in ended:
        users.end_sessions(db, account["id"])
    joined_from = _join(db, organisation_id, new_owner, impostor or contest_id is not None)
    team.set_member_role(db, new_owner_id, "owner")
    team.unassign_member(db, organisation_id, new_owner_id)  # the owner answers every item
    if impostor:  # the administrator saw the business licence
        organisations.mark_unverified(db, organisation_id)
        organisations.verify_identity(db, organisation_id, "admin", by.user_id)
    organisation = organisations.get(db, organisation_id)
    result_facts.follow_organisation(db, organisation)
    keys |= result_facts.keys_of(db, organisation_id)
    keys |= {(r["region_code"], r["park_id"]) for r in set_aside}
    summaries.refresh(db, list(q.rules), keys)
    audit.record_by(
        db,
        by,
        "organisation_handed_over",
        target_type="organisation",
        target_id=organisation_id,
        detail={
            "to": new_owner_id,
            "ended": [u["id"] for u in ended],
            "impostor": impostor,
            "contest": contest_id,
            "joined_from": joined_from,
            "set_aside_organisation": aside_id,
            "results_set_aside": set_aside,
        },
    )
    _tell(db, organisation, told, users.get(db, new_owner_id), impostor)
    return HandedOver(new_owner_id, tuple(u["id"] for u in ended), tuple(set_aside), aside_id)


def _join(db: Database, organisation_id: int, new_owner: dict, profile: bool) -> int | None:
    """A claimant's stand-in organisation: its people and work join the enterprise, its profile
    (the real company's) replaces the enterprise's when `profile`; it is closed, empty. The
    stand-in's id, or None when the new owner is a member already."""
    stand_in_id = new_owner["organisation_id"]
    if stand_in_id == organisation_id:
        return None
    stand_in = organisations.get(db, stand_in_id)
    join(db, stand_in_id, organisation_id)  # one owner at every moment: the new owner's
    if profile:
        organisations.set_profile(db, organisation_id, stand_in)
    store.close_stand_in(db, stand_in_id)
    return stand_in_id


def join(db: Database, from_id: int, to_id: int, owner_stays: bool = False) -> list[dict]:
    """One enterprise's people and work join another (a claimant's stand-in at a hand-over, a
    duplicate at a merge, declaration/merging.py): its owner becomes a contributor (the other
    keeps its one owner; owner_stays: the other has none, so it stays the owner), its
    assessments, facts, declarations, recognitions, roadmap plans,
    consultants' grants, team invitations and section assignments move (the other's kept where
    both have one), and only the newest result of the two counts as the latest. The people who
    joined, as they were."""
    members = team.members(db, from_id)
    for member in members:
        if member["member_role"] == "owner" and not owner_stays:
            team.set_member_role(db, member["id"], "contributor")
    store.join(db, from_id, to_id)
    result_facts.mark_latest(db, {to_id})
    return members


def _tell(db: Database, organisation: dict, ended: list[dict], owner: dict, impostor: bool):
    """Mail both sides (security mail: it is about their access)."""
    name, code = organisation["name"], organisation["credit_code"]
    for account in ended:
        t = mail.lang_of(account)
        why = (
            t.gettext(
                "An administrator of the service handed %(name)s (credit code %(code)s) to the"
                " company that showed, with its business licence, that the code is its own."
                " Assessments made under this code before the hand-over no longer count in any"
                " official figure or list; the service's audit record keeps them.",
                name=name,
                code=code,
            )
            if impostor
            else t.gettext(
                "An administrator of the service handed %(name)s to a new owner.", name=name
            )
        )
        mail.to_user(
            db,
            account,
            "handed_over",
            t.gettext("Your access to %(name)s has ended", name=name),
            why,
            t.gettext(
                "Your account no longer has access to the enterprise, and every session of it"
                " was logged out. If you think this is a mistake, write to the service's"
                " administrators."
            ),
            security=True,
        )
    t = mail.lang_of(owner)
    mail.to_user(
        db,
        owner,
        "handed_over",
        t.gettext("You are now the owner of %(name)s", name=name),
        t.gettext(
            "An administrator of the service handed %(name)s (credit code %(code)s) to you: you"
            " are its owner on the service. You manage its team, submit its assessments and"
            " declare it.",
            name=name,
            code=code,
        ),
        t.gettext("Your enterprise's team: %(url)s", url=mail.url(db, "/team")),
        security=True,
    )
