"""Fuzz cases of offline preparation: an uploaded answer sheet of any bytes (not a zip, a PDF,
a zip that is no workbook, a real sheet with generated cells); and verifying who an enterprise
is (an administrator, its consultant, the authority reviewing its declaration)."""

from __future__ import annotations

import io
import zipfile

from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from assess.assessment.answer_sheet import ANSWER, FIRST_ROW, REASON
from tests.fuzz.cases.base import Case
from tests.fuzz.strategies import NASTY, TEXT, form_body, one_of_ids
from tests.support import PDF


def _sheet(ctx) -> bytes:
    if "answer_sheet" not in ctx.cache:
        response = ctx.accounts.client.get(f"/assessments/{ctx.w['self_draft']}/answer-sheet.xlsx")
        ctx.cache["answer_sheet"] = response.get_data()
    return ctx.cache["answer_sheet"]


def _zip_not_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


def _mutated(ctx, data) -> bytes:
    workbook = load_workbook(io.BytesIO(_sheet(ctx)))
    sheet = workbook.worksheets[0]
    for _ in range(data.draw(st.integers(1, 4), label="cells")):
        row = data.draw(st.integers(FIRST_ROW, sheet.max_row + 2), label="row")
        column = data.draw(st.sampled_from([1, 2, ANSWER + 1, REASON + 1]), label="column")
        value = data.draw(
            st.one_of(TEXT, NASTY, st.integers(-(2**53), 2**53), st.floats(), st.none()),
            label="value",
        )
        try:
            sheet.cell(row=row, column=column, value=value)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some values
            continue
    buffer = io.BytesIO()
    try:
        workbook.save(buffer)
    except (AttributeError, ValueError, TypeError):  # a value openpyxl takes but cannot write
        return _sheet(ctx)
    return buffer.getvalue()


def upload_body(ctx, data) -> tuple[str, dict]:
    kind = data.draw(st.sampled_from(["bytes", "pdf", "zip", "sheet", "none"]), label="kind")
    if kind == "bytes":
        content = data.draw(st.binary(max_size=2000), label="content")
    elif kind == "pdf":
        content = PDF
    elif kind == "zip":
        content = _zip_not_workbook()
    elif kind == "sheet":
        content = _mutated(ctx, data)
    else:
        return f"/assessments/{ctx.w['self_draft']}/answer-sheet", {"data": {}}
    name = data.draw(st.sampled_from(["answers.xlsx", "a.pdf", "", "x" * 300]), label="name")
    return (
        f"/assessments/{ctx.w['self_draft']}/answer-sheet",
        {
            "data": {"sheet": (io.BytesIO(content), name)},
            "content_type": "multipart/form-data",
        },
    )


def _organisations(ctx, data) -> int:
    return one_of_ids(data, [ctx.w["org_a"], ctx.w["org_b"]])


CASES = [
    Case("answer_sheet.upload", "POST", "ent", upload_body),
    Case(
        "verification.verify_by_admin",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/organisations/{_organisations(ctx, data)}/verify",
            form_body(data, {}),
        ),
        None,
    ),
    Case(
        "verification.verify_on_site",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/clients/{_organisations(ctx, data)}/verify-identity",
            form_body(data, {}),
        ),
        None,
    ),
    Case(
        "verification.verify_by_authority",
        "POST",
        "authority",
        lambda ctx, data: (
            f"/review/declarations/{one_of_ids(data, [ctx.w['declaration']])}/verify-identity",
            form_body(data, {}),
        ),
        None,
    ),
]
