"""Object rules at the door of a view: the object if the user may see or change it, else a
404 recorded in the audit log (nothing about another tenant's data is revealed)."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlite_utils import Database
from werkzeug.exceptions import HTTPException

from assess.organisation.permissions import (
    access_withdrawn,
    can_see_declaration,
    consultant_has_access,
    may_answer,
    may_declare,
    may_see,
    member_role,
)
from assess.store import assessments, audit, declarations, merges, organisations
from assess.translation import translator
from assess.web.database import get_db
from assess.web.i18n import lang


class AccessWithdrawn(HTTPException):
    """410 for a consultant whose client withdrew their access: the page (or the JSON of a
    save) says who and when, and that what a save sent was not kept (errors.py shows
    `message`)."""

    code = 410

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def deny(db: Database, user, target_type: str, target_id, organisation_id=None) -> None:
    """Record a refused access in the audit log and answer 404 (nothing is revealed), but 410
    saying so to a consultant whose access that organisation withdrew."""
    audit.record(
        db,
        "access_denied",
        user_id=getattr(user, "id", None),
        target_type=target_type,
        target_id=target_id,
        detail={"path": request.path, "method": request.method},
        ip=request.remote_addr,
    )
    withdrawn = access_withdrawn(db, user, organisation_id) if organisation_id else None
    if withdrawn is not None:
        raise AccessWithdrawn(_withdrawn_message(db, organisation_id, withdrawn))
    abort(404)


def _withdrawn_message(db: Database, organisation_id: int, when: str) -> str:
    from assess.web.templating import format_date

    message = gettext(
        "%(name)s withdrew your access on %(date)s: its assessments are no longer open to you.",
        name=organisations.get(db, organisation_id)["name"],
        date=format_date(when, "long"),
    )
    if request.method == "POST":
        then = gettext("What you sent was not saved and cannot be kept.")
    else:
        then = gettext(
            "The reports you signed for it stay yours, as signed: download them from your"
            " clients page."
        )
    return translator(lang()).sentences(message, then)


def visible_assessment(db: Database, user, assessment_id: int) -> dict:
    """The assessment if the user may see it (`may_see`); 404 otherwise."""
    row = assessments.get(db, assessment_id)
    if row is None:
        abort(404)
    if not may_see(db, user, row):
        deny(db, user, "assessment", assessment_id, row["organisation_id"])
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
        deny(db, user, "assessment", assessment_id, row["organisation_id"])
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
        deny(db, current_user, "organisation", organisation_id, organisation_id)
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
