"""On-site assessments: evidence notes, quality, verification, files and visits."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.assessment import answering, evidence
from assess.organisation.permissions import editable_assessment, visible_assessment
from assess.questionnaire.definition import Questionnaire
from assess.store import audit
from assess.store import evidence as evidence_store
from assess.store.database import write_transaction
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.forms import one_line
from assess.web.questions import FILES, field_name, proposed_evidence

bp = Blueprint("onsite", __name__)
FILE_ERRORS = {
    "too_large": _l("The file is larger than 10 MB."),
    "empty": _l("The file is empty."),
    "type": _l(
        "Only PDF, PNG, JPEG and WebP files are accepted (checked by content, not by name)."
    ),
}


def evidence_of(db, assessment_id: int) -> dict[str, dict]:
    return evidence_store.for_assessment(db, assessment_id)


def earliest_visit(row: dict) -> date:
    """A visit belongs to its assessment: at most a year before the assessment was started."""
    return date.fromisoformat(row["created_at"][:10]) - timedelta(days=366)


def files_by_item(db, assessment_id: int) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in evidence_store.files(db, assessment_id):
        grouped.setdefault(row["item_id"], []).append(row)
    return grouped


def save_posted(
    db, q: Questionnaire, row: dict, page, posted, answered: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Save a posted on-site page's evidence fields and files; return errors per item.
    answered: the items whose answer the same post changed."""
    rows = proposed_evidence(page, posted)
    answering.save_evidence(db, row["id"], current_user.id, rows, q, answered)
    errors = {}
    folder = Path(current_app.config["EVIDENCE_DIR"])
    for value in request.form.getlist("remove_file"):  # a file's "Remove" button
        if value.isdigit():
            _remove_file(db, row["id"], int(value), folder)
    for item_id in page.item_ids:
        for upload in request.files.getlist(field_name(item_id) + FILES):
            if not upload or not upload.filename:
                continue
            data = upload.stream.read(evidence.MAX_BYTES + 1)
            try:
                kind = evidence.check(data)
            except evidence.EvidenceError as error:
                errors[item_id] = (
                    f"{evidence.display_name(upload.filename)}: {FILE_ERRORS[error.code]}"
                )
                continue
            stored_name, digest = evidence.store(folder, row["id"], data)
            with write_transaction(db):
                file_id = evidence_store.add_file(
                    db,
                    row["id"],
                    item_id,
                    stored_name,
                    evidence.display_name(upload.filename),
                    kind.mime_type,
                    len(data),
                    digest,
                    current_user.id,
                )
                audit.record(
                    db,
                    "evidence_uploaded",
                    user_id=current_user.id,
                    target_type="evidence",
                    target_id=file_id,
                    detail={"assessment_id": row["id"], "item": item_id},
                    ip=request.remote_addr,
                )
    return errors


def _remove_file(db, assessment_id: int, file_id: int, folder: Path) -> None:
    """Remove an evidence file uploaded by mistake (a draft's, posted with its page); the audit
    log keeps its name and digest. Another assessment's file is left alone."""
    with write_transaction(db):
        removed = evidence_store.delete_file(db, assessment_id, file_id)
        if removed is None:
            return
        audit.record(
            db,
            "evidence_removed",
            user_id=current_user.id,
            target_type="evidence",
            target_id=file_id,
            detail={
                "assessment_id": assessment_id,
                "item": removed["item_id"],
                "name": removed["original_name"],
                "sha256": removed["sha256"],
            },
            ip=request.remote_addr,
        )
    # a stored name outside the folder is never written: then there is nothing to remove
    with suppress(evidence.EvidenceError):
        evidence.path_of(folder, removed["stored_name"]).unlink(missing_ok=True)


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
        path = evidence.path_of(Path(current_app.config["EVIDENCE_DIR"]), row["stored_name"])
    except evidence.EvidenceError:
        abort(404)
    if not path.is_file():
        abort(404)
    audit.record(
        db,
        "evidence_downloaded",
        user_id=current_user.id,
        target_type="evidence",
        target_id=file_id,
        detail={"organisation_id": assessment["organisation_id"], "assessment": assessment["id"]},
        ip=request.remote_addr,
    )
    response = send_file(
        path,
        mimetype=row["mime_type"],
        as_attachment=True,
        download_name=evidence.download_name(row["original_name"], row["mime_type"]),
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; sandbox; frame-ancestors 'none'"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/assessments/<int:assessment_id>/visits")
@allow("consultant")
def add_visit(assessment_id: int):
    """Record an on-site visit: date, site, participants."""
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    if row["status"] != "draft" or row["mode"] != "consultant":
        abort(404)
    site = one_line(request.form.get("site") or "")[:200]
    participants = one_line(request.form.get("participants") or "")[:1000]
    try:
        visit_date = date.fromisoformat(request.form.get("visit_date") or "")
    except ValueError:
        visit_date = None
    if visit_date is None or not site or not earliest_visit(row) <= visit_date <= date.today():
        flash(
            _(
                "Give the date of the visit (not in the future, nor more than a year before the"
                " assessment was started) and the site visited."
            ),
            "error",
        )
    else:
        with write_transaction(db):
            evidence_store.add_visit(
                db, assessment_id, visit_date.isoformat(), site, participants, current_user.id
            )
        flash(_("Visit recorded."), "success")
    return redirect(url_for("wizard.submit", assessment_id=assessment_id, _anchor="visits"))


@bp.post("/assessments/<int:assessment_id>/visits/<int:visit_id>/delete")
@allow("consultant")
def delete_visit(assessment_id: int, visit_id: int):
    """Take back a visit recorded by mistake, while the assessment is a draft; the audit log
    keeps what it said."""
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    if row["status"] != "draft" or row["mode"] != "consultant":
        abort(404)
    with write_transaction(db):
        visit = evidence_store.delete_visit(db, assessment_id, visit_id)
        if visit is None:
            abort(404)
        audit.record(
            db,
            "visit_deleted",
            user_id=current_user.id,
            target_type="assessment",
            target_id=assessment_id,
            detail={k: visit[k] for k in ("visit_date", "site", "participants")},
            ip=request.remote_addr,
        )
    flash(_("Visit removed."), "success")
    return redirect(url_for("wizard.submit", assessment_id=assessment_id, _anchor="visits"))
