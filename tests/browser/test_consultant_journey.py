"""A new consultant, in a browser: accepts an invitation, verifies on site with evidence,
submits, downloads the verified report and compares it with the self-assessment."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from assess.demo.synthetic import answers_for_outcome
from assess.scoring import score
from assess.store import assessments, organisations, users
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from tests.support import (
    PNG,  # a real PNG: evidence photos are decoded and encoded again
    outbox_link,
)

PASSWORD = "Browser-test-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def enterprise_with_self_assessment(app) -> None:
    db = connect(app.config["DATABASE"])
    with app.app_context():
        q = questionnaires.latest()
    answers = answers_for_outcome(q, random.Random(7), "advanced", sector="rail")
    with write_transaction(db):
        org = organisations.create(
            db,
            name="株洲浏览器轨道装备有限公司",
            credit_code="914302030000000011"[:17] + "X",
            region_code="430203",
            sector="rail",
            size="large",
        )
        users.create(
            db,
            email="boss@example.com",
            name="厂长",
            password=PASSWORD,
            role="enterprise",
            organisation_id=org,
        )
        own = assessments.create(db, organisation_id=org, questionnaire=q, created_by=None)
        assessments.put_answers(db, own, answers.items(), None)
        assessments.record_result(db, own, score(q, answers), submitted_by=None)
    db.close()


def login(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")


def test_invitation_on_site_evidence_verified_report_and_comparison(live_app, page, tmp_path):
    from assess.organisation.credit_code import check_character

    base = live_app.config["LIVE_URL"]
    code = "91430203000000001" + check_character("91430203000000001")
    enterprise_with_self_assessment(live_app)
    db = connect(live_app.config["DATABASE"])
    db.execute("UPDATE organisations SET credit_code = ?", [code])
    db.close()
    # the enterprise invites its consultant
    login(page, base, "boss@example.com")
    page.goto(base + "/consultants")
    page.fill("#email", "newconsultant@example.com")
    page.click("text=发送邀请")
    page.wait_for_selector("text=邀请已通过电子邮件发送至 newconsultant@example.com")
    page.click("button.link-button")  # log out
    # a new consultant opens the link of the invitation mail and creates an account
    db = connect(live_app.config["DATABASE"])
    link = base + outbox_link(db, "newconsultant@example.com", "/invitations/")
    db.close()
    page.goto(link)
    page.fill("#name", "钱顾问")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.check("#consent")  # the privacy notice, agreed to
    page.click("text=创建账户并接受邀请")
    page.wait_for_url(re.compile(r".*/consultant/clients/\d+$"))
    page.click("text=从企业自评估开始")
    page.wait_for_url(re.compile(r".*/assessments/\d+/(pages/.*|submit)$"))
    assessment = re.search(r"/assessments/(\d+)/", page.url).group(1)
    page.goto(f"{base}/assessments/{assessment}/pages/cmmm-personnel")
    first = page.locator(".question").first
    first.locator("input[type=checkbox][data-evidence]").check()
    first.locator("select[data-evidence]").select_option("observed")
    first.locator("textarea[data-evidence]").fill("现场查看了规划文件和会议纪要")
    photo, pdf = tmp_path / "现场照片.png", tmp_path / "规划.pdf"
    photo.write_bytes(PNG)
    pdf.write_bytes(PDF)
    first.locator("input[type=file]").set_input_files([str(photo), str(pdf)])
    dialogs = []  # Save right after typing: no "leave the page?" prompt (the post sends it all)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    first.locator("textarea[data-evidence]").fill("现场查看了规划文件和会议纪要，并访谈了厂长")
    page.click("button[name=go][value=stay]")
    page.wait_for_load_state()
    assert dialogs == []
    assert "并访谈了厂长" in page.locator("textarea[data-evidence]").first.input_value()
    assert "现场照片.png" in page.inner_text("main") and "规划.pdf" in page.inner_text("main")
    # check, record the visit, submit
    page.click("button[name=go][value=submit]")
    page.fill("input[name=visit_date]", (date.today() - timedelta(days=3)).isoformat())
    page.fill("input[name=site]", "株洲总装车间")
    page.fill("input[name=participants]", "钱顾问、厂长")
    page.click("text=记录走访")
    page.check("input[name=confirm_submit]")
    page.click("text=提交并查看结果")
    page.wait_for_url(re.compile(r".*/results$"))
    assert "由评估顾问钱顾问现场核实：已核实评分答案 1 /" in page.inner_text("main")
    with page.expect_download() as download:
        page.click("text=下载现场评估报告")
    saved = tmp_path / "report.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF") and download.value.suggested_filename.endswith(
        ".pdf"
    )
    page.click("text=与自评估对比")
    assert "自评估与现场核实" in page.inner_text("main")


def test_autosave_stops_and_says_why_when_the_assessment_is_no_longer_open(live_app, page, console):
    """A page open while access goes (an assessment moved away here): the background save gets
    a 404 and says so once, instead of "retrying" for ever."""
    enterprise_with_self_assessment(live_app)
    base = live_app.config["LIVE_URL"]
    db = connect(live_app.config["DATABASE"])
    with live_app.app_context():
        q = questionnaires.latest()
    org = organisations.get_by_credit_code(db, "91430203000000001X")
    user = users.get_by_email(db, "boss@example.com")
    with write_transaction(db):
        draft = assessments.create(
            db, organisation_id=org["id"], questionnaire=q, created_by=user["id"]
        )
    login(page, base, "boss@example.com")
    page.wait_for_url(re.compile(r".*/assessments$"))
    page.goto(f"{base}/assessments/{draft}/pages/gate")
    with write_transaction(db):
        elsewhere = organisations.create(
            db,
            name="别家企业",
            credit_code="914302030000000020"[:17] + "X",
            region_code="430203",
            sector="rail",
            size="large",
        )
        db.execute("UPDATE assessments SET organisation_id = ? WHERE id = ?", [elsewhere, draft])
    db.close()
    console.expect(r"404")  # the failed save, logged by the browser
    page.locator(".question input[type=radio]").first.check()
    page.locator("[data-save-status]", has_text="您已无权访问此评估").wait_for()
