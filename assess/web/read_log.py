"""Who opened an organisation's data: every view by someone other than the enterprise itself
is written to the audit log with the organisation's id, and the enterprise can read it."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from sqlite_utils import Database

from assess.store import audit


def record(db: Database, action: str, organisation_id: int, **detail) -> None:
    """Record an access to an organisation's data by a user who is not that enterprise."""
    if current_user.role == "enterprise":
        return  # its own data
    audit.record(
        db,
        action,
        user_id=current_user.id,
        target_type="organisation",
        target_id=organisation_id,
        detail={"organisation_id": organisation_id, **detail},
        ip=request.remote_addr,
    )


def record_export(db: Database, what: str, detail: dict, target_id: object = None) -> None:
    """Record a download of a table (a portfolio, a dashboard, the audit log)."""
    audit.record(
        db,
        "export",
        user_id=current_user.id,
        target_type=what,
        target_id=target_id,
        detail=detail,
        ip=request.remote_addr,
    )


def record_download(
    db: Database, action: str, target_type: str, target_id: object, organisation_id, **detail
) -> None:
    """Record a download of an organisation's file or report (by anyone, the enterprise too)."""
    audit.record(
        db,
        action,
        user_id=current_user.id,
        target_type=target_type,
        target_id=target_id,
        detail={"organisation_id": organisation_id, **detail},
        ip=request.remote_addr,
    )
