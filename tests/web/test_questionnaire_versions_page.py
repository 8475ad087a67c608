"""The administrator sees the questionnaire versions installed: which one new assessments use
and how many assessments each has; nobody else sees the page."""

from __future__ import annotations

import io
import re

import pytest

from tests.domain import next_version_source
from tests.fuzz.world import changed_tables, snapshot
from tests.support import autosave, start_assessment


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


def _admin(accounts):
    accounts.logout()
    if accounts.db.execute("SELECT 1 FROM users WHERE email = 'admin@example.com'").fetchone():
        accounts.login("admin@example.com")
    else:
        accounts.login(accounts.user("admin", email="admin@example.com", name="管理员"))


def _upload(client, content: bytes, name: str = "machinery-smart-factory-2027.1.yaml"):
    return client.post(
        "/admin/questionnaires",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_an_administrator_uploads_reads_and_publishes_a_version(app, accounts, enterprise, db):
    client = enterprise["client"]
    old = start_assessment(client)  # a draft of 2026.1, started before 2027.1 is published
    _admin(accounts)
    response = _upload(client, next_version_source().encode())
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/questionnaires/machinery-smart-factory/2027.1"
    page = _text(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "草稿：可计分，不可新建评估" in page
    assert "与 2026.1（新评估目前使用的版本）的差异" in page
    assert "basic.operations_2027" in page and "basic.operations" in page
    page = _text(
        client.post(
            "/admin/questionnaires/machinery-smart-factory/2027.1/publish", follow_redirects=True
        ).get_data(as_text=True)
    )
    assert "新评估从 2027.1 开始" in page
    assert "新评估使用此版本" in page

    accounts.logout()
    accounts.login(accounts.user("enterprise", email="second@example.com"))
    new = start_assessment(client)  # another enterprise's first assessment
    versions = dict(
        db.execute(
            "SELECT id, questionnaire_version FROM assessments WHERE id IN (?, ?)", [old, new]
        ).fetchall()
    )
    assert versions == {old: "2026.1", new: "2027.1"}
    accounts.logout()
    accounts.login(enterprise["email"])
    opened = client.get(f"/assessments/{old}", follow_redirects=True)
    assert opened.status_code == 200 and "2026.1" in opened.get_data(as_text=True)

    # 2026.1 retired: nothing new starts on it, its draft still opens and saves
    _admin(accounts)
    retired = client.post(
        "/admin/questionnaires/machinery-smart-factory/2026.1/retire", follow_redirects=True
    )
    assert "已停用：可打开、可计分，不可新建评估" in _text(retired.get_data(as_text=True))
    accounts.logout()
    accounts.login(enterprise["email"])
    opened = client.get(f"/assessments/{old}", follow_redirects=True)
    assert opened.status_code == 200 and "2026.1" in opened.get_data(as_text=True)
    saved = autosave(client, old, ("data.1", "full", 1))
    assert [(r["item"], r["status"]) for r in saved["results"]] == [("data.1", "saved")]

    _admin(accounts)
    log = _text(client.get("/admin/audit").get_data(as_text=True))
    assert "上传了问卷版本草稿" in log and "发布了问卷版本" in log


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "请选择要上传的问卷文件（YAML）。"),
        (b"id: [", "文件未通过检查"),
        (next_version_source("2026.1").encode(), "该版本已存在"),
    ],
)
def test_a_refused_upload_says_why_and_keeps_nothing(accounts, enterprise, db, content, says):
    _admin(accounts)
    before = snapshot(db)
    response = _upload(enterprise["client"], content)
    assert response.status_code == 400
    assert says in _text(response.get_data(as_text=True))
    assert changed_tables(before, snapshot(db)) == []


def test_the_checks_problems_are_listed_on_the_page(accounts, enterprise):
    _admin(accounts)
    broken = next_version_source().replace("weight: 0.", "weight: -0.", 1).encode()
    page = _upload(enterprise["client"], broken).get_data(as_text=True)
    assert re.search(r"<code>q?[^<]*cmmm\.elements\[0\][^<]*</code>", page)


def test_retiring_the_only_published_version_is_refused(accounts, enterprise, db):
    client = enterprise["client"]
    _admin(accounts)
    ok = client.post(
        "/admin/questionnaires/machinery-smart-factory/2025.1/retire", follow_redirects=True
    )
    assert "已停用" in _text(ok.get_data(as_text=True))
    before = snapshot(db)
    refused = client.post(
        "/admin/questionnaires/machinery-smart-factory/2026.1/retire", follow_redirects=True
    )
    assert "这是唯一已发布的版本" in _text(refused.get_data(as_text=True))
    assert changed_tables(before, snapshot(db)) == []


def test_nobody_but_an_administrator_uploads_publishes_or_retires(accounts, enterprise, db):
    client = enterprise["client"]
    before = snapshot(db)
    assert _upload(client, next_version_source().encode()).status_code == 403
    for action in ("publish", "retire"):
        url = f"/admin/questionnaires/machinery-smart-factory/2025.1/{action}"
        assert client.post(url).status_code == 403
    assert client.get("/admin/questionnaires/machinery-smart-factory/2026.1").status_code == 403
    assert changed_tables(before, snapshot(db)) == []


def test_an_unknown_version_is_not_found(accounts, enterprise):
    _admin(accounts)
    client = enterprise["client"]
    assert client.get("/admin/questionnaires/machinery-smart-factory/1999.1").status_code == 404
    assert client.post("/admin/questionnaires/x/1/publish").status_code == 404
