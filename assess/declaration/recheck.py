"""On-site re-checks (现场复核): the reviewer whose turn it is asks an expert (a consultant
account) to verify the enterprise on site. The enterprise is asked to grant the expert access
through the usual grant mechanism (a request it accepts on its consultants page); the expert
runs an on-site assessment there as for any client and attaches the verified one to the
declaration. No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.declaration.declaring import text
from assess.declaration.review import may_decide
from assess.store import assessments, audit, grants, users
from assess.store import declarations as store
from assess.store import result_facts as facts
from assess.store.audit import Actor
from assess.store.database import write_transaction

MAX_NOTE = 1000


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_your_step | not_a_consultant | asked | note | not_found |
    not_verified (not one of the expert's submitted on-site assessments of the enterprise) |
    partly_verified (one of them, but not verified on site)."""

    reason: str


def request(
    db: Database, authority: dict, declaration_id: int, email: str, note: str, by: Actor
) -> int | Refused:
    """Ask an expert for an on-site re-check of a declaration at the authority's step; the
    re-check's id. A grant request goes to the enterprise unless the expert has access."""
    note = text(note or "")
    if len(note) > MAX_NOTE:
        return Refused("note")
    with write_transaction(db):
        row = store.get(db, declaration_id)
        if row is None or not may_decide(db, authority, row):
            return Refused("not_your_step")
        expert = users.get_by_email(db, email or "")
        if expert is None or expert["role"] != "consultant" or not expert["active"]:
            return Refused("not_a_consultant")
        if any(
            c["consultant_id"] == expert["id"] and c["assessment_id"] is None
            for c in store.rechecks(db, declaration_id)
        ):
            return Refused("asked")
        organisation_id = row["organisation_id"]
        grant = grants.active(db, expert["id"], organisation_id) or grants.open_request_to(
            db, organisation_id, expert["id"]
        )
        grant_id = (
            grant["id"]
            if grant
            else grants.request_access(db, organisation_id, expert["id"], created_by=by.user_id)
        )
        recheck_id = store.add_recheck(
            db,
            declaration_id,
            stage=row["stage"],
            consultant_id=expert["id"],
            grant_id=grant_id,
            note=note,
            requested_by=by.user_id,
        )
        audit.record_by(
            db,
            by,
            "recheck_requested",
            target_type="declaration",
            target_id=declaration_id,
            detail={"organisation_id": organisation_id, "consultant_id": expert["id"]},
        )
    return recheck_id


def attachable(db: Database, consultant_id: int, recheck: dict) -> list[dict]:
    """The expert's submitted on-site assessments of the enterprise that count as verified on
    site (assess/scoring/verification.py, as their facts keep it), newest first: what can be
    attached to the re-check. A re-check stands in for the authority's own look at the
    factory, so a partly verified assessment (which counts as a self-assessment everywhere)
    cannot be attached."""
    verified = facts.verified_of(db, _organisation_of(db, recheck))
    return [a for a in _submitted_on_site(db, consultant_id, recheck) if a["id"] in verified]


def partly_verified(db: Database, consultant_id: int, recheck: dict) -> list[dict]:
    """The expert's submitted on-site assessments of the enterprise that are not verified on
    site (too few of their answers verified): shown, so that the expert knows why they cannot
    be attached."""
    verified = facts.verified_of(db, _organisation_of(db, recheck))
    return [a for a in _submitted_on_site(db, consultant_id, recheck) if a["id"] not in verified]


def _organisation_of(db: Database, recheck: dict) -> int:
    return store.get(db, recheck["declaration_id"])["organisation_id"]


def _submitted_on_site(db: Database, consultant_id: int, recheck: dict) -> list[dict]:
    return [
        a
        for a in assessments.for_organisation(db, _organisation_of(db, recheck))
        if a["mode"] == "consultant"
        and a["consultant_id"] == consultant_id
        and a["status"] == "submitted"
    ]


def attach(
    db: Database, consultant_id: int, recheck_id: int, assessment_id: int, by: Actor
) -> bool | Refused:
    """The expert attaches a verified on-site assessment to the re-check it was asked for."""
    with write_transaction(db):
        found = store.recheck(db, recheck_id)
        if found is None or found["consultant_id"] != consultant_id:
            return Refused("not_found")
        if assessment_id in {a["id"] for a in partly_verified(db, consultant_id, found)}:
            return Refused("partly_verified")
        if assessment_id not in {a["id"] for a in attachable(db, consultant_id, found)}:
            return Refused("not_verified")
        store.attach_recheck(db, recheck_id, assessment_id)
        audit.record_by(
            db,
            by,
            "recheck_attached",
            target_type="declaration",
            target_id=found["declaration_id"],
            detail={"recheck_id": recheck_id, "assessment_id": assessment_id},
        )
    return True
