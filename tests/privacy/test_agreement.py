"""A new privacy notice: an account that agreed to an older one is asked on every page to read
it, and agreeing records the new version (audited); accounts that agreed to the one in force,
and those that never agreed to one (made by the command line), are not asked."""

from __future__ import annotations

import json

from assess.privacy import NOTICE_VERSION
from assess.privacy.agreement import asks_again
from assess.store import users
from assess.store.database import write_transaction

ASKED = "隐私政策在您同意之后已有修改"


def agreed_to(db, email: str, version: str | None) -> None:
    with write_transaction(db):
        db.execute(
            "UPDATE users SET privacy_version = ?, privacy_agreed_at = ? WHERE email = ?",
            [version, "2026-12-06T04:20:00Z" if version else None, email],
        )


def test_who_is_asked_again():
    assert asks_again("2026-12-06") and asks_again("2025-01-01")
    assert not asks_again(NOTICE_VERSION) and not asks_again(None)


def test_an_account_that_agreed_to_the_old_notice_is_asked_until_it_agrees(accounts, db):
    email = accounts.user("enterprise", email="old@example.com")
    agreed_to(db, email, "2026-12-06")  # the first notice, before its text changed
    accounts.login(email)
    client = accounts.client
    for url in ("/assessments", "/account", "/privacy"):
        page = client.get(url).get_data(as_text=True)
        assert ASKED in page and 'action="/privacy/agree"' in page, url
    answer = client.post("/privacy/agree", data={"next": "/account"})
    assert answer.status_code == 302 and answer.headers["Location"] == "/account"
    row = users.get_by_email(db, email)
    assert (
        row["privacy_version"] == NOTICE_VERSION and row["privacy_agreed_at"] > "2026-12-06T04:20"
    )
    assert ASKED not in client.get("/assessments").get_data(as_text=True)
    [entry] = db.query("SELECT * FROM audit_log WHERE action = 'privacy_agreed'")
    assert entry["user_id"] == row["id"] and entry["target_id"] == str(row["id"])
    detail = json.loads(entry["detail"])
    assert detail == {"version": {"before": "2026-12-06", "after": NOTICE_VERSION}}
    # agreeing again writes nothing; an outside "next" goes to the notice
    again = client.post("/privacy/agree", data={"next": "https://evil.example/"})
    assert again.headers["Location"] == "/privacy"
    assert (
        db.execute("SELECT count(*) FROM audit_log WHERE action = 'privacy_agreed'").fetchone()[0]
        == 1
    )


def test_accounts_on_the_notice_in_force_or_on_none_are_not_asked(accounts, db):
    current = accounts.user("enterprise", email="new@example.com")
    agreed_to(db, current, NOTICE_VERSION)
    staff = accounts.user("admin", email="cli@example.com")  # made by the command line: none
    for email in (current, staff):
        accounts.login(email)
        assert ASKED not in accounts.client.get("/account").get_data(as_text=True), email
        accounts.logout()


def test_the_audit_log_says_it_in_words(accounts, db):
    email = accounts.user("enterprise", email="old@example.com")
    agreed_to(db, email, "2026-12-06")
    accounts.login(email)
    accounts.client.post("/privacy/agree", data={})
    accounts.logout()
    accounts.login(accounts.user("admin", email="root@example.com"))
    page = accounts.client.get("/admin/audit").get_data(as_text=True)
    assert "同意了新版隐私政策" in page and "2026-12-06 → " + NOTICE_VERSION in page


def test_without_a_session_nothing_is_recorded(client, db):
    assert client.post("/privacy/agree", data={}).status_code == 401
