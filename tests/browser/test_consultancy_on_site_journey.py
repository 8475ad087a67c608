"""Issue 16's consultancy journey in one go, on a phone (390 px) and a desktop (1366 px): a firm of two consultants, one
hands a client (and its on-site draft) to the other, who works the on-site page with the
enterprise's self-answers and comments beside the ratings, an Excel 台账 and a phone JPEG as
evidence, "verify all on this page", the network cut in the middle (an answer changed and an
evidence note typed offline, while a note of the same item is saved from another device: both
kept, the page says so), submits, downloads the verified report; the enterprise sees who holds
its access now."""

from __future__ import annotations

import re
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assess.store import answer_comments, assessments, users
from assess.store import evidence as evidence_store
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from tests.assessment.test_evidence_files import phone_photo, xlsx
from tests.browser.test_consultancy_journey import PASSWORD, a_firm_and_a_client
from tests.browser.test_on_site_journey import PAGE, UNSENT, asked_pair, other_option, read, until
from tests.support import to_verify_on_site

SHOTS = Path("/tmp/consultancy-shots")  # screenshots kept for a person to look at
CLIENT = "苏州移交测试机床有限公司"
COMMENT = "战略规划 2026 年修订中，新版待董事会审议"


def with_a_comment(app, org: int) -> None:
    """The enterprise commented on an answer of its self-assessment."""
    db = connect(app.config["DATABASE"])
    own = next(r for r in assessments.for_organisation(db, org) if r["mode"] == "self")
    with write_transaction(db):
        answer_comments.put(db, own["id"], "org_strategy.1", COMMENT, None)
    db.close()


def verify_the_rest(app, assessment_id: int, email: str) -> None:
    """What the other on-site pages would record: every rated and deciding answer not yet
    verified is verified, its note and quality kept."""
    db = connect(app.config["DATABASE"])
    consultant = users.get_by_email(db, email)["id"]
    with app.test_request_context():
        rated, deciding = to_verify_on_site(db, assessment_id)
    known = evidence_store.for_assessment(db, assessment_id)
    with write_transaction(db):
        for item in rated + deciding:
            found = known.get(item) or {}
            if found.get("verified_by"):
                continue
            evidence_store.save(
                db,
                assessment_id,
                item,
                note=found.get("note", ""),
                quality=found.get("evidence_quality") or "observed",
                verified=True,
                user_id=consultant,
            )
    db.close()


def saved_elsewhere(app, assessment_id: int, item: str, note: str, email: str) -> None:
    """The consultant's tablet, online, saves a note on the item (the page's own path)."""
    from assess.assessment import answering

    db = connect(app.config["DATABASE"])
    with app.app_context():
        q = questionnaires.latest()
    consultant = users.get_by_email(db, email)["id"]
    answering.save_evidence(db, assessment_id, consultant, [(item, note, None, True)], q)
    db.close()


def login(page, base: str, email: str) -> None:
    page.context.clear_cookies()  # logged out (the menu's button folds away on a phone)
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()


def shot(page, name: str, full: bool = True) -> None:
    SHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{width}-{name}.png"), full_page=full)


def no_wider_than_the_screen(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [390, 1366])
def test_a_consultancy_hands_over_assesses_on_site_and_reports(
    live_app, browser, console, tmp_path, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 500 else 900},
        locale="zh-CN",
        accept_downloads=True,
    )
    console.watch(context)
    console.expect(r"ERR_INTERNET_DISCONNECTED|ERR_FAILED")  # the saves tried while offline
    page = context.new_page()
    page.set_default_timeout(20_000)
    base = live_app.config["LIVE_URL"]
    org = a_firm_and_a_client(live_app)
    with_a_comment(live_app, org)

    # 王顾问 starts on site from the self-assessment, then hands the client to 李顾问
    login(page, base, "wang@example.com")
    page.goto(f"{base}/consultant/clients/{org}")
    page.click("text=从企业自评估开始")
    page.wait_for_url(re.compile(r".*/assessments/\d+/(pages/.*|submit)$"))
    assessment = int(re.search(r"/assessments/(\d+)/", page.url).group(1))
    page.goto(f"{base}/consultant/clients/{org}")
    expect(page.locator("#hand-over")).to_be_visible()
    no_wider_than_the_screen(page)
    shot(page, "1-client-hand-over")
    page.select_option("#hand-over-to", label="李顾问 (li@example.com)")
    page.click("#hand-over button[type=submit]")
    page.wait_for_url(re.compile(r".*/consultant$"))
    expect(page.locator(".flash").first).to_contain_text("李顾问")
    expect(page.locator("main")).not_to_contain_text(CLIENT)

    # 李顾问 has the client, on site, in the portfolio's cards
    login(page, base, "li@example.com")
    page.goto(base + "/consultant")
    row = page.locator("table.portfolio tr", has_text=CLIENT)
    assert row.get_attribute("class") == "status-on_site"
    expect(row).to_contain_text("继续现场评估")
    no_wider_than_the_screen(page)
    shot(page, "2-portfolio")

    # the on-site page: the enterprise's answer and comment beside the rating
    url = f"{base}/assessments/{assessment}/pages/{PAGE}"
    page.goto(url)
    commented = page.locator(".question[data-item='org_strategy.1']")
    expect(commented.locator(".self-answer")).to_contain_text("企业自评：")
    expect(commented.locator("[data-self-comment]")).to_have_text(f"企业备注：{COMMENT}")
    above, below = asked_pair(page)
    first = page.locator(f".question[data-item='{above}']")
    second = page.locator(f".question[data-item='{below}']")
    # an Excel 台账 and a photo straight from the phone's camera, saved with the page
    sheet, photo = tmp_path / "设备点检台账.xlsx", tmp_path / "IMG_0412.JPG"
    sheet.write_bytes(xlsx())
    photo.write_bytes(phone_photo()[0])
    first.locator("input[type=file]").set_input_files([str(sheet), str(photo)])
    page.click("button[name=go][value=stay]")
    page.wait_for_load_state()
    expect(first.locator(".evidence-files")).to_contain_text("设备点检台账.xlsx")
    expect(first.locator(".evidence-files")).to_contain_text("IMG_0412.JPG")
    # verify the page at once
    verify = page.locator("[data-verify-page]")
    count = int(re.search(r"（(\d+) 项", verify.inner_text()).group(1))
    verify.click()
    page.wait_for_load_state()
    expect(page.locator(".flash")).to_contain_text(f"本页已将 {count} 项答案标记为已核实。")
    expect(first.locator("input[type=checkbox][data-evidence]")).to_be_checked()
    no_wider_than_the_screen(page)
    commented.scroll_into_view_if_needed()
    shot(page, "3-on-site-comment", full=False)

    # the network goes: an answer changed and a note typed; meanwhile the tablet, online,
    # saves another note on the same item
    changed = other_option(first)
    context.set_offline(True)
    first.locator(f"input[value='{changed}']").check()
    note = second.locator("textarea[data-evidence]")
    note.fill("离线记录：查看了培训台账")
    expect(page.locator("[data-waiting]")).to_contain_text("网络已断开：2 处修改暂存在本浏览器中")
    assert until(lambda: page.evaluate(UNSENT) == 2, 5)
    second.scroll_into_view_if_needed()
    shot(page, "4-offline", full=False)
    saved_elsewhere(live_app, assessment, below, "平板记录：培训计划已审阅", "li@example.com")

    # back online: the answer is saved; both notes are kept, and the page says so
    context.set_offline(False)
    assert until(lambda: read(live_app, assessment)[0][above].answer.value == changed)
    both = "平板记录：培训计划已审阅\n\n离线记录：查看了培训台账"
    assert until(lambda: (read(live_app, assessment)[1].get(below) or {}).get("note") == both)
    expect(second.locator("[data-note-conflict]")).to_contain_text("两段文字都已保留")
    expect(note).to_have_value(both)
    assert until(lambda: page.evaluate(UNSENT) == 0)
    expect(page.locator("[data-waiting]")).to_be_hidden()
    second.scroll_into_view_if_needed()
    shot(page, "5-note-conflict", full=False)
    # the consultant shortens the note: that edit replaces both
    note.fill("培训计划已审阅，培训台账已查看")
    note.blur()
    assert until(
        lambda: (
            (read(live_app, assessment)[1].get(below) or {}).get("note")
            == "培训计划已审阅，培训台账已查看"
        )
    )

    # the other pages' checks, then submit on the phone and download the verified report
    verify_the_rest(live_app, assessment, "li@example.com")
    page.goto(f"{base}/assessments/{assessment}/submit")
    page.fill("input[name=visit_date]", (date.today() - timedelta(days=2)).isoformat())
    page.fill("input[name=site]", "虎丘总装车间")
    page.fill("input[name=participants]", "李顾问、厂长")
    page.click("text=记录走访")
    if page.locator("input[name=confirm_carried]").count():
        page.check("input[name=confirm_carried]")
    page.set_default_timeout(90_000)  # submitting readies the PDF in the request here
    page.check("input[name=confirm_submit]")
    page.click("text=提交并查看结果")
    page.wait_for_url(re.compile(r".*/results$"))
    assert page.inner_text("h1") == "现场评估结果"
    no_wider_than_the_screen(page)
    shot(page, "6-results")
    with page.expect_download() as download:
        page.click("text=下载现场评估报告")
    assert "现场评估报告" in download.value.suggested_filename
    saved = SHOTS / f"{width}-verified-report.pdf"
    download.value.save_as(saved)
    text = subprocess.run(
        ["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "江南智造咨询有限公司" in text and "李顾问" in text and "自评估/诊断结果" not in text
    assert read(live_app, assessment)[0][above].answer.value == changed

    # the enterprise sees who holds its access now, and who handed it over
    login(page, base, "boss@example.com")
    page.goto(base + "/consultants")
    access = page.locator("table").first
    expect(access).to_contain_text("李顾问")
    expect(access).to_contain_text("由王顾问于")
    no_wider_than_the_screen(page)
    shot(page, "7-enterprise-consultants")
    context.close()


def test_a_note_typed_offline_too_long_beside_the_one_saved_meanwhile_stays_in_the_box(
    live_app, page, console
):
    """Both notes together longer than a note may be: the one saved meanwhile stays, ours stays
    in the box and in this browser (a reload sends it again), and the page shows the other
    one to combine them; the combined note, typed, replaces it."""
    from assess.assessment.answering import MAX_NOTE
    from tests.browser.test_tailoring_journey import on_site_at_the_tailoring_page

    console.expect(r"ERR_INTERNET_DISCONNECTED|ERR_FAILED")
    assessment = on_site_at_the_tailoring_page(live_app, page)
    page.goto(f"{live_app.config['LIVE_URL']}/assessments/{assessment}/pages/{PAGE}")
    above, _ = asked_pair(page)
    note = page.locator(f".question[data-item='{above}'] textarea[data-evidence]")
    page.context.set_offline(True)
    note.fill("离线记录：" + "查" * 300)
    assert until(lambda: page.evaluate(UNSENT) == 1, 5)
    theirs = "平板：" + "审" * (MAX_NOTE - 100)
    saved_elsewhere(live_app, assessment, above, theirs, "qian@example.com")
    page.context.set_offline(False)
    notice = page.locator(f".question[data-item='{above}'] [data-note-conflict]")
    expect(notice).to_contain_text("请将两者合并为一条说明")
    expect(notice).to_contain_text(theirs[:20])
    expect(note).to_have_value("离线记录：" + "查" * 300)
    assert read(live_app, assessment)[1][above]["note"] == theirs
    assert page.evaluate(UNSENT) == 1  # still kept in this browser
    note.fill("合并后的说明：平板与离线记录均已核对")
    note.blur()
    assert until(
        lambda: (
            read(live_app, assessment)[1][above]["note"] == "合并后的说明：平板与离线记录均已核对"
        )
    )
    assert until(lambda: page.evaluate(UNSENT) == 0)
