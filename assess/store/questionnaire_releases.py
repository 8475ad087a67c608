"""Questionnaire versions uploaded from the web and the release log (append-only)."""

from __future__ import annotations

import hashlib
import sqlite3

from sqlite_utils import Database

Key = tuple[str, str]


def counter(db: Database) -> tuple:
    """The release log's last entry (id, version, action, time; () when empty or before the
    deploy step's migrations): a process reloads its versions when this moved."""
    try:
        last = db.execute(
            "SELECT id, questionnaire_id, version, action, at FROM questionnaire_releases"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
    except sqlite3.OperationalError:  # no such table: before the deploy step's migrations
        return ()
    return tuple(last or ())


def log(db: Database) -> list[tuple[Key, str]]:
    """Every entry of the release log in order: ((questionnaire id, version), action)."""
    return [
        ((qid, version), action)
        for qid, version, action in db.execute(
            "SELECT questionnaire_id, version, action FROM questionnaire_releases ORDER BY id"
        )
    ]


def entries(db: Database) -> list[dict]:
    """The release log with who did each and when, newest first (for the page)."""
    return list(
        db.query(
            "SELECT r.*, u.name AS by_name FROM questionnaire_releases r"
            " LEFT JOIN users u ON u.id = r.by_user ORDER BY r.id DESC"
        )
    )


def uploads(db: Database) -> list[dict]:
    """Every uploaded version with its YAML text."""
    try:
        return list(db.query("SELECT * FROM questionnaire_uploads ORDER BY uploaded_at"))
    except sqlite3.OperationalError:
        return []


def exists(db: Database, key: Key) -> bool:
    found = db.execute(
        "SELECT 1 FROM questionnaire_uploads WHERE questionnaire_id = ? AND version = ?", key
    ).fetchone()
    return found is not None


def add_upload(db: Database, key: Key, source: str, file_name: str, by: int | None) -> None:
    """Keep an uploaded version's text. Run in a write transaction (with its log entry)."""
    db.execute(
        "INSERT INTO questionnaire_uploads (questionnaire_id, version, source, file_name,"
        " sha256, uploaded_by) VALUES (?, ?, ?, ?, ?, ?)",
        [*key, source, file_name, hashlib.sha256(source.encode()).hexdigest(), by],
    )


def append(db: Database, key: Key, action: str, by: int | None) -> int:
    """One entry of the release log; returns its id (the new counter)."""
    cursor = db.execute(
        "INSERT INTO questionnaire_releases (questionnaire_id, version, action, by_user)"
        " VALUES (?, ?, ?, ?)",
        [*key, action, by],
    )
    return cursor.lastrowid
