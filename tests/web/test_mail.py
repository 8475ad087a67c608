"""Delivering the outbox: over SMTP to a real server on loopback, or as .eml files in
development; a message that fails is tried again later, then given up."""

from __future__ import annotations

import email
import email.policy
import socket

from assess.store import outbox
from assess.web.mail import deliver_due


def _queue(db, to="li@example.com", kind="test"):
    return outbox.queue(db, to=to, subject="评估报告已生成", text="正文：你好\n", kind=kind)


def _status(db, message_id):
    row = db["outbox"].get(message_id)
    return row["status"], row["attempts"]


def test_without_a_mail_server_messages_are_written_as_eml_files(app, db, tmp_path):
    assert app.config["MAIL_SERVER"] is None
    message_id = _queue(db)
    with app.app_context():
        assert deliver_due(app) == (1, 0)
    (path,) = (tmp_path / "instance" / "mail").glob("*.eml")
    assert path.name == f"{message_id:06d}-test.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "li@example.com" and message["Subject"] == "评估报告已生成"
    assert message.get_body(("plain",)).get_content().splitlines() == ["正文：你好"]
    assert _status(db, message_id) == ("sent", 1)
    with app.app_context():
        assert deliver_due(app) == (0, 0)  # sent once


def test_the_cli_sends_what_is_due(app, db, runner, smtp):
    _queue(db)
    result = runner.invoke(args=["send-mail", "--once"])
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output
    assert [rcpt for rcpt, _ in smtp.received] == [["li@example.com"]]


def test_a_message_the_server_cannot_take_is_tried_again_later_then_given_up(app, db, smtp):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app.config.update(MAIL_PORT=closed, MAIL_RETRIES=2)
    message_id = _queue(db)
    with app.app_context():
        assert deliver_due(app) == (0, 1)
    row = db["outbox"].get(message_id)
    assert (row["status"], row["attempts"]) == ("queued", 1) and row["last_error"]
    with app.app_context():
        assert deliver_due(app) == (0, 0)  # not due yet: it waits 30 s
    db.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z'")
    app.config["MAIL_PORT"] = smtp.port  # the server is back
    assert len(smtp.deliver(app)) == 1
    assert _status(db, message_id) == ("sent", 2)

    app.config["MAIL_PORT"] = closed
    other = _queue(db, "wang@example.com")
    for _ in range(3):
        with app.app_context():
            deliver_due(app)
        db.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00Z'")
    assert _status(db, other) == ("failed", 3)  # the first try and two retries


def test_two_senders_never_send_one_message_twice(app, db, smtp):
    _queue(db)
    taken = outbox.claim_due(db, 10, 120)
    assert len(taken) == 1
    assert outbox.claim_due(db, 10, 120) == []  # held by the first sender
    assert smtp.deliver(app) == []
