"""Personal data: the privacy notice, and an enterprise's own data: exported as one archive, or
its account closed."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from assess.organisation.accounts import Refused
from assess.organisation.permissions import may_manage_organisation
from assess.privacy import NOTICE_VERSION, agreement, closing, export, notice_date, notice_revision
from assess.store import assessments, organisations
from assess.store.users import ROLES
from assess.web import questionnaires, reports
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.downloads import attachment
from assess.web.forms import Form
from assess.web.i18n import lang
from assess.web.login import current_actor, end_session
from assess.web.redirects import safe_next

bp = Blueprint("privacy", __name__)


class CloseForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=256)])
    understood = BooleanField(
        _l(
            "I understand that the enterprise's accounts, answers, evidence and reports are"
            " deleted for good, and that this cannot be undone."
        ),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class AgreeForm(Form):
    """The banner's button: "I have read the new notice" (base.html)."""


@bp.get("/privacy")
@allow(PUBLIC)
def notice():
    return render_template(
        "privacy/notice.html",
        version=notice_date(NOTICE_VERSION),
        revision=notice_revision(NOTICE_VERSION),
        contact=current_app.config["SUPPORT_CONTACT"],
    )


@bp.post("/privacy/agree")
@allow(*ROLES)
def agree():
    """The signed-in account agrees to the notice in force (asked on every page until then)."""
    if AgreeForm().validate_on_submit() and agreement.agree(get_db(), current_actor()):
        flash(_("Thank you: the privacy notice you agreed to is recorded."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("privacy.notice"))


def _own_organisation() -> dict:
    if not may_manage_organisation(current_user):
        abort(403)
    return organisations.get(get_db(), current_user.organisation_id)


@bp.get("/organisation/data")
@allow("enterprise")
def data():
    """The enterprise's data: a copy of all of it, or the account closed."""
    return _data_page(CloseForm(formdata=None))


def _data_page(form: CloseForm, status: int = 200):
    organisation = _own_organisation()
    return render_template("privacy/data.html", organisation=organisation, form=form), status


@bp.get("/organisation/export.zip")
@allow("enterprise")
def export_archive():
    """Everything of the enterprise in one ZIP (JSON and CSV, evidence files, reports, the
    audit entries about it)."""
    organisation = _own_organisation()
    language = lang()
    with tempfile.TemporaryFile() as spool:
        export.write_archive(
            get_db(),
            current_user,
            Path(current_app.config["EVIDENCE_DIR"]),
            lambda row: reports.for_archive(row, language),
            spool,
            datetime.now().astimezone().isoformat(timespec="seconds"),
            current_actor(),
        )
        spool.seek(0)
        body = spool.read()
    return attachment(body, "application/zip", f"assess-data-{organisation['id']}.zip")


@bp.post("/organisation/close")
@allow("enterprise")
def close():
    """Close the enterprise's account: its data deleted, its results kept without its name."""
    form = CloseForm()
    if not form.validate_on_submit():
        return _data_page(form, 422)
    _own_organisation()
    db = get_db()
    rows = assessments.for_organisation(db, current_user.organisation_id)
    outcome = closing.close(
        db,
        current_user,
        form.password.data,
        questionnaires.latest(),
        Path(current_app.config["EVIDENCE_DIR"]),
        reports.cached_files(rows),
        current_actor(),
    )
    if isinstance(outcome, Refused):
        if outcome.reason == "throttled":
            form.password.errors.append(
                _("Too many failed attempts. Wait 15 minutes and try again.")
            )
        else:
            form.password.errors.append(_("This is not your password."))
        return _data_page(form, 422)
    end_session()
    flash(
        _(
            "Your enterprise's account is closed: its data are deleted, and its results are kept"
            " only in the regional statistics, without its name."
        ),
        "success",
    )
    return redirect(url_for("home.index"))
