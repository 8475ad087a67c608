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


@dataclass(frozen=True)
class Filters:
    """Which entries of the log to show: each field None = any. user is an id, or a text found
    in the account's e-mail address or name; since and until are UTC days (YYYY-MM-DD)."""

    action: str | None = None
    user: int | str | None = None
    target_type: str | None = None
    target_id: str | None = None
    since: str | None = None
    until: str | None = None


def search(
    db: Database,
    action: str | None = None,
    before_id: int | None = None,
    limit: int = 100,
    filters: Filters | None = None,
) -> list[dict]:
    """Newest first, with the name and address of who acted, paging backwards from an id."""
    filters = filters or Filters(action=action)
    clauses, params = ["(? IS NULL OR a.id < ?)"], [before_id, before_id]
    if filters.action:
        clauses.append("a.action = ?")
        params.append(filters.action)
    if isinstance(filters.user, int):
        clauses.append("a.user_id = ?")
        params.append(filters.user)
    elif filters.user:
        clauses.append("(instr(lower(u.email), lower(?)) > 0 OR instr(u.name, ?) > 0)")
        params += [filters.user, filters.user]
    for column, value in (
        ("a.target_type", filters.target_type),
        ("a.target_id", filters.target_id),
    ):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if filters.since:
        clauses.append("a.at >= ?")
        params.append(filters.since)
    if filters.until:
        clauses.append("a.at < date(?, '+1 day')")
        params.append(filters.until)
    return list(
        db.query(
            "SELECT a.*, u.name AS user_name, u.email AS user_email, u.role AS user_role"
            " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY a.id DESC LIMIT ?",  # nosec B608: fixed clauses
            [*params, limit],
        )
    )


def target_types(db: Database) -> list[str]:
    return [
        row["target_type"]
        for row in db.query(
            "SELECT DISTINCT target_type FROM audit_log WHERE target_type IS NOT NULL"
            " ORDER BY target_type"
        )
    ]


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
