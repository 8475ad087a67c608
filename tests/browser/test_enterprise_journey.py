"""A new enterprise, in a browser: registers, answers over two sittings, submits, sees its result."""

from __future__ import annotations

import json
import random
import re

from playwright.sync_api import expect

from assess.demo.synthetic import answers_for_outcome
from assess.questionnaire.pages import pages
from assess.store.database import connect
from assess.web import questionnaires
from assess.web.questions import field_name
from tests.support import outbox_link

PASSWORD = "Browser-test-2026"


def register(page, base):
    page.goto(base + "/register")
    page.fill("#name", "常州浏览器测试机械有限公司")
    page.fill("#credit_code", "913204120000000027")
    page.select_option("#province", "320000")
    page.locator("#city option").nth(1).wait_for(state="attached")
    page.select_option("#city", "320400")
    page.locator("#county option").nth(1).wait_for(state="attached")
    page.select_option("#county", "320412")
    page.select_option("#sector", "agricultural")
    page.select_option("#size", "medium")
    page.fill("#contact_name", "周工")
    page.fill("#email", "zhou@example.com")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.check("#consent")  # the privacy notice, agreed to
    page.click("form[data-region-form] button[type=submit]:not([name=refresh])")
    page.wait_for_url(base + "/assessments")


def registered_with_an_empty_assessment(page, base) -> int:
    """A new enterprise registered, its first assessment started empty; the assessment's id."""
    register(page, base)
    page.click("button[name=prefill][value=empty]")
    page.wait_for_url(re.compile(r".*/pages/profile.*"))
    return int(re.search(r"/assessments/(\d+)/", page.url).group(1))


def answer_page(page, q, page_def, answers):
    """Answer what applies on the current wizard page, waiting for each background save."""
    for item_id in page_def.item_ids:
        answer = answers.get(item_id)
        if answer is None:
            continue
        name = field_name(item_id)
        if q.items[item_id].type in ("number", "year"):  # typed, saved as typing stops
            page.fill(f"input[name='{name}']", answer.value)
            continue
        values = answer.value if isinstance(answer.value, tuple) else (answer.value,)
        for value in values:
            page.check(f"input[name='{name}'][value='{value}']")
        if answer.reason:
            page.fill(f"textarea[name='{name}--reason']", answer.reason)
    # the page's CSP forbids eval, so wait through a locator rather than wait_for_function
    expect(page.locator("[data-save-status]")).not_to_contain_text("正在保存")


def test_register_answer_in_two_sittings_submit_and_see_the_result(live_app, page):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        q = questionnaires.latest()
    answers = answers_for_outcome(q, random.Random(42), "basic", sector="agricultural")
    register(page, base)
    page.click("button[name=prefill][value=empty]")
    page.wait_for_url(re.compile(r".*/pages/profile.*"))
    all_pages = pages(q)
    # first sitting: the first half of the pages, moving on with "Save and continue"
    for page_def in all_pages[:6]:
        page.wait_for_load_state()  # the page's script listens before anything is answered
        assert page_def.id in page.url
        answer_page(page, q, page_def, answers)
        page.click("button[name=go][value=next]")
    page.click("button.link-button")  # log out
    # between sittings the owner confirms the address with the link of the sign-up mail
    db = connect(live_app.config["DATABASE"])
    confirmation = outbox_link(db, "zhou@example.com", "/confirm/")
    db.close()
    page.goto(base + confirmation)
    page.click("text=确认邮箱")
    page.wait_for_selector("text=已验证")
    # second sitting: log in, resume lands on the first unanswered page
    page.goto(base + "/login")
    page.fill("input[name=email]", "zhou@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.click("text=从上次中断处继续")
    page.wait_for_url(re.compile(rf".*/pages/{all_pages[6].id}.*"))
    for page_def in all_pages[6:]:
        page.wait_for_load_state()
        answer_page(page, q, page_def, answers)
        last = page_def is all_pages[-1]
        page.click(f"button[name=go][value={'submit' if last else 'next'}].button")
    page.wait_for_url(re.compile(r".*/submit$"))
    page.check("input[name=confirm_submit]")
    page.click("text=提交并查看结果")
    page.wait_for_url(re.compile(r".*/results$"))
    body = page.inner_text("main")
    assert "基础级" in body and "非官方评定" in body
    twin = json.loads(page.goto(page.url + ".json").text())
    from assess.scoring import score

    expected = score(q, answers)
    assert twin["gradient_level"] == expected.gradient_level == "basic"
    assert twin["cmmm"]["total_score"] == expected.cmmm.total_score
