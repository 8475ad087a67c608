"""A forgotten password, in a browser: the login page's link, the mail (read from the real SMTP
server the sender delivers to), a new password, and the old session logged out."""

from __future__ import annotations

import re

from assess.store import users
from assess.store.database import connect, write_transaction
from tests.support import MailServer

OLD, NEW = "Browser-old-2026", "Browser-new-2026!"


def test_a_password_is_reset_from_the_login_page(live_app, browser, page, console, smtp):
    from tests.browser.conftest import new_tab

    base = live_app.config["LIVE_URL"]
    live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    db = connect(live_app.config["DATABASE"])
    with write_transaction(db):
        org = (
            db["organisations"]
            .insert(
                {
                    "name": "浏览器重置机械有限公司",
                    "credit_code": "91320505000000777X",
                    "region_code": "320505",
                    "sector": "machine_tools",
                    "size": "medium",
                }
            )
            .last_pk
        )
        users.create(
            db,
            email="li@example.com",
            name="李工",
            password=OLD,
            role="enterprise",
            organisation_id=org,
        )
    db.close()
    # a session elsewhere, logged in with the old password
    elsewhere = new_tab(browser, console)
    elsewhere.goto(base + "/login")
    elsewhere.fill("#email", "li@example.com")
    elsewhere.fill("#password", OLD)
    elsewhere.click("form.stack button[type=submit]")
    elsewhere.wait_for_url(re.compile(r".*/assessments$"))

    page.goto(base + "/login")
    page.click("text=忘记密码？")
    page.fill("#email", "li@example.com")
    page.click("text=发送链接")
    page.wait_for_selector("text=请查看您的邮箱")
    (arrived,) = [m for rcpt, m in smtp.deliver(live_app) if rcpt == ["li@example.com"]]
    assert arrived["Subject"] == "重置您的密码"
    link = base + MailServer.link(arrived, "/password/reset/")

    page.goto(link)
    page.fill("#password", NEW)
    page.fill("#confirm", NEW)
    page.click("text=保存新密码")
    page.wait_for_selector("text=密码已更改，请使用新密码登录")
    page.fill("#email", "li@example.com")
    page.fill("#password", NEW)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(r".*/assessments$"))

    elsewhere.goto(base + "/account")  # the other session ended with the reset
    assert "/login" in elsewhere.url
    elsewhere.context.close()
    console.expect(r"status of 410")  # the link worked once: its second opening is refused
    page.goto(link)
    assert "此链接已被使用" in page.inner_text("main")
