"""The Excel answer sheet: what it holds (one row per item), and a filled sheet read back,
checked cell by cell, and applied through the wizard's saving path (revisions) with an audit
entry. No Flask here; the workbook is written by assess.report.answer_sheet.

Conflicts: every row carries the revision of its answer when the sheet was downloaded (a hidden
column). A row proposes that revision + 1, as a wizard page does, so an answer changed on the
web since then is never overwritten: the save finds it stale, keeps the web's answer and the
result lists it (item, the sheet's answer, the answer kept).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from sqlite_utils import Database

from assess.assessment import answering
from assess.questionnaire import pages
from assess.questionnaire.definition import (
    NOT_APPLICABLE,
    Indicator,
    Question,
    Questionnaire,
    Requirement,
)
from assess.scoring import Answer
from assess.scoring.answers import AnswerError, check
from assess.store import assessments, audit
from assess.store.audit import Actor
from assess.store.database import write_transaction

FORMAT = "assess-answer-sheet-1"
META_SHEET = "assess"  # hidden: format, questionnaire, version, assessment
LISTS_SHEET = "lists"  # hidden: the allowed answers of each drop-down
HEADER_ROW, FIRST_ROW = 2, 3
# the columns, in order: hidden id and revision, then what a person reads and fills in
COLUMNS = ("id", "revision", "section", "item", "allowed", "answer", "reason", "note", "asked")
ANSWER, REASON = COLUMNS.index("answer"), COLUMNS.index("reason")
MAX_UPLOAD = 2 * 1024 * 1024  # bytes of a sheet upload
MAX_UNZIPPED = 20 * 1024 * 1024  # bytes a sheet may unzip to (a zip bomb unzips to gigabytes)
MAX_MEMBERS = 200
MAX_ROWS = 2000
SEPARATORS = re.compile(r"[、,，;；\n]+")
NA_WORDS = ("不适用", "not applicable", "n/a", NOT_APPLICABLE)


def column_letter(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


@dataclass(frozen=True)
class Row:
    """One item of the sheet as it is downloaded."""

    item_id: str
    revision: int
    page: pages.Page
    answer: Answer | None
    asked: bool


def sheet_items(q: Questionnaire, row: dict) -> list[tuple[pages.Page, str]]:
    """Every item the submitter may answer, in wizard order, with its page (a self-assessment
    leaves out the reviewer's verdicts on tailoring)."""
    reviewer = answering.review_items(q) if row["mode"] != "consultant" else frozenset()
    return [
        (page, item_id)
        for page in pages.pages(q)
        for item_id in page.item_ids
        if item_id not in reviewer
    ]


def rows(q: Questionnaire, row: dict, state: answering.State) -> list[Row]:
    """The sheet's rows: each item with its stored answer and revision."""
    out = []
    for page, item_id in sheet_items(q, row):
        stored = state.stored.get(item_id)
        out.append(
            Row(
                item_id,
                stored.revision if stored else 0,
                page,
                stored.answer if stored else None,
                item_id not in state.skipped,
            )
        )
    return out


def options(q: Questionnaire, item) -> list[tuple[str, tuple[str, str]]]:
    """An item's allowed answers: (option id, (zh label, en label)); none for a number."""
    if isinstance(item, Indicator) or getattr(item, "type", "") in ("number", "year"):
        return []
    if isinstance(item, Question):
        found = q.options_of(item)
    else:
        scale = q.cmmm.scale if isinstance(item, Requirement) else q.scenarios.scale
        found = q.scales[scale].options
    out = [(o.id, (o.label.zh, o.label.en)) for o in found]
    if isinstance(item, Requirement) and item.not_applicable_allowed:
        out.append((NOT_APPLICABLE, ("不适用", "Not applicable")))
    return out


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the column letter
    item_id: str
    code: str  # an AnswerError code, or unknown_option | unknown_item | duplicate | revision
    detail: str = ""


@dataclass(frozen=True)
class Change:
    item_id: str
    before: Answer | None
    after: Answer


@dataclass(frozen=True)
class Applied:
    changed: tuple[Change, ...]
    conflicts: tuple[Change, ...]  # the sheet's answer (after) not saved: the web's is newer


@dataclass(frozen=True)
class Refused:
    reason: str  # too_large | not_xlsx | unsafe | not_sheet | other_version | other_assessment
    # | locked | cells
    errors: tuple[CellError, ...] = ()


def apply_sheet(
    db: Database,
    q: Questionnaire,
    row: dict,
    data: bytes,
    by: Actor,
    allowed: frozenset[str] | None = None,
) -> Applied | Refused:
    """Read a filled sheet and apply it: refused whole (nothing saved) on any bad cell.
    `allowed`: the items this user may answer (a contributor's sections; None: all); a changed
    answer to another item is refused for that item, as on the wizard's pages."""
    workbook = _open(data)
    if isinstance(workbook, Refused):
        return workbook
    meta = _meta(workbook)
    if meta.get("format") != FORMAT or _sheet(workbook) is None:
        return Refused("not_sheet")
    if (meta.get("questionnaire"), meta.get("version")) != q.key:
        return Refused("other_version")
    if meta.get("assessment") != str(row["id"]):
        return Refused("other_assessment")
    proposed, errors = read(q, row, _sheet(workbook))
    if errors:
        return Refused("cells", tuple(errors))
    with write_transaction(db):
        before = assessments.answers(db, row["id"])
        try:
            outcomes = answering.save_within(db, q, row["id"], by.user_id, proposed, allowed)
        except answering.Locked:
            return Refused("locked")
        sent = {p.item_id: p for p in proposed}
        changed = tuple(
            Change(o.item_id, _answer(before.get(o.item_id)), o.current)
            for o in outcomes
            if o.status == "saved"
        )
        conflicts = tuple(
            Change(o.item_id, o.current, check(q, o.item_id, sent[o.item_id].value, _r(sent, o)))
            for o in outcomes
            if o.status == "stale"
        )
        audit.record_by(
            db,
            by,
            "answer_sheet_applied",
            target_type="assessment",
            target_id=row["id"],
            detail={"changed": [c.item_id for c in changed], "conflicts": len(conflicts)},
        )
    return Applied(changed, conflicts)


def _r(sent: dict, outcome) -> str:
    return sent[outcome.item_id].reason


def _answer(stored) -> Answer | None:
    return stored.answer if stored is not None else None


def _open(data: bytes):
    """The workbook, or why not: checked as a zip first (size, members, what it unzips to)."""
    from openpyxl import load_workbook  # imported here: only an upload needs it

    if len(data) > MAX_UPLOAD:
        return Refused("too_large")
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        return Refused("not_xlsx")
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNZIPPED:
                return Refused("unsafe")
            if "xl/workbook.xml" not in archive.namelist():
                return Refused("not_xlsx")
        buffer.seek(0)
        return load_workbook(buffer, data_only=True)
    except Exception:  # any malformed workbook is refused the same way
        return Refused("not_xlsx")


def _meta(workbook) -> dict[str, str]:
    if META_SHEET not in workbook.sheetnames:
        return {}
    sheet = workbook[META_SHEET]
    out = {}
    for key, value, *_rest in sheet.iter_rows(max_row=20, max_col=2, values_only=True):
        if isinstance(key, str):
            out[key] = "" if value is None else str(value)
    return out


def _sheet(workbook):
    answers = [name for name in workbook.sheetnames if name not in (META_SHEET, LISTS_SHEET)]
    return workbook[answers[0]] if answers else None


def read(q: Questionnaire, row: dict, sheet) -> tuple[list[answering.Proposed], list[CellError]]:
    """Every row checked: the answers to save (blank answers change nothing) and each problem
    with its row and column."""
    allowed = {item_id for _page, item_id in sheet_items(q, row)}
    proposed, errors, seen = [], [], set()
    if sheet.max_row > MAX_ROWS + FIRST_ROW:
        return [], [CellError(MAX_ROWS + FIRST_ROW, "A", "", "too_many_rows")]
    for number, values in enumerate(
        sheet.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS), values_only=True),
        start=FIRST_ROW,
    ):
        values = (*values, *([None] * (len(COLUMNS) - len(values))))
        item_id, revision, value, reason = values[0], values[1], values[ANSWER], values[REASON]
        if item_id is None and value is None:
            continue
        if not isinstance(item_id, str) or item_id not in allowed:
            errors.append(CellError(number, "A", str(item_id or "")[:50], "unknown_item"))
            continue
        if item_id in seen:
            errors.append(CellError(number, "A", item_id, "duplicate"))
            continue
        seen.add(item_id)
        if isinstance(revision, bool) or not isinstance(revision, int) or revision < 0:
            errors.append(CellError(number, "B", item_id, "revision"))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        reason_text = "" if reason is None else str(reason)
        try:
            parsed = _value(q, q.items[item_id], value)
            check(q, item_id, parsed, reason_text)
        except AnswerError as error:
            column = REASON if error.code in ("reason_required", "reason_too_long") else ANSWER
            errors.append(
                CellError(number, column_letter(column), item_id, error.code, error.detail)
            )
            continue
        proposed.append(answering.Proposed(item_id, parsed, reason_text, revision + 1))
    return proposed, errors


def _value(q: Questionnaire, item, value: object):
    """A cell's value as the wizard would send it: an option id (or ids), or a number."""
    choices = options(q, item)
    if not choices:
        return value
    if not isinstance(value, str):
        value = str(value)
    by_word = {}
    for option_id, labels in choices:
        for word in (option_id, *labels):
            by_word[word.strip().casefold()] = option_id
    for word in NA_WORDS:
        if NOT_APPLICABLE in dict(choices):
            by_word[word.casefold()] = NOT_APPLICABLE
    if getattr(item, "type", "") == "multi_choice":
        words = [w.strip().casefold() for w in SEPARATORS.split(value) if w.strip()]
        unknown = [w for w in words if w not in by_word]
        if unknown:
            raise AnswerError(item.id, "unknown_option", unknown[0][:50])
        return [by_word[w] for w in words]
    found = by_word.get(value.strip().casefold())
    if found is None:
        raise AnswerError(item.id, "unknown_option", value[:50])
    return found
