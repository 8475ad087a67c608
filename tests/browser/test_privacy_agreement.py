"""A new privacy notice in the browser, at 1366 and 390 px: an account that agreed to the old
one sees the request on its pages, reads the notice, agrees, and is asked no more."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from assess.privacy import NOTICE_VERSION
from assess.store.database import connect
from tests.support import PASSWORD, Accounts

SHOTS = Path("/tmp/privacy-shots")  # screenshots kept for a person to look at


@pytest.mark.parametrize("width", [1366, 390])
def test_an_account_agrees_to_the_new_notice(live_app, page, width):
    SHOTS.mkdir(exist_ok=True)
    base = live_app.config["LIVE_URL"]
    db = connect(live_app.config["DATABASE"])
    email = Accounts(live_app, live_app.test_client(), db).user(
        "enterprise", email="old@example.com"
    )
    db.execute("UPDATE users SET privacy_version = '2026-12-06' WHERE email = ?", [email])
    db.commit()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.goto(base + "/account")
    ask = page.locator("form.privacy-ask")
    expect(ask).to_contain_text("隐私政策在您同意之后已有修改")
    page.screenshot(path=str(SHOTS / f"{width}-asked.png"), full_page=False)
    ask.get_by_role("link", name="阅读新版隐私政策").click()
    expect(page.locator("article.privacy-notice")).to_contain_text("当日第 2 版")
    page.screenshot(path=str(SHOTS / f"{width}-notice.png"), full_page=False)
    page.get_by_role("button", name="我已阅读并同意").click()
    expect(page.locator(".flash-success")).to_contain_text("已记录您同意的隐私政策版本")
    expect(page.locator("form.privacy-ask")).to_have_count(0)
    page.screenshot(path=str(SHOTS / f"{width}-agreed.png"), full_page=False)
    page.goto(base + "/assessments")
    expect(page.locator("form.privacy-ask")).to_have_count(0)
    version = db.execute("SELECT privacy_version FROM users WHERE email = ?", [email]).fetchone()
    assert version[0] == NOTICE_VERSION
    db.close()
