"""Administration: accounts (disable, enable) and the audit log (page and CSV)."""

from __future__ import annotations

from datetime import date
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

from assess import backups
from assess.organisation import accounts, identity
from assess.regional import authorities, parks
from assess.store import audit, users
from assess.web import audit_words, questionnaires, read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.downloads import respond, send_stored_file
from assess.web.i18n import lang
from assess.web.ids import id_arg, parse_id
from assess.web.login import current_actor
from assess.web.templating import role_label

bp = Blueprint("admin", __name__)
PAGE = 100


@bp.get("/admin")
@allow("admin")
def index():
    db = get_db()
    return render_template("admin/index.html", accounts=users.all_accounts(db))


@bp.get("/admin/backups")
@allow("admin")
def backups_page():
    folder = Path(current_app.config["BACKUP_DIR"])
    return render_template("admin/backups.html", backups=backups.listing(folder), folder=folder)


@bp.post("/admin/backups")
@allow("admin")
def start_backup():
    sources = backups.Sources(
        current_app.config["DATABASE"],
        current_app.config["EVIDENCE_DIR"],
        questionnaires.versions(),
    )
    folder = Path(current_app.config["BACKUP_DIR"])
    if backups.start_by(get_db(), sources, folder, current_actor()) is None:
        flash(_("A backup is being made already; wait until it is done."), "error")
    else:
        flash(_("The backup has started. This page shows when it is done."), "success")
    return redirect(url_for("admin.backups_page"))


@bp.get("/admin/backups/<name>")
@allow("admin")
def download_backup(name: str):
    folder = Path(current_app.config["BACKUP_DIR"])
    path = backups.download_by(get_db(), folder, name, current_actor())
    if path is None:
        abort(404)
    return send_stored_file(path, "application/x-tar", name)


SCOPE_REFUSALS = {
    "region": _l(
        "That is not a region code: six digits of a province, city or county, or 000000 for the whole country."
    ),
    "park": _l("That park is not in that county: choose the park's own county, or no park."),
    "not_authority": _l("Only an authority account has a region."),
}


@bp.get("/admin/users/<int:user_id>")
@allow("admin")
def account(user_id: int):
    db = get_db()
    user = users.get(db, user_id)
    if user is None:
        abort(404)
    return render_template(
        "admin/account.html",
        user=user,
        region=authorities.region_code_of(user["region_scope"]),
        parks=parks.listing(db, lang()),
        entries=[
            _shown(e)
            for e in audit.search(
                db, limit=20, filters=audit.Filters(target_type="user", target_id=str(user_id))
            )
        ],
    )


@bp.post("/admin/users/<int:user_id>/scope")
@allow("admin")
def set_scope(user_id: int):
    db = get_db()
    if users.get(db, user_id) is None:
        abort(404)
    posted = _posted_region()
    if posted is None:
        refused = authorities.Refused("park")
    else:
        refused = authorities.set_scope(db, user_id, *posted, current_actor())
    if refused is not None:
        flash(str(SCOPE_REFUSALS.get(refused.reason, refused.reason)), "error")
    else:
        flash(
            _("The account's region is changed; it sees the new region at its next page."),
            "success",
        )
    return redirect(url_for("admin.account", user_id=user_id))


def _posted_region() -> tuple[str, int | None] | None:
    """The region code and park posted (no park: None); None when the park is not an id."""
    code, park = (request.form.get("region") or "").strip(), request.form.get("park") or ""
    if not park:
        return code, None
    park_id = parse_id(park)
    return None if park_id is None else (code, park_id)


ROLE_REFUSALS = {
    **SCOPE_REFUSALS,
    "role": _l("Choose a consultant, an authority or an administrator."),
    "own_account": _l("You cannot change your own role: another administrator can."),
    "enterprise": _l(
        "An enterprise's account has the role its team gives it: its owner changes it, or the enterprise is handed over."
    ),
    "same": _l("The account has that role already."),
    "clients": _l(
        "This consultant still has clients or an on-site assessment under way: hand them over to another consultant first."
    ),
    "not_found": _l("That account does not exist."),
}


@bp.post("/admin/users/<int:user_id>/role")
@allow("admin")
def set_role(user_id: int):
    db = get_db()
    if users.get(db, user_id) is None:
        abort(404)
    role, posted = request.form.get("role") or "", _posted_region()
    if posted is None:
        refused = authorities.Refused("park")
    else:
        refused = authorities.change_role(db, user_id, role, *posted, current_actor())
    if refused is not None:
        flash(str(ROLE_REFUSALS.get(refused.reason, refused.reason)), "error")
    else:
        flash(
            _(
                "The account is now: %(role)s. Its sessions ended and its API tokens were revoked; it signs in again with its new role.",
                role=role_label(role),
            ),
            "success",
        )
    return redirect(url_for("admin.account", user_id=user_id))


RESET_REFUSALS = {
    "not_found": _l("That account does not exist."),
    "disabled": _l("The account is disabled: enable it first, then send the reset."),
    "hour": _l("Enough reset links were sent to this account in the last hour; try again later."),
}


@bp.post("/admin/users/<int:user_id>/reset")
@allow("admin")
def send_reset(user_id: int):
    """Mail the account a link to set a new password (its password stays until it is used)."""
    refused = identity.send_reset(get_db(), user_id, current_actor())
    if refused is not None and refused.reason == "not_found":
        abort(404)
    if refused is not None:
        flash(str(RESET_REFUSALS[refused.reason]), "error")
    else:
        flash(
            _("A link to set a new password is sent to the account's e-mail address."),
            "success",
        )
    return redirect(url_for("admin.account", user_id=user_id))


@bp.post("/admin/users/<int:user_id>/active")
@allow("admin")
def set_active(user_id: int):
    db = get_db()
    if users.get(db, user_id) is None:
        abort(404)
    active = request.form.get("active") == "1"
    back = (
        url_for("admin.account", user_id=user_id)
        if request.form.get("back") == "account"
        else url_for("admin.index")
    )
    if accounts.set_active(db, user_id, active, current_actor()) is not None:
        flash(_("You cannot disable your own account."), "error")
        return redirect(back)
    flash(
        _("Account enabled.") if active else _("Account disabled; its sessions have ended."),
        "success",
    )
    return redirect(back)


def _filters() -> audit.Filters:
    """The log's filters from the query string; a value that cannot be one is said and dropped."""
    args, wrong = request.args, []
    user = (args.get("user") or "").strip()[:100] or None
    if user and user.isascii() and user.isdigit():
        user = parse_id(user)
    days = {}
    for name in ("since", "until"):
        value = (args.get(name) or "").strip() or None
        if value is not None:
            try:
                value = date.fromisoformat(value).isoformat()
            except ValueError:
                wrong.append(name)
                value = None
        days[name] = value
    if wrong:
        flash(_("Dates are written as 2026-12-06; that filter was left out."), "error")
    return audit.Filters(
        action=(args.get("action") or "").strip()[:60] or None,
        user=user,
        target_type=(args.get("target_type") or "").strip()[:40] or None,
        target_id=(args.get("target_id") or "").strip()[:64] or None,
        **days,
    )


def _shown(entry: dict) -> dict:
    return {
        **entry,
        "action_label": audit_words.action(entry["action"]),
        "target_label": audit_words.target(entry["target_type"]),
        "changes": audit_words.changes(entry["detail"]),
    }


@bp.get("/admin/audit")
@allow("admin")
def audit_log():
    db, filters = get_db(), _filters()
    entries = audit.search(db, before_id=id_arg("before"), limit=PAGE, filters=filters)
    more = entries[-1]["id"] if len(entries) == PAGE else None
    chosen = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template(
        "admin/audit.html",
        entries=[_shown(e) for e in entries],
        more=more,
        chosen=chosen,
        actions=[(code, audit_words.action(code)) for code in audit.actions(db)],
        target_types=[(code, audit_words.target(code)) for code in audit.target_types(db)],
    )


@bp.get("/admin/audit.csv")
@allow("admin")
def audit_csv():
    db = get_db()
    rows = [_shown(r) for r in audit.search(db, limit=100_000, filters=_filters())]
    read_log.record_export(db, "audit_log", {"rows": len(rows)})
    headers = ["id", "at", "user_id", "user_email", "user_name", "action", "action_label"]
    headers += ["target_type", "target_id", "changes", "ip", "detail"]
    table = [
        [*(r[h] for h in headers[:9]), "; ".join(r["changes"]), r["ip"], r["detail"]] for r in rows
    ]
    return respond("csv", "audit-log", "audit", headers, table)
