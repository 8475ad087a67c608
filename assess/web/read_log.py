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
