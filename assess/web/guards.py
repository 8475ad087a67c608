"""Object rules at the door of a view: the object if the user may see or change it, else a
404 recorded in the audit log (nothing about another tenant's data is revealed)."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user
from sqlite_utils import Database

from assess.organisation.permissions import (
    can_see_declaration,
    consultant_has_access,
    may_answer,
    may_declare,
    may_see,
    member_role,
)
from assess.store import assessments, audit, declarations, merges, organisations
from assess.web.database import get_db


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
    """The assessment if the user may see it (`may_see`); 404 otherwise."""
    row = assessments.get(db, assessment_id)
    if row is None:
        abort(404)
    if not may_see(db, user, row):
        deny(db, user, "assessment", assessment_id)
    return row


def submitted_assessment(db: Database, user, assessment_id: int) -> dict:
    """A submitted assessment the user may see; 404 otherwise (a draft too)."""
    row = visible_assessment(db, user, assessment_id)
    if row["status"] != "submitted":
        abort(404)
    return row


def editable_assessment(db: Database, user, assessment_id: int) -> dict:
    """The assessment if the user may answer it (`may_answer`); 404 otherwise, but 403 for
    an enterprise's viewer who may see it (its role may not answer: nothing is revealed)."""
    row = assessments.get(db, assessment_id)
    if row is None:
        abort(404)
    if not may_answer(db, user, row):
        if member_role(user) == "viewer" and may_see(db, user, row):
            abort(403)
        deny(db, user, "assessment", assessment_id)
    return row


def require(allowed: bool) -> None:
    """403 when the user's role in its enterprise's team may not do this (a contributor or a
    viewer managing the team, submitting, declaring): about its own enterprise, nothing is
    revealed."""
    if not allowed:
        abort(403)


def client_of(organisation_id: int) -> dict:
    """A client organisation of the current consultant, or 404 (no grant, or revoked)."""
    db = get_db()
    if not consultant_has_access(db, current_user.id, organisation_id):
        went = merges.merged_into(db, organisation_id)  # an old link to a merged duplicate
        if went and request.method == "GET" and consultant_has_access(db, current_user.id, went):
            abort(
                redirect(
                    url_for(request.endpoint, **{**request.view_args, "organisation_id": went})
                )
            )
        deny(db, current_user, "organisation", organisation_id)
    return organisations.get(db, organisation_id)


def visible_declaration(db: Database, user, declaration_id: int) -> dict:
    """The declaration if the user may see it (`can_see_declaration`); 404 otherwise."""
    row = declarations.get(db, declaration_id)
    if row is None:
        abort(404)
    if not can_see_declaration(db, user, row):
        deny(db, user, "declaration", declaration_id)
    return row


def own_declaration(db: Database, user, declaration_id: int) -> dict:
    """A declaration of the current enterprise's own organisation, or 404."""
    row = declarations.get(db, declaration_id)
    if row is None:
        abort(404)
    if user.role != "enterprise" or row["organisation_id"] != user.organisation_id:
        deny(db, user, "declaration", declaration_id)
    require(may_declare(user))  # its owner declares; the team's others read the dossier
    return row
