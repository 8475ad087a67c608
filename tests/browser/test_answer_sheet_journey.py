"""Offline preparation in a browser: the review page with its near miss, the Excel answer sheet
downloaded, filled in and uploaded (the changes shown), and a broken sheet refused with the
cell of each problem and nothing saved."""

from __future__ import annotations

import io
import random
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from assess.demo.synthetic import answers_for_outcome
from assess.store import assessments
from assess.store.database import write_transaction
from assess.web import questionnaires
from assess.web.database import get_db
from tests.support import PASSWORD, Accounts

SHEET = "input[name=sheet]"


def _draft(live_app) -> tuple[int, str]:
    """An enterprise whose draft is complete: basic, one rule from advanced (seed 0)."""
    with live_app.app_context():
        db = get_db()
        accounts = Accounts(live_app, None, db)
        org = accounts.organisation(name="常州离线准备机械有限公司")
        email = accounts.user("enterprise", organisation_id=org, email="sheet@example.com")
        q = questionnaires.latest()
        answers = answers_for_outcome(q, random.Random(0), "basic", sector="machine_tools")
        with write_transaction(db):
            assessment = assessments.create(
                db, organisation_id=org, questionnaire=q, created_by=None
            )
            assessments.put_answers(db, assessment, list(answers.items()), None)
    return assessment, email


def _upload(page, body: bytes) -> None:
    page.set_input_files(
        SHEET,
        files=[{"name": "答题表.xlsx", "mimeType": "application/octet-stream", "buffer": body}],
    )
    page.click("text=上传并采用")


def _edited(path, cells: dict[str, str]) -> bytes:
    workbook = load_workbook(path)
    for ref, value in cells.items():
        workbook.worksheets[0][ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_answer_sheet_round_trip_and_a_broken_sheet_refused(live_app, page, console, tmp_path):
    console.expect(r"status of 422 .*/answer-sheet")  # the refused sheet's page
    base = live_app.config["LIVE_URL"]
    assessment, email = _draft(live_app)
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.goto(f"{base}/assessments/{assessment}/submit")
    expect(page.locator(".near-miss")).to_contain_text("先进级只差一条规则")
    with page.expect_download() as download:
        page.click("text=答题表（Excel）")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".xlsx"
    sheet = load_workbook(path).worksheets[0]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, sheet.max_row + 1)}
    gate = rows["gate.sound_operations"]
    assert sheet[f"F{gate}"].value == "是"

    _upload(page, _edited(path, {f"F{gate}": "否", f"F{gate + 1}": "差不多"}))
    refused = page.locator(".sheet-errors")
    expect(refused).to_contain_text(f"F{gate + 1}")
    expect(page.locator("body")).to_contain_text("没有保存任何内容")
    with live_app.app_context():
        stored = assessments.answers(get_db(), assessment)
    assert stored["gate.sound_operations"].answer.value == "yes"

    page.click("text=返回“检查并提交”")
    _upload(page, _edited(path, {f"F{gate}": "否"}))
    changes = page.locator(".sheet-changes")
    expect(changes).to_contain_text("是")
    expect(changes).to_contain_text("否")
    expect(page.locator("h1")).to_have_text("答题表")
    with live_app.app_context():
        stored = assessments.answers(get_db(), assessment)
    assert stored["gate.sound_operations"].answer.value == "no"
    page.click("text=返回“检查并提交”")
    expect(page).to_have_url(re.compile(r".*/submit$"))
    expect(page.locator(".review-levels")).to_contain_text("尚未达到基础级")
