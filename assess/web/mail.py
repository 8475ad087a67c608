"""Delivering the outbox (store/outbox.py) with Flask-Mail: queued messages are sent over SMTP,
or, with no MAIL_SERVER (development), written as .eml files to MAIL_FOLDER. A message that
fails is tried again later (after 30 s, 1 min, 2 min, ...), MAIL_RETRIES times, then kept as
failed with its error."""

from __future__ import annotations

import contextlib
import logging
import smtplib
from pathlib import Path

from flask import Flask
from flask_mail import Connection, Mail, Message

from assess.organisation import mail
from assess.store import account_invitations, outbox
from assess.store.database import connect, write_transaction

log = logging.getLogger(__name__)
LEASE = 120  # seconds a sender holds a message it took before another may take it
BATCH = 50
KEEP_DAYS = 30  # sent messages are forgotten after this (the privacy notice's promise)


def retry_in(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed ones."""
    return min(30 * 2 ** (attempts - 1), 3600)


def _message(app: Flask, row: dict) -> Message:
    return Message(
        subject=row["subject"],
        recipients=[row["to_address"]],
        body=row["text"],
        html=row["html"],
        sender=app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={"X-Assess-Kind": row["kind"], "Auto-Submitted": "auto-generated"},
    )


def _write(folder: Path, row: dict, message: Message) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{row['id']:06d}-{row['kind']}.eml").write_bytes(message.as_bytes())


def deliver_due(app: Flask) -> tuple[int, int]:
    """Send the messages due now; (sent, failed attempts). Needs an app context."""
    db = connect(app.config["DATABASE"], app.config["DATABASE_TIMEOUT"])
    try:
        with write_transaction(db):
            outbox.prune(db, KEEP_DAYS)
            account_invitations.prune(db, KEEP_DAYS)
            rows = outbox.claim_due(db, BATCH, LEASE)
        if not rows:
            return 0, 0
        try:
            return _deliver(app, db, rows)
        except (OSError, smtplib.SMTPException) as error:  # the server cannot be reached
            log.warning("mail server unreachable: %s", error)
            for row in rows:
                if db["outbox"].get(row["id"])["attempts"] == row["attempts"]:  # not tried yet
                    _failed(app, db, row, error)
            return 0, len(rows)
    finally:
        db.close()


def _failed(app: Flask, db, row: dict, error: Exception) -> None:
    """Count a failed try: again later, or given up after MAIL_RETRIES retries."""
    attempts = row["attempts"] + 1
    gives_up = attempts > int(app.config["MAIL_RETRIES"])
    log.warning("mail %s (%s) failed: %s", row["id"], row["kind"], error)
    with write_transaction(db):
        outbox.mark_failed(db, row["id"], str(error), None if gives_up else retry_in(attempts))


def _deliver(app: Flask, db, rows: list[dict]) -> tuple[int, int]:
    sent = failed = 0
    folder = None if app.config["MAIL_SERVER"] else Path(app.config["MAIL_FOLDER"])
    with contextlib.ExitStack() as stack:
        # the settings as they are now (Flask-Mail reads them from app.extensions["mail"]);
        # sending is never suppressed, in tests either: they read a real SMTP server
        state = Mail().init_mail({**app.config, "MAIL_SUPPRESS_SEND": False})
        app.extensions["mail"] = state
        if folder is None:
            connection = stack.enter_context(Connection(state))
        for row in rows:
            try:
                message = _message(app, row)
                if folder is None:
                    connection.send(message)
                else:
                    _write(folder, row, message)
            except (OSError, smtplib.SMTPException, ValueError) as error:
                failed += 1
                _failed(app, db, row, error)
                if isinstance(error, smtplib.SMTPServerDisconnected):
                    break  # the others wait for their lease to end and go next time
            else:
                sent += 1
                with write_transaction(db):
                    outbox.mark_sent(db, row["id"])
    return sent, failed


def init_app(app: Flask) -> None:
    """Links in mail start with BASE_URL and are signed with the app's secret key."""
    mail.configure(app.config["BASE_URL"], app.config["SECRET_KEY"])
