"""On site on a phone (390 px) and a desktop: the enterprise's self-answers beside the ratings,
folded items compact, an Excel file and a phone JPEG as evidence, "same evidence as the item
above", "verify all on this page", the network cut in the middle with answers and notes typed
meanwhile, a reload while they wait, the tab closed and opened again, nothing lost; submit."""

from __future__ import annotations

import functools
import itertools
import re
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assess.assessment import answering
from assess.store import assessments, evidence
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from tests.assessment.test_evidence_files import phone_photo, xlsx
from tests.browser.test_accessibility import FAILING
from tests.browser.test_tailoring_journey import login, on_site_at_the_tailoring_page, supplier

PAGE = "cmmm-personnel"
SHOTS = Path("/tmp/on-site-shots")  # screenshots kept for a person to look at
UNSENT = "Object.keys(localStorage).filter(k => k.startsWith('assess-unsent:')).length"


def read(live_app, assessment: int):
    db = connect(live_app.config["DATABASE"])
    try:
        return (
            assessments.answers(db, assessment),
            evidence.for_assessment(db, assessment),
            (evidence.files(db, assessment)),
        )
    finally:
        db.close()


def until(check, seconds: float = 15.0):
    """What check() returns once it is truthy (the saves land in the background)."""
    deadline = time.monotonic() + seconds
    while not (found := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def asked_pair(page):
    """Two rated items one above the other, both asked (not folded away)."""
    rated = page.locator(".question.q-rating")
    items = [
        (
            rated.nth(n).get_attribute("data-item"),
            "is-skipped" in rated.nth(n).get_attribute("class"),
        )
        for n in range(rated.count())
    ]
    for (above, folded_above), (below, folded_below) in itertools.pairwise(items):
        if not folded_above and not folded_below:
            return above, below
    raise AssertionError(f"no two asked items one above the other: {items}")


def refuse_saves(live_app) -> dict:
    """The background saves answered 503 (a network that lets pages through, not saves) while
    the returned flag is on."""
    refusing = {"on": True}
    original = live_app.view_functions["wizard.autosave"]

    @functools.wraps(original)
    def flaky(*args, **kwargs):
        return ("", 503) if refusing["on"] else original(*args, **kwargs)

    live_app.view_functions["wizard.autosave"] = flaky
    return refusing


def other_option(question) -> str:
    """An option of a rated item other than the one chosen."""
    radios = question.locator("input[type=radio]")
    for n in range(radios.count()):
        if not radios.nth(n).is_checked():
            return radios.nth(n).get_attribute("value")
    raise AssertionError("no other option")


@pytest.mark.parametrize("width", [390, 1366])
def test_on_site_with_the_network_cut_in_the_middle(live_app, browser, console, tmp_path, width):
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 500 else 900},
        locale="zh-CN",
        accept_downloads=True,
    )
    console.watch(context)
    console.expect(r"ERR_INTERNET_DISCONNECTED|ERR_FAILED|503")  # the saves refused meanwhile
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_app.config["LIVE_URL"]
    assessment = on_site_at_the_tailoring_page(live_app, page)
    url = f"{base}/assessments/{assessment}/pages/{PAGE}"
    page.goto(url)

    # the enterprise's own answer beside each asked rating; folded items are one line
    above, below = asked_pair(page)
    first = page.locator(f".question[data-item='{above}']")
    second = page.locator(f".question[data-item='{below}']")
    expect(first.locator(".self-answer")).to_be_visible()
    expect(first.locator(".self-answer")).to_contain_text("企业自评：")
    for folded in page.locator(".question.is-skipped").all():
        expect(folded.locator(".evidence")).to_be_hidden()
        expect(folded.locator(".self-answer")).to_be_hidden()
    expect(page.locator(".on-site-bar")).to_contain_text("每个不超过 10 MB")
    serious = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in FAILING]
    assert serious == []

    # an Excel 台账 and a photo straight from the phone, saved with the page
    sheet, photo = tmp_path / "设备点检台账.xlsx", tmp_path / "IMG_0412.JPG"
    sheet.write_bytes(xlsx())
    photo.write_bytes(phone_photo()[0])
    first.locator("input[type=file]").set_input_files([str(sheet), str(photo)])
    page.click("button[name=go][value=stay]")
    page.wait_for_load_state()
    expect(first.locator(".evidence-files")).to_contain_text("设备点检台账.xlsx")
    expect(first.locator(".evidence-files")).to_contain_text("IMG_0412.JPG")
    # the same two files for the item below, by reference
    second.locator("button[name=same_as_above]").click()
    page.wait_for_load_state()
    expect(second.locator(".evidence-files li")).to_have_count(2)
    files = read(live_app, assessment)[2]
    assert len({f["stored_name"] for f in files}) == 2 and len(files) == 4

    # verify the page at once
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"on-site-{width}-before-verify.png"))
    verify = page.locator("[data-verify-page]")
    count = int(re.search(r"（(\d+) 项", verify.inner_text()).group(1))
    verify.click()
    page.wait_for_load_state()
    expect(page.locator(".flash")).to_contain_text(f"本页已将 {count} 项答案标记为已核实。")
    expect(first.locator("input[type=checkbox][data-evidence]")).to_be_checked()
    expect(page.locator("[data-verify-page]")).to_have_count(0)
    page.screenshot(path=str(SHOTS / f"on-site-{width}.png"))
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"on-site-{width}-item.png"))

    # the network goes; the consultant goes on answering and noting
    changed = other_option(first)
    context.set_offline(True)
    expect(first.locator("[data-self-changed]")).to_be_hidden()
    first.locator(f"input[value='{changed}']").check()
    expect(first.locator("[data-self-changed]")).to_be_visible()  # differs now: said at once
    second.locator("textarea[data-evidence]").fill("离线时记录：查看了培训台账")
    waiting = page.locator("[data-waiting]")
    expect(waiting).to_be_visible()
    expect(waiting).to_contain_text("网络已断开：2 处修改暂存在本浏览器中")
    expect(first).to_have_class(re.compile("is-waiting"))
    assert page.evaluate(UNSENT) == 2
    page.screenshot(path=str(SHOTS / f"on-site-{width}-offline.png"))

    # a reload while they wait (the page comes back, the saves still do not get through)
    # (a save sent with keepalive as the page goes is not held by Playwright's offline mode:
    # the server refuses the saves meanwhile)
    refusing = refuse_saves(live_app)
    context.set_offline(False)
    page.reload()
    first = page.locator(f".question[data-item='{above}']")
    second = page.locator(f".question[data-item='{below}']")
    expect(first.locator(f"input[value='{changed}']")).to_be_checked()
    expect(second.locator("textarea[data-evidence]")).to_have_value("离线时记录：查看了培训台账")
    expect(page.locator("[data-waiting]")).to_be_visible()
    assert read(live_app, assessment)[0][above].answer.value != changed  # not sent yet
    first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"on-site-{width}-reloaded-offline.png"))

    # the connection is back: sent through the autosave, nothing waits any more
    refusing["on"] = False
    context.set_offline(True)
    context.set_offline(False)  # the browser says "online" again
    assert until(lambda: read(live_app, assessment)[0][above].answer.value == changed)
    assert until(lambda: (read(live_app, assessment)[1].get(below) or {}).get("note"))
    assert read(live_app, assessment)[1][below]["note"] == "离线时记录：查看了培训台账"
    expect(page.locator("[data-waiting]")).to_be_hidden()
    assert until(lambda: page.evaluate(UNSENT) == 0)

    # offline again, a note typed, the tab closed; opened again once the network is back
    context.set_offline(True)
    first.locator("textarea[data-evidence]").fill("关闭页面前补充：已与厂长确认")
    until(lambda: page.evaluate(UNSENT) == 1, 5)
    page.close()
    context.set_offline(False)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(url)
    expect(page.locator(f".question[data-item='{above}'] textarea[data-evidence]")).to_have_value(
        "关闭页面前补充：已与厂长确认"
    )
    assert until(
        lambda: (
            (read(live_app, assessment)[1].get(above) or {}).get("note")
            == "关闭页面前补充：已与厂长确认"
        )
    )
    assert until(lambda: page.evaluate(UNSENT) == 0)

    # submit
    page.goto(f"{base}/assessments/{assessment}/submit")
    page.fill("input[name=visit_date]", (date.today() - timedelta(days=1)).isoformat())
    page.fill("input[name=site]", "常州机加车间")
    page.fill("input[name=participants]", "钱顾问、周工")
    page.click("text=记录走访")
    if page.locator("input[name=confirm_carried]").count():
        page.check("input[name=confirm_carried]")
    page.set_default_timeout(90000)  # the submit readies the PDF report in the request here
    page.check("input[name=confirm_submit]")
    page.click("text=提交并查看结果")
    page.wait_for_url(re.compile(r".*/results$"))
    assert read(live_app, assessment)[0][above].answer.value == changed
    context.close()
    shutil.copy(SHOTS / f"on-site-{width}.png", tmp_path / "kept.png")


def test_an_answer_typed_offline_over_a_newer_one_is_shown_not_overwritten(live_app, page, console):
    """Offline, the consultant changes an answer; meanwhile another window saves a newer one.
    Back online, the newer answer stays and is shown, and the page says what was typed."""
    console.expect(r"ERR_INTERNET_DISCONNECTED|ERR_FAILED")
    assessment = on_site_at_the_tailoring_page(live_app, page)
    page.goto(f"{live_app.config['LIVE_URL']}/assessments/{assessment}/pages/{PAGE}")
    above, _ = asked_pair(page)
    question = page.locator(f".question[data-item='{above}']")
    radios = [
        question.locator("input[type=radio]").nth(n).get_attribute("value")
        for n in range(question.locator("input[type=radio]").count())
    ]
    stored = read(live_app, assessment)[0][above]
    mine, theirs = [v for v in radios if v != stored.answer.value][:2]
    page.context.set_offline(True)
    question.locator(f"input[value='{mine}']").check()
    expect(page.locator("[data-waiting]")).to_be_visible()
    db = connect(live_app.config["DATABASE"])  # another window saves a newer answer meanwhile
    with live_app.app_context():
        q = questionnaires.latest()
    try:
        outcome = answering.save(
            db, q, assessment, None, [answering.Proposed(above, theirs, "", stored.revision + 5)]
        )
    finally:
        db.close()
    assert outcome[0].status == "saved"
    page.context.set_offline(False)
    conflict = question.locator("[data-conflict]")
    expect(conflict).to_contain_text("您离线时填写的答案未保存")
    label = question.locator(f"input[value='{mine}']").locator("xpath=..").inner_text().strip()
    expect(conflict).to_contain_text(f"您填写的是：{label}")
    expect(question.locator(f"input[value='{theirs}']")).to_be_checked()
    assert read(live_app, assessment)[0][above].answer.value == theirs
    assert until(lambda: page.evaluate(UNSENT) == 0)


def test_an_enterprise_answer_typed_offline_survives_closing_the_tab(live_app, browser, console):
    """The enterprise's wizard shares the keeping: offline, an answer chosen, the tab closed;
    the page opened again once the network is back sends it."""
    console.expect(r"ERR_INTERNET_DISCONNECTED|ERR_FAILED")
    made = supplier(live_app, submitted=False)
    db = connect(live_app.config["DATABASE"])
    with live_app.app_context():
        q = questionnaires.latest()
    with write_transaction(db):
        draft = assessments.create(
            db, organisation_id=made["org"], questionnaire=q, created_by=None
        )
    db.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    console.watch(context)
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_app.config["LIVE_URL"]
    login(page, base, "owner@example.com")
    page.wait_for_url(re.compile(r".*/assessments$"))
    url = f"{base}/assessments/{draft}/pages/gate"
    page.goto(url)
    question = page.locator(".question").first
    item = question.get_attribute("data-item")
    value = question.locator("input[type=radio]").first.get_attribute("value")
    context.set_offline(True)
    question.locator(f"input[value='{value}']").check()
    expect(page.locator("[data-waiting]")).to_contain_text("1 处修改暂存在本浏览器中")
    page.close()
    context.set_offline(False)
    assert item not in read(live_app, draft)[0]
    page = context.new_page()
    page.goto(url)
    expect(page.locator(f".question[data-item='{item}'] input[value='{value}']")).to_be_checked()
    assert until(lambda: item in read(live_app, draft)[0])
    assert read(live_app, draft)[0][item].answer.value == value
    assert until(lambda: page.evaluate(UNSENT) == 0)
    context.close()
