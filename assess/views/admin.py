"""Administration: accounts (disable, enable) and the audit log (page and CSV)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from assess.organisation import accounts
from assess.store import audit, users
from assess.web import read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.downloads import respond
from assess.web.ids import id_arg
from assess.web.login import current_actor

bp = Blueprint("admin", __name__)
PAGE = 100


@bp.get("/admin")
@allow("admin")
def index():
    db = get_db()
    return render_template("admin/index.html", accounts=users.all_accounts(db))


@bp.post("/admin/users/<int:user_id>/active")
@allow("admin")
def set_active(user_id: int):
    db = get_db()
    if users.get(db, user_id) is None:
        abort(404)
    active = request.form.get("active") == "1"
    if accounts.set_active(db, user_id, active, current_actor()) is not None:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for("admin.index"))
    flash(
        _("Account enabled.") if active else _("Account disabled; its sessions have ended."),
        "success",
    )
    return redirect(url_for("admin.index"))


def _entries() -> list[dict]:
    action = request.args.get("action") or None
    before = id_arg("before")
    return audit.search(get_db(), action=action, before_id=before, limit=PAGE)


@bp.get("/admin/audit")
@allow("admin")
def audit_log():
    entries = _entries()
    more = entries[-1]["id"] if len(entries) == PAGE else None
    return render_template(
        "admin/audit.html",
        entries=entries,
        more=more,
        actions=audit.actions(get_db()),
        action=request.args.get("action", ""),
    )


@bp.get("/admin/audit.csv")
@allow("admin")
def audit_csv():
    db = get_db()
    rows = audit.search(db, action=request.args.get("action") or None, limit=100_000)
    read_log.record_export(db, "audit_log", {"rows": len(rows)})
    headers = ["id", "at", "user_id", "action", "target_type", "target_id", "detail", "ip"]
    return respond("csv", "audit-log", "audit", headers, [[r[h] for h in headers] for r in rows])
