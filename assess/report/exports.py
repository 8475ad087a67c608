"""Tabular exports (CSV and Excel), one registry of formats, safe against formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from assess.organisation.portfolio import status_names
from assess.questionnaire.versions import Versions
from assess.regional import regions
from assess.scoring import explain
from assess.store import assessments
from assess.translation import local_date, translator


class Share(float):
    """A share (0..1): a number in a CSV, shown as a percentage in Excel."""


Cell = str | int | float | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Cell) -> Cell:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def shown(value: Cell) -> Cell:
    """A number as the pages show it, not as a float holds it: a share to a tenth of a per cent
    (0.160 for 16.0 %), any other fraction (S, a mean) to two decimals (1.45)."""
    if isinstance(value, Share):
        return Share(round(value, 3))
    if isinstance(value, float):
        return round(value, 2)
    return value


def to_csv(title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe(h) for h in headers])
    writer.writerows([[safe(shown(c)) for c in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV right


def to_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    _fill(sheet, headers, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    """Headers and rows; a text that looks like a formula stays text (a string cell, marked to
    be shown as typed), without the apostrophe a CSV needs."""
    for values in [headers, *[[shown(v) for v in row] for row in rows]]:
        sheet.append(
            [None if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v for v in values]
        )
        for cell, value in zip(sheet[sheet.max_row], values, strict=False):
            if isinstance(value, Share):
                cell.number_format = "0.0%"
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell.value = value
                cell.data_type = "s"
                cell.quotePrefix = True
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width * 1.6))
    sheet.freeze_panes = "A2"


FORMATS: dict[str, tuple[Callable, str]] = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def to_workbook(sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Cell]]]]) -> bytes:
    """Several tables as one Excel workbook, a sheet each."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (headers, rows) in sheets.items():
        _fill(workbook.create_sheet(name[:31]), headers, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _levels(row: dict | None, versions: Versions, lang: str) -> tuple[Cell, Cell, Cell, Cell]:
    if row is None:
        return None, None, None, None
    q = versions.of(row)
    return (
        local_date(row["submitted_at"]),
        explain.pending_level_name(
            q, row["gradient_level"], assessments.subject_to_results(row), lang
        ),
        explain.cmmm_name(q, row["cmmm_level"] or None, lang),
        row["cmmm_score"],
    )


def portfolio_table(
    rows: list[dict], versions: Versions, lang: str
) -> tuple[list[str], list[list[Cell]]]:
    """A consultant's clients, one row each, as the portfolio page shows them: the status, the
    latest self and verified results, the share of the rated answers verified of the latest
    on-site assessment (the one in progress, else the one submitted) and whether the
    self-assessment claimed a level above the verified one."""
    _ = translator(lang).gettext
    names = status_names(lang)
    headers = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("Region"),
        _("Access since"),
        _("Status"),
        _("Self-assessment: submitted"),
        _("Self-assessment: smart-factory level"),
        _("Self-assessment: capability maturity"),
        _("Self-assessment: S"),
        _("Verified on site: submitted"),
        _("Verified on site: smart-factory level"),
        _("Verified on site: capability maturity"),
        _("Verified on site: S"),
        _("On-site assessment in progress"),
        _("Answers verified"),
        _("Rated answers"),
        _("Verified share"),
        _("Over-claims"),
    ]
    table = []
    for row in rows:
        org = row["organisation"]
        verified, rated = row["verified_share"] or (None, None)
        table.append(
            [
                org["name"],
                org["credit_code"],
                regions.label(org["region_code"], lang),
                local_date(org["granted_at"]),
                names[row["status"]],
                *_levels(row["self"], versions, lang),
                *_levels(row["verified"], versions, lang),
                _("yes") if row["draft"] else "",
                verified,
                rated,
                Share(verified / rated) if rated else None,
                _("self level above the verified one") if row["over_claim"] else "",
            ]
        )
    return headers, table
