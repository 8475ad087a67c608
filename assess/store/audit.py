"""The append-only audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True)
class Actor:
    """Who does something, as the audit log records it: the account (None: nobody logged in)
    and the address the request came from."""

    user_id: int | None
    ip: str | None = None


def record(
    db: Database,
    action: str,
    *,
    user_id: int | None = None,
    target_type: str | None = None,
    target_id: object = None,
    detail: dict | None = None,
    ip: str | None = None,
) -> None:
    """Append one event."""
    db.execute(
        "INSERT INTO audit_log (user_id, action, target_type, target_id, detail, ip)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            user_id,
            action,
            target_type,
            None if target_id is None else str(target_id),
            json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
            ip,
        ],
    )


def record_by(
    db: Database,
    actor: Actor,
    action: str,
    *,
    target_type: str | None = None,
    target_id: object = None,
    detail: dict | None = None,
) -> None:
    """Append one event done by an actor."""
    record(
        db,
        action,
        user_id=actor.user_id,
        target_type=target_type,
        target_id=target_id,
        detail=detail,
        ip=actor.ip,
    )


def recent(db: Database, limit: int = 200) -> list[dict]:
    return list(db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", [limit]))


def search(
    db: Database, action: str | None = None, before_id: int | None = None, limit: int = 100
) -> list[dict]:
    """Newest first, optionally one action, paging backwards from an id."""
    return list(
        db.query(
            "SELECT * FROM audit_log WHERE (? IS NULL OR action = ?) AND (? IS NULL OR id < ?)"
            " ORDER BY id DESC LIMIT ?",
            [action, action, before_id, before_id, limit],
        )
    )


def actions(db: Database) -> list[str]:
    return [
        row["action"] for row in db.query("SELECT DISTINCT action FROM audit_log ORDER BY action")
    ]


def for_organisation(db: Database, organisation_id: int, limit: int = 50) -> list[dict]:
    """Newest first: what others (consultants, authorities, administrators) opened of an
    organisation's data, with who they are."""
    return list(
        db.query(
            "SELECT a.at, a.action, a.detail, u.name, u.role FROM audit_log a"
            " JOIN users u ON u.id = a.user_id"
            " WHERE json_extract(a.detail, '$.organisation_id') = ? AND u.role != 'enterprise'"
            " ORDER BY a.id DESC LIMIT ?",
            [organisation_id, limit],
        )
    )
