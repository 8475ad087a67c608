"""The questionnaire versions, as the administrator manages them: which one new assessments are
answered under, how many assessments each has; a version uploaded as a draft, read as a summary
(and what differs from the version in use), then published; a published one retired (the use
cases: assess/assessment/releases.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from assess.assessment import releases
from assess.questionnaire.releases import summary
from assess.questionnaire.versions import version_key
from assess.store import assessments
from assess.store import questionnaire_releases as release_log
from assess.web import questionnaires
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.login import current_actor

bp = Blueprint("questionnaire_versions", __name__)

REFUSALS = {
    "empty": _l("Choose a questionnaire file (YAML) to upload."),
    "too_big": _l("The file is larger than 2 MB: that is not a questionnaire version."),
    "not_utf8": _l("The file is not UTF-8 text: save it as UTF-8 and upload it again."),
    "invalid": _l("The file does not pass the checks; nothing was kept. What to correct:"),
    "unknown_questionnaire": _l(
        "That questionnaire is not installed: upload versions of an installed questionnaire."
    ),
    "duplicate": _l("That version exists already: give the new one a new version number."),
    "unknown": _l("That version no longer exists."),
    "published_already": _l("That version is published already."),
    "not_published": _l("Only a published version can be retired."),
    "last_published": _l(
        "That is the only published version: publish another before retiring it,"
        " or new assessments would have none to start on."
    ),
}


def _index(status: int = 200, problems: tuple[str, ...] = ()):
    db = get_db()
    versions = questionnaires.versions()
    counts = assessments.count_by_version(db)
    latest = versions.latest()
    rows = [
        {
            "id": q.id,
            "version": q.version,
            "state": versions.state(q),
            "uploaded": q.key in versions.uploaded,
            "latest": q is latest,
            "rules": len(q.rules),
            "scenarios": len(q.scenarios.items),
            "counts": counts.get(q.key, {}),
        }
        for q in sorted(versions, key=lambda q: (q.id, version_key(q.version)))
    ]
    return render_template(
        "admin/questionnaires.html",
        versions=rows[::-1],
        log=release_log.entries(db)[:20],
        form=Form(formdata=None),
        problems=problems,
    ), status


@bp.get("/admin/questionnaires")
@allow("admin")
def index():
    return _index()


@bp.post("/admin/questionnaires")
@allow("admin")
def upload():
    form = Form()
    if not form.validate_on_submit():
        return _index(400)
    sent = request.files.get("file")
    data = sent.stream.read(releases.MAX_BYTES + 1) if sent is not None else b""
    name = (sent.filename or "") if sent is not None else ""
    made = releases.upload(get_db(), questionnaires.versions(), data, name, current_actor())
    if isinstance(made, releases.Refused):
        flash(str(REFUSALS[made.reason]), "error")
        return _index(400, made.problems[:50])
    flash(_("Version %(version)s kept as a draft. Read it, then publish it.", version=made.version))
    return redirect(url_for(".show", questionnaire=made.id, version=made.version))


def _version(questionnaire: str, version: str):
    versions = questionnaires.versions()
    try:
        return versions, versions.get(questionnaire, version)
    except KeyError:
        abort(404)


@bp.get("/admin/questionnaires/<questionnaire>/<version>")
@allow("admin")
def show(questionnaire: str, version: str):
    versions, q = _version(questionnaire, version)
    latest = versions.latest(q.id)
    return render_template(
        "admin/questionnaire.html",
        q=q,
        state=versions.state(q),
        uploaded=q.key in versions.uploaded,
        is_latest=q is latest,
        latest=latest,
        summary=summary(q, None if q is latest else latest),
        counts=assessments.count_by_version(get_db()).get(q.key, {}),
        form=Form(formdata=None),
    )


@bp.post("/admin/questionnaires/<questionnaire>/<version>/publish")
@allow("admin")
def publish(questionnaire: str, version: str):
    return _release(questionnaire, version, releases.publish)


@bp.post("/admin/questionnaires/<questionnaire>/<version>/retire")
@allow("admin")
def retire(questionnaire: str, version: str):
    return _release(questionnaire, version, releases.retire)


def _release(questionnaire: str, version: str, act):
    versions, q = _version(questionnaire, version)
    if not Form().validate_on_submit():
        flash(_("The form expired; nothing was changed. Try again."), "error")
        return redirect(url_for(".show", questionnaire=q.id, version=q.version))
    done = act(get_db(), versions, q.key, current_actor())
    if isinstance(done, releases.Refused):
        flash(str(REFUSALS[done.reason]), "error")
    elif done.newest_after == done.newest_before:
        flash(_("Done. New assessments still start on %(version)s.", version=done.newest_after))
    else:
        flash(
            _(
                "Done. New assessments start on %(version)s; the regional figures were summed"
                " anew with its rules.",
                version=done.newest_after,
            ),
            "success",
        )
    return redirect(url_for(".show", questionnaire=q.id, version=q.version))
