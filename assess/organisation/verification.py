"""Who an enterprise really is. A credit code is public and its check character computable, so
anyone could register a real company's code: an organisation registered is 'unverified' until
someone who has seen proof verifies it. No Flask.

Who verifies, and from what:
- an administrator (from the business licence sent to them);
- the enterprise's consultant, on site (it holds an active grant of the enterprise);
- the reviewing authority, from the business licence in a declaration it may review.

An unverified enterprise is marked as such wherever an official sees it (the declaration queue,
the recognised list, a consultant's portfolio) and never appears in a candidate list.
"""

from __future__ import annotations

from sqlite_utils import Database

from assess.store import audit, grants, organisations
from assess.store.audit import Actor
from assess.store.database import write_transaction

HOW = ("authority", "consultant", "admin")


def verified(organisation: dict) -> bool:
    """Whether the organisation's identity is verified (those registered before the checks
    count as verified)."""
    return organisation.get("identity", "verified") == "verified"


def verify(db: Database, organisation_id: int, by: Actor, how: str) -> str | None:
    """Mark an organisation verified; None when done, else why not: unknown | already |
    not_allowed (a consultant without an active grant of the enterprise)."""
    if how not in HOW:
        raise ValueError(how)
    with write_transaction(db):
        organisation = organisations.get(db, organisation_id)
        if organisation is None:
            return "unknown"
        if how == "consultant" and not grants.active(db, by.user_id, organisation_id):
            return "not_allowed"
        if not organisations.verify_identity(db, organisation_id, how, by.user_id):
            return "already"
        audit.record_by(
            db,
            by,
            "identity_verified",
            target_type="organisation",
            target_id=organisation_id,
            detail={"how": how},
        )
    return None
