"""Every table header of the dossier (page and PDF: one template) names its columns apart in
both languages: no 「指标 | 指标」 or 「意见 | 意见」 side by side."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assess.translation import translator

TEMPLATE = Path(__file__).parents[2] / "assess" / "templates" / "declaration" / "_dossier.html"


def header_rows() -> list[list[str]]:
    rows = re.findall(r"<thead>(.*?)</thead>", TEMPLATE.read_text(encoding="utf-8"), re.S)
    return [re.findall(r'<th[^>]*>\{\{ _\("([^"]+)"\) \}\}</th>', row) for row in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_two_columns_of_a_dossier_table_have_the_same_header(lang):
    t = translator(lang)
    rows = header_rows()
    assert len(rows) >= 2 and all(len(row) >= 2 for row in rows)
    for row in rows:
        shown = [t.gettext(msgid) for msgid in row]
        assert len(set(shown)) == len(shown), shown


def test_the_indicators_and_review_record_headers_read_as_the_reviewer_expects():
    t = translator("zh")
    assert [t.gettext(m) for m in ("Indicator", "Enterprise's value", "Provincial benchmark")] == [
        "指标",
        "企业数值",
        "全省基准值",
    ]
    assert (t.gettext("Outcome"), t.gettext("Comments")) == ("审核结论", "意见")
