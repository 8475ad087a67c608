"""Who may see or change which organisation and assessment: the one place for object rules.

Views call these after @allow(...) has checked the role. Anything not visible is a 404, so
that the existence of another tenant's data is not revealed.
"""

from __future__ import annotations

from flask import abort, request
from sqlite_utils import Database

from assess.store import assessments, audit, grants, organisations
from assess.web.access import in_region


def can_see_organisation(db: Database, user, organisation_id: int) -> bool:
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.organisation_id == organisation_id
    if user.role == "consultant":
        return consultant_has_access(db, user.id, organisation_id)
    if user.role == "authority":
        # Individually only enterprises that agreed to be listed; the rest only in aggregates.
        org = organisations.get(db, organisation_id)
        if (
            org is None
            or not org["listing_opt_in"]
            or not in_region(org["region_code"], user.region_scope)
        ):
            return False
        return user.park_id is None or org["park_id"] == user.park_id
    return False


def consultant_has_access(db: Database, consultant_id: int, organisation_id: int) -> bool:
    """Whether the organisation has granted this consultant access (and not revoked it)."""
    return grants.active(db, consultant_id, organisation_id) is not None


def deny(db: Database, user, target_type: str, target_id) -> None:
    """Record a refused access in the audit log and answer 404 (nothing is revealed)."""
    audit.record(
        db,
        "access_denied",
        user_id=getattr(user, "id", None),
        target_type=target_type,
        target_id=target_id,
        detail={"path": request.path, "method": request.method},
        ip=request.remote_addr,
    )
    abort(404)


def may_see(db: Database, user, row: dict) -> bool:
    """Whether the user may see this assessment.

    An enterprise sees its self-assessments and the submitted on-site assessments of its
    consultants; a consultant with access sees the client's submitted self-assessments and its
    own on-site assessments (never another consultant's); an authority sees submitted ones in
    its region; an admin all.
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
        return submitted
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


def visible_assessment(db: Database, user, assessment_id: int) -> dict:
    """The assessment if the user may see it (`may_see`); 404 otherwise."""
    row = assessments.get(db, assessment_id)
    if row is None:
        abort(404)
    if not may_see(db, user, row):
        deny(db, user, "assessment", assessment_id)
    return row


def editable_assessment(db: Database, user, assessment_id: int) -> dict:
    """The assessment if the user may answer it (`may_answer`); 404 otherwise."""
    row = assessments.get(db, assessment_id)
    if row is None:
        abort(404)
    if not may_answer(db, user, row):
        deny(db, user, "assessment", assessment_id)
    return row
