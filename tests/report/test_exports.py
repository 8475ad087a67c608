"""Exports show numbers as the pages do: S to two decimals, a share to a tenth of a per cent."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from assess.report.exports import Share, to_csv, to_xlsx


def test_a_csv_and_a_workbook_round_numbers_as_the_page_shows_them():
    rows = [["甲", 1.4525, Share(0.1595744680851064), 3, "2026-12-07"]]
    text = to_csv("t", ["name", "S", "share", "count", "day"], rows).decode("utf-8-sig")
    assert text.splitlines()[1] == "甲,1.45,0.16,3,2026-12-07"
    sheet = load_workbook(io.BytesIO(to_xlsx("t", ["a", "b", "c", "d", "e"], rows))).active
    assert [c.value for c in sheet[2]] == ["甲", 1.45, 0.16, 3, "2026-12-07"]
    assert sheet["C2"].number_format == "0.0%"
