"""Who may see or change which organisation, assessment and declaration: the one place for
object rules.

Views call these (through assess/web/guards.py) after @allow(...) has checked the role.
Anything not visible is a 404 there, so that another tenant's data is not revealed. No Flask.
"""

from __future__ import annotations

from sqlite_utils import Database

from assess.organisation.tiers import covers, in_region
from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.sections import items_of
from assess.store import declarations, grants, organisations, team

__all__ = [
    "answerable_items",
    "can_see_declaration",
    "can_see_organisation",
    "consultant_has_access",
    "in_region",
    "is_owner",
    "may_answer",
    "may_declare",
    "may_manage_organisation",
    "may_see",
    "may_start",
    "may_submit",
    "member_role",
]


def _authority(user) -> dict:
    return {"region_scope": user.region_scope, "park_id": user.park_id}


# An enterprise's team (assess/organisation/team.py): each enterprise account is a member with
# a role. The owner manages the team, the consultants' access and the enterprise's data, edits
# its profile, starts, submits and declares; a contributor answers the sections assigned to it
# (assess/questionnaire/sections.py); a viewer reads results, reports and declarations.


def member_role(user) -> str | None:
    """The user's role in its enterprise's team (owner | contributor | viewer), or None for
    other accounts. A user object without the attribute (an older caller) counts as owner."""
    if user.role != "enterprise" or user.organisation_id is None:
        return None
    return getattr(user, "member_role", "owner")


def is_owner(user) -> bool:
    return member_role(user) == "owner"


def may_manage_organisation(user) -> bool:
    """Whether the user may manage its own enterprise: its team (invitations, roles, sections,
    ownership), its profile, its consultants' access, its listing, its data (export, closing):
    its owner only."""
    return is_owner(user)


def may_start(user) -> bool:
    """Whether the user may start (or re-start) its enterprise's self-assessment: the owner."""
    return is_owner(user)


def may_declare(user) -> bool:
    """Whether the user may declare, amend or withdraw its enterprise's declarations."""
    return is_owner(user)


def may_submit(db: Database, user, row: dict) -> bool:
    """Whether the user may submit this assessment: whoever may answer it, except an
    enterprise's contributor (its owner confirms)."""
    if not may_answer(db, user, row):
        return False
    return user.role != "enterprise" or is_owner(user)


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


def access_withdrawn(db: Database, user, organisation_id: int) -> str | None:
    """When the enterprise withdrew this consultant's access (a stored timestamp), if it did and
    has not granted it again; None otherwise (and for anyone but a consultant)."""
    if getattr(user, "role", None) != "consultant" or consultant_has_access(
        db, user.id, organisation_id
    ):
        return None
    return grants.withdrawn_by_client(db, user.id, organisation_id)


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
    """Whether the user may answer this assessment: the enterprise its self-assessment (its
    owner and contributors, a contributor only its sections: answerable_items; never a viewer),
    the consultant its own on-site assessment while the client's access lasts."""
    if not may_see(db, user, row):
        return False
    if user.role == "enterprise":
        return row["mode"] == "self" and member_role(user) in ("owner", "contributor")
    return (
        user.role == "consultant"
        and row["mode"] == "consultant"
        and row["consultant_id"] == user.id
    )


def answerable_items(db: Database, q: Questionnaire, user, row: dict) -> frozenset[str] | None:
    """The items of an assessment the user may answer: None for every item (the owner, a
    consultant on site), a contributor's the items of its sections. Call after may_answer."""
    if member_role(user) != "contributor":
        return None
    return items_of(q, team.sections_of(db, row["organisation_id"], user.id))


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
