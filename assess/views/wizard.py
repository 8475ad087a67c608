"""The questionnaire wizard: start, resume, answer page by page, autosave, submit."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from assess.assessment import answering, pending, submission
from assess.assessment.answering import Locked, Proposed
from assess.organisation.permissions import editable_assessment, may_answer
from assess.questionnaire import pages as wizard
from assess.regional import result_facts as facts
from assess.scoring import explain, score
from assess.scoring.answers import clean_text
from assess.scoring.result import rated_items
from assess.store import assessments, audit, organisations, users
from assess.store import evidence as evidence_store
from assess.store.database import write_transaction
from assess.views import onsite
from assess.web import questionnaires
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.i18n import lang
from assess.web.questionnaires import questionnaire_of
from assess.web.questions import (
    ERRORS,
    MAX_NOTE,
    QUALITY_LABELS,
    REASON,
    TYPES,
    field_name,
    page_form,
    proposed_answers,
    proposed_evidence,
)
from assess.web.templating import format_date

bp = Blueprint("wizard", __name__)
MAX_AUTOSAVE_ITEMS = 200


def page_url(assessment_id: int, page_id: str, item_id: str | None = None) -> str:
    anchor = f"item-{field_name(item_id)}" if item_id else None
    return url_for("wizard.page", assessment_id=assessment_id, page_id=page_id, _anchor=anchor)


@bp.get("/assessments", endpoint="assessments")
@allow("enterprise")
def list_assessments():
    db = get_db()
    organisation = organisations.get(db, current_user.organisation_id)
    rows = assessments.for_organisation(db, current_user.organisation_id)
    consultants = {
        r["consultant_id"]: (users.get(db, r["consultant_id"]) or {}).get("name", "")
        for r in rows
        if r["consultant_id"]
    }
    return render_template(
        "assessments.html",
        organisation=organisation,
        rows=rows,
        consultants=consultants,
        # the enterprise's own draft: a consultant's on-site draft is the consultant's to finish
        draft=next((r for r in rows if r["status"] == "draft" and r["mode"] == "self"), None),
        last=next((r for r in rows if r["status"] == "submitted"), None),
    )


@bp.post("/organisation/listing")
@allow("enterprise")
def listing():
    """The enterprise agrees (or no longer agrees) to be listed to its local authority."""
    db = get_db()
    listed = request.form.get("listed") == "1"
    with write_transaction(db):
        db.execute(
            "UPDATE organisations SET listing_opt_in = ? WHERE id = ?",
            [int(listed), current_user.organisation_id],
        )
        facts.update_organisation(
            db, organisations.get(db, current_user.organisation_id), questionnaires.latest()
        )
        audit.record(
            db,
            "listing_changed",
            user_id=current_user.id,
            target_type="organisation",
            target_id=current_user.organisation_id,
            detail={"listed": listed},
            ip=request.remote_addr,
        )
    flash(
        _("Your choice is saved.") if listed else _("Your enterprise is no longer listed."),
        "success",
    )
    return redirect(url_for("wizard.assessments"))


@bp.post("/assessments/new")
@allow("enterprise")
def start():
    """A new draft (one at a time), pre-filled from the last submitted assessment if asked."""
    db = get_db()
    organisation_id = current_user.organisation_id
    q = questionnaires.latest()
    with write_transaction(db):
        draft = assessments.draft_for(db, organisation_id)
        if draft is not None:
            return redirect(url_for("wizard.resume", assessment_id=draft["id"]))
        assessment_id = assessments.create(
            db, organisation_id=organisation_id, questionnaire=q, created_by=current_user.id
        )
        last = assessments.latest_submitted(db, organisation_id)
        copied = 0
        if last is not None and request.form.get("prefill") == "last":
            copied = answering.carry_over(db, q, last["id"], assessment_id, current_user.id)
        else:
            submission.profile_from_organisation(db, q, assessment_id)
        audit.record(
            db,
            "assessment_started",
            user_id=current_user.id,
            target_type="assessment",
            target_id=assessment_id,
            detail={"prefilled_from": last["id"] if copied else None},
        )
    if copied:
        when = format_date(last["submitted_at"])
        flash(
            _(
                "The answers of the consultant's on-site assessment of %(date)s are filled in."
                " Review each page and change what has changed.",
                date=when,
            )
            if last["mode"] == "consultant"
            else _(
                "The answers of your self-assessment of %(date)s are filled in. Review each page"
                " and change what has changed.",
                date=when,
            ),
            "info",
        )
        # a re-assessment starts at the first page, to be read through, not at "submit"
        return redirect(page_url(assessment_id, wizard.pages(q)[0].id))
    return redirect(url_for("wizard.resume", assessment_id=assessment_id))


@bp.get("/assessments/<int:assessment_id>")
@allow("enterprise", "consultant")
def resume(assessment_id: int):
    """Back where the user left off: the first unanswered item, or the results once submitted."""
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    if row["status"] == "submitted":
        return redirect(url_for("results.show", assessment_id=assessment_id))
    q = questionnaire_of(row)
    current = answering.state(db, q, assessment_id)
    if not current.missing:
        return redirect(url_for("wizard.submit", assessment_id=assessment_id))
    first = current.missing[0]
    return redirect(page_url(assessment_id, wizard.page_of(q, first).id, first))


def _expired_page_post():
    """A page posted after the session (or its CSRF token) expired: keep it for its owner.

    The owner still logged in (only the form's token had expired): saved at once. Otherwise
    kept until the same user logs in again; the login saves it (both are posts, never a GET).
    """
    view_args = request.view_args or {}
    if not same_origin():
        abort(400)  # another site's form: nothing is kept
    owner = pending.read_owner(current_app.config["SECRET_KEY"], request.form.get("owner"))
    if owner is None or owner[1] != view_args.get("assessment_id"):
        abort(400)
    user_id, assessment_id, version = owner
    db = get_db()
    user = users.get(db, user_id)
    if user is None or not user["active"] or user["session_version"] != version:
        # the owner logged out or changed the password since: the token is dead, on purpose
        # (a page left open on a shared computer must not save for its owner later)
        message = _(
            "You logged out after this page was opened, so the answers it sent cannot be kept"
            " for you. Go back to copy what you typed, log in, and enter it again."
        )
        return render_template("error.html", code=400, message=message), 400
    page_id = view_args.get("page_id", "")
    files = [f.filename for f in request.files.values() if f and f.filename]
    with write_transaction(db):
        token = pending.keep(db, user_id, assessment_id, page_id, request.form, files)
    back = url_for("wizard.page", assessment_id=assessment_id, page_id=page_id)
    if current_user.is_authenticated and current_user.id == user_id:
        apply_kept_answers(db, token, current_user)
        return redirect(back)
    session["pending_save"] = token
    session["expired"] = True
    return redirect(url_for("auth.login", next=back))


def same_origin() -> bool:
    """Whether a post comes from a page of this site (by its Origin or Referer header; a
    browser that sends neither is let through: the owner token still has to be genuine)."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin != "null" and urlsplit(origin).netloc == request.host
    referrer = request.headers.get("Referer")
    return referrer is None or urlsplit(referrer).netloc == request.host


def apply_kept_answers(db, token: str, user) -> None:
    """Save answers (and on-site evidence notes) kept over an expired session: for their owner
    only, and only while that user may still answer the assessment (access can be revoked
    meanwhile)."""
    kept = pending.take(db, token)
    if kept is None or kept["user_id"] != user.id:
        return
    row = assessments.get(db, kept["assessment_id"])
    if row is None or not may_answer(db, user, row):
        flash(_("The answers you sent before your session expired could not be applied."), "error")
        return
    q = questionnaire_of(row)
    kept_page = wizard.page(q, kept["page"])
    if kept_page is None:
        return
    on_site = row["mode"] == "consultant"
    known = onsite.evidence_of(db, row["id"]) if on_site else None
    form = page_form(q, kept_page, lang(), {}, formdata=kept["form"], evidence=known)
    try:
        outcomes = answering.save(db, q, row["id"], user.id, proposed_answers(kept_page, form))
        if on_site:
            answered = answering.saved_items(outcomes)
            rows = proposed_evidence(kept_page, form)
            answering.save_evidence(db, row["id"], user.id, rows, q, answered)
    except Locked:
        flash(
            _(
                "This assessment was submitted meanwhile; the answers you sent before "
                "your session expired were not applied."
            ),
            "error",
        )
        return
    saved = sum(1 for o in outcomes if o.status == "saved")
    flash(
        ngettext(
            "Your session had expired: the answer you sent then is now saved.",
            "Your session had expired: the %(num)s answers you sent then are now saved.",
            saved,
        ),
        "success",
    )
    if kept["files"]:
        flash(
            _(
                "Files cannot be kept over an expired session; please upload them again: %(names)s",
                names=", ".join(kept["files"]),
            ),
            "error",
        )


@bp.route("/assessments/<int:assessment_id>/pages/<page_id>", methods=["GET", "POST"])
@allow("enterprise", "consultant")
def page(assessment_id: int, page_id: str):
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    if row["status"] == "submitted":
        if request.method == "POST":
            flash(_("This assessment is submitted and can no longer be changed."), "error")
        return redirect(url_for("results.show", assessment_id=assessment_id))
    q = questionnaire_of(row)
    current_page = wizard.page(q, page_id)
    if current_page is None:
        abort(404)
    on_site = row["mode"] == "consultant"
    errors: dict[str, str] = {}
    stale: list[answering.Outcome] = []
    posted = None
    if request.method == "POST":
        evidence = onsite.evidence_of(db, assessment_id) if on_site else None
        posted = page_form(q, current_page, lang(), {}, formdata=request.form, evidence=evidence)
        try:
            outcomes = answering.save(
                db, q, assessment_id, current_user.id, proposed_answers(current_page, posted)
            )
            if on_site:
                answered = answering.saved_items(outcomes)
                errors.update(onsite.save_posted(db, q, row, current_page, posted, answered))
        except Locked:
            flash(_("This assessment is submitted and can no longer be changed."), "error")
            return redirect(url_for("results.show", assessment_id=assessment_id))
        errors.update({o.item_id: str(ERRORS[o.error]) for o in outcomes if o.status == "invalid"})
        stale = [o for o in outcomes if o.status == "stale"]
        if not errors and not stale:
            return redirect(
                _destination(q, assessment_id, current_page, request.form.get("go", ""))
            )
    current = answering.state(db, q, assessment_id)
    evidence = onsite.evidence_of(db, assessment_id) if on_site else None
    form = page_form(q, current_page, lang(), current.stored, evidence=evidence)
    for item_id in errors:  # show what the user sent, to be corrected
        name = field_name(item_id)
        form[name].data = posted[name].data
        form[name + REASON].data = posted[name + REASON].data
    form.owner.data = pending.owner_token(
        current_app.config["SECRET_KEY"],
        current_user.id,
        assessment_id,
        current_user.session_version,
    )
    previous_page, next_page = wizard.neighbours(q, current_page)
    return render_template(
        "wizard/page.html",
        q=q,
        assessment=row,
        organisation=organisations.get(db, row["organisation_id"]),
        page=current_page,
        form=form,
        state=current,
        skip_text={
            item: explain.skip_reason(q, skip, lang()) for item, skip in current.skipped.items()
        },
        na_sub_domains={
            skip.container: explain.skip_reason(q, skip, lang())
            for skip in current.skipped.values()
            if skip.kind == "sub_domain_not_applicable"
        },
        errors=errors,
        stale=stale,
        types=TYPES,
        field_name=field_name,
        previous_page=previous_page,
        next_page=next_page,
        on_site=on_site,
        files=onsite.files_by_item(db, assessment_id) if on_site else {},
    ), (422 if errors else 200)


page.on_expired_post = _expired_page_post


def _destination(q, assessment_id: int, current_page, go: str) -> str:
    previous_page, next_page = wizard.neighbours(q, current_page)
    if go == "next":
        return (
            page_url(assessment_id, next_page.id)
            if next_page
            else url_for("wizard.submit", assessment_id=assessment_id)
        )
    if go == "prev" and previous_page is not None:
        return page_url(assessment_id, previous_page.id)
    if go == "submit":
        return url_for("wizard.submit", assessment_id=assessment_id)
    if wizard.page(q, go) is not None:
        return page_url(assessment_id, go)
    return page_url(assessment_id, current_page.id)


def _parse_autosave(payload, on_site: bool):
    """(answers, evidence) of an autosave body, or None when it is malformed.

    {"answers": [{item, value, reason, revision}], "evidence": [{item, note, quality, verified}]}
    (evidence only for an on-site assessment).
    """
    if not isinstance(payload, dict):
        return None
    entries = payload.get("answers") or []
    notes = payload.get("evidence") or [] if on_site else []
    if not isinstance(entries, list) or not isinstance(notes, list):
        return None
    if not 0 < len(entries) + len(notes) <= MAX_AUTOSAVE_ITEMS:
        return None
    proposed = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("item"), str):
            return None
        revision = entry.get("revision")
        if not answering.valid_revision(revision):
            return None
        reason = entry.get("reason") or ""
        proposed.append(
            Proposed(
                entry["item"],
                entry.get("value"),
                reason if isinstance(reason, str) else "",
                revision,
            )
        )
    evidence_rows = []
    for entry in notes:
        if not isinstance(entry, dict) or not isinstance(entry.get("item"), str):
            return None
        note = entry.get("note") or ""
        quality = entry.get("quality") or None
        if not isinstance(note, str) or quality not in (None, *QUALITY_LABELS):
            return None
        evidence_rows.append(
            (entry["item"], clean_text(note)[:MAX_NOTE], quality, bool(entry.get("verified")))
        )
    return proposed, evidence_rows


@bp.post("/assessments/<int:assessment_id>/answers")
@allow("enterprise", "consultant")
def autosave(assessment_id: int):
    """Background save of changed answers: {"answers": [{item, value, reason, revision}]}."""
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    q = questionnaire_of(row)
    parsed = _parse_autosave(request.get_json(silent=True), row["mode"] == "consultant")
    if parsed is None:
        return jsonify({"error": "bad_request", "message": _("Nothing to save was sent.")}), 400
    proposed, evidence_rows = parsed
    try:
        outcomes = (
            answering.save(db, q, assessment_id, current_user.id, proposed) if proposed else []
        )
        if evidence_rows:
            answering.save_evidence(db, assessment_id, current_user.id, evidence_rows, q)
    except Locked:
        message = _("This assessment is submitted and can no longer be changed.")
        return jsonify({"error": "locked", "message": message}), 409
    current = answering.state(db, q, assessment_id)
    language = lang()
    verified = onsite.evidence_of(db, assessment_id) if row["mode"] == "consultant" else {}
    return jsonify(
        {
            # on site: answers changed now whose verification lapsed (the page unticks them)
            "unverified": [
                o.item_id
                for o in outcomes
                if o.status == "saved"
                and row["mode"] == "consultant"
                and not (verified.get(o.item_id) or {}).get("verified_by")
            ],
            "results": [
                {
                    "item": o.item_id,
                    "status": o.status,
                    "revision": o.revision,
                    "value": list(o.current.value)
                    if o.current and isinstance(o.current.value, tuple)
                    else (o.current.value if o.current else None),
                    "reason": o.current.reason if o.current else "",
                    "error": str(ERRORS[o.error]) if o.error else "",
                }
                for o in outcomes
            ],
            "skipped": {
                item: explain.skip_reason(q, skip, language)
                for item, skip in current.skipped.items()
            },
            "progress": {
                "answered": current.progress.answered,
                "asked": current.progress.asked,
                "percent": current.progress.percent,
                "pages": {p.page.id: p.state for p in current.progress.pages},
            },
        }
    )


@bp.route("/assessments/<int:assessment_id>/submit", methods=["GET", "POST"])
@allow("enterprise", "consultant")
def submit(assessment_id: int):
    """Check completeness (what is missing, with links), then lock and score.

    An on-site assessment also needs at least one visit record.
    """
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    if row["status"] == "submitted":
        return redirect(url_for("results.show", assessment_id=assessment_id))
    q = questionnaire_of(row)
    current = answering.state(db, q, assessment_id)
    on_site = row["mode"] == "consultant"
    visits = evidence_store.visits(db, assessment_id) if on_site else []
    ready = not current.missing and (visits or not on_site)
    # answers carried over from the last assessment are confirmed, not submitted by one click
    carried = assessments.get(db, row["prefilled_from"]) if row["prefilled_from"] else None
    confirm = carried is not None and not on_site
    confirmed = not confirm or request.form.get("confirm_carried") == "1"
    if request.method == "POST" and ready and not confirmed:
        flash(_("Confirm that you checked the answers carried over, then submit."), "error")
    if request.method == "POST" and ready and confirmed:
        with write_transaction(db):
            fresh = assessments.get(db, assessment_id)
            if fresh["status"] == "draft":
                answers = answering.state(db, q, assessment_id).answers
                submission.submit(db, q, assessment_id, answers, submitted_by=current_user.id)
                audit.record(
                    db,
                    "submit",
                    user_id=current_user.id,
                    target_type="assessment",
                    target_id=assessment_id,
                    detail={"mode": row["mode"]},
                    ip=request.remote_addr,
                )
        for after in submission.AFTER_SUBMIT:  # e.g. the PDF made ready in the background
            after(assessment_id, lang())
        flash(_("Submitted. Here is your result."), "success")
        return redirect(url_for("results.show", assessment_id=assessment_id))
    if request.method == "POST":
        flash(_("Some questions are still unanswered. Answer them, then submit."), "error")
    rated = rated_items(score(q, current.answers)) if on_site else set()
    missing_by_page = {}
    for item_id in current.missing:
        missing_by_page.setdefault(wizard.page_of(q, item_id), []).append(item_id)
    return render_template(
        "wizard/submit.html",
        q=q,
        assessment=row,
        organisation=organisations.get(db, row["organisation_id"]),
        state=current,
        missing_by_page=missing_by_page,
        page_url=page_url,
        item_label=lambda item_id: explain.item_label(q, item_id, lang()),
        on_site=on_site,
        visits=visits,
        ready=ready,
        carried=carried if confirm else None,
        verified_count=(
            len(evidence_store.verified_items(db, assessment_id) & rated) if on_site else 0
        ),
        rated_count=len(rated),
        today=date.today().isoformat(),
        earliest=onsite.earliest_visit(row).isoformat(),
    ), (422 if request.method == "POST" else 200)
