"""Registering an enterprise: by itself (with its first account), by its consultant (with a
claim code for the enterprise to take the account over later), and claiming it. No Flask."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from sqlite_utils import Database
from werkzeug.security import generate_password_hash

from assess.organisation import identity
from assess.store import audit, contests, grants, organisations, throttle, users
from assess.store.audit import Actor
from assess.store.database import write_transaction


@dataclass(frozen=True)
class Details:
    """What registration says of an organisation."""

    name: str
    credit_code: str  # validated and normalised
    region_code: str  # a registrable GB/T 2260 code
    sector: str
    size: str
    contact_name: str
    contact_phone: str = ""
    contact_email: str = ""


@dataclass(frozen=True)
class Account:
    """The first account of a registering enterprise."""

    email: str
    password: str
    locale: str
    claim_code: str = ""  # given when the enterprise's consultant registered it
    privacy_version: str | None = None  # the privacy notice agreed to (assess/privacy)
    contest: bool = False  # the credit code is taken by someone else: register to contest it


@dataclass(frozen=True)
class Refused:
    """Nothing was registered. reason: email_taken | credit_code_taken | claim_code_wrong |
    claim_blocked | already_registered | too_many (registrations from this address or network
    within the hour, store/throttle.py)."""

    reason: str


@dataclass(frozen=True)
class ClientRegistered:
    organisation_id: int
    claim_code: str  # shown once to the consultant, who hands it over


@dataclass(frozen=True)
class AlreadyYours:
    """The consultant registered this client already (the form was sent again)."""

    organisation_id: int


def create_organisation(db: Database, details: Details) -> int:
    """The one place an organisation is made; consultants' requests asked for its credit code
    before it registered now reach it. Run in a write transaction."""
    organisation_id = organisations.create(
        db,
        name=details.name,
        credit_code=details.credit_code,
        region_code=details.region_code,
        sector=details.sector,
        size=details.size,
        contact_name=details.contact_name,
        contact_phone=details.contact_phone,
        contact_email=details.contact_email,
    )
    organisations.mark_unverified(db, organisation_id)  # until verified (verification.py)
    grants.address_requests(db, organisation_id, details.credit_code)
    return organisation_id


def register(db: Database, details: Details, account: Account, ip: str) -> dict | Refused:
    """Register an enterprise and its first account, or claim one its consultant registered;
    the new account's row, or why not. A wrong claim code counts like a failed login."""
    guesser = f"claim:{details.credit_code}"
    with write_transaction(db):  # counted whatever follows: probing codes is throttled too
        if throttle.registration_blocked(db, ip):
            return Refused("too_many")
        throttle.count_registration(db, ip)
    try:
        with write_transaction(db):
            if users.get_by_email(db, account.email) is not None:
                return Refused("email_taken")
            existing = organisations.get_by_credit_code(db, details.credit_code)
            if existing is None:
                organisation_id = create_organisation(db, details)
                action = "register"
            elif account.contest and not account.claim_code:
                organisation_id, action = stand_in(db, details), "contest_registered"
            else:
                refused = _claim(db, existing, account.claim_code, ip)
                if refused is not None:
                    return refused
                organisation_id, action = existing["id"], "organisation_claimed"
            user_id = users.create(
                db,
                email=account.email,
                name=details.contact_name,
                password=account.password,
                role="enterprise",
                organisation_id=organisation_id,
                locale=account.locale,
                privacy_version=account.privacy_version,
                email_confirmed=False,
            )
            audit.record(
                db, action, user_id=user_id, target_type="organisation", target_id=organisation_id
            )
            if action == "contest_registered":
                contests.create(
                    db,
                    credit_code=details.credit_code,
                    organisation_id=existing["id"],
                    claimant_id=user_id,
                    claimant_organisation_id=organisation_id,
                )
            identity.send_confirmation(db, users.get(db, user_id))
    except sqlite3.IntegrityError:  # registered in a race by someone else
        return Refused("credit_code_taken")
    except _WrongClaimCode:
        # counted after the rollback of the attempt: a guess is kept even though nothing else is
        with write_transaction(db):
            throttle.fail(db, guesser, ip)
        return Refused("claim_code_wrong")
    return users.get(db, user_id)


def stand_in(db: Database, details: Details) -> int:
    """The organisation of a company that registers a credit code someone else holds: its
    profile under a stand-in code ('pending:<id>') until an administrator decides its contest
    (assess/declaration/contests.py); unverified, so in no candidate list. Consultants'
    requests to the code stay with the code's holder."""
    organisation_id = organisations.create(
        db,
        name=details.name,
        credit_code=f"pending:{secrets.token_hex(8)}",
        region_code=details.region_code,
        sector=details.sector,
        size=details.size,
        contact_name=details.contact_name,
        contact_phone=details.contact_phone,
        contact_email=details.contact_email,
    )
    organisations.set_credit_code(db, organisation_id, f"pending:{organisation_id}")
    organisations.mark_unverified(db, organisation_id)
    return organisation_id


class _WrongClaimCode(Exception):
    pass


def _claim(db: Database, organisation: dict, claim_code: str, ip: str) -> Refused | None:
    """Take over an organisation a consultant registered, with its claim code (a short code:
    guesses are throttled per code and address)."""
    if not organisation["claim_code_hash"]:
        return Refused("credit_code_taken")
    if throttle.blocked(db, f"claim:{organisation['credit_code']}", ip):
        return Refused("claim_blocked")
    if not claim_code:
        return Refused("claim_code_wrong")
    if not organisations.claim(db, organisation["id"], claim_code):
        raise _WrongClaimCode()
    return None


def register_client(
    db: Database, details: Details, consultant: Actor
) -> ClientRegistered | AlreadyYours | Refused:
    """A consultant registers a client that has no account yet: the client is theirs at once,
    and a claim code lets the enterprise take its account over."""
    with write_transaction(db):
        existing = organisations.get_by_credit_code(db, details.credit_code)
        if existing is not None:
            if existing["registered_by"] == consultant.user_id and grants.active(
                db, consultant.user_id, existing["id"]
            ):
                return AlreadyYours(existing["id"])
            return Refused("already_registered")
        organisation_id = create_organisation(db, details)
        grants.grant_registered(db, organisation_id, consultant.user_id)
        code = _hand_over_code(db, organisation_id, consultant, "client_registered")
    return ClientRegistered(organisation_id, code)


def renew_claim_code(db: Database, organisation_id: int, consultant: Actor) -> str | None:
    """A new claim code for a client this consultant registered that has not claimed its
    account yet (the first was lost); the old code stops working. None when not allowed."""
    with write_transaction(db):
        organisation = organisations.get(db, organisation_id)
        if (
            organisation is None
            or organisation["registered_by"] != consultant.user_id
            or not organisation["claim_code_hash"]
            or not grants.active(db, consultant.user_id, organisation_id)
        ):
            return None
        return _hand_over_code(db, organisation_id, consultant, "claim_code_renewed")


def _hand_over_code(db: Database, organisation_id: int, consultant: Actor, action: str) -> str:
    """A new claim code, the code the enterprise types once to take over its account
    ("1F13-A2A7-2FCB"); only its hash is kept. Run in a write transaction."""
    claim_code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    organisations.set_claim_code(
        db, organisation_id, generate_password_hash(claim_code), consultant.user_id
    )
    audit.record_by(db, consultant, action, target_type="organisation", target_id=organisation_id)
    return claim_code
