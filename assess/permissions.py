"""Who may see or change which organisation and assessment: the one place for object rules.

Views call these after @allow(...) has checked the role. Anything not visible is a 404, so
that the existence of another tenant's data is not revealed.
"""

from __future__ import annotations

from flask import abort
from sqlite_utils import Database

from assess.access import in_region
from assess.store import assessments, organisations


def can_see_organisation(db: Database, user, organisation_id: int) -> bool:
    if user.role == "admin":
        return True
    if user.role == "enterprise":
        return user.organisation_id == organisation_id
    if user.role == "consultant":
        return consultant_has_access(db, user.id, organisation_id)
    if user.role == "authority":
        org = organisations.get(db, organisation_id)
        return org is not None and in_region(org["region_code"], user.region_scope)
    return False


def consultant_has_access(db: Database, consultant_id: int, organisation_id: int) -> bool:
    """Whether the organisation has granted this consultant access (and not revoked it).

    No grants exist until consultants can be invited: until then, no access.
    """
    return False


def visible_assessment(db: Database, user, assessment_id: int) -> dict:
    """The assessment if the user may see it; 404 otherwise. Authorities see submitted ones."""
    row = assessments.get(db, assessment_id)
    if row is None or not can_see_organisation(db, user, row["organisation_id"]):
        abort(404)
    if user.role == "authority" and row["status"] != "submitted":
        abort(404)
    return row


def editable_assessment(db: Database, user, assessment_id: int) -> dict:
    """The assessment if the user may answer it (enterprise or its consultant); 404 otherwise."""
    row = visible_assessment(db, user, assessment_id)
    if user.role not in ("enterprise", "consultant"):
        abort(404)
    return row
