"""An account's agreement to the privacy notice in force. An account that agreed to an older
notice is asked to read the new one (every page says so until it does); agreeing records the
version and the time, audited. Accounts that never agreed to one (made by the command line)
are not asked: they did not sign up through a notice."""

from __future__ import annotations

from sqlite_utils import Database

from assess.privacy import NOTICE_VERSION
from assess.store import audit, users
from assess.store.audit import Actor
from assess.store.database import write_transaction


def asks_again(agreed: str | None) -> bool:
    """Whether an account that agreed to the notice `agreed` is asked to read the one in force."""
    return agreed is not None and agreed != NOTICE_VERSION


def agree(db: Database, by: Actor) -> bool:
    """Record that the acting account agreed to the notice in force; False when it had already
    (nothing written)."""
    with write_transaction(db):
        row = users.get(db, by.user_id)
        if row is None or row["privacy_version"] == NOTICE_VERSION:
            return False
        users.agree_to_notice(db, by.user_id, NOTICE_VERSION)
        audit.record_by(
            db,
            by,
            "privacy_agreed",
            target_type="user",
            target_id=by.user_id,
            detail={"version": {"before": row["privacy_version"], "after": NOTICE_VERSION}},
        )
    return True
