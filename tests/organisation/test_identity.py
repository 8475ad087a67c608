"""Proven addresses, with a real SMTP server on loopback (the `smtp` fixture): sign-up sends a
confirmation link, an unconfirmed account does nothing others see, and a forgotten password is
reset through a link that refuses to work forged, expired or twice."""

from __future__ import annotations

import json
import time

import itsdangerous

from assess.store import throttle, users
from tests.support import GOOD, PASSWORD, MailServer, start_assessment


def _from(smtp, app, to: str, kind: str):
    """The one message of a kind that arrived for an address when the sender ran."""
    found = [m for rcpt, m in smtp.deliver(app) if rcpt == [to] and m["X-Assess-Kind"] == kind]
    assert len(found) == 1, found
    return found[0]


def test_sign_up_sends_a_link_that_proves_the_address_once(app, client, db, smtp):
    client.post("/register", data=GOOD)
    assert users.get_by_email(db, GOOD["email"])["email_confirmed_at"] is None
    page = client.get("/account").get_data(as_text=True)
    assert "您的电子邮箱尚未验证" in page and "重新发送链接" in page

    message = _from(smtp, app, GOOD["email"], "confirm_email")
    assert message["Subject"] == "验证您的电子邮箱"  # the language the account registered in
    assert "王工，您好" in MailServer.text(message) and "72小时内有效" in MailServer.text(message)
    link = MailServer.link(message, "/confirm/")

    # opening the link (as a mail scanner would) changes nothing; its button confirms
    opened = client.get(link).get_data(as_text=True)
    assert f"确认 {GOOD['email']} 是您的邮箱" in opened
    assert users.get_by_email(db, GOOD["email"])["email_confirmed_at"] is None
    welcome = client.post(link, follow_redirects=True).get_data(as_text=True)
    assert f"您的电子邮箱 {GOOD['email']} 已验证" in welcome
    assert users.get_by_email(db, GOOD["email"])["email_confirmed_at"] is not None
    assert client.post(link).status_code == 410
    again = client.get(link)
    assert again.status_code == 410 and "此链接已被使用" in again.get_data(as_text=True)
    forged = client.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert forged.status_code == 404 and "此链接无效" in forged.get_data(as_text=True)


def test_an_unconfirmed_account_does_nothing_others_see(app, client, db, smtp):
    """It answers and reads its own assessment; submitting, inviting a consultant and joining
    the candidate list wait for the confirmed address (a page says how to confirm)."""
    client.post("/register", data=GOOD)
    assessment_id = start_assessment(client)
    assert client.get(f"/assessments/{assessment_id}").status_code in (200, 302)
    for url, data in (
        (f"/assessments/{assessment_id}/submit", {}),
        ("/consultants", {"email": "c@example.com"}),
        ("/organisation/listing", {"listing": "y"}),
        ("/declarations/new", {}),
    ):
        refused = client.post(url, data=data)
        assert refused.status_code == 403, url
        assert "请先验证您的电子邮箱" in refused.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM access_grants").fetchone()[0] == 0
    assert db.execute("SELECT kind FROM outbox").fetchall() == [("confirm_email",)]
    # the invitation form still shows; only its post waits
    assert client.get("/consultants").status_code == 200


def test_the_confirmation_is_sent_again_at_most_once_a_minute(app, client, db, smtp):
    client.post("/register", data=GOOD)
    first = MailServer.link(_from(smtp, app, GOOD["email"], "confirm_email"), "/confirm/")
    page = client.post("/account/confirm", follow_redirects=True).get_data(as_text=True)
    assert "不到一分钟前刚发送过链接" in page
    db.execute("UPDATE outbox SET created_at = '2000-01-01T00:00:00Z'")  # a minute later
    page = client.post("/account/confirm", follow_redirects=True).get_data(as_text=True)
    assert f"新的验证链接正在发往 {GOOD['email']}" in page
    second = MailServer.link(_from(smtp, app, GOOD["email"], "confirm_email"), "/confirm/")
    assert second != first
    assert client.post(second).status_code == 302
    # the first link of the same account is spent with the confirmation
    assert client.get(first).status_code == 410
    page = client.post("/account/confirm", follow_redirects=True).get_data(as_text=True)
    assert "您的电子邮箱已经验证" in page


def test_a_forgotten_password_is_reset_once_and_every_session_ends(app, accounts, db, smtp):
    email = accounts.user("enterprise", email="li@example.com")
    other_device = app.test_client()
    other_device.post("/login", data={"email": email, "password": PASSWORD})
    assert other_device.get("/account").status_code == 200

    client = accounts.client
    assert "忘记密码？" in client.get("/login").get_data(as_text=True)
    asked = client.post("/password/forgot", data={"email": " LI@example.com "})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com"})
    # the same answer whether or not the address has an account
    assert asked.get_data(as_text=True).replace("LI@example.com", "X") == unknown.get_data(
        as_text=True
    ).replace("nobody@example.com", "X")
    message = _from(smtp, app, email, "password_reset")
    assert message["Subject"] == "重置您的密码" and "60分钟内有效" in MailServer.text(message)
    link = MailServer.link(message, "/password/reset/")

    assert "设置新密码" in client.get(link).get_data(as_text=True)
    weak = client.post(link, data={"password": "123", "confirm": "123"})
    assert weak.status_code == 200  # refused with the form's message, the link kept
    done = client.post(
        link,
        data={"password": "New-pass-2026!", "confirm": "New-pass-2026!"},
        follow_redirects=True,
    )
    assert "密码已更改，请使用新密码登录" in done.get_data(as_text=True)
    assert other_device.get("/account").status_code == 302  # the other session ended
    assert accounts.login(email).status_code == 200  # the old password no longer works
    assert accounts.login(email, "New-pass-2026!").status_code == 302
    accounts.logout()

    reused = client.get(link)
    assert reused.status_code == 410 and "此链接已被使用" in reused.get_data(as_text=True)
    assert (
        client.post(
            link, data={"password": "Other-2026-pw", "confirm": "Other-2026-pw"}
        ).status_code
        == 410
    )
    notice = _from(smtp, app, email, "password_changed")
    assert "忘记密码" in MailServer.text(notice) and "关闭邮件通知" not in MailServer.text(notice)


def test_expired_and_forged_reset_links_are_refused_with_a_clear_message(
    app, accounts, db, smtp, monkeypatch
):
    email = accounts.user("enterprise", email="li@example.com")
    accounts.client.post("/password/forgot", data={"email": email})
    link = MailServer.link(_from(smtp, app, email, "password_reset"), "/password/reset/")
    client = accounts.client

    later = int(time.time()) + 61 * 60
    with monkeypatch.context() as m:
        m.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: later)
        expired = client.get(link)
        assert expired.status_code == 410
        assert "此链接已过期，请重新申请" in expired.get_data(as_text=True)
        posted = client.post(link, data={"password": "New-pass-2026!", "confirm": "New-pass-2026!"})
        assert posted.status_code == 410
    token = link.rsplit("/", 1)[1]
    payload, rest = token.split(".", 1)
    for forged in (
        "not-a-token",
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),  # the signature altered
        payload[::-1] + "." + rest,  # the content altered
        token.replace(".", "", 1),
    ):
        refused = client.get(f"/password/reset/{forged}")
        assert refused.status_code == 404
        assert "此链接无效" in refused.get_data(as_text=True)
    # a confirmation link is no reset link (each purpose signs its own)
    assert users.authenticate(db, email, PASSWORD) is not None  # nothing changed
    assert client.get(link).status_code == 200  # and the real link still works in time


def test_reset_mail_is_throttled_per_address(app, accounts, db, smtp):
    email = accounts.user("enterprise", email="li@example.com")
    for _ in range(5):
        accounts.client.post("/password/forgot", data={"email": email})
    arrived = [m for rcpt, m in smtp.deliver(app) if rcpt == [email]]
    assert len(arrived) == 3


def test_reset_requests_are_limited_per_network_whatever_the_addresses(
    app, accounts, db, smtp, monkeypatch
):
    monkeypatch.setattr(throttle, "RESETS_PER_NETWORK", 3)
    emails = [accounts.user("enterprise", email=f"r{n}@example.com") for n in range(5)]
    for n, email in enumerate(emails[:4]):  # four addresses of one /24, one request each
        page = accounts.client.post(
            "/password/forgot",
            data={"email": email},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n + 1}"},
        )
        assert page.status_code == 200  # the same answer, throttled or not
    accounts.client.post(  # another network is not held back
        "/password/forgot", data={"email": emails[4]}, environ_base={"REMOTE_ADDR": "192.0.2.9"}
    )
    arrived = sorted(
        rcpt[0] for rcpt, m in smtp.deliver(app) if m["X-Assess-Kind"] == "password_reset"
    )
    assert arrived == sorted([*emails[:3], emails[4]])
    throttled = [
        json.loads(row["detail"])
        for row in db.query(
            "SELECT detail FROM audit_log WHERE action = 'password_reset_throttled'"
        )
    ]
    assert throttled == [{"network": "198.51.100.0/24"}]


def test_security_mail_comes_when_notifications_are_off(app, accounts, db, smtp):
    email = accounts.user("enterprise", email="li@example.com")
    accounts.login(email)
    page = accounts.client.post("/account/mail", data={}, follow_redirects=True)
    assert "已关闭邮件通知" in page.get_data(as_text=True)
    assert users.get_by_email(db, email)["mail_opt_out"] == 1
    accounts.client.post("/password/forgot", data={"email": email})
    assert _from(smtp, app, email, "password_reset")
    accounts.client.post("/account/mail", data={"notifications": "y"})
    assert users.get_by_email(db, email)["mail_opt_out"] == 0


def test_an_unconfirmed_owner_is_told_early_and_can_resend_from_where_they_are(
    app, client, db, accounts, smtp
):
    """Not only at submission: the home page, the assessments page and every wizard page say
    that submitting needs the confirmed address, with a button that sends the link again and
    comes back to the same page. A contributor (who does not submit) is not told; once the
    address is confirmed, nobody is."""
    client.post("/register", data=GOOD)
    assessment_id = start_assessment(client)
    told = "您的电子邮箱 wang@example.com 尚未验证"
    wizard = f"/assessments/{assessment_id}/pages/profile"
    for url in ("/", "/assessments", wizard, f"/assessments/{assessment_id}/submit"):
        assert told in client.get(url).get_data(as_text=True), url
    db.execute("UPDATE outbox SET created_at = '2000-01-01T00:00:00Z'")  # a minute later
    resent = client.post("/account/confirm", data={"next": wizard})
    assert resent.headers["Location"] == wizard
    assert db.execute("SELECT count(*) FROM outbox WHERE kind = 'confirm_email'").fetchone()[0] == 2
    away = client.post("/account/confirm", data={"next": "https://evil.example/"})
    assert away.headers["Location"] == "/account"

    organisation_id = users.get_by_email(db, GOOD["email"])["organisation_id"]
    colleague = accounts.user(
        "enterprise", organisation_id=organisation_id, member_role="contributor"
    )
    accounts.login(colleague)
    assert "尚未验证" not in accounts.client.get("/assessments").get_data(as_text=True)
    accounts.confirm(GOOD["email"])
    accounts.login(GOOD["email"])
    assert told not in accounts.client.get("/assessments").get_data(as_text=True)
