"""A firm with two consultants, in a browser: one hands a client over to the other, who
finishes the on-site assessment (its answers verified through the test helpers: the on-site
pages are another journey's), submits it and downloads the verified report; the enterprise
sees who holds its access now."""

from __future__ import annotations

import random
import re
import subprocess
from datetime import date, timedelta

from assess.demo.synthetic import answers_for_outcome
from assess.scoring import score
from assess.store import assessments, firms, grants, organisations, users
from assess.store import evidence as evidence_store
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from tests.support import to_verify_on_site

PASSWORD = "Browser-test-2026"


def a_firm_and_a_client(app) -> int:
    """江南智造 with 王顾问 and 李顾问; 王顾问 holds a client with a submitted self-assessment."""
    db = connect(app.config["DATABASE"])
    with app.app_context():
        q = questionnaires.latest()
    answers = answers_for_outcome(q, random.Random(11), "advanced", sector="machine_tools")
    with write_transaction(db):
        org = organisations.create(
            db,
            name="苏州移交测试机床有限公司",
            credit_code="91320505000000001X",
            region_code="320505",
            sector="machine_tools",
            size="medium",
        )
        users.create(
            db,
            email="boss@example.com",
            name="厂长",
            password=PASSWORD,
            role="enterprise",
            organisation_id=org,
        )
        firm = firms.create(db, name="江南智造咨询有限公司", qualification="CMMM 评估师 A-0417")
        for email, name in (("wang@example.com", "王顾问"), ("li@example.com", "李顾问")):
            user = users.create(db, email=email, name=name, password=PASSWORD, role="consultant")
            firms.set_firm(db, user, firm)
        grants.grant_registered(db, org, users.get_by_email(db, "wang@example.com")["id"])
        own = assessments.create(db, organisation_id=org, questionnaire=q, created_by=None)
        assessments.put_answers(db, own, answers.items(), None)
        assessments.record_result(db, own, score(q, answers), submitted_by=None)
    db.close()
    return org


def verify_everything(app, assessment_id: int, email: str) -> None:
    """What the on-site pages would record: every rated and deciding answer verified."""
    db = connect(app.config["DATABASE"])
    consultant = users.get_by_email(db, email)["id"]
    with app.test_request_context():
        rated, deciding = to_verify_on_site(db, assessment_id)
    with write_transaction(db):
        for item in rated + deciding:
            evidence_store.save(
                db,
                assessment_id,
                item,
                note="",
                quality="observed",
                verified=True,
                user_id=consultant,
            )
    db.close()


def login(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")


def test_a_client_handed_over_is_assessed_and_reported_by_the_colleague(live_app, page, tmp_path):
    base = live_app.config["LIVE_URL"]
    page.set_default_timeout(60_000)  # submitting renders the report in the request here
    org = a_firm_and_a_client(live_app)
    # 王顾问 starts on site, then hands the client (and the draft) to 李顾问
    login(page, base, "wang@example.com")
    page.goto(f"{base}/consultant/clients/{org}")
    page.click("text=从企业自评估开始")
    page.wait_for_url(re.compile(r".*/assessments/\d+/(pages/.*|submit)$"))
    assessment = int(re.search(r"/assessments/(\d+)/", page.url).group(1))
    page.goto(f"{base}/consultant/clients/{org}")
    page.select_option("#hand-over-to", label="李顾问 (li@example.com)")
    page.click("#hand-over button[type=submit]")
    page.wait_for_url(re.compile(r".*/consultant$"))
    assert "李顾问" in page.inner_text(".flash, main")
    assert "苏州移交测试机床有限公司" not in page.inner_text("main")
    page.click("button.link-button")  # log out
    # 李顾问 has the client, on site, and finishes the assessment
    login(page, base, "li@example.com")
    page.goto(base + "/consultant")
    row = page.locator("table.portfolio tr", has_text="苏州移交测试机床有限公司")
    assert row.get_attribute("class") == "status-on_site"
    verify_everything(live_app, assessment, "li@example.com")
    page.goto(f"{base}/assessments/{assessment}/submit")
    page.fill("input[name=visit_date]", (date.today() - timedelta(days=2)).isoformat())
    page.fill("input[name=site]", "虎丘总装车间")
    page.fill("input[name=participants]", "李顾问、厂长")
    page.click("text=记录走访")
    page.check("input[name=confirm_submit]")
    page.click("text=提交并查看结果")
    page.wait_for_url(re.compile(r".*/results$"))
    assert page.inner_text("h1") == "现场评估结果"
    with page.expect_download() as download:
        page.click("text=下载现场评估报告")
    assert "现场评估报告" in download.value.suggested_filename
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    text = subprocess.run(
        ["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "江南智造咨询有限公司" in text and "李顾问" in text and "自评估/诊断结果" not in text
    page.click("button.link-button")
    # the enterprise sees who holds its access now, and who handed it over
    login(page, base, "boss@example.com")
    page.goto(base + "/consultants")
    access = page.inner_text("table")
    assert "李顾问" in access and "由王顾问于" in access
