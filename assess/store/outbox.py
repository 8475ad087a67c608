"""Outgoing e-mail as a transactional outbox.

`queue` inserts one message in the caller's transaction (so a message exists if and only if the
write that causes it is committed); a sender (assess/mail) delivers queued rows later, with
retries. Never send mail from inside a request or a use case: queue it here.
"""

from __future__ import annotations

from sqlite_utils import Database


def _one_line(value: str, name: str) -> str:
    value = value.strip()
    if not value or "\r" in value or "\n" in value:
        raise ValueError(f"outbox: {name} must be one non-empty line")
    return value


def queue(
    db: Database,
    *,
    to: str,
    subject: str,
    text: str,
    kind: str,
    security: bool = False,
    html: str | None = None,
) -> int:
    """Queue one message to one address; returns its outbox id.

    `kind` names what the message is about (e.g. "confirm_email", "access_request"); `security`
    marks mail a user cannot turn off (confirmation, password reset, changed password or
    address). `text` is the plain-text body (always sent); `html` an optional alternative.
    A message that is not security mail, to an account that turned notifications off, is kept
    as "suppressed" and never sent.
    """
    to = _one_line(to, "to")
    if "@" not in to or " " in to:
        raise ValueError("outbox: to must be one e-mail address")
    status = "queued"
    if (
        not security
        and db.execute(
            "SELECT 1 FROM users WHERE email = ? AND mail_opt_out = 1", [to.lower()]
        ).fetchone()
    ):
        status = "suppressed"
    return db.execute(
        "INSERT INTO outbox (to_address, subject, text, html, kind, security, status)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            to,
            _one_line(subject, "subject"),
            text,
            html,
            _one_line(kind, "kind"),
            int(security),
            status,
        ],
    ).lastrowid


def sent_recently(db: Database, to: str, kind: str, seconds: int) -> int:
    """How many messages of a kind were queued to an address in the last seconds (throttles)."""
    return db.execute(
        "SELECT count(*) FROM outbox WHERE to_address = ? COLLATE NOCASE AND kind = ?"
        " AND created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)",
        [to.strip(), kind, f"-{int(seconds)} seconds"],
    ).fetchone()[0]


def claim_due(db: Database, limit: int, lease: int) -> list[dict]:
    """Queued messages whose time has come, each taken for `lease` seconds (so that two
    senders never send one message twice; one that dies leaves it to be sent again)."""
    due = db.execute(
        "SELECT id FROM outbox WHERE status = 'queued'"
        " AND next_attempt_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now') ORDER BY id LIMIT ?",
        [limit],
    ).fetchall()
    taken = []
    for (message_id,) in due:
        cursor = db.execute(
            "UPDATE outbox SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)"
            " WHERE id = ? AND status = 'queued'"
            " AND next_attempt_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
            [f"+{int(lease)} seconds", message_id],
        )
        if cursor.rowcount == 1:
            taken.append(dict(db["outbox"].get(message_id)))
    return taken


def mark_sent(db: Database, message_id: int) -> None:
    db.execute(
        "UPDATE outbox SET status = 'sent', attempts = attempts + 1, last_error = '',"
        " sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
        [message_id],
    )


def mark_failed(db: Database, message_id: int, error: str, retry_in: int | None) -> None:
    """A failed attempt: try again in retry_in seconds, or give up (None)."""
    if retry_in is None:
        db.execute(
            "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ?"
            " WHERE id = ?",
            [error[:500], message_id],
        )
        return
    db.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
        " next_attempt_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?) WHERE id = ?",
        [error[:500], f"+{int(retry_in)} seconds", message_id],
    )


def erase_address(db: Database, email: str) -> None:
    """Delete every message to an address (its account is closed)."""
    db.execute("DELETE FROM outbox WHERE to_address = ? COLLATE NOCASE", [email.strip()])


def erase_mentions(db: Database, text: str) -> None:
    """Delete every message whose subject or text holds this (an organisation's name that is
    erased)."""
    if text:
        db.execute(
            "DELETE FROM outbox WHERE instr(subject, ?) > 0 OR instr(text, ?) > 0", [text, text]
        )


def prune(db: Database, days: int) -> int:
    """Forget messages sent (or given up, or suppressed) more than `days` ago."""
    return db.execute(
        "DELETE FROM outbox WHERE status != 'queued'"
        " AND created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)",
        [f"-{int(days)} days"],
    ).rowcount
