"""Consultancies: administrators create firms and place consultants in them; a consultant hands
a client over to a colleague of the same firm, the client's grant following. No Flask.

Who hands over: the consultant who holds the client (its grant). A firm has no lead role in
this product: a firm's consultants are peers, and the one who holds a client is the one who
knows its state; the enterprise sees the new holder at once under "Consultants", and may revoke
as always. The receiver is never asked: colleagues of one firm share its clients by contract.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.organisation.logos import Logo
from assess.store import audit, firms, organisations, users
from assess.store.audit import Actor
from assess.store.database import write_transaction

NAME_MAX = 120
QUALIFICATION_MAX = 500


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_found | name | not_consultant | not_yours | not_colleague |
    receiver_has_draft | same_consultant."""

    reason: str


@dataclass(frozen=True)
class HandedOver:
    organisation_id: int
    to_name: str
    drafts_moved: int


def _clean(text: str | None, limit: int) -> str:
    return " ".join((text or "").split())[:limit]


def create_firm(
    db: Database, name: str, qualification: str, logo: Logo | None, by: Actor
) -> int | Refused:
    """A new firm (an administrator's act); its id."""
    name = _clean(name, NAME_MAX)
    if not name:
        return Refused("name")
    with write_transaction(db):
        firm_id = firms.create(
            db,
            name=name,
            qualification=_clean(qualification, QUALIFICATION_MAX),
            logo=logo.data if logo else None,
            logo_mime=logo.mime_type if logo else None,
            created_by=by.user_id,
        )
        audit.record_by(
            db, by, "firm_created", target_type="firm", target_id=firm_id, detail={"name": name}
        )
    return firm_id


def update_firm(
    db: Database,
    firm_id: int,
    by: Actor,
    *,
    name: str | None = None,
    qualification: str | None = None,
    logo: Logo | None = None,
) -> Refused | None:
    """Rename a firm, change its qualification or logo (what is given); None when done."""
    values: dict = {}
    if name is not None:
        values["name"] = _clean(name, NAME_MAX)
        if not values["name"]:
            return Refused("name")
    if qualification is not None:
        values["qualification"] = _clean(qualification, QUALIFICATION_MAX)
    if logo is not None:
        values.update(logo=logo.data, logo_mime=logo.mime_type)
    with write_transaction(db):
        if firms.get(db, firm_id) is None:
            return Refused("not_found")
        firms.update(db, firm_id, **values)
        audit.record_by(
            db,
            by,
            "firm_updated",
            target_type="firm",
            target_id=firm_id,
            detail={k: v for k, v in values.items() if k != "logo"} | {"logo": logo is not None},
        )
    return None


def place_consultant(db: Database, firm_id: int, email: str, by: Actor) -> Refused | None:
    """Put a consultant account in a firm (it leaves the one it was in)."""
    with write_transaction(db):
        user = users.get_by_email(db, email)
        if firms.get(db, firm_id) is None:
            return Refused("not_found")
        if user is None or user["role"] != "consultant":
            return Refused("not_consultant")
        firms.set_firm(db, user["id"], firm_id)
        audit.record_by(
            db,
            by,
            "firm_consultant_placed",
            target_type="user",
            target_id=user["id"],
            detail={"firm_id": firm_id, "from_firm_id": user["firm_id"]},
        )
    return None


def colleagues(db: Database, consultant_id: int) -> list[dict]:
    """The other active consultants of the consultant's firm (whom a client can go to)."""
    user = users.get(db, consultant_id)
    if user is None or user["firm_id"] is None:
        return []
    return [c for c in firms.consultants(db, user["firm_id"]) if c["id"] != consultant_id]


def hand_over(db: Database, organisation_id: int, to_id: int, by: Actor) -> HandedOver | Refused:
    """The consultant holding a client hands it to a colleague of the same firm: its grant
    now names the colleague (the enterprise sees who holds access), the on-site assessment in
    draft goes with it, and the consultant who handed over loses access. Audited, with the
    organisation as target so that the enterprise's log shows it."""
    with write_transaction(db):
        held = firms.active_grants(db, by.user_id, organisation_id)
        if not held:
            return Refused("not_yours")
        if to_id == by.user_id:
            return Refused("same_consultant")
        giver, receiver = users.get(db, by.user_id), users.get(db, to_id)
        if (
            receiver is None
            or receiver["role"] != "consultant"
            or not receiver["active"]
            or giver["firm_id"] is None
            or receiver["firm_id"] != giver["firm_id"]
        ):
            return Refused("not_colleague")
        drafts = firms.on_site_drafts(db, by.user_id, organisation_id)
        if drafts and firms.on_site_drafts(db, to_id, organisation_id):
            return Refused("receiver_has_draft")
        if firms.active_grants(db, to_id, organisation_id):
            firms.revoke_grants(db, [g["id"] for g in held], by.user_id)
        else:
            firms.move_grant(db, held[0]["id"], by.user_id, to_id)
            firms.revoke_grants(db, [g["id"] for g in held[1:]], by.user_id)
        firms.move_drafts(db, drafts, to_id)
        audit.record_by(
            db,
            by,
            "client_handed_over",
            target_type="organisation",
            target_id=organisation_id,
            detail={
                "from_consultant_id": by.user_id,
                "to_consultant_id": to_id,
                "firm_id": giver["firm_id"],
                "drafts_moved": drafts,
                "organisation": organisations.get(db, organisation_id)["name"],
            },
        )
    return HandedOver(organisation_id, receiver["name"], len(drafts))
