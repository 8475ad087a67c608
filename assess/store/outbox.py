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
    """
    to = _one_line(to, "to")
    if "@" not in to or " " in to:
        raise ValueError("outbox: to must be one e-mail address")
    return db.execute(
        "INSERT INTO outbox (to_address, subject, text, html, kind, security)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [to, _one_line(subject, "subject"), text, html, _one_line(kind, "kind"), int(security)],
    ).lastrowid
