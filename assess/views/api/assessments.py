"""Assessments through the API: list, read (summary, answers, result), create a draft, write
answers (the wizard's saving path), submit, and the report PDF through the render queue.
The same rules as the wizard, the results page and the report: an enterprise's self-
assessments and its consultants' submitted on-site ones; a consultant's own on-site
assessments of clients that granted it access, and their submitted self-assessments."""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.assessment import remote, submission
from assess.assessment.answering import (
    KEEP,
    MAX_NOTE,
    MAX_REVISION,
    Locked,
    Proposed,
    State,
    state,
)
from assess.assessment.evidence_quality import QUALITIES
from assess.assessment.starting import start_on_site, start_self_assessment
from assess.organisation.permissions import answerable_items, may_start, may_submit
from assess.report import document, jobs, result_json
from assess.report.document import report_kind
from assess.scoring.answers import clean_text
from assess.web import api, documents, questionnaires, read_log
from assess.web.access import allow, proven
from assess.web.api import N_
from assess.web.autosave import MAX_AUTOSAVE_ITEMS
from assess.web.database import get_db
from assess.web.i18n import lang
from assess.web.login import current_actor
from assess.web.questionnaires import questionnaire_of
from assess.web.questions import error_text
from assess.web.reports import render_report_html, report_filenames, report_key

bp = api.blueprint(
    "assessments",
    __name__,
    "Assessments: list, read, create a draft, write answers, submit, the report PDF.",
)
MAKERS = ("enterprise", "consultant")  # who answers: an enterprise's team, a consultant on site
VIEWERS = ("enterprise", "consultant", "authority", "admin")  # as the results page
READERS = ("enterprise", "consultant", "admin")  # as the report


# --- schemas ---------------------------------------------------------------------------------


class Progress(ma.Schema):
    answered = ma.fields.Integer(required=True)
    asked = ma.fields.Integer(required=True)
    to_answer = ma.fields.Integer(required=True)  # questions still to answer
    waiting = ma.fields.Integer(required=True)  # levels the answers below them will decide
    percent = ma.fields.Integer(required=True)


class AssessmentSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    organisation_id = ma.fields.Integer(required=True)
    mode = ma.fields.String(
        required=True,
        metadata={"enum": ["self", "consultant"], "description": "consultant: on site"},
    )
    status = ma.fields.String(required=True, metadata={"enum": ["draft", "submitted"]})
    questionnaire = ma.fields.String(required=True, attribute="questionnaire_id")
    version = ma.fields.String(required=True, attribute="questionnaire_version")
    consultant_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.String(required=True)
    updated_at = ma.fields.String(allow_none=True)
    submitted_at = ma.fields.String(allow_none=True)
    gradient_level = ma.fields.String(
        allow_none=True, metadata={"description": "the smart-factory level reached, once submitted"}
    )
    cmmm_level = ma.fields.Integer(allow_none=True)


class AssessmentDetail(AssessmentSchema):
    progress = ma.fields.Nested(Progress, allow_none=True)
    report_kind = ma.fields.String(
        allow_none=True,
        metadata={
            "enum": ["self", "verified", "partial"],
            "description": "once submitted, what its report is: a self-assessment, a verified"
            " on-site report, or a partially verified one",
        },
    )
    links = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())


class ListArgs(api.PageArgs):
    organisation_id = ma.fields.Integer(
        validate=ma.validate.Range(min=1), metadata={"description": "only this organisation's"}
    )
    status = ma.fields.String(validate=ma.validate.OneOf(["draft", "submitted"]))


class CreateBody(ma.Schema):
    organisation_id = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=2**53),
        metadata={"description": "a consultant: the client (required); an enterprise: its own"},
    )
    prefill = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "fill in the answers of the last submitted assessment (a consultant:"
            " of the client's last self-assessment)"
        },
    )


class AnswerSchema(ma.Schema):
    item = api.Text(required=True, validate=ma.validate.Length(min=1, max=200))
    value = ma.fields.Raw(
        required=True,
        allow_none=True,
        metadata={"description": "an option id, a list of option ids, or a number"},
    )
    reason = api.Text(load_default="", validate=ma.validate.Length(max=4000))
    revision = ma.fields.Integer(
        strict=True,
        validate=ma.validate.Range(min=1, max=MAX_REVISION),
        metadata={
            "description": "the stored revision + 1 (as read with the answers); without it the"
            " answer replaces the stored one"
        },
    )


class EvidenceSchema(ma.Schema):
    """A field left out keeps what is stored (another device may have set it meanwhile)."""

    item = api.Text(required=True, validate=ma.validate.Length(min=1, max=200))
    note = api.Text(validate=ma.validate.Length(max=MAX_NOTE))
    quality = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(QUALITIES))
    verified = ma.fields.Boolean()


class AnswersBody(ma.Schema):
    answers = ma.fields.List(ma.fields.Nested(AnswerSchema), load_default=list)
    evidence = ma.fields.List(
        ma.fields.Nested(EvidenceSchema),
        load_default=list,
        metadata={"description": "on site only: evidence notes, quality, verified"},
    )

    @ma.validates_schema
    def _size(self, data, **kwargs):
        if not 0 < len(data["answers"]) + len(data["evidence"]) <= MAX_AUTOSAVE_ITEMS:
            raise ma.ValidationError(f"send 1 to {MAX_AUTOSAVE_ITEMS} answers and notes")


class StoredAnswerSchema(ma.Schema):
    item = ma.fields.String(required=True)
    value = ma.fields.Raw(allow_none=True)
    reason = ma.fields.String()
    revision = ma.fields.Integer(required=True)


class OutcomeSchema(StoredAnswerSchema):
    status = ma.fields.String(
        required=True, metadata={"enum": ["saved", "unchanged", "stale", "invalid"]}
    )
    code = ma.fields.String(metadata={"description": "why it is invalid"})
    message = ma.fields.String()


class SavedSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(OutcomeSchema), required=True)
    progress = ma.fields.Nested(Progress, required=True)


class SubmitBody(ma.Schema):
    confirm = ma.fields.Boolean(
        required=True,
        metadata={"description": "the answers and levels were reviewed (the page's box)"},
    )
    confirm_carried = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "the answers carried over from the last assessment were checked"},
    )


class ReportArgs(ma.Schema):
    lang = ma.fields.String(load_default=None, validate=ma.validate.OneOf(["zh", "en"]))
    retry = ma.fields.Boolean(load_default=False, metadata={"description": "after a failure"})
    part = ma.fields.String(
        load_default=document.REPORT,
        validate=ma.validate.OneOf(list(document.PDF_PARTS)),
        metadata={
            "description": "report: the report that is read; annex: its annex that is checked"
            " (the method and every answer), a PDF with page numbers of its own"
        },
    )


class JobSchema(ma.Schema):
    state = ma.fields.String(
        required=True,
        metadata={"enum": ["absent", "queued", "rendering", "ready", "failed", "unavailable"]},
    )
    position = ma.fields.Integer(allow_none=True)
    progress = ma.fields.Float(allow_none=True)
    status_url = ma.fields.String(required=True)
    download_url = ma.fields.String(required=True)


AssessmentPage = api.page_schema(AssessmentSchema, "AssessmentPage")
AnswerPage = api.page_schema(StoredAnswerSchema, "AnswerPage")


# --- helpers ---------------------------------------------------------------------------------


def _progress(current: State) -> dict:
    return current.progress.figures()


def _detail(row: dict) -> dict:
    q = questionnaire_of(row)
    links = {
        "answers": url_for("api_assessments.answers", assessment_id=row["id"]),
        "self": url_for("api_assessments.one", assessment_id=row["id"]),
    }
    progress = kind = None
    if row["status"] == "submitted":
        kind = report_kind(get_db(), questionnaires.versions(), row)
        links["result"] = url_for("api_assessments.result", assessment_id=row["id"])
        links["report"] = url_for("api_assessments.report", assessment_id=row["id"])
    else:
        progress = _progress(state(get_db(), q, row["id"]))
    return {**row, "progress": progress, "report_kind": kind, "links": links}


def _submitted(row: dict) -> dict:
    if row["status"] != "submitted":
        api.refuse(409, "not_submitted", MESSAGES["not_submitted"])
    return row


def _report_lang(args: dict) -> str:
    return args["lang"] or lang()


# --- routes ----------------------------------------------------------------------------------


@bp.get("/assessments")
@allow(*MAKERS)
@bp.doc(summary=N_("The assessments you may see, newest first"))
@bp.arguments(ListArgs, location="query", as_kwargs=True)
@bp.response(200, AssessmentPage)
def listing(**args):
    rows = remote.visible(get_db(), current_user, args.pop("organisation_id", None))
    status = args.pop("status", None)
    rows = [row for row in rows if status is None or row["status"] == status]
    return api.listing(rows, args, AssessmentSchema())


@bp.post("/assessments")
@allow(*MAKERS)
@bp.doc(
    summary=N_(
        "Start a draft: an enterprise's self-assessment (its owner), or a consultant's"
        " on-site assessment of a client that granted access; an open draft is returned as is"
    )
)
@bp.arguments(CreateBody)
@bp.response(201, AssessmentDetail)
@bp.alt_response(200, schema=AssessmentDetail, description=N_("the open draft, already there"))
def create(body):
    db = get_db()
    organisation_id = body.get("organisation_id")
    if current_user.role == "consultant":
        if organisation_id is None:
            api.refuse(422, "invalid", errors={"json": {"organisation_id": ["required"]}})
        api.client(organisation_id)  # an active grant, else 404 (audited)
        started = start_on_site(
            db, questionnaires.versions(), organisation_id, current_actor(), body["prefill"]
        )
    else:
        if organisation_id not in (None, current_user.organisation_id):
            api.refuse(404, "not_found")
        api.allowed(may_start(current_user))
        started = start_self_assessment(
            db,
            questionnaires.versions(),
            current_user.organisation_id,
            current_actor(),
            body["prefill"],
        )
    row = api.assessment_to_read(started.assessment_id)
    return _detail(row), 200 if started.resumed else 201


@bp.get("/assessments/<int:assessment_id>")
@allow(*VIEWERS)
@bp.doc(summary=N_("One assessment: its state, progress and links"))
@bp.response(200, AssessmentDetail)
def one(assessment_id: int):
    return _detail(api.assessment_to_read(assessment_id))


@bp.get("/assessments/<int:assessment_id>/answers")
@allow(*MAKERS)
@bp.doc(summary=N_("The stored answers, each with its revision"))
@bp.arguments(api.PageArgs, location="query", as_kwargs=True)
@bp.response(200, AnswerPage)
def answers(assessment_id: int, **args):
    row = api.assessment_to_read(assessment_id)
    return api.listing(remote.answers_of(get_db(), row["id"]), args, StoredAnswerSchema())


@bp.post("/assessments/<int:assessment_id>/answers")
@allow(*MAKERS)
@bp.doc(
    summary=N_(
        "Save answers (and on site evidence notes) as the wizard does: each is checked on"
        " its own; the valid ones are kept, the others say why"
    )
)
@bp.arguments(AnswersBody)
@bp.response(200, SavedSchema)
def save_answers(body, assessment_id: int):
    db = get_db()
    row = api.assessment_to_answer(assessment_id)
    q = questionnaire_of(row)
    proposed = [
        Proposed(entry["item"], entry["value"], entry["reason"], entry.get("revision"))
        for entry in body["answers"]
    ]
    evidence_rows = (
        [
            (
                entry["item"],
                clean_text(entry["note"]) if "note" in entry else KEEP,
                entry.get("quality", KEEP),
                entry.get("verified", KEEP),
            )
            for entry in body["evidence"]
        ]
        if row["mode"] == "consultant"
        else []
    )
    try:
        outcomes = remote.save_sent(
            db,
            q,
            row,
            current_user.id,
            proposed,
            evidence_rows,
            answerable_items(db, q, current_user, row),
        )
    except Locked:
        api.refuse(409, "locked", MESSAGES["locked"])
    results = []
    for outcome in outcomes:
        value = outcome.current.value if outcome.current else None
        results.append(
            {
                "item": outcome.item_id,
                "status": outcome.status,
                "revision": outcome.revision,
                "value": list(value) if isinstance(value, tuple) else value,
                "reason": outcome.current.reason if outcome.current else "",
                "code": outcome.error,
                "message": error_text(q, outcome.item_id, outcome.error) if outcome.error else "",
            }
        )
    return {"results": results, "progress": _progress(state(db, q, row["id"]))}


@bp.post("/assessments/<int:assessment_id>/submit")
@allow(*MAKERS)
@proven
@bp.doc(
    summary=N_(
        "Submit: lock and score (an enterprise's owner or the consultant on site; a"
        " contributor may not). confirm must be true, as the page's box"
    )
)
@bp.arguments(SubmitBody)
@bp.response(200, AssessmentDetail)
def submit(body, assessment_id: int):
    db = get_db()
    row = api.assessment_to_answer(assessment_id)
    if row["status"] == "submitted":
        return _detail(row)
    api.allowed(may_submit(db, current_user, row))
    q = questionnaire_of(row)
    refused = submission.submit_assessment(
        db,
        q,
        assessment_id,
        current_actor(),
        lang(),
        confirmed=body["confirm_carried"],
        reviewed=body["confirm"],
    )
    if refused is not None:
        missing = submission.readiness(db, q, row).state.missing if refused == "missing" else []
        api.refuse(409, refused, MESSAGES[refused], missing=list(missing))
    return _detail(api.assessment_to_read(assessment_id))


@bp.get("/assessments/<int:assessment_id>/result")
@allow(*VIEWERS)
@bp.doc(summary=N_("The result of a submitted assessment, as the results page's JSON"))
@bp.response(200, description=N_("levels, CMMM, scenarios, rules, roadmap, benchmarks"))
def result(assessment_id: int):
    db = get_db()
    row = _submitted(api.assessment_to_read(assessment_id))
    read_log.record(db, "viewed", row["organisation_id"], assessment=row["id"], page="api")
    return api.tagged(result_json.document_of(db, questionnaires.versions(), row, lang()))


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@allow(*READERS)
@bp.doc(
    summary=N_(
        "The report PDF (the verified report for a consultant's on-site assessment): the"
        " PDF when it is ready, else 202 with the job's state and its status URL (Location)"
    )
)
@bp.arguments(ReportArgs, location="query", as_kwargs=True)
@bp.response(200, content_type="application/pdf", description=N_("the PDF"))
@bp.alt_response(202, schema=JobSchema, description=N_("being rendered: ask status_url"))
@bp.alt_response(503, schema=JobSchema, description=N_("failed, or no queue: retry=true"))
def report(assessment_id: int, **args):
    db = get_db()
    row = _submitted(api.assessment_to_read(assessment_id))
    language, part = _report_lang(args), args["part"]
    key = report_key(row, language, part)
    found = documents.requested(
        key, lambda: render_report_html(row, language, part), retry=args["retry"]
    )
    if found.state == jobs.READY:
        read_log.record_download(
            db,
            "report_download" if part == document.REPORT else "annex_download",
            "assessment",
            row["id"],
            row["organisation_id"],
            lang=language,
        )
        return documents.attachment(key, *report_filenames(row, language, part))
    body, status = _job(row, found, language, part)
    response = api.answer(body, status)
    response.headers["Location"] = body["status_url"]
    response.headers["Retry-After"] = "2"
    return response


@bp.get("/assessments/<int:assessment_id>/report/status")
@allow(*READERS)
@bp.doc(summary=N_("The state of the report PDF's render job (ready: download it)"))
@bp.arguments(ReportArgs, location="query", as_kwargs=True)
@bp.response(200, JobSchema)
def report_status(assessment_id: int, **args):
    row = _submitted(api.assessment_to_read(assessment_id))
    language, part = _report_lang(args), args["part"]
    body, _ = _job(row, documents.status(report_key(row, language, part)), language, part)
    return body


def _job(row: dict, found: jobs.Status, language: str, part: str) -> tuple[dict, int]:
    shown = {"part": part} if part != document.REPORT else {}  # the report needs no part=
    waiting = found.state in (jobs.QUEUED, jobs.RENDERING, jobs.ABSENT)
    return {
        "state": found.state,
        "position": found.position,
        "progress": found.progress,
        "status_url": url_for(
            "api_assessments.report_status", assessment_id=row["id"], lang=language, **shown
        ),
        "download_url": url_for(
            "api_assessments.report", assessment_id=row["id"], lang=language, **shown
        ),
    }, 202 if waiting else 503


MESSAGES = {
    "not_submitted": _l("This assessment is not submitted yet: it has no result."),
    "locked": _l("This assessment is submitted and can no longer be changed."),
    "missing": _l("Some questions are still unanswered. Answer them, then submit."),
    "no_visit": _l("Record at least one on-site visit, then submit."),
    "not_confirmed": _l(
        "Confirm that you checked the answers carried over (confirm_carried), then submit."
    ),
    "not_reviewed": _l("Confirm that you checked the answers and levels (confirm)."),
}
