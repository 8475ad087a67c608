"""Declarations, the enterprise's side: open rounds, starting, filling in, attachments,
submitting and withdrawing; and, for everyone who may see a declaration, its dossier (page,
PDF, JSON) and its files."""

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
from flask_login import current_user

from assess.assessment.evidence_files import download_name
from assess.declaration import attachments, declaring, dossier, listing, rounds
from assess.declaration.declaring import Fields, Refused
from assess.organisation.permissions import may_declare
from assess.store import declarations as store
from assess.store import organisations
from assess.store import rounds as round_store
from assess.web import questionnaires, read_log
from assess.web.access import allow, proven
from assess.web.database import get_db
from assess.web.documents import pdf_download
from assess.web.downloads import send_stored_file
from assess.web.guards import own_declaration, require, visible_declaration
from assess.web.i18n import lang
from assess.web.ids import MAX_ID
from assess.web.login import current_actor
from assess.web.reports import dossier_key, render_dossier_html

bp = Blueprint("declaration", __name__)
READERS = ("enterprise", "consultant", "authority", "admin")

REFUSALS = {
    "not_found": _l("This round is not open to your enterprise."),
    "round_not_open": _l("This round has not opened yet."),
    "not_eligible": _l("Choose a submitted assessment whose result reaches the level declared."),
    "locked": _l("This declaration can no longer be changed."),
}
FILE_ERRORS = {
    "kind": _l("unknown kind of attachment"),
    "empty": _l("the file is empty"),
    "too_large": _l("the file is larger than allowed"),
    "type": _l("this type of file is not accepted here"),
    "too_many": _l("no more files of this kind: remove one first"),
    "locked": _l("the declaration can no longer be changed"),
}
# Why a field was not saved, in words that say what it takes (declaring.save's problems)
FIELD_ERRORS = {
    "contact_phone": _l("Use digits, spaces and + - ( ) only."),
    "contact_email": _l("Enter an e-mail address such as name@example.com."),
    "platform_level": _l("Choose a level from 1 to 5."),
    "platform_score": _l("Enter a number from 0 to 5, such as 2.35."),
    "platform_date": _l("Enter a date from 2020-01-01 to today."),
}
TOO_LONG = _l("At most %(n)s characters: this was not saved.")


def field_error(name: str, problem: str) -> str:
    """A field's problem in words (declaring.save: too_long or invalid)."""
    if problem == "too_long":
        limits = {
            "contact_name": declaring.MAX_NAME,
            "contact_phone": declaring.MAX_PHONE,
            "contact_email": declaring.MAX_EMAIL,
        }
        return str(TOO_LONG) % {"n": limits.get(name, declaring.MAX_DESCRIPTION)}
    return str(FIELD_ERRORS.get(name, _("Not valid.")))


def refusal_message(refused: Refused) -> str:
    """A refusal in words: a closed round says until when it was open."""
    if refused.reason == "round_closed":
        return _(
            "The deadline of this round was %(date)s: declarations are no longer accepted.",
            date=refused.detail["deadline"],
        )
    if refused.reason == "requires":
        q = questionnaires.latest()
        level = next(lv.name.get(lang()) for lv in q.gradient.levels if lv.id == refused.detail)
        return _("Declaring this level needs a current recognition at %(level)s.", level=level)
    return str(REFUSALS.get(refused.reason, _("Nothing was changed.")))


@bp.get("/declarations")
@allow("enterprise")
def index():
    """The enterprise's declarations, and the rounds open to it with what it can declare."""
    db = get_db()
    organisation = organisations.get(db, current_user.organisation_id)
    versions = questionnaires.versions()
    q = questionnaires.latest()
    mine = {row["round_id"]: row for row in store.of_organisation(db, organisation["id"])}
    open_rounds = [
        {
            **row,
            "title": rounds.title(q, row, lang()),
            "eligible": declaring.eligible(db, versions, organisation["id"], row["level"]),
            "declaration": mine.get(row["id"]),
        }
        for row in rounds.open_for(db, organisation)
    ]
    declared = [
        {
            **row,
            "title": rounds.title(q, round_store.get(db, row["round_id"]), lang()),
            "status_label": listing.status_label(row["status"], lang()),
        }
        for row in mine.values()
    ]
    return render_template(
        "declaration/index.html",
        organisation=organisation,
        open_rounds=open_rounds,
        declared=declared,
    )


@bp.post("/declarations/new")
@allow("enterprise")
@proven
def start():
    require(may_declare(current_user))
    db = get_db()
    round_id = request.form.get("round", type=int)
    assessment_id = request.form.get("assessment", type=int)
    if not (0 < (round_id or 0) <= MAX_ID and 0 < (assessment_id or 0) <= MAX_ID):
        flash(_("Choose a round and an assessment."), "error")
        return redirect(url_for("declaration.index"))
    outcome = declaring.start(
        db,
        questionnaires.versions(),
        organisations.get(db, current_user.organisation_id),
        round_id,
        assessment_id,
        current_actor(),
    )
    if isinstance(outcome, Refused):
        flash(refusal_message(outcome), "error")
        return redirect(url_for("declaration.index"))
    return redirect(url_for("declaration.edit", declaration_id=outcome))


@bp.get("/declarations/<int:declaration_id>")
@allow("enterprise")
def edit(declaration_id: int):
    row = own_declaration(get_db(), current_user, declaration_id)
    return _page(row)


def _page(row: dict, problems: dict | None = None, status: int = 200, typed: dict | None = None):
    """The declaration's form; after refused fields, what was typed in them shown again."""
    db = get_db()
    versions = questionnaires.versions()
    data = dossier.build(db, versions, row, lang())
    steps = round_store.get(db, row["round_id"])["chain"]
    return render_template(
        "declaration/edit.html",
        row=row,
        data=data,
        chain=steps,
        editable=declaring.editable(row),
        missing=declaring.missing(db, versions, row) if declaring.editable(row) else [],
        problems={name: field_error(name, problem) for name, problem in (problems or {}).items()},
        typed=typed or {},
        kinds=attachments.KINDS,
        max_description=declaring.MAX_DESCRIPTION,
        scenario_names={s["id"]: s["name"] for link in data["links"] for s in link["scenarios"]},
        deadline_state=rounds.state(round_store.get(db, row["round_id"])),
    ), status


@bp.post("/declarations/<int:declaration_id>")
@allow("enterprise")
def save(declaration_id: int):
    db = get_db()
    row = own_declaration(db, current_user, declaration_id)
    form = request.form
    fields = Fields(
        **{
            name: form.get(name)
            for name in (
                "contact_name",
                "contact_phone",
                "contact_email",
                "platform_level",
                "platform_score",
                "platform_date",
            )
        },
        descriptions={
            key.removeprefix("description:"): value
            for key, value in form.items()
            if key.startswith("description:")
        },
    )
    problems = declaring.save(db, questionnaires.versions(), row["id"], fields, current_actor())
    if isinstance(problems, Refused):
        flash(refusal_message(problems), "error")
        return redirect(url_for("declaration.edit", declaration_id=declaration_id))
    if problems:
        flash(_("Some fields were not saved: see below."), "error")
        typed = {name: form.get(name, "") for name in problems}
        return _page(store.get(db, declaration_id), problems, 422, typed)
    flash(_("Saved."), "success")
    return redirect(url_for("declaration.edit", declaration_id=declaration_id))


@bp.post("/declarations/<int:declaration_id>/files")
@allow("enterprise")
def upload(declaration_id: int):
    """One attachment of a kind (a photo: of a scenario), checked by its content."""
    db = get_db()
    row = own_declaration(db, current_user, declaration_id)
    sent = request.files.get("file")
    kind = request.form.get("kind", "")
    scenario = request.form.get("scenario") or None
    if kind == "photo" and scenario not in declaring.scenarios_of(
        db, questionnaires.versions(), row
    ):
        flash(_("Choose the scenario the photo shows."), "error")
    elif sent is None or not sent.filename:
        flash(_("Choose a file to upload."), "error")
    else:
        upload = attachments.Upload(
            kind,
            scenario if kind == "photo" else None,
            sent.filename,
            sent.stream.read(attachments.READ_LIMIT),
        )
        refused = attachments.attach(
            db,
            Path(current_app.config["EVIDENCE_DIR"]),
            row["id"],
            upload,
            declaring.editable,
            current_actor(),
        )
        if refused:
            flash(_("%(name)s: %(why)s", name=sent.filename, why=FILE_ERRORS[refused]), "error")
        else:
            flash(_("File added."), "success")
    return redirect(url_for("declaration.edit", declaration_id=declaration_id, _anchor="files"))


@bp.post("/declarations/<int:declaration_id>/files/<int:file_id>/delete")
@allow("enterprise")
def remove_file(declaration_id: int, file_id: int):
    db = get_db()
    row = own_declaration(db, current_user, declaration_id)
    if not attachments.remove(
        db,
        Path(current_app.config["EVIDENCE_DIR"]),
        row["id"],
        file_id,
        declaring.editable,
        current_actor(),
    ):
        abort(404)
    flash(_("File removed."), "success")
    return redirect(url_for("declaration.edit", declaration_id=declaration_id, _anchor="files"))


@bp.post("/declarations/<int:declaration_id>/submit")
@allow("enterprise")
@proven
def submit(declaration_id: int):
    db = get_db()
    row = own_declaration(db, current_user, declaration_id)
    outcome = declaring.submit(db, questionnaires.versions(), row["id"], current_actor())
    if isinstance(outcome, Refused):
        if outcome.reason == "incomplete":
            flash(_("The declaration is not complete yet: see what is missing below."), "error")
        else:
            flash(refusal_message(outcome), "error")
    elif outcome.resubmitted:
        flash(_("Your amended declaration was sent back to the reviewer."), "success")
    else:
        flash(
            _(
                "Declaration submitted. The authorities of your region can now see it and your"
                " declared result by name."
            ),
            "success",
        )
    return redirect(url_for("declaration.edit", declaration_id=declaration_id))


@bp.post("/declarations/<int:declaration_id>/withdraw")
@allow("enterprise")
def withdraw(declaration_id: int):
    db = get_db()
    row = own_declaration(db, current_user, declaration_id)
    if declaring.withdraw(db, row["id"], current_actor()):
        flash(_("Declaration withdrawn."), "success")
    else:
        flash(_("A decided declaration cannot be withdrawn."), "error")
    return redirect(url_for("declaration.edit", declaration_id=declaration_id))


def _dossier_lang() -> str:
    chosen = request.args.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else lang()


@bp.get("/declarations/<int:declaration_id>/dossier.pdf")
@allow(*READERS)
def dossier_download(declaration_id: int):
    """The dossier as the programme's declaration document (PDF)."""
    db = get_db()
    row = visible_declaration(db, current_user, declaration_id)
    language = _dossier_lang()
    name = f"declaration-{row['id']}-{language}.pdf"
    return pdf_download(
        dossier_key(row, language),
        lambda: render_dossier_html(row, language, embed=True),
        name,
        name,
        back=url_for("declaration.dossier_preview", declaration_id=row["id"]),
        on_sent=lambda: read_log.record_download(
            db, "dossier_download", "declaration", row["id"], row["organisation_id"], lang=language
        ),
    )


@bp.get("/declarations/<int:declaration_id>/dossier")
@allow(*READERS)
def dossier_preview(declaration_id: int):
    """The dossier as HTML, exactly as it is printed (photos as links)."""
    db = get_db()
    row = visible_declaration(db, current_user, declaration_id)
    read_log.record(db, "viewed", row["organisation_id"], declaration=row["id"], page="dossier")
    return render_dossier_html(row, _dossier_lang())


@bp.get("/declarations/<int:declaration_id>/dossier.json")
@allow(*READERS)
def dossier_json(declaration_id: int):
    """The dossier as data."""
    db = get_db()
    row = visible_declaration(db, current_user, declaration_id)
    read_log.record(db, "viewed", row["organisation_id"], declaration=row["id"], page="json")
    return jsonify(dossier.build(db, questionnaires.versions(), row, _dossier_lang()))


@bp.get("/declaration-files/<int:file_id>")
@allow(*READERS)
def download_file(file_id: int):
    """An attachment of a declaration, always as a download, with the type found at upload."""
    db = get_db()
    found = store.file(db, file_id)
    if found is None:
        abort(404)
    row = visible_declaration(db, current_user, found["declaration_id"])
    path = attachments.path(Path(current_app.config["EVIDENCE_DIR"]), found)
    if path is None:
        abort(404)
    read_log.record_download(
        db,
        "declaration_file_downloaded",
        "declaration",
        row["id"],
        row["organisation_id"],
        file=file_id,
    )
    return send_stored_file(
        path, found["mime_type"], download_name(found["original_name"], found["mime_type"])
    )
