"""The Excel answer sheet: downloaded with the current answers and drop-downs, uploaded back
checked cell by cell (a bad sheet refused whole with the row and column of each problem),
applied through the wizard's saving path (revisions, audit), and conflicts with answers changed
on the web since the download kept as the web has them. The printable questionnaire too."""

from __future__ import annotations

import html
import io
import json
import zipfile

from openpyxl import load_workbook
from pypdf import PdfReader

from assess.assessment.answer_sheet import (
    ANSWER,
    FIRST_ROW,
    HEADER_ROW,
    META_SHEET,
    REASON,
    sheet_items,
)
from assess.store import assessments, audit
from assess.web import questionnaires
from tests.support import autosave, start_assessment


def _download(client, assessment_id) -> bytes:
    response = client.get(f"/assessments/{assessment_id}/answer-sheet.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return response.get_data()


def _upload(client, assessment_id, body: bytes, name="answers.xlsx"):
    response = client.post(
        f"/assessments/{assessment_id}/answer-sheet",
        data={"sheet": (io.BytesIO(body), name)},
        content_type="multipart/form-data",
    )
    return response, html.unescape(response.get_data(as_text=True))


def _rows(workbook) -> dict[str, int]:
    sheet = workbook.worksheets[0]
    return {
        sheet.cell(row=r, column=1).value: r
        for r in range(FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value
    }


def _fill(body: bytes, values: dict[str, tuple]) -> bytes:
    """The sheet with answers (and reasons) typed in, as a person would."""
    workbook = load_workbook(io.BytesIO(body))
    sheet, rows = workbook.worksheets[0], _rows(workbook)
    for item_id, (answer, *reason) in values.items():
        sheet.cell(row=rows[item_id], column=ANSWER + 1, value=answer)
        if reason:
            sheet.cell(row=rows[item_id], column=REASON + 1, value=reason[0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _stored(db, assessment_id) -> dict:
    return {
        k: (v.answer.value, v.revision) for k, v in assessments.answers(db, assessment_id).items()
    }


def test_the_sheet_has_a_row_per_item_drop_downs_hidden_ids_and_the_version(app, enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    autosave(client, assessment_id, ("gate.sound_operations", "yes", 1))
    workbook = load_workbook(io.BytesIO(_download(client, assessment_id)))
    with app.app_context():
        q = questionnaires.latest()
    sheet = workbook.worksheets[0]
    rows = _rows(workbook)
    assert list(rows) == [item_id for _page, item_id in sheet_items(q, {"mode": "self"})]
    assert [c.value for c in sheet[HEADER_ROW]][:6] == [
        "id",
        "revision",
        "板块",
        "题目",
        "可选答案",
        "回答",
    ]
    assert sheet.column_dimensions["A"].hidden and sheet.column_dimensions["B"].hidden
    meta = {k: v for k, v in workbook[META_SHEET].iter_rows(values_only=True)}
    assert meta == {
        "format": "assess-answer-sheet-1",
        "questionnaire": q.id,
        "version": q.version,
        "assessment": str(assessment_id),
    }
    assert workbook[META_SHEET].sheet_state == "hidden"
    gate = rows["gate.sound_operations"]
    assert sheet.cell(row=gate, column=ANSWER + 1).value == "是"  # pre-filled, in words
    assert sheet.cell(row=gate, column=2).value == 1  # the revision it was downloaded at
    validated = {
        str(cell) for dv in sheet.data_validations.dataValidation for cell in dv.sqref.ranges
    }
    first_requirement = rows[next(iter(q.requirements))]
    assert f"F{first_requirement}" in validated and f"F{gate}" in validated


def test_a_filled_sheet_is_applied_with_revisions_and_audit_and_shows_what_changed(
    app, enterprise, db
):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    autosave(client, assessment_id, ("gate.sound_operations", "no", 1))
    body = _download(client, assessment_id)
    with app.app_context():
        q = questionnaires.latest()
    first = next(iter(q.requirements))
    filled = _fill(
        body,
        {
            "gate.sound_operations": ("是",),
            first: ("大部分满足",),
            "gate.secure_controllable": ("No",),  # English labels are read too
        },
    )
    response, page = _upload(client, assessment_id, filled)
    assert response.status_code == 200
    assert "答题表修改了 3 个答案" in page
    assert "否" in page and "是" in page and "大部分满足" in page
    stored = _stored(db, assessment_id)
    assert stored["gate.sound_operations"] == ("yes", 2)
    assert stored[first] == ("most", 1)
    assert stored["gate.secure_controllable"] == ("no", 1)
    (entry,) = [e for e in audit.recent(db) if e["action"] == "answer_sheet_applied"]
    assert str(entry["target_id"]) == str(assessment_id)
    assert json.loads(entry["detail"])["changed"] == [
        "gate.sound_operations",
        "gate.secure_controllable",
        first,
    ]
    again, page = _upload(client, assessment_id, filled)  # the same sheet twice: no change
    assert again.status_code == 200 and "没有修改任何答案" in page
    assert _stored(db, assessment_id) == stored


def test_a_bad_sheet_is_refused_whole_with_the_cell_of_each_problem(app, enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    body = _download(client, assessment_id)
    with app.app_context():
        q = questionnaires.latest()
    first = next(iter(q.requirements))
    second = "s10_resilient_supply_chain.applies"
    rows = _rows(load_workbook(io.BytesIO(body)))
    before = _stored(db, assessment_id)
    filled = _fill(
        body,
        {
            "gate.sound_operations": ("是",),  # good, but not saved: the sheet is refused
            first: ("差不多",),  # not an option
            second: ("否",),  # a scenario that does not apply needs a reason
        },
    )
    response, page = _upload(client, assessment_id, filled)
    assert response.status_code == 422
    assert "答题表未被采用，没有保存任何内容" in page
    assert f"F{rows[first]}" in page and "不是可选答案" in page and "差不多" in page
    assert f"G{rows[second]}" in page
    assert _stored(db, assessment_id) == before


def test_sheets_of_another_version_or_assessment_and_hostile_files_are_refused(app, enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    body = _download(client, assessment_id)
    before = _stored(db, assessment_id)

    def with_meta(key, value) -> bytes:
        workbook = load_workbook(io.BytesIO(_fill(body, {"gate.sound_operations": ("是",)})))
        for row in workbook[META_SHEET].iter_rows():
            if row[0].value == key:
                row[1].value = value
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<" + b"0" * (30 * 1024 * 1024))
    cases = {
        "另一个问卷版本": with_meta("version", "2025.1"),
        "属于另一次评估": with_meta("assessment", str(assessment_id + 1)),
        "这不是 Excel 工作簿": b"%PDF-1.4\n%%EOF",
        "解压后远大于": bomb.getvalue(),
        "不是本系统的答题表": with_meta("format", "something-else"),
    }
    for message, sent in cases.items():
        response, page = _upload(client, assessment_id, sent)
        assert response.status_code == 422, message
        assert message in page, message
    assert len(bomb.getvalue()) < 200_000
    assert _stored(db, assessment_id) == before


def test_an_answer_changed_on_the_web_after_the_download_is_kept_and_shown(app, enterprise, db):
    """The sheet's base revision: the row proposes it + 1, so a newer web answer is stale."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    autosave(client, assessment_id, ("gate.sound_operations", "no", 1))
    body = _download(client, assessment_id)
    autosave(client, assessment_id, ("gate.sound_operations", "yes", 2))  # on the web, later
    filled = _fill(body, {"gate.sound_operations": ("否",), "gate.secure_controllable": ("是",)})
    response, page = _upload(client, assessment_id, filled)
    assert response.status_code == 200
    assert "有 1 个答案在下载答题表后已在网页上修改，保留网页上的答案" in page
    stored = _stored(db, assessment_id)
    assert stored["gate.sound_operations"] == ("yes", 2)
    assert stored["gate.secure_controllable"] == ("yes", 1)


def test_a_submitted_assessment_takes_no_sheet(app, accounts, client_org, db):
    accounts.login(client_org["email"])
    response, _page = _upload(accounts.client, client_org["self"], b"whatever")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/assessments/{client_org['self']}/results")


def test_the_printable_questionnaire_is_a_pdf_with_every_section(app, enterprise):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    autosave(client, assessment_id, ("gate.sound_operations", "yes", 1))
    response = client.get(f"/assessments/{assessment_id}/questionnaire.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) > 5
    assert "线下准备用问卷" in text and "基本要求" in text
    assert "☑" in text  # the answer given so far is ticked
