"""Wizard pages posted after the session (or its CSRF token) expired: kept for their owner
(assess/assessment/pending.py) and saved when the same user is back, as if posted then."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from assess.assessment import pending
from assess.assessment.answering import Locked
from assess.organisation.permissions import answerable_items, may_answer
from assess.questionnaire import pages
from assess.scoring import explain
from assess.store import assessments, users
from assess.web.database import get_db
from assess.web.i18n import lang, listing
from assess.web.questionnaires import questionnaire_of
from assess.web.questions import save_posted_page


def same_origin() -> bool:
    """Whether a post comes from a page of this site (by its Origin or Referer header; a
    browser that sends neither is let through: the owner token still has to be genuine)."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin != "null" and urlsplit(origin).netloc == request.host
    referrer = request.headers.get("Referer")
    return referrer is None or urlsplit(referrer).netloc == request.host


def keep_expired_page_post(current_user):
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
    token = pending.keep(db, user_id, assessment_id, page_id, request.form, files)
    back = url_for("wizard.page", assessment_id=assessment_id, page_id=page_id)
    if current_user.is_authenticated and current_user.id == user_id:
        apply_kept_page(db, token, current_user)
        return redirect(back)
    session["pending_save"] = token
    session["expired"] = True
    return redirect(url_for("auth.login", next=back))


def apply_kept_page(db, token: str, user) -> None:
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
    kept_page = pages.page(q, kept["page"])
    if kept_page is None:
        return
    try:
        _form, outcomes, notes_refused = save_posted_page(
            db, q, row, kept_page, kept["form"], user.id, answerable_items(db, q, user, row)
        )
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
    if notes_refused:
        flash(
            _(
                "Your session had expired: the evidence notes you sent then for %(items)s were"
                " not saved, because they were changed elsewhere meanwhile and both together are"
                " longer than a note may be. Please add them to the notes shown.",
                items=listing(explain.item_label(q, item, lang()) for item in notes_refused),
            ),
            "error",
        )
    if kept["files"]:
        flash(
            _(
                "Files cannot be kept over an expired session; please upload them again: %(names)s",
                names=", ".join(kept["files"]),
            ),
            "error",
        )
