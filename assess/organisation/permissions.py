"""Who may see or change which organisation, assessment and declaration: the one place for
object rules.

Views call these (through assess/web/guards.py) after @allow(...) has checked the role.
Anything not visible is a 404 there, so that another tenant's data is not revealed. No Flask.
"""

from __future__ import annotations

from sqlite_utils import Database

from assess.organisation.tiers import covers, in_region
from assess.store import declarations, grants, organisations

__all__ = [
    "can_see_declaration",
    "can_see_organisation",
    "consultant_has_access",
    "in_region",
    "may_answer",
    "may_see",
]


def _authority(user) -> dict:
    return {"region_scope": user.region_scope, "park_id": user.park_id}


def may_manage_organisation(user) -> bool:
    """Whether the user may export or close its own organisation's data: every enterprise
    account today (an enterprise has one); the teams issue keeps this to the owner."""
    return user.role == "enterprise" and user.organisation_id is not None


def can_see_organisation(db: Database, user, organisation_id: int) -> bool:
    org = organisations.get(db, organisation_id)
    if org is None or org["closed_at"]:
        return False  # closed: what is kept of it is for aggregates only, for nobody by name
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.organisation_id == organisation_id
    if user.role == "consultant":
        return consultant_has_access(db, user.id, organisation_id)
    if user.role == "authority":
        # By name only enterprises that agreed to be listed, or that declared in a round (their
        # consent to show the declared result); the rest only in aggregates.
        if not covers(_authority(user), org):
            return False
        return bool(org["listing_opt_in"]) or bool(
            declarations.declared_assessments(db, organisation_id)
        )
    return False


def consultant_has_access(db: Database, consultant_id: int, organisation_id: int) -> bool:
    """Whether the organisation has granted this consultant access (and not revoked it)."""
    return grants.active(db, consultant_id, organisation_id) is not None


def may_see(db: Database, user, row: dict) -> bool:
    """Whether the user may see this assessment.

    An enterprise sees its self-assessments and the submitted on-site assessments of its
    consultants; a consultant with access sees the client's submitted self-assessments and its
    own on-site assessments (never another consultant's); an authority sees submitted ones in
    its region of an enterprise listed by its choice, and of a declaring enterprise the
    assessments its declarations show; an admin all.
    """
    submitted = row["status"] == "submitted"
    if not can_see_organisation(db, user, row["organisation_id"]):
        return False
    if user.role == "enterprise":
        return row["mode"] == "self" or submitted
    if user.role == "consultant":
        if row["mode"] == "consultant":
            return row["consultant_id"] == user.id
        return submitted
    if user.role == "authority":
        if not submitted:
            return False
        org = organisations.get(db, row["organisation_id"])
        return bool(org["listing_opt_in"]) or row["id"] in declarations.declared_assessments(
            db, row["organisation_id"]
        )
    return user.role == "admin"


def may_answer(db: Database, user, row: dict) -> bool:
    """Whether the user may answer this assessment: the enterprise its self-assessment, the
    consultant its own on-site assessment while the client's access lasts."""
    if not may_see(db, user, row):
        return False
    if user.role == "enterprise":
        return row["mode"] == "self"
    return (
        user.role == "consultant"
        and row["mode"] == "consultant"
        and row["consultant_id"] == user.id
    )


def can_see_declaration(db: Database, user, row: dict) -> bool:
    """Whether the user may see a declaration and its dossier: the enterprise its own; an
    authority one made (not a draft never sent) by an enterprise of its region (a park's
    authority: of its park); the expert asked to re-check it on site, while the enterprise's
    grant lasts; the administrator any."""
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.organisation_id == row["organisation_id"]
    if user.role == "consultant":
        return declarations.expert_of(db, user.id, row["id"]) and consultant_has_access(
            db, user.id, row["organisation_id"]
        )
    if user.role == "authority":
        if not row["revision"]:  # never submitted: not declared
            return False
        org = organisations.get(db, row["organisation_id"])
        return org is not None and covers(_authority(user), org)
    return False
