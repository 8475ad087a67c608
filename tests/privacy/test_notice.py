"""The privacy notice: a page of its own, in both languages, linked from every page."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

import assess
from assess.privacy import NOTICE_DIGEST, NOTICE_VERSION


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


def test_the_notice_version_is_a_date_and_a_revision_of_that_day():
    from datetime import date

    from assess.privacy import notice_date, notice_revision

    assert date.fromisoformat(notice_date(NOTICE_VERSION)) <= date.today()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(\.[2-9]\d*)?", NOTICE_VERSION)
    assert (notice_date("2026-12-06"), notice_revision("2026-12-06")) == ("2026-12-06", 1)
    assert (notice_date("2026-12-06.2"), notice_revision("2026-12-06.2")) == ("2026-12-06", 2)


def notice_digest() -> str:
    """The notice's text as written: its template, and the Chinese of every message it shows."""
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    package = Path(assess.__file__).parent
    template = package / "templates" / "privacy" / "notice.html"
    with open(package / "translations" / "zh" / "LC_MESSAGES" / "messages.po", "rb") as f:
        catalog = read_po(f)
    found = extract_from_file("jinja2", template)
    msgids = {m if isinstance(m, str) else m[0] for _line, m, _comments, _context in found}
    assert len(msgids) > 30  # the notice's paragraphs, found
    shown = sorted(f"{msgid}\t{catalog[msgid].string}" for msgid in msgids)
    return hashlib.sha256(template.read_bytes() + "\n".join(shown).encode()).hexdigest()


def test_a_changed_notice_has_a_new_version():
    """The notice's text (English or Chinese) cannot change without a new NOTICE_VERSION, which
    asks every account that agreed to the old one to read it. When this fails: give the notice
    a new version (today's date, ".2" for a second one of the day) and the digest below, both
    in assess/privacy/__init__.py."""
    assert notice_digest() == NOTICE_DIGEST, (
        f"The privacy notice changed: set NOTICE_VERSION to a new version and NOTICE_DIGEST to"
        f" {notice_digest()!r}"
    )


def test_the_notice_shows_its_revision_of_the_day(client):
    client.post("/lang", data={"lang": "zh"})
    page = client.get("/privacy").get_data(as_text=True)
    assert "版本日期：2026年12月6日（当日第 2 版）" in page


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


def test_an_account_invitation_is_forgotten_30_days_after_it_ends(app, client, db, smtp):
    """An invited name and address are kept no longer than the mail that carried them: 30 days
    after the invitation was accepted, withdrawn or expired (the sender's run prunes them)."""
    from assess.store import account_invitations
    from assess.store.database import write_transaction
    from assess.web.mail import KEEP_DAYS

    client.post("/lang", data={"lang": "en"})
    page = client.get("/privacy").get_data(as_text=True)
    assert "An invitation to an account (the name and address invited, who invited" in page

    def ago(days: int) -> str:
        row = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)", [f"-{days} days"])
        return row.fetchone()[0]

    future = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+10 days')").fetchone()[0]
    ends = {
        "expired-long-ago": {"expires_at": ago(KEEP_DAYS + 1)},
        "withdrawn-long-ago": {"expires_at": future, "revoked_at": ago(KEEP_DAYS + 2)},
        "expired-lately": {"expires_at": ago(KEEP_DAYS - 1)},
        "open": {"expires_at": future},
    }
    with write_transaction(db):
        for name, when in ends.items():
            invitation = account_invitations.create(
                db,
                nonce_hash="x",
                expires_at=when["expires_at"],
                email=f"{name}@example.com",
                name=name,
                role="consultant",
            )
            if "revoked_at" in when:
                db.execute(
                    "UPDATE account_invitations SET revoked_at = ? WHERE id = ?",
                    [when["revoked_at"], invitation],
                )
    smtp.deliver(app)
    kept = {row["name"] for row in db.query("SELECT name FROM account_invitations")}
    assert kept == {"expired-lately", "open"}
