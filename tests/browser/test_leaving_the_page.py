"""Leaving a wizard page while typing: what was typed is saved, not lost with the page.

A reason or a typed answer is queued for the background save once typing pauses (800 ms); a
user who follows a link inside that pause leaves nothing queued. On leaving, the page sends what
is typed at once, in a request that outlives it (keepalive)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from assess.store import assessments, grants, users
from assess.store.database import connect, write_transaction
from tests.browser.test_tailoring_journey import PASSWORD, login, supplier

REASON = "现场查看：企业为部分产品自行设计图纸"
REVIEW = "tailoring.product_design.review"


def on_the_tailoring_page(live_app, page) -> int:
    """A consultant on site at a supplier that tailored product design out, on the tailoring
    page of its assessment (saved so far: what the self-assessment answered)."""
    base = live_app.config["LIVE_URL"]
    made = supplier(live_app, submitted=True)
    db = connect(live_app.config["DATABASE"])
    with write_transaction(db):
        consultant = users.create(
            db, email="qian@example.com", name="钱顾问", password=PASSWORD, role="consultant"
        )
        grants.grant_registered(db, made["org"], consultant)
    db.close()
    login(page, base, "qian@example.com")
    page.goto(f"{base}/consultant/clients/{made['org']}")
    page.click("text=从企业自评估开始")
    page.wait_for_url(re.compile(r".*/assessments/\d+/pages/profile$"))
    assessment = int(re.search(r"/assessments/(\d+)/", page.url).group(1))
    page.goto(f"{base}/assessments/{assessment}/pages/tailoring")
    return assessment


def stored(live_app, assessment: int) -> dict:
    db = connect(live_app.config["DATABASE"])
    try:
        return {
            item: (s.answer.value, s.answer.reason)
            for item, s in assessments.answers(db, assessment).items()
        }
    finally:
        db.close()


def saves(page) -> list[str]:
    """The background saves the page sends from now on (their bodies)."""
    sent = []
    page.on("request", lambda r: sent.append(r.post_data) if r.url.endswith("/answers") else None)
    return sent


def test_a_reason_typed_just_before_following_a_link_is_saved(live_app, page):
    assessment = on_the_tailoring_page(live_app, page)
    review = page.locator(f".question[data-item='{REVIEW}']")
    review.locator("input[value='rejected']").check()
    # sent at once, and refused without a reason
    expect(review.locator(".error")).to_have_text("请说明不认可该裁剪的理由。")
    assert REVIEW not in stored(live_app, assessment)
    sent = saves(page)
    dialogs = []  # nothing to warn about: what is typed is sent as the page goes
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    review.locator("textarea").fill(REASON)  # one input event: the 800 ms pause starts
    page.click("nav.nav a >> nth=0")  # at once, well inside the pause
    page.wait_for_url(re.compile(r".*/(assessments|consultant).*"))
    assert "/pages/tailoring" not in page.url
    deadline = time.monotonic() + 10  # the request outlives the page; wait for it to land
    while stored(live_app, assessment).get(REVIEW) != ("rejected", REASON):
        assert time.monotonic() < deadline, stored(live_app, assessment).get(REVIEW)
        time.sleep(0.05)
    assert dialogs == []
    assert len(sent) == 1 and REASON in sent[0]


def test_leaving_with_nothing_typed_sends_nothing(live_app, page):
    assessment = on_the_tailoring_page(live_app, page)
    before = stored(live_app, assessment)
    sent = saves(page)
    page.click("nav.nav a >> nth=0")
    page.wait_for_url(re.compile(r".*/(assessments|consultant).*"))
    assert "/pages/tailoring" not in page.url
    page.wait_for_load_state()
    assert sent == []
    assert stored(live_app, assessment) == before
