"""The administrator sees the questionnaire versions installed: which one new assessments use
and how many assessments each has; nobody else sees the page."""

from __future__ import annotations

import re

from tests.support import start_assessment


def test_the_versions_page_counts_assessments_and_marks_the_one_in_use(accounts, enterprise):
    client = enterprise["client"]
    start_assessment(client)  # a draft of the newest published version (2026.1)
    accounts.logout()
    accounts.login(accounts.user("admin", email="admin@example.com"))
    page = client.get("/admin/questionnaires").get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    assert text[1:] == [
        "2026.1 machinery-smart-factory 新评估使用此版本 23 · 12 草稿 1 份，已提交 0 份",
        "2025.1 machinery-smart-factory 较早发布 16 · 10 草稿 0 份，已提交 0 份",
    ]
    accounts.logout()
    accounts.login(enterprise["email"])
    assert client.get("/admin/questionnaires").status_code == 403
