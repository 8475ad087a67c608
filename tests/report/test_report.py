"""The PDF gap report: sections, fonts, text, safety against user input, access, cache."""

from __future__ import annotations

import logging
import re
import subprocess
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from assess.regional.periods import quarter_ends
from assess.report import pdf as report
from assess.report.queue import RenderQueue, Settings
from assess.store import assessments, organisations
from tests.support import PASSWORD, autosave, fill_completely, start_assessment

SECTIONS = ['id="summary"', 'id="determination"', 'id="profile"', 'id="gaps"', 'id="appendix"']
LEVEL_NAMES = {
    None: "尚未达到基础级",
    "basic": "基础级",
    "advanced": "先进级",
    "excellent": "卓越级",
    "leading": "领航级",
}


@pytest.fixture
def demo(runner, accounts):
    runner.invoke(args=["demo"])
    accounts.login("admin@example.com", "Admin-demo-2026")
    return accounts


def latest_per_outcome(db) -> dict:
    rows = db.query(
        "SELECT id, gradient_level FROM assessments a WHERE status = 'submitted' AND submitted_at ="
        " (SELECT max(submitted_at) FROM assessments b WHERE b.organisation_id = a.organisation_id)"
    )
    found = {}
    for row in rows:
        found.setdefault(row["gradient_level"], row["id"])
    return found


def test_the_html_has_every_section_for_each_level(demo, db):
    per_outcome = latest_per_outcome(db)
    assert set(per_outcome) == set(LEVEL_NAMES)
    for level, assessment_id in per_outcome.items():
        html = demo.client.get(f"/assessments/{assessment_id}/report").get_data(as_text=True)
        for marker in SECTIONS:
            assert marker in html, (level, marker)
        assert "自评估/诊断结果，非官方评定。" in html
        assert html.count("<svg") >= 3 and "<title" in html


def test_history_and_peers_appear_when_there_are_some(demo, db):
    # the first demo organisation re-assessed (history) and Jiangsu has >= 5 other enterprises
    first = assessments.latest_submitted(db, 1)
    html = demo.client.get(f"/assessments/{first['id']}/report").get_data(as_text=True)
    assert 'id="history"' in html and 'id="peers"' in html and "江苏省" in html
    never = assessments.latest_submitted(db, 3)  # assessed once, in a province of fewer than 5
    html = demo.client.get(f"/assessments/{never['id']}/report").get_data(as_text=True)
    assert 'id="history"' not in html


def peers_section(client, assessment_id: int) -> str:
    html = client.get(f"/assessments/{assessment_id}/report").get_data(as_text=True)
    return html.split('id="peers"')[1].split("</section>")[0]


def test_peer_figures_are_a_dated_snapshot_that_a_new_result_does_not_move(app, demo, db, accounts):
    """Item 7: the report's peers moved from 45 to 46 enterprises when another enterprise
    submitted, which told its level. They come from the snapshot of the last quarter end,
    say so, and a result submitted since changes nothing in them."""
    first = assessments.latest_submitted(db, 1)
    organisation = organisations.get(db, 1)
    before = peers_section(demo.client, first["id"])
    newcomer = app.test_client()
    org_id = accounts.organisation(
        name="新来机械有限公司",
        region_code=organisation["region_code"],
        sector=organisation["sector"],
    )
    email = accounts.user("enterprise", organisation_id=org_id, email="new@example.com")
    newcomer.post("/login", data={"email": email, "password": PASSWORD})
    draft = start_assessment(newcomer)
    fill_completely(app, newcomer, draft, "basic")
    assert (
        newcomer.post(f"/assessments/{draft}/submit", data={"confirm_submit": "1"}).status_code
        == 302
    )
    assert peers_section(demo.client, first["id"]) == before
    as_of = date.fromisoformat(quarter_ends()[0])
    assert f"数据截至{as_of.year}年{as_of.month}月{as_of.day}日" in before


def pdftotext(path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdffonts(path) -> str:
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_a_pdf_renders_for_each_level_with_the_chinese_font_embedded(demo, db, tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    for level, assessment_id in latest_per_outcome(db).items():
        response = demo.client.get(f"/assessments/{assessment_id}/report.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        path = tmp_path / f"{assessment_id}.pdf"
        path.write_bytes(response.data)
        fonts = pdffonts(path)
        assert "Noto-Sans-CJK-SC" in fonts or "NotoSansCJKsc" in fonts
        assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # embedded
        text = pdftotext(path)
        assert LEVEL_NAMES[level] in text and "自评估/诊断结果，非官方评定" in text
    assert [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()] == []


def test_the_english_report_is_in_english(demo, db, tmp_path):
    assessment_id = latest_per_outcome(db)["basic"]
    response = demo.client.get(f"/assessments/{assessment_id}/report.pdf?lang=en")
    path = tmp_path / "en.pdf"
    path.write_bytes(response.data)
    text = pdftotext(path)
    assert "Self-assessment / diagnosis result, not an official rating" in text
    assert "Basic" in text and "Executive summary" in text
    disposition = response.headers["Content-Disposition"]
    assert disposition.endswith("-en.pdf")
    # a readable fallback for clients without UTF-8 file names, dated by the local day
    assert re.search(
        rf'filename="assess-report-{assessment_id}-\d{{4}}-\d\d-\d\d-en\.pdf"', disposition
    )


def test_the_report_is_read_and_its_annex_checked_each_a_pdf_with_its_own_page_numbers(
    demo, db, tmp_path
):
    """The report says where the method and the answers went; the annex names the report it
    belongs to, holds both, and numbers its own pages; nothing of either is lost."""
    assessment_id = latest_per_outcome(db)["advanced"]
    texts, pages = {}, {}
    for name in ("report.pdf", "annex.pdf"):
        response = demo.client.get(f"/assessments/{assessment_id}/{name}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        path = tmp_path / name
        path.write_bytes(response.data)
        texts[name], pages[name] = pdftotext(path), len(PdfReader(path).pages)
        if name == "annex.pdf":
            disposition = response.headers["Content-Disposition"]
            assert "assess-report-annex-" in disposition
            assert "%E9%99%84%E4%BB%B6" in disposition  # 附件 in the UTF-8 name
    report_text, annex_text = texts["report.pdf"], texts["annex.pdf"]
    assert "附件（另册）：方法说明与术语表、全部答案" in report_text
    assert "附录：全部答案" not in report_text and "附录：全部答案" in annex_text
    assert "差距与路线图" in report_text and "差距与路线图" not in annex_text
    assert "本附件单独编页" in annex_text and "方法说明与术语表" in annex_text
    assert (
        f"1 / {pages['annex.pdf']}" in annex_text and f"1 / {pages['report.pdf']}" not in annex_text
    )
    row = assessments.get(db, assessment_id)
    organisation = organisations.get(db, row["organisation_id"])
    assert organisation["name"] in annex_text and organisation["credit_code"] in annex_text
    # every answer of the assessment is printed in the annex
    preview = demo.client.get(f"/assessments/{assessment_id}/report").get_data(as_text=True)
    assert preview.count("<dt>") > 50 and 'id="appendix"' in preview and 'id="summary"' in preview


EVIL = '<img src="file:///etc/passwd"><link rel="stylesheet" href="https://evil.example/x.css">'


def test_user_text_with_html_or_file_urls_is_text_and_fetches_nothing(
    app, accounts, db, monkeypatch, tmp_path
):
    org_id = accounts.organisation(name="恶意企业" + EVIL)
    accounts.login(accounts.user("enterprise", organisation_id=org_id, email="x@example.com"))
    assessment_id = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment_id, "basic")
    saved = autosave(
        accounts.client,
        assessment_id,
        ("profile.own_design", "no", 5),
        ("profile.own_process_planning", "yes", 5),
        ("tailoring.product_design", "yes", 5, "见 file:///etc/shadow " + EVIL),
    )
    assert {r["status"] for r in saved["results"]} == {"saved"}, saved
    accounts.client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    assert assessments.get(db, assessment_id)["status"] == "submitted"
    html = accounts.client.get(f"/assessments/{assessment_id}/report").get_data(as_text=True)
    assert "<img" not in html and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    fetched = []
    original = report._fetcher

    def recording():
        fetcher = original()
        real = fetcher.fetch

        def fetch(url, headers=None):
            fetched.append(url)
            return real(url, headers)

        fetcher.fetch = fetch
        return fetcher

    monkeypatch.setattr(report, "_fetcher", recording)
    response = accounts.client.get(f"/assessments/{assessment_id}/report.pdf")
    path = tmp_path / "evil.pdf"
    path.write_bytes(response.data)
    assert fetched == ["file:///static/report.css"]
    text = pdftotext(path)
    assert "file:///etc/passwd" in text and "file:///etc/shadow" in text


def test_the_fetcher_refuses_anything_but_the_apps_static_files():
    fetcher = report._fetcher()
    for url in [
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "https://example.com/x.css",
        "file:///static/missing.css",
        "ftp://example.com/x",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("file:///static/report.css").read().startswith(b"/*")


def test_only_the_owner_and_an_administrator_may_download(app, accounts, db):
    org_id = accounts.organisation()
    owner = accounts.user("enterprise", organisation_id=org_id, email="owner@example.com")
    accounts.login(owner)
    assessment_id = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment_id, "basic")
    accounts.client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    assert accounts.client.get(f"/assessments/{assessment_id}/report.pdf").status_code == 200
    accounts.logout()
    for role, expected in [
        ("enterprise", 404),
        ("consultant", 404),
        ("authority", 403),
        ("admin", 200),
    ]:
        email = accounts.user(role, region_scope="32" if role == "authority" else None)
        accounts.login(email)
        for path in ("report.pdf", "report"):
            assert (
                accounts.client.get(f"/assessments/{assessment_id}/{path}").status_code == expected
            ), (role, path)
        accounts.logout()
    response = accounts.client.get(f"/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    actions = [
        row["action"]
        for row in db.query("SELECT action FROM audit_log WHERE action = 'report_download'")
    ]
    assert len(actions) == 2


def test_the_pdf_is_cached_until_what_it_shows_changes(app, accounts, db, monkeypatch):
    org_id = accounts.organisation()
    accounts.login(accounts.user("enterprise", organisation_id=org_id))
    assessment_id = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment_id, "basic")
    accounts.client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    renders = []
    real = report.html_to_pdf
    monkeypatch.setattr(report, "html_to_pdf", lambda html: renders.append(1) or real(html))
    first = accounts.client.get(f"/assessments/{assessment_id}/report.pdf").data
    second = accounts.client.get(f"/assessments/{assessment_id}/report.pdf").data
    assert first == second and len(renders) == 1
    accounts.client.get(f"/assessments/{assessment_id}/report.pdf?lang=en")
    assert len(renders) == 2
    db.execute("UPDATE organisations SET name = '改名后的企业' WHERE id = ?", [org_id])
    accounts.client.get(f"/assessments/{assessment_id}/report.pdf")
    assert len(renders) == 3


def test_an_upgrade_that_changes_code_or_translations_makes_the_pdf_again(monkeypatch):
    inputs = {p.relative_to(report.PACKAGE_DIR.parent).as_posix() for p in report.report_inputs()}
    assert "assess/report/charts.py" in inputs
    assert "assess/translations/zh/LC_MESSAGES/messages.mo" in inputs
    assert "assess/templates/report/report.html" in inputs
    parts = {"assessment": 1, "lang": "zh"}
    before = report.cache_key(parts)
    monkeypatch.setattr(report, "_TEMPLATE_DIGEST", "another-release")
    assert report.cache_key(parts) != before


def test_a_draft_has_no_report(enterprise):
    assessment_id = start_assessment(enterprise["client"])
    assert enterprise["client"].get(f"/assessments/{assessment_id}/report.pdf").status_code == 404


def test_a_submitted_assessments_pdf_is_ready_before_it_is_asked_for(
    app, accounts, monkeypatch, tmp_path
):
    """With REPORT_PRERENDER, submitting queues the report's PDF: a render worker makes it, and
    the download that follows renders nothing. Its annex is queued when it is first asked for."""
    app.config["REPORT_PRERENDER"] = True
    queue = RenderQueue(Settings(str(tmp_path / "queue.sqlite")))
    app.extensions["render_queue"] = queue
    org_id = accounts.organisation()
    accounts.login(accounts.user("enterprise", organisation_id=org_id))
    assessment_id = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment_id, "basic")
    accounts.client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    assert [task.name for task in queue.huey.pending()] == ["render"]
    queue.huey.execute(queue.huey.dequeue())  # a render worker's turn
    annex_url = f"/assessments/{assessment_id}/annex.pdf"
    assert accounts.client.get(annex_url).status_code == 202  # asked for: queued now
    assert [task.name for task in queue.huey.pending()] == ["render"]
    queue.huey.execute(queue.huey.dequeue())
    renders = []
    monkeypatch.setattr(report, "html_to_pdf", lambda html: renders.append(1) or b"")
    titles = {}
    for name in ("report.pdf", "annex.pdf"):
        response = accounts.client.get(f"/assessments/{assessment_id}/{name}")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        titles[name] = PdfReader(BytesIO(response.data)).metadata.title
    assert renders == []
    assert titles["annex.pdf"] == titles["report.pdf"] + " · 附件"


def demo_assessment(db, name: str, version: str = "2026.1") -> dict:
    return next(
        db.query(
            "SELECT a.* FROM assessments a JOIN organisations o ON o.id = a.organisation_id"
            " WHERE o.name = ? AND a.questionnaire_version = ? AND a.mode = 'self'"
            " AND a.status = 'submitted'",
            [name, version],
        )
    )


def test_a_build_to_print_suppliers_report_puts_tailoring_first_and_shows_no_design_gaps(demo, db):
    supplier = demo_assessment(db, "长沙星沙重工配套有限公司")
    html = demo.client.get(f"/assessments/{supplier['id']}/report").get_data(as_text=True)
    tailoring = html.index("能力子域裁剪")
    assert tailoring < html.index('<div class="summary-cards">') < html.index('id="determination"')
    assert "产品设计：已裁剪（企业按客户图纸加工，不自主研发设计产品）；尚未评审。" in html
    assert "产品服务：已裁剪" in html
    assert '<th scope="row">已裁剪</th><td>产品设计、产品服务</td>' in html  # on the cover
    gaps = html[html.index('id="gaps"') : html.index('id="appendix"')]
    assert "产品设计 ·" not in gaps and "产品服务 ·" not in gaps
    profile = html[html.index("企业概况回答的影响") :]
    assert "企业是否自主研发设计产品：否" in profile and "可裁剪产品设计" in profile
    results = html[html.index('id="results"') : html.index('id="profile"')]
    assert "万元/人·年" in results and "示例基准值（演示数据，非统计数据）" in results
    assert "新产品研制周期" in results and "不适用" in results  # no own design: not asked
    # the demo's benchmark source is read in English too: it says itself in both languages
    english = demo.client.get(f"/assessments/{supplier['id']}/report?lang=en").get_data(
        as_text=True
    )
    assert "Example benchmark (demo data, not statistics)" in english
    row = results[results.index("新产品研制周期") :]
    row = row[: row.index("</tr>")]
    assert "未设定" not in row  # Hunan has its benchmark: not applicable, not "not set"
    method = html[html.index('id="method"') : html.index('id="appendix"')]
    for marker in ["方法说明与术语表", "本产品的取值", "国家标准", "术语表", "待成效核验"]:
        assert marker in method, marker


def test_a_level_reached_subject_to_results_says_so_with_the_confirmed_level(demo, db):
    """Shandong has no benchmark: 青岛海岳's Advanced waits for its results rules."""
    pending = demo_assessment(db, "青岛海岳轨道装备有限公司")
    assert (pending["gradient_rank"], pending["confirmed_rank"]) == (2, 0)
    page = demo.client.get(f"/assessments/{pending['id']}/results").get_data(as_text=True)
    cards = page[page.index('class="level-cards"') :]
    # the headline is the confirmed level; the pending one is named beneath it, never as the value
    assert '<p class="value">尚未达到基础级</p>' in cards and "rank-0" in cards
    assert '<span class="tag warn">先进级（待成效核验）</span>' in cards
    assert '<p class="value">先进级</p>' not in page
    assert "企业当前为先进级（待成效核验）" in cards  # the summary never says the bare level
    assert '<span class="mark" role="img" aria-label="未评">?</span>' in page
    assert "已达到（待成效核验）" in page and "未设定基准值：未评" in page
    html = demo.client.get(f"/assessments/{pending['id']}/report").get_data(as_text=True)
    assert '<td class="warn">未评</td>' in html and '<p class="value">先进级</p>' not in html
    cover = html[html.index('class="cover-levels"') :]
    assert cover.index('<p class="value">尚未达到基础级</p>') < cover.index("先进级（待成效核验）")


def test_a_2025_assessment_keeps_its_report_without_tailoring_or_method(demo, db):
    old = demo_assessment(db, "苏州精锐数控机床有限公司", "2025.1")
    html = demo.client.get(f"/assessments/{old['id']}/report").get_data(as_text=True)
    for marker in SECTIONS:
        assert marker in html, marker
    assert "能力子域裁剪" not in html and 'id="method"' not in html and 'id="results"' not in html
    page = demo.client.get(f"/assessments/{old['id']}/results")
    assert page.status_code == 200 and "待成效核验" not in page.get_data(as_text=True)
