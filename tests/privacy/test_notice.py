"""The privacy notice: a page of its own, in both languages, linked from every page."""

from __future__ import annotations

import pytest

from assess.privacy import NOTICE_VERSION


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "zh",
            [
                "隐私政策",
                "我们收集的信息",
                "谁能看到",
                "保存期限",
                "注销账号的后果",
                "support@example.com",
            ],
        ),
        (
            "en",
            [
                "Privacy notice",
                "What we collect",
                "Who sees it",
                "How long it is kept",
                "What closing an account does",
            ],
        ),
    ],
)
def test_the_notice_says_what_is_collected_who_sees_it_and_what_closing_does(client, lang, words):
    client.post("/lang", data={"lang": lang})
    page = client.get("/privacy").get_data(as_text=True)
    assert [w for w in words if w not in page] == []
    assert 'id="closing"' in page


def test_every_page_links_the_notice(client):
    for url in ("/", "/login", "/register"):
        assert 'href="/privacy"' in client.get(url).get_data(as_text=True), url


def test_the_notice_version_is_a_date():
    from datetime import date

    assert date.fromisoformat(NOTICE_VERSION) <= date.today()


def test_mail_is_kept_as_long_as_the_notice_says(app, client, db, smtp):
    """The notice promises mail is deleted 30 days after it was written: the sender's run
    forgets what was sent (or given up) before then, and keeps what is younger or still waits."""
    from assess.store import outbox
    from assess.store.database import write_transaction
    from assess.web.mail import KEEP_DAYS

    assert KEEP_DAYS == 30
    client.post("/lang", data={"lang": "en"})
    page = client.get("/privacy").get_data(as_text=True)
    assert "Mail we send you (your address, the subject and the text" in page
    assert "30 days after it was written, then deleted" in page
    with write_transaction(db):
        ids = {
            age: outbox.queue(db, to=f"{age}@example.com", subject="s", text="t", kind="test")
            for age in ("old", "young", "waiting")
        }
        for age, days in (("old", KEEP_DAYS + 1), ("young", KEEP_DAYS - 1), ("waiting", 90)):
            db.execute(
                "UPDATE outbox SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?),"
                " status = ? WHERE id = ?",
                [f"-{days} days", "queued" if age == "waiting" else "sent", ids[age]],
            )
    smtp.deliver(app)  # the sender's run prunes first
    kept = {row["to_address"] for row in db.query("SELECT to_address FROM outbox")}
    assert kept == {"young@example.com", "waiting@example.com"}
