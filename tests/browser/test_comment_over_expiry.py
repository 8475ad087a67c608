"""A comment typed after the session expired is not lost: the background save says the
session expired, and the page's Save carries the comment over the new login (a reviewer typed
460 characters, logged in again, and found the box empty)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assess.store import answer_comments
from assess.store.database import connect
from tests.browser.test_enterprise_journey import PASSWORD, registered_with_an_empty_assessment

COMMENT = "会话过期后输入的备注：" + "设备联网改造计划于明年二季度完成。" * 20


def test_a_comment_typed_after_the_session_expired_is_saved_after_login(live_app, page, console):
    base = live_app.config["LIVE_URL"]
    assessment = registered_with_an_empty_assessment(page, base)
    page.goto(f"{base}/assessments/{assessment}/pages/cmmm-personnel")
    page.wait_for_load_state("networkidle")
    # The session expires while the page stands open. A response still on its way could set the
    # session cookie again after it is cleared, so the test checks that the browser has
    # forgotten it (a page of the same browser is sent to the login) before anything is typed.
    for _attempt in range(5):
        page.context.clear_cookies()
        probe = page.context.new_page()
        probe.goto(f"{base}/account")
        forgotten = "/login" in probe.url
        probe.close()
        if forgotten:
            break
    assert forgotten
    console.expect(r"status of 40[013]|ERR_")  # the refused background save, logged
    box = page.locator(".question").first.locator("details.comment")
    box.locator("summary").click()
    box.locator("textarea").fill(COMMENT)
    # the background save is refused: the page says the session expired, and keeps the comment
    expect(page.locator("[data-expired]")).to_be_visible(timeout=5000)
    page.click("button[name=go][value=stay]")
    page.wait_for_url(re.compile(r".*/login.*"))
    page.fill("#email", "zhou@example.com")
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(rf".*/assessments/{assessment}/pages/cmmm-personnel.*"))
    db = connect(live_app.config["DATABASE"])
    try:
        assert list(answer_comments.for_assessment(db, assessment).values()) == [COMMENT]
    finally:
        db.close()
    expect(page.locator("details.comment textarea").first).to_have_value(COMMENT)
