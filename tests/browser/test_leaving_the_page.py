"""Leaving a wizard page while typing: what was typed is saved, not lost with the page.

A reason or a typed answer is queued for the background save once typing pauses (800 ms); a
user who follows a link inside that pause leaves nothing queued. On leaving, the page sends what
is typed at once, in a request that outlives it (keepalive)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from assess.store import assessments, evidence
from assess.store.database import connect
from tests.browser.test_tailoring_journey import on_site_at_the_tailoring_page

REASON = "现场查看：企业为部分产品自行设计图纸"
REVIEW = "tailoring.product_design.review"


def stored(live_app, assessment: int) -> dict:
    db = connect(live_app.config["DATABASE"])
    try:
        return {
            item: (s.answer.value, s.answer.reason)
            for item, s in assessments.answers(db, assessment).items()
        }
    finally:
        db.close()


def note(live_app, assessment: int, item: str) -> str | None:
    db = connect(live_app.config["DATABASE"])
    try:
        return (evidence.for_assessment(db, assessment).get(item) or {}).get("note")
    finally:
        db.close()


def landed(read, before=None):
    """What `read()` finds once it differs from `before`: the request outlives the page, and
    lands after it is gone (given up after 10 s)."""
    deadline = time.monotonic() + 10
    while read() == before and time.monotonic() < deadline:
        time.sleep(0.05)
    return read()


def saves(page) -> list[str]:
    """The background saves the page sends from now on (their bodies)."""
    sent = []
    page.on("request", lambda r: sent.append(r.post_data) if r.url.endswith("/answers") else None)
    return sent


def test_a_reason_typed_just_before_following_a_link_is_saved(live_app, page):
    assessment = on_site_at_the_tailoring_page(live_app, page)
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
    assert landed(lambda: stored(live_app, assessment).get(REVIEW)) == ("rejected", REASON)
    assert dialogs == []
    assert len(sent) == 1 and REASON in sent[0]


def test_a_figure_typed_just_before_following_a_link_is_saved(live_app, page):
    assessment = on_site_at_the_tailoring_page(live_app, page)
    page.goto(f"{live_app.config['LIVE_URL']}/assessments/{assessment}/pages/results")
    before = stored(live_app, assessment).get("results.defect_rate")
    sent = saves(page)
    page.fill("input[name='results-defect_rate']", "2.5")
    page.click("nav.nav a >> nth=0")
    page.wait_for_url(re.compile(r".*/(assessments|consultant).*"))
    assert "/pages/results" not in page.url
    figure = landed(lambda: stored(live_app, assessment).get("results.defect_rate"), before)
    assert figure[0] == "2.5"
    assert len(sent) == 1


def test_an_evidence_note_typed_just_before_following_a_link_is_saved(live_app, page):
    assessment = on_site_at_the_tailoring_page(live_app, page)
    page.goto(f"{live_app.config['LIVE_URL']}/assessments/{assessment}/pages/cmmm-personnel")
    first = page.locator(".question").first
    item = first.get_attribute("data-item")
    sent = saves(page)
    first.locator("textarea[data-evidence]").fill("现场查看了规划文件和会议纪要")
    page.click("nav.nav a >> nth=0")
    page.wait_for_url(re.compile(r".*/(assessments|consultant).*"))
    assert "/pages/cmmm-personnel" not in page.url
    assert landed(lambda: note(live_app, assessment, item)) == "现场查看了规划文件和会议纪要"
    assert len(sent) == 1


def test_leaving_while_saves_fail_asks_first(live_app, page, console):
    """Offline, the request may not get through either: the page asks before it goes."""
    on_site_at_the_tailoring_page(live_app, page)
    page.route("**/answers", lambda route: route.abort())
    console.expect(r"ERR_FAILED")  # the refused saves, logged by the browser
    review = page.locator(f".question[data-item='{REVIEW}']")
    review.locator("input[value='rejected']").check()
    offline = page.get_attribute(".wizard", "data-message-offline")
    expect(page.locator("[data-save-status]")).to_have_text(offline)
    page.on("dialog", lambda dialog: dialog.dismiss())
    review.locator("textarea").fill(REASON)
    with page.expect_event("dialog", timeout=5000) as asked:
        page.click("nav.nav a >> nth=0", no_wait_after=True)
    assert asked.value.type == "beforeunload"
    expect(page.locator("[data-save-status]")).to_have_text(offline)  # the reason too, failed
    assert "/pages/tailoring" in page.url  # stayed: the reason is still there, to be saved


def test_leaving_with_nothing_typed_sends_nothing(live_app, page):
    assessment = on_site_at_the_tailoring_page(live_app, page)
    before = stored(live_app, assessment)
    sent = saves(page)
    page.click("nav.nav a >> nth=0")
    page.wait_for_url(re.compile(r".*/(assessments|consultant).*"))
    assert "/pages/tailoring" not in page.url
    page.wait_for_load_state()
    assert sent == []
    assert stored(live_app, assessment) == before
