"""The outbox: a message is queued in the caller's transaction and nowhere else."""

from __future__ import annotations

import pytest

from assess.store import outbox
from assess.store.database import write_transaction


def test_queue_inserts_one_queued_message(db):
    message_id = outbox.queue(
        db, to="li@example.cn", subject="确认邮箱", text="正文", kind="confirm_email", security=True
    )
    row = db["outbox"].get(message_id)
    assert (row["to_address"], row["subject"], row["text"], row["html"]) == (
        "li@example.cn",
        "确认邮箱",
        "正文",
        None,
    )
    assert (row["kind"], row["security"], row["status"], row["attempts"]) == (
        "confirm_email",
        1,
        "queued",
        0,
    )
    assert row["sent_at"] is None
    other = outbox.queue(db, to="b@example.cn", subject="S", text="T", kind="x", html="<p>T</p>")
    assert other != message_id
    assert db["outbox"].get(other)["security"] == 0
    assert db["outbox"].get(other)["html"] == "<p>T</p>"


def test_a_message_exists_only_if_the_write_that_caused_it_is_committed(db):
    with pytest.raises(RuntimeError), write_transaction(db):
        outbox.queue(db, to="a@example.cn", subject="S", text="T", kind="x")
        raise RuntimeError("the caller's write failed")
    assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
    with write_transaction(db):
        outbox.queue(db, to="a@example.cn", subject="S", text="T", kind="x")
    assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1


@pytest.mark.parametrize(
    "to, subject, kind",
    [
        ("", "S", "x"),
        ("not-an-address", "S", "x"),
        ("a@example.cn\r\nBcc: b@example.cn", "S", "x"),
        ("a@example.cn, b@example.cn", "S", "x"),
        ("a@example.cn", "S\nBcc: b@example.cn", "x"),
        ("a@example.cn", "", "x"),
        ("a@example.cn", "S", ""),
    ],
)
def test_header_injection_and_empty_fields_are_refused(db, to, subject, kind):
    with pytest.raises(ValueError):
        outbox.queue(db, to=to, subject=subject, text="T", kind=kind)
    assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
