"""Questionnaire 2026.1 in a browser: a build-to-print supplier tailors product design out,
enters its key indicators, submits and sees tailoring first and its level subject to results;
on site, its consultant rejects the tailoring and product design is scored."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from playwright.sync_api import expect

from assess.assessment import submission
from assess.demo.synthetic import answers_for_outcome
from assess.questionnaire.pages import pages
from assess.store import assessments, grants, organisations, users
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from assess.web.questions import field_name

PASSWORD = "Browser-test-2026"
SUGGESTED = "企业按客户图纸加工，不自主研发设计产品"


def supplier(app, submitted: bool) -> dict:
    """A build-to-print supplier in Changzhou and its owner; with a submitted self-assessment
    that tailored product design out (and product service), its answers."""
    with app.app_context():
        q = questionnaires.latest()
    answers = answers_for_outcome(
        q,
        random.Random(21),
        "basic",
        sector="agricultural",
        own_design=False,
        in_field=False,
        own_process_planning=True,
    )
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        org = organisations.create(
            db,
            name="常州浏览器配套机械有限公司",
            credit_code="91320412000000009W",
            region_code="320412",
            sector="agricultural",
            size="medium",
        )
        users.create(
            db,
            email="owner@example.com",
            name="周工",
            password=PASSWORD,
            role="enterprise",
            organisation_id=org,
        )
        if submitted:
            own = assessments.create(db, organisation_id=org, questionnaire=q, created_by=None)
            assessments.put_answers(db, own, answers.items(), None)
            submission.submit(db, q, own, answers, submitted_by=None)
    db.close()
    return {"q": q, "answers": answers, "org": org}


def login(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")


def answer_page(page, q, page_def, answers):
    """Answer what applies on the current page, waiting for each background save; typed
    answers are typed, a tailoring keeps the reason the page suggests."""
    for item_id in page_def.item_ids:
        answer = answers.get(item_id)
        if answer is None:
            continue
        name = field_name(item_id)
        if q.items[item_id].type in ("number", "year"):
            page.fill(f"input[name='{name}']", answer.value)
            continue
        values = answer.value if isinstance(answer.value, tuple) else (answer.value,)
        for value in values:
            page.check(f"input[name='{name}'][value='{value}']")
        if answer.reason and not item_id.startswith("tailoring."):
            page.fill(f"textarea[name='{name}--reason']", answer.reason)
    expect(page.locator("[data-save-status]")).not_to_contain_text("正在保存")


def test_a_supplier_tailors_product_design_enters_its_indicators_and_sees_tailoring_first(
    live_app, page
):
    base = live_app.config["LIVE_URL"]
    made = supplier(live_app, submitted=False)
    q, answers = made["q"], made["answers"]
    login(page, base, "owner@example.com")
    page.click("button[name=prefill][value=empty]")
    page.wait_for_url(re.compile(r".*/pages/profile.*"))
    for page_def in pages(q):
        page.wait_for_load_state()  # the page's script listens before anything is answered
        assert f"/pages/{page_def.id}" in page.url
        if page_def.id == "tailoring":
            reason = page.locator("textarea[name='tailoring-product_design--reason']")
            expect(reason).to_be_hidden()  # shown once "Yes" is chosen
            page.check("input[name='tailoring-product_design'][value='yes']")
            expect(reason).to_be_visible()
            expect(reason).to_have_value(SUGGESTED)  # the suggested reason, kept
        if page_def.id == "cmmm-personnel":
            second = page.locator(".question[data-item='org_strategy.2']")
            expect(second).to_have_class(re.compile("is-skipped"))
            page.check("input[name='org_strategy-1'][value='full']")
            expect(second).not_to_have_class(re.compile("is-skipped"))  # opened, live
        if page_def.id == "results":
            box = page.locator("input[name='results-defect_rate']")
            box.fill("120")
            alert = page.locator(".question[data-item='results.defect_rate'] .error")
            expect(alert).to_have_text("请填写 0 至 100 之间的数值。")
            box.fill("")
        answer_page(page, q, page_def, answers)
        last = page_def is pages(q)[-1]
        page.click(f"button[name=go][value={'submit' if last else 'next'}].button")
    page.wait_for_url(re.compile(r".*/submit$"))
    page.check("input[name=confirm_submit]")
    page.click("text=提交并查看结果")
    page.wait_for_url(re.compile(r".*/results$"))
    main = page.inner_text("main")
    assert main.index("能力子域裁剪") < main.index("智能工厂梯度等级")
    assert f"产品设计：已裁剪（{SUGGESTED}）；尚未评审。" in main
    card = page.locator(".level-card.gradient")
    expect(card).to_contain_text("基础级")
    expect(card).to_contain_text("待成效核验")  # no benchmark is set in this province
    expect(card.locator(".value")).to_have_text("尚未达到基础级")  # the confirmed level leads
    expect(page.locator("table.indicators")).to_contain_text("未设定基准值：未评")


def on_site_at_the_tailoring_page(live_app, page) -> int:
    """A consultant on site at the supplier (its self-assessment submitted), on the tailoring
    page of the on-site assessment started from it; the assessment's id."""
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


def test_a_consultant_rejects_a_tailoring_on_site(live_app, page):
    base = live_app.config["LIVE_URL"]
    assessment = on_site_at_the_tailoring_page(live_app, page)
    review = page.locator(".question[data-item='tailoring.product_design.review']")
    expect(review).to_contain_text("评审意见")
    review.locator("input[value='rejected']").check()
    reason = review.locator("textarea")
    expect(reason).to_be_visible()
    refused = review.locator(".error")
    expect(refused).to_have_text("请说明不认可该裁剪的理由。")  # saved at once, without one
    reason.fill("现场查看：企业为部分产品自行设计图纸")
    expect(refused).to_have_count(0)  # saved with the reason
    page.goto(f"{base}/assessments/{assessment}/pages/cmmm-manufacturing-1")
    first = page.locator(".question[data-item='product_design.1']")
    expect(first).not_to_have_class(re.compile("is-skipped"))  # scored again: asked
    first.locator("input[value='none']").check()
    expect(page.locator("[data-save-status]")).to_have_text("已全部保存")
    page.goto(f"{base}/assessments/{assessment}/submit")
    page.fill("input[name=visit_date]", (date.today() - timedelta(days=2)).isoformat())
    page.fill("input[name=site]", "常州机加车间")
    page.fill("input[name=participants]", "钱顾问、周工")
    page.click("text=记录走访")
    page.check("input[name=confirm_submit]")
    page.click("text=提交并查看结果")
    page.wait_for_url(re.compile(r".*/results$"))
    first_section = page.locator("section.tailoring-first")
    expect(first_section).to_contain_text(
        "产品设计：评审者不认可裁剪（现场查看：企业为部分产品自行设计图纸），照常评分。"
    )
    expect(first_section).to_contain_text("产品服务：已裁剪")
