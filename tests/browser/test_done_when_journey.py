"""Issue 15's Done-when, as one journey in browsers, with mail read from a real SMTP server on
loopback: an owner invites two colleagues (the links from their mailboxes), assigns each a
section; both answer at the same time on different pages; the owner downloads the Excel answer
sheet, has a broken sheet refused with the cell of each problem (nothing saved), uploads a good
one (the change shown), and undoes it with a fresh sheet, reviews the summary with its near-miss warning and
submits; a colleague who forgot the password resets it from the login page and logs in with the
new one."""

from __future__ import annotations

import random
import re
import time

from openpyxl import load_workbook
from playwright.sync_api import expect

from assess.demo.synthetic import answers_for_outcome
from assess.questionnaire.sections import items_of
from assess.store import assessments, organisations, users
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from assess.web.questions import field_name
from tests.browser.conftest import new_tab
from tests.browser.test_answer_sheet_journey import _edited, _upload
from tests.browser.test_team_journey import PASSWORD, join, log_in
from tests.support import MailServer

NEW_PASSWORD = "Browser-new-2026!"


def _mail(smtp, app, to: str, kind: str):
    """The one message of a kind that arrived for an address when the sender ran."""
    found = [m for rcpt, m in smtp.deliver(app) if rcpt == [to] and m["X-Assess-Kind"] == kind]
    assert len(found) == 1, found
    return found[0]


def test_a_team_answers_at_once_uses_the_sheet_reviews_a_near_miss_submits_and_resets(
    live_app, browser, console, smtp, tmp_path
):
    console.expect(r"status of 422 .*/answer-sheet")  # the refused sheet's page
    base = live_app.config["LIVE_URL"]
    live_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    with live_app.app_context():
        q = questionnaires.latest()
    # basic, one rule from advanced: the review warns of the near miss
    answers = answers_for_outcome(q, random.Random(0), "basic", sector="machine_tools")
    db = connect(live_app.config["DATABASE"])
    with write_transaction(db):
        org = organisations.create(
            db,
            name="无锡协同机械有限公司",
            credit_code="913202050000000018",
            region_code="320205",
            sector="machine_tools",
            size="medium",
        )
        users.create(
            db,
            email="owner@example.com",
            name="钱总",
            password=PASSWORD,
            role="enterprise",
            organisation_id=org,
        )
    owner = new_tab(browser, console)
    owner.set_viewport_size({"width": 1366, "height": 900})
    log_in(owner, base, "owner@example.com")
    owner.click("button[name=prefill][value=empty]")
    owner.wait_for_url(re.compile(r".*/pages/profile.*"))
    draft = int(re.search(r"/assessments/(\d+)/", owner.url).group(1))

    # two colleagues invited; each opens the link that reached its mailbox
    owner.goto(base + "/team")
    for email in ("li@example.com", "zhou@example.com"):
        owner.fill("#email", email)
        owner.select_option("#member_role", "contributor")
        owner.click("text=发送邀请")
        expect(owner.locator(".flash-success")).to_contain_text(email)
    li, zhou = new_tab(browser, console), new_tab(browser, console)
    li.set_viewport_size({"width": 390, "height": 844})  # one colleague answers on a phone
    invitations = {rcpt[0]: m for rcpt, m in smtp.deliver(live_app)}
    assert {m["X-Assess-Kind"] for m in invitations.values()} == {"team_invitation"}
    for tab, email, name in ((li, "li@example.com", "李工"), (zhou, "zhou@example.com", "周工")):
        join(tab, base + MailServer.link(invitations[email], "/team/join/"), name)

    # sections: 组织战略 to 李工, 数据 to 周工, each told by mail
    owner.goto(base + "/team")
    owner.select_option("select[name='s:org_strategy']", label="李工")
    owner.select_option("select[name='s:data']", label="周工")
    owner.click("text=保存板块分配")
    expect(owner.locator(".flash-success")).to_be_visible()
    assigned = [m for rcpt, m in smtp.deliver(live_app) if m["X-Assess-Kind"] == "section_assigned"]
    assert sorted(m["To"] for m in assigned) == ["li@example.com", "zhou@example.com"]

    # both answer at the same time, on different pages, one question each in turn
    for tab, page_id in ((li, "cmmm-personnel"), (zhou, "cmmm-technology")):
        tab.click("text=从上次中断处继续")
        tab.wait_for_url(re.compile(rf".*/pages/{page_id}.*"))
        tab.wait_for_load_state()
    expect(li.locator("#item-staff_skills-1 input").first).to_be_disabled()
    mine = {
        tab: [i for i in q.items if i in items_of(q, [section]) and i in answers]
        for tab, section in ((li, "org_strategy"), (zhou, "data"))
    }
    for position in range(max(len(items) for items in mine.values())):
        for tab, items in mine.items():
            if position < len(items):
                item = items[position]
                tab.check(f"input[name='{field_name(item)}'][value='{answers[item].value}']")
                if answers[item].reason:
                    tab.fill(f"textarea[name='{field_name(item)}--reason']", answers[item].reason)
    wanted = {i for items in mine.values() for i in items}
    for _ in range(100):  # the last saves may still be on their way
        stored = assessments.answers(db, draft)
        if wanted <= set(stored):
            break
        time.sleep(0.1)
    for tab in mine:
        expect(tab.locator("[data-save-status]")).to_contain_text("已全部保存")
    for items in mine.values():
        assert {i: stored[i].answer for i in items} == {i: answers[i] for i in items}

    # the owner's own answers (filled in directly, to keep the journey short)
    rest = [(i, a) for i, a in answers.items() if i not in wanted]
    with write_transaction(db):
        assessments.put_answers(db, draft, rest, users.get_by_email(db, "owner@example.com")["id"])

    # the Excel answer sheet: a broken one refused with its cells, a good one applied and shown
    owner.goto(f"{base}/assessments/{draft}/submit")
    with owner.expect_download() as download:
        owner.click("text=答题表（Excel）")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    sheet = load_workbook(path).worksheets[0]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    gate = rows["gate.sound_operations"]
    assert sheet[f"F{gate}"].value == "是"
    _upload(owner, _edited(path, {f"F{gate}": "否", f"F{gate + 1}": "差不多"}))
    expect(owner.locator(".sheet-errors")).to_contain_text(f"F{gate + 1}")
    expect(owner.locator("body")).to_contain_text("没有保存任何内容")
    assert assessments.answers(db, draft)["gate.sound_operations"].answer.value == "yes"
    owner.click("text=返回“检查并提交”")
    _upload(owner, _edited(path, {f"F{gate}": "否"}))
    expect(owner.locator(".sheet-changes")).to_contain_text("否")
    assert assessments.answers(db, draft)["gate.sound_operations"].answer.value == "no"
    owner.click("text=返回“检查并提交”")
    expect(owner.locator(".review-levels")).to_contain_text("尚未达到基础级")
    with owner.expect_download() as download:  # a fresh sheet: the gate answered 否 now
        owner.click("text=答题表（Excel）")
    fresh = tmp_path / "fresh.xlsx"
    download.value.save_as(fresh)
    _upload(owner, _edited(fresh, {f"F{gate}": "是"}))
    expect(owner.locator(".sheet-changes")).to_contain_text("是")
    assert assessments.answers(db, draft)["gate.sound_operations"].answer.value == "yes"
    owner.click("text=返回“检查并提交”")

    # the review: the summary, the near miss; a contributor may not submit; the owner does
    expect(owner.locator(".near-miss")).to_contain_text("先进级只差一条规则")
    expect(owner.locator(".review-levels")).to_contain_text("基础级")
    li.goto(f"{base}/assessments/{draft}/submit")
    expect(li.locator("text=提交并查看结果")).to_have_count(0)
    owner.check("input[name=confirm_submit]")
    owner.click("text=提交并查看结果")
    owner.wait_for_url(re.compile(r".*/results$"))
    assert "基础级" in owner.inner_text("main")
    told = [rcpt[0] for rcpt, m in smtp.deliver(live_app) if m["X-Assess-Kind"] == "submission"]
    assert sorted(told) == ["li@example.com", "zhou@example.com"]  # the team is told

    # 周工 forgot the password: the reset link from the mailbox, then the new password
    zhou.context.clear_cookies()
    zhou.goto(base + "/login")
    zhou.click("text=忘记密码？")
    zhou.fill("#email", "zhou@example.com")
    zhou.click("text=发送链接")
    zhou.wait_for_selector("text=请查看您的邮箱")
    reset = _mail(smtp, live_app, "zhou@example.com", "password_reset")
    zhou.goto(base + MailServer.link(reset, "/password/reset/"))
    zhou.fill("#password", NEW_PASSWORD)
    zhou.fill("#confirm", NEW_PASSWORD)
    zhou.click("text=保存新密码")
    zhou.wait_for_selector("text=密码已更改，请使用新密码登录")
    zhou.fill("#email", "zhou@example.com")
    zhou.fill("#password", NEW_PASSWORD)
    zhou.click("form.stack button[type=submit]")
    zhou.wait_for_url(re.compile(r".*/assessments$"))
    assert _mail(smtp, live_app, "zhou@example.com", "password_changed")
    db.close()
    for tab in (owner, li, zhou):
        tab.context.close()
