"""The questionnaire wizard: start, resume, answer page by page, autosave, submit."""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from assess.assessment import answering, overwrites, pending, submission
from assess.assessment import comments as answer_comments
from assess.assessment import on_site as on_site_assessment
from assess.assessment.answering import Locked
from assess.assessment.evidence_files import MAX_ASSESSMENT_BYTES, MAX_BYTES, MAX_FILES_PER_ITEM, MB
from assess.assessment.starting import new_since_carried, start_self_assessment
from assess.organisation import team
from assess.organisation.permissions import (
    answerable_items,
    may_manage_organisation,
    may_start,
    may_submit,
)
from assess.questionnaire import pages
from assess.regional.listing import set_listing
from assess.report.content import answer_label
from assess.report.review import review as review_before_submitting
from assess.scoring import explain, score
from assess.scoring.answers import number_text
from assess.scoring.result import rated_items
from assess.scoring.verification import deciding_items, verifiable
from assess.store import assessments, organisations, users
from assess.store import evidence as evidence_store
from assess.translation import today_in_china
from assess.web import metrics, questionnaires
from assess.web.access import allow, proven
from assess.web.autosave import (
    BODY_PROBLEMS,
    parse_body,
    parse_comments,
    read_body,
    saved_body,
)
from assess.web.database import get_db
from assess.web.guards import editable_assessment, require
from assess.web.i18n import lang
from assess.web.ids import parse_id
from assess.web.kept_pages import keep_expired_page_post
from assess.web.login import current_actor
from assess.web.questionnaires import questionnaire_of
from assess.web.questions import (
    FILE_ERRORS,
    FILES,
    NOTE,
    NOTE_REFUSED,
    REASON,
    REASON_LABELS,
    TYPES,
    error_text,
    field_name,
    page_form,
    reason_when,
    save_posted_page,
)
from assess.web.reassessment import flash_new_version
from assess.web.templating import format_date
from assess.web.uploads import endpoint_upload, takes_files

bp = Blueprint("wizard", __name__)
SUBMIT_REFUSALS = {
    "missing": _l("Some questions are still unanswered. Answer them, then submit."),
    "no_visit": _l("Record at least one on-site visit below, then submit."),
    "not_confirmed": _l("Confirm that you checked the answers carried over, then submit."),
    "not_reviewed": _l("Confirm that you checked the summary, then submit."),
}


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
        "wizard/assessments.html",
        organisation=organisation,
        rows=rows,
        consultants=consultants,
        # the enterprise's own draft: a consultant's on-site draft is the consultant's to finish
        draft=next((r for r in rows if r["status"] == "draft" and r["mode"] == "self"), None),
        last=next((r for r in rows if r["status"] == "submitted"), None),
    )


@bp.post("/organisation/listing")
@allow("enterprise")
@proven
def listing():
    """The enterprise agrees (or no longer agrees) to be listed to its local authority."""
    require(may_manage_organisation(current_user))
    listed = request.form.get("listed") == "1"
    set_listing(
        get_db(), current_user.organisation_id, listed, questionnaires.latest(), current_actor()
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
    require(may_start(current_user))
    started = start_self_assessment(
        get_db(),
        questionnaires.versions(),
        current_user.organisation_id,
        current_actor(),
        carry_over=request.form.get("prefill") == "last",
    )
    last = started.carried_from
    if last is None:
        return redirect(url_for("wizard.resume", assessment_id=started.assessment_id))
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
    flash_new_version(started)
    # a re-assessment starts at the first page, to be read through, not at "submit"
    return redirect(page_url(started.assessment_id, "profile"))


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
    contributor = team.contributor_view(db, q, current_user, row)
    if contributor is not None:  # its own sections first
        mine = [item for item in current.missing if item in contributor.allowed]
        if mine:
            return redirect(page_url(assessment_id, pages.page_of(q, mine[0]).id, mine[0]))
        if contributor.own_pages:
            return redirect(page_url(assessment_id, contributor.own_pages[0]))
    if not current.missing:
        return redirect(url_for("wizard.submit", assessment_id=assessment_id))
    first = current.missing[0]
    return redirect(page_url(assessment_id, pages.page_of(q, first).id, first))


def _expired_page_post():
    return keep_expired_page_post(current_user)


def _saved_over(db, q, stale: list[answering.Outcome]) -> dict[str, dict]:
    """Per answer of a posted page kept from a colleague's newer save: who, when, and the
    answer the user sent in words (handed back to choose again)."""
    found = overwrites.overwritten(db, current_user.id, stale)
    return {
        item: {
            "by": o.by,
            "at": o.at,
            "yours": answer_label(q, q.items[item], o.yours.value, lang()) if o.yours else "",
        }
        for item, o in found.items()
    }


@bp.route("/assessments/<int:assessment_id>/pages/<page_id>", methods=["GET", "POST"])
@allow("enterprise", "consultant")
@takes_files(60, "consultant")  # an on-site page saved with several evidence files
def page(assessment_id: int, page_id: str):
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    if row["status"] == "submitted":
        if request.method == "POST":
            flash(_("This assessment is submitted and can no longer be changed."), "error")
        return redirect(url_for("results.show", assessment_id=assessment_id))
    q = questionnaire_of(row)
    current_page = pages.page(q, page_id)
    if current_page is None:
        abort(404)
    on_site = row["mode"] == "consultant"
    contributor = team.contributor_view(db, q, current_user, row)
    allowed = contributor.allowed if contributor else None
    errors: dict[str, str] = {}
    files_refused: dict[str, str] = {}  # per item, the files refused (its answer is saved)
    answers_refused = False
    stale: list[answering.Outcome] = []
    posted, notes_refused = None, {}
    if request.method == "POST":
        before = answering.state(db, q, assessment_id)
        try:
            posted, outcomes, notes_refused = save_posted_page(
                db, q, row, current_page, request.form, current_user.id, allowed
            )
            if on_site:
                files_refused = _save_files(db, q, row, current_page)
                _on_site_actions(db, q, row, current_page)
        except Locked:
            flash(_("This assessment is submitted and can no longer be changed."), "error")
            return redirect(url_for("results.show", assessment_id=assessment_id))
        errors.update(
            {
                o.item_id: error_text(q, o.item_id, o.error)
                for o in outcomes
                if o.status == "invalid"
            }
        )
        errors.update({item: str(NOTE_REFUSED) for item in notes_refused})
        answers_refused = bool(errors)
        for item_id, text in files_refused.items():  # the answer is saved: only the file is not
            errors[item_id] = f"{errors[item_id]} {text}" if item_id in errors else text
        stale = [o for o in outcomes if o.status == "stale"]
        if not errors and not stale:
            opened = _opened(q, current_page, before, answering.state(db, q, assessment_id))
            go = request.form.get("go", "")
            if on_site and (request.form.get("verify_page") or request.form.get("same_as_above")):
                go = "stay"  # the page's own action: the consultant sees its outcome here
            if opened and go != "prev":
                # the page asks more now (a level opened): answer it before moving on
                flash(
                    ngettext(
                        "Your answers opened %(num)s more question on this page.",
                        "Your answers opened %(num)s more questions on this page.",
                        len(opened),
                    ),
                    "info",
                )
                return redirect(page_url(assessment_id, current_page.id, opened[0]))
            return redirect(_destination(q, assessment_id, current_page, go))
    current = answering.state(db, q, assessment_id)
    evidence = evidence_store.for_assessment(db, assessment_id) if on_site else None
    form = page_form(q, current_page, lang(), current.stored, evidence=evidence)
    for item_id in errors:  # show what the user sent, to be corrected
        name = field_name(item_id)
        form[name].data = posted[name].data
        form[name + REASON].data = posted[name + REASON].data
        if item_id in notes_refused:  # kept in its box, to be combined with the stored one
            form[name + NOTE].data = posted[name + NOTE].data
    form.owner.data = pending.owner_token(
        current_app.config["SECRET_KEY"],
        current_user.id,
        assessment_id,
        current_user.session_version,
    )
    previous_page, next_page = pages.neighbours(q, current_page)
    return render_template(
        "wizard/page.html",
        q=q,
        assessment=row,
        organisation=organisations.get(db, row["organisation_id"]),
        page=current_page,
        form=form,
        state=current,
        skip_text={
            item: explain.skip_reason(q, skip, lang(), current.answers)
            for item, skip in current.skipped.items()
        },
        na_sub_domains={
            skip.container: explain.skip_reason(q, skip, lang())
            for skip in current.skipped.values()
            if skip.kind == "sub_domain_not_applicable"
        },
        errors=errors,
        answers_refused=answers_refused,
        notes_refused=notes_refused,
        stale=stale,
        saved_over=_saved_over(db, q, stale),
        changed_by_colleagues=(
            overwrites.changed_by_colleagues(
                db,
                assessment_id,
                [i for i in current_page.item_ids if i in contributor.allowed],
                current_user.id,
            )
            if contributor
            else {}
        ),
        assigned_elsewhere=(
            overwrites.assigned_to_others(db, row, q, current_page, current_user.id)
            if contributor is None
            else ()
        ),
        types=TYPES,
        field_name=field_name,
        reason_when=lambda item: reason_when(q, item),
        reason_labels=REASON_LABELS,
        number_text=number_text,
        condition_text=lambda conditions: explain.condition_text(q, conditions, lang()),
        new_items=new_since_carried(db, questionnaires.versions(), row),
        previous_page=previous_page,
        next_page=next_page,
        on_site=on_site,
        verifiable=lambda item_id: verifiable(q, item_id),
        contributor=contributor,
        comments=None if on_site else answer_comments.of_assessment(db, assessment_id),
        max_upload=endpoint_upload().max_bytes,
        **(_on_site_context(db, q, row, current_page, current) if on_site else {"files": {}}),
    ), (422 if errors else 200)


page.on_expired_post = _expired_page_post


def _opened(q, current_page, before, after) -> list[str]:
    """The page's items a save opened: asked now, not before, and not answered yet."""
    missing = set(after.missing)
    return [
        item_id
        for item_id in current_page.item_ids
        if item_id in before.skipped and item_id not in after.skipped and item_id in missing
    ]


def _save_files(db, q, row: dict, current_page) -> dict[str, str]:
    """An on-site page's evidence files: removed ("Remove" buttons) and uploaded; per item,
    why a file was refused."""
    folder = Path(current_app.config["EVIDENCE_DIR"])
    for value in request.form.getlist("remove_file"):
        if (file_id := parse_id(value)) is not None:
            on_site_assessment.remove(db, folder, row["id"], file_id, current_actor())
    uploads = [
        on_site_assessment.Upload(item_id, upload.filename, upload.stream.read(MAX_BYTES + 1))
        for item_id in current_page.item_ids
        for upload in request.files.getlist(field_name(item_id) + FILES)
        if upload and upload.filename
    ]
    refused = on_site_assessment.attach(db, folder, q, row["id"], uploads, current_actor())
    return {
        item: " ".join(f"{name}: {str(FILE_ERRORS[code]) % FILE_LIMITS}" for name, code in files)
        for item, files in refused.items()
    }


def _rated_on_page(q, current_page) -> list[str]:
    """The page's items that take evidence on site, in order: rated and deciding ones
    (assess/scoring/verification.py)."""
    return [item for item in current_page.item_ids if verifiable(q, item)]


def _above(q, current_page) -> dict[str, str]:
    """Per verifiable item of the page, the verifiable item above it."""
    rated = _rated_on_page(q, current_page)
    return dict(zip(rated[1:], rated, strict=False))


def _on_site_actions(db, q, row: dict, current_page) -> None:
    """An on-site page's buttons "Verify all on this page" and "Same evidence as the item
    above", after the page's answers and files are saved."""
    if request.form.get("verify_page"):
        count = on_site_assessment.verify_all(
            db, q, row["id"], _rated_on_page(q, current_page), current_actor()
        )
        flash(
            ngettext(
                "%(num)s answer on this page marked verified.",
                "%(num)s answers on this page marked verified.",
                count,
            )
            if count
            else _("Nothing more to verify on this page: every answered item is verified."),
            "success" if count else "info",
        )
    item = request.form.get("same_as_above", "")
    above = _above(q, current_page).get(item)
    if above:
        added = on_site_assessment.same_as_above(db, q, row["id"], item, above, current_actor())
        flash(
            ngettext(
                "%(num)s file of the item above is now evidence for this item too.",
                "%(num)s files of the item above are now evidence for this item too.",
                added or 0,
            ),
            "success" if added else "info",
        )


def _on_site_context(db, q, row: dict, current_page, current) -> dict:
    """What an on-site page shows beside each item: the enterprise's self-answer and its
    evidence, the files, the item above (for "same evidence"), how many items "verify all"
    would verify, and the evidence limits."""
    files = on_site_assessment.files_by_item(db, row["id"])
    own = on_site_assessment.self_answers(db, row)
    verified = evidence_store.verified_items(db, row["id"])
    language = lang()

    def self_label(item_id: str) -> str:
        stored = own.answers.get(item_id) if own else None
        if stored is None or stored.answer.value is None:
            return "—"
        return answer_label(q, q.items[item_id], stored.answer.value, language)

    return {
        "files": files,
        "own": own,
        "self_label": self_label,
        "above": _above(q, current_page),
        "to_verify": [
            item
            for item in _rated_on_page(q, current_page)
            if item in current.answers and item not in current.skipped and item not in verified
        ],
        "evidence_used": on_site_assessment.evidence_used(db, row["id"]),
        "limits": {
            "file_mb": MAX_BYTES // MB,
            "per_item": MAX_FILES_PER_ITEM,
            "assessment_mb": MAX_ASSESSMENT_BYTES // MB,
        },
    }


FILE_LIMITS = {"n": MAX_FILES_PER_ITEM, "mb": MAX_ASSESSMENT_BYTES // MB}


def _destination(q, assessment_id: int, current_page, go: str) -> str:
    previous_page, next_page = pages.neighbours(q, current_page)
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
    if pages.page(q, go) is not None:
        return page_url(assessment_id, go)
    return page_url(assessment_id, current_page.id)


@bp.post("/assessments/<int:assessment_id>/answers")
@allow("enterprise", "consultant")
def autosave(assessment_id: int):
    """Background save of changed answers: {"answers": [{item, value, reason, revision}]}."""
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    q = questionnaire_of(row)
    payload, problem = read_body(request.get_data()) if request.is_json else (None, "empty")
    parsed = parse_body(payload, row["mode"] == "consultant")
    if parsed is None:
        message = str(BODY_PROBLEMS[problem or "empty"])
        return jsonify({"error": "bad_request", "message": message}), 400
    proposed, evidence_rows = parsed
    comments = parse_comments(payload)
    try:
        outcomes = answering.save_page(
            db,
            q,
            row,
            current_user.id,
            proposed,
            evidence_rows,
            answerable_items(db, q, current_user, row),
        )
        commented = answer_comments.save(db, q, assessment_id, current_user.id, comments)
    except Locked:
        message = _("This assessment is submitted and can no longer be changed.")
        return jsonify({"error": "locked", "message": message}), 409
    verified = (
        evidence_store.for_assessment(db, assessment_id) if row["mode"] == "consultant" else {}
    )
    current = answering.state(db, q, assessment_id)
    saved_over = overwrites.overwritten(db, current_user.id, outcomes)
    body = {
        **saved_body(q, row, outcomes, current, verified, evidence_rows, saved_over),
        "comments": commented,
    }
    metrics.autosave_answered(body)
    return jsonify(body)


@bp.route("/assessments/<int:assessment_id>/submit", methods=["GET", "POST"])
@allow("enterprise", "consultant")
@proven
def submit(assessment_id: int):
    """Check completeness (what is missing, with links), then lock and score.

    An on-site assessment also needs at least one visit record.
    """
    db = get_db()
    row = editable_assessment(db, current_user, assessment_id)
    if row["status"] == "submitted":
        return redirect(url_for("results.show", assessment_id=assessment_id))
    q = questionnaire_of(row)
    if request.method == "POST":
        require(may_submit(db, current_user, row))
        refused = submission.submit_assessment(
            db,
            q,
            assessment_id,
            current_actor(),
            lang(),
            confirmed=request.form.get("confirm_carried") == "1",
            reviewed=request.form.get("confirm_submit") == "1",
        )
        if refused is None:
            flash(_("Submitted. Here is your result."), "success")
            return redirect(url_for("results.show", assessment_id=assessment_id))
        flash(str(SUBMIT_REFUSALS[refused]), "error")
    ready = submission.readiness(db, q, row)
    current, on_site, visits = ready.state, ready.on_site, ready.visits
    rated, checked, deciding = set(), set(), frozenset()
    if on_site:  # what the consultant verified (a self-assessment's page needs no score)
        result = score(q, current.answers)
        rated = rated_items(result)
        checked = evidence_store.verified_items(db, assessment_id)
        deciding = deciding_items(q, evidence_store.answered_items(db, assessment_id), result)
    missing_by_page = {}
    for item_id in current.missing:
        missing_by_page.setdefault(pages.page_of(q, item_id), []).append(item_id)
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
        ready=ready.blocker is None,
        carried=ready.carried_from,
        verified_count=len(checked & rated),
        rated_count=len(rated),
        deciding_count=len(deciding),
        unverified_deciding=[i for i in q.items if i in deciding and i not in checked],
        page_of=lambda item_id: pages.page_of(q, item_id),
        may_submit=may_submit(db, current_user, row),
        owner_name=(users.owner_of(db, row["organisation_id"]) or {}).get("name", ""),
        today=today_in_china().isoformat(),
        earliest=on_site_assessment.earliest_visit(row).isoformat(),
        review=review_before_submitting(db, q, row, current, lang()),
    ), (422 if request.method == "POST" else 200)
