"""On-site assessments: evidence files to download, and visits recorded."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assess.assessment import evidence_files, on_site
from assess.assessment.answering import Locked
from assess.store import evidence as evidence_store
from assess.web import read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.downloads import send_stored_file
from assess.web.forms import one_line
from assess.web.guards import editable_assessment, visible_assessment
from assess.web.login import current_actor

bp = Blueprint("onsite", __name__)


@bp.get("/evidence/<int:file_id>")
@allow("enterprise", "consultant", "admin")
def download(file_id: int):
    """An evidence file, always as an attachment, with the type found at upload."""
    db = get_db()
    row = evidence_store.file(db, file_id)
    if row is None:
        abort(404)
    assessment = visible_assessment(db, current_user, row["assessment_id"])
    try:
        path = evidence_files.path_of(Path(current_app.config["EVIDENCE_DIR"]), row["stored_name"])
    except evidence_files.EvidenceError:
        abort(404)
    if not path.is_file():
        abort(404)
    read_log.record_download(
        db,
        "evidence_downloaded",
        "evidence",
        file_id,
        assessment["organisation_id"],
        assessment=assessment["id"],
    )
    return send_stored_file(
        path, row["mime_type"], evidence_files.download_name(row["original_name"], row["mime_type"])
    )


def _on_site_draft(assessment_id: int) -> dict:
    row = editable_assessment(get_db(), current_user, assessment_id)
    if row["status"] != "draft" or row["mode"] != "consultant":
        abort(404)
    return row


@bp.post("/assessments/<int:assessment_id>/visits")
@allow("consultant")
def add_visit(assessment_id: int):
    """Record an on-site visit: date, site, participants."""
    row = _on_site_draft(assessment_id)
    try:
        visit_date = date.fromisoformat(request.form.get("visit_date") or "")
    except ValueError:
        visit_date = None
    site = one_line(request.form.get("site") or "")[:200]
    participants = one_line(request.form.get("participants") or "")[:1000]
    try:
        recorded = on_site.add_visit(get_db(), row, visit_date, site, participants, current_actor())
    except Locked:
        abort(404)
    if recorded:
        flash(_("Visit recorded."), "success")
    else:
        flash(
            _(
                "Give the date of the visit (not in the future, nor more than a year before the"
                " assessment was started) and the site visited."
            ),
            "error",
        )
    return redirect(url_for("wizard.submit", assessment_id=assessment_id, _anchor="visits"))


@bp.post("/assessments/<int:assessment_id>/visits/<int:visit_id>/delete")
@allow("consultant")
def delete_visit(assessment_id: int, visit_id: int):
    """Take back a visit recorded by mistake, while the assessment is a draft; the audit log
    keeps what it said."""
    _on_site_draft(assessment_id)
    try:
        deleted = on_site.delete_visit(get_db(), assessment_id, visit_id, current_actor())
    except Locked:
        deleted = False
    if not deleted:
        abort(404)
    flash(_("Visit removed."), "success")
    return redirect(url_for("wizard.submit", assessment_id=assessment_id, _anchor="visits"))
