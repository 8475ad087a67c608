"""Who may see or change which organisation and assessment: the one place for object rules.

Views call these after @allow(...) has checked the role. Anything not visible is a 404, so
that the existence of another tenant's data is not revealed.
"""

from __future__ import annotations

from flask import abort, request
from sqlite_utils import Database

from assess.access import in_region
from assess.store import assessments, audit, grants, organisations


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


def visible_assessment(db: Database, user, assessment_id: int) -> dict:
    """The assessment if the user may see it; 404 otherwise.

    An enterprise sees its self-assessments and the submitted on-site assessments of its
    consultants; a consultant with access sees the client's submitted self-assessments and its
    own on-site assessments; an authority sees submitted ones in its region; an admin all.
    """
    row = assessments.get(db, assessment_id)
    if row is None:
        abort(404)
    submitted = row["status"] == "submitted"
    if (
        not can_see_organisation(db, user, row["organisation_id"])
        or (user.role == "enterprise" and row["mode"] == "consultant" and not submitted)
        or (user.role == "consultant" and row["consultant_id"] != user.id and not submitted)
        or (user.role == "authority" and not submitted)
    ):
        deny(db, user, "assessment", assessment_id)
    return row


def editable_assessment(db: Database, user, assessment_id: int) -> dict:
    """The assessment if the user may answer it: the enterprise its self-assessment, the
    consultant its own on-site assessment (while access lasts); 404 otherwise."""
    row = visible_assessment(db, user, assessment_id)
    if user.role == "enterprise" and row["mode"] == "self":
        return row
    if (
        user.role == "consultant"
        and row["mode"] == "consultant"
        and row["consultant_id"] == user.id
    ):
        return row
    deny(db, user, "assessment", assessment_id)
