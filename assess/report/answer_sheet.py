"""The Excel answer sheet as downloaded: one row per item with the current answer, its allowed
answers as a drop-down, reason and note columns, a hidden id and revision, and the
questionnaire version in a hidden sheet (read back by assess.assessment.answer_sheet)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from assess.assessment import answering
from assess.assessment.answer_sheet import (
    ANSWER,
    COLUMNS,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    LISTS_SHEET,
    META_SHEET,
    column_letter,
    options,
    rows,
)
from assess.questionnaire.definition import Questionnaire
from assess.report.content import answer_label
from assess.report.exports import FORMULA_STARTS
from assess.scoring import explain
from assess.translation import translator

WIDTHS = {"section": 18, "item": 60, "allowed": 28, "answer": 18, "reason": 30, "note": 30}
FILL = PatternFill("solid", fgColor="FFF7E6")  # the cells to fill in


def headers(lang: str) -> list[str]:
    t = translator(lang)
    return [
        "id",
        "revision",
        t.gettext("Section"),
        t.gettext("Question"),
        t.gettext("Allowed answers"),
        t.gettext("Answer"),
        t.gettext("Reason (when it does not apply)"),
        t.gettext("Notes (kept in the sheet only)"),
        t.gettext("Asked now"),
    ]


def build(q: Questionnaire, row: dict, state: answering.State, lang: str) -> bytes:
    """The answer sheet of a draft, in one language (answers in either are read back)."""
    t = translator(lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t.gettext("Answers")[:31]
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for key, value in (
        ("format", FORMAT),
        ("questionnaire", q.id),
        ("version", q.version),
        ("assessment", str(row["id"])),
    ):
        meta.append([key, value])
    sheet.append(
        [
            t.gettext(
                "%(title)s, version %(version)s · assessment %(id)s. Fill in the Answer column"
                " (choose from the list) and upload the sheet on the Check and submit page.",
                title=q.title.get(lang),
                version=q.version,
                id=row["id"],
            )
        ]
    )
    sheet.append(headers(lang))
    validations: dict[tuple, DataValidation] = {}
    for number, item_row in enumerate(rows(q, row, state), start=FIRST_ROW):
        item = q.items[item_row.item_id]
        choices = options(q, item)
        labels = [pair[1][0 if lang == "zh" else 1] for pair in choices]
        answer = item_row.answer
        shown = None
        if answer is not None and answer.value is not None:
            shown = answer.value if not choices else answer_label(q, item, answer.value, lang)
            if isinstance(answer.value, str) and not choices:
                shown = _number(answer.value)
        sheet.append(
            [
                item_row.item_id,
                item_row.revision,
                item_row.page.title.get(lang),
                explain.item_label(q, item_row.item_id, lang),
                _allowed(labels, item, t),
                shown,
                answer.reason if answer is not None and answer.reason else None,
                None,
                t.gettext("yes") if item_row.asked else t.gettext("not at present"),
            ]
        )
        _as_text(sheet[number])
        if labels and getattr(item, "type", "") != "multi_choice":
            key = tuple(labels)
            if key not in validations:
                validations[key] = _validation(lists, len(validations), labels, t)
                sheet.add_data_validation(validations[key])
            validations[key].add(f"{column_letter(ANSWER)}{number}")
    _layout(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _as_text(cells) -> None:
    """Text that looks like a formula stays text (shown as typed, read back as typed)."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True


def _number(text: str):
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _allowed(labels: list[str], item, t) -> str:
    if getattr(item, "type", "") == "multi_choice":
        return t.gettext("one or more of: %(options)s", options="、".join(labels))
    if not labels:
        return t.gettext("a number")
    return "、".join(labels)


def _validation(lists, index: int, labels: list[str], t) -> DataValidation:
    """A drop-down whose options are a column of the hidden lists sheet."""
    column = column_letter(index) if index < 26 else "A" + column_letter(index - 26)
    for i, label in enumerate(labels, start=1):
        lists[f"{column}{i}"] = label
    validation = DataValidation(
        type="list",
        formula1=f"={LISTS_SHEET}!${column}$1:${column}${len(labels)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t.gettext("Not an allowed answer"),
        error=t.gettext("Choose one of the answers in the list."),
    )
    return validation


def _layout(sheet) -> None:
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].hidden = True
    for index, name in enumerate(COLUMNS):
        if name in WIDTHS:
            sheet.column_dimensions[column_letter(index)].width = WIDTHS[name]
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=FIRST_ROW):
        for cell in row[2:5]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row[ANSWER : ANSWER + 3]:
            cell.fill = FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"{column_letter(ANSWER)}{FIRST_ROW}"


def printable_sections(q: Questionnaire, row: dict, state: answering.State, lang: str) -> list:
    """The questionnaire to print, page by page: each item with its options (the chosen ones
    ticked), its reason, and whether it is asked at present."""
    sections: list[tuple[str, list[dict]]] = []
    for item_row in rows(q, row, state):
        title = item_row.page.title.get(lang)
        if not sections or sections[-1][0] != title:
            sections.append((title, []))
        item = q.items[item_row.item_id]
        value = item_row.answer.value if item_row.answer is not None else None
        chosen = set(value) if isinstance(value, tuple) else {value}
        sections[-1][1].append(
            {
                "label": explain.item_label(q, item_row.item_id, lang),
                "options": [
                    (labels[0 if lang == "zh" else 1], option_id in chosen)
                    for option_id, labels in options(q, item)
                ],
                "figure": value if not options(q, item) else None,
                "reason": item_row.answer.reason if item_row.answer is not None else "",
                "asked": item_row.asked,
            }
        )
    return sections
