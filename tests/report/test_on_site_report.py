"""The verified report names itself: its own title, banner and footer, the consultant, firm,
logo, qualification, visits and sign-off on the cover, rules worded for who answered, the
verification coverage with "partially verified" below the minimum, and the level effects of
the comparison; the cache key follows everything printed."""

from __future__ import annotations

import re
import subprocess
from urllib.parse import unquote

import pytest

from assess.report import verified
from assess.report.results import Verification
from assess.store import assessments, firms, users
from assess.store import evidence as evidence_store
from assess.store.database import write_transaction
from tests.support import VISIT_ZH, firm_of, lower_every_rating, png, verify_on_site

SELF_NOTICE = "自评估/诊断结果"
FIRM = "江南智造咨询有限公司"


def submit_verified(app, accounts, db, on_site, share):
    """The consultant, in a firm with a logo, verifies this share of the rated answers, visits
    and submits; (verified, rated)."""
    firm_of(db, "c@example.com", name=FIRM, logo=png(12, 4))
    counted = verify_on_site(app, db, accounts.client, on_site["id"], share)
    accounts.client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    return counted


def pdftotext(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]  # one string per page


def test_a_verified_report_has_its_own_title_banner_footer_and_signed_cover(
    app, accounts, on_site, db, tmp_path
):
    done, rated = submit_verified(app, accounts, db, on_site, 1.0)
    assert done == rated > 50
    client = accounts.client
    html = client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    assert SELF_NOTICE not in html
    assert '<body class="report report-verified part-all">' in html
    assert "<title>客户机械有限公司 · 现场评估报告</title>" in html
    assert '<p class="cover-kicker">现场评估报告</p>' in html
    assert '<p class="cover-notice">现场评估结果，经咨询顾问核实，非官方评定。</p>' in html
    cover = html.split('<nav class="toc"')[0]
    facts = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td[^>]*>(.*?)</td></tr>', cover))
    assert facts["评估顾问"] == "王顾问"
    assert facts["咨询机构"] == FIRM
    assert facts["机构资质"] == "CMMM 评估师 No. 2026-0417"
    assert facts["现场走访日期"] == VISIT_ZH
    assert facts["核实覆盖率"].startswith(f"已核实评分答案 {rated} / {rated}（100 %）")
    assert '<img class="firm-logo" src="data:image/png;base64,' in cover
    assert (
        f"{FIRM}评估顾问王顾问于{VISIT_ZH}对客户机械有限公司开展现场评估，对照现场所见证据核实了其"
        f" {rated} 项评分答案中的 {rated} 项" in cover
    )
    # every page of the PDF: the title in the running header (not on the cover), the banner
    # as its footer; never the self-assessment's notice
    pages = pdftotext(client.get(f"/assessments/{on_site['id']}/report.pdf").data, tmp_path)
    assert len(pages) > 10
    for number, page in enumerate(pages, start=1):
        assert "现场评估结果，经咨询顾问核实，非官方评定。" in page, number
        assert SELF_NOTICE not in page, number
        assert ("现场评估报告" in page.split("\n", 3)[0]) or number == 1 or page.strip() == ""
    assert "现场评估报告" in pages[0]
    download = client.get(f"/assessments/{on_site['id']}/report.pdf")
    assert "-现场评估报告-" in unquote(download.headers["Content-Disposition"])


def test_the_self_assessments_report_keeps_its_notice_and_wording(app, accounts, client_org):
    accounts.login(client_org["email"])
    html = accounts.client.get(f"/assessments/{client_org['self']}/report").get_data(as_text=True)
    assert '<body class="report report-self part-all">' in html
    assert '<p class="cover-notice">自评估/诊断结果，非官方评定。</p>' in html
    assert "智能制造能力成熟度自评估达到二级及以上" in html
    assert "现场评估达到二级及以上" not in html
    assert "签署声明" not in html and "核实覆盖率" not in html


def test_rules_are_worded_for_who_answered(app, accounts, on_site, db):
    submit_verified(app, accounts, db, on_site, 1.0)
    client = accounts.client
    for path in ("report", "results"):
        html = client.get(f"/assessments/{on_site['id']}/{path}").get_data(as_text=True)
        assert "智能制造能力成熟度现场评估达到二级及以上" in html, path
        assert "能力成熟度自评估达到" not in html, path
    with app.test_request_context():
        from assess.web import questionnaires

        for version in ("2025.1", "2026.1"):
            q = questionnaires.versions().get("machinery-smart-factory", version)
            assert q.rules["basic.cmmm"].text_for(True).zh.endswith("现场评估达到二级及以上")
            assert q.rules["basic.cmmm"].text_for(False).zh.endswith("自评估达到二级及以上")
            # a rule that does not name who answered reads the same either way
            assert q.rules["basic.scenarios"].text_for(True) == q.rules["basic.scenarios"].text


def test_below_the_minimum_coverage_it_is_partially_verified_wherever_it_is_named(
    app, accounts, on_site, db
):
    done, rated = submit_verified(app, accounts, db, on_site, 0.5)
    assert done / rated < 0.8
    client = accounts.client
    html = client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    assert '<body class="report report-partial part-all">' in html
    assert "<title>客户机械有限公司 · 现场评估报告（部分核实）</title>" in html
    assert '<p class="cover-kicker">现场评估报告（部分核实）</p>' in html
    assert '<p class="cover-notice">现场评估结果，经咨询顾问部分核实，非官方评定。</p>' in html
    assert f"已核实评分答案 {done} / {rated}（{done * 100 / rated:.0f} %）" in html
    assert "评分答案核实比例达到 80 % 且决定性答案全部核实的报告方称为已核实" in html
    assert SELF_NOTICE not in html
    # its sign-off does not say the levels come from verified answers: it says how many not
    assert "核实后的答案" not in html
    assert f"本报告所列等级依据全部评分答案得出，其中 {rated - done} 项未经核实。" in html
    results = client.get(f"/assessments/{on_site['id']}/results").get_data(as_text=True)
    assert "<h1>现场评估结果（部分核实）</h1>" in results
    assert "下载现场评估报告（部分核实）" in results
    assert SELF_NOTICE not in results
    download = client.get(f"/assessments/{on_site['id']}/report.pdf")
    disposition = unquote(download.headers["Content-Disposition"])
    assert "-现场评估报告（部分核实）-" in disposition
    # the region counts it as the report names it: as self-assessed, not verified on site
    facts = db.execute(
        "SELECT verified FROM result_facts WHERE assessment_id = ?", [on_site["id"]]
    ).fetchone()
    assert facts == (0,)
    # 0.8 is the programme's bar, for reports and regional figures alike: no setting moves the
    # report's side of it (a setting once did, and a report said verified where the region not)
    app.config["VERIFIED_MIN_COVERAGE"] = done / rated
    results = client.get(f"/assessments/{on_site['id']}/results").get_data(as_text=True)
    assert "<h1>现场评估结果（部分核实）</h1>" in results
    html = client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    assert '<p class="cover-kicker">现场评估报告（部分核实）</p>' in html


@pytest.mark.parametrize(
    ("verified_answers", "rated", "kind"),
    [
        (80, 100, "verified"),  # at the programme's bar: verified
        (79, 100, "partial"),  # one below
        (4, 94, "partial"),  # the case
        (94, 94, "verified"),
        (0, 0, "partial"),  # nothing rated is nothing verified
        (1, 2, "partial"),
    ],
)
def test_the_minimum_coverage_decides_on_both_sides(verified_answers, rated, kind):
    found = Verification(verified=verified_answers, rated=rated, consultant="王", visits=())
    assert verified.kind_of(found) == kind
    assert verified.kind_of(None) == "self"


def test_the_comparison_section_shows_the_effect_on_each_level(app, accounts, on_site, db):
    """The consultant rates every answer of the self-assessment one step lower: the report's
    comparison shows, per level, what the self-assessment reached and what was verified."""
    from assess.report.results import comparison_of
    from assess.web import questionnaires

    client = accounts.client
    lower_every_rating(app, db, client, on_site["id"])
    submit_verified(app, accounts, db, on_site, 1.0)
    with app.test_request_context():
        _own, comparison = comparison_of(
            db, questionnaires.versions(), assessments.get(db, on_site["id"])
        )
    lost = [e for e in comparison.levels if e.effect == "lost"]
    assert lost  # lowering every rating loses a level somewhere
    html = client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    section = html.split('id="comparison"')[1].split("</section>")[0]
    assert "对各等级的影响" in section
    rows = re.findall(r'<tr class="effect-(lost|gained|kept|not_reached)">', section)
    assert rows == [e.effect for e in comparison.levels]
    assert rows.count("lost") == len(lost)
    assert f"{comparison.total_change:+.2f}" in section


def test_the_cache_key_follows_everything_the_cover_prints(app, accounts, on_site, db):
    from assess.web.reports import report_key

    submit_verified(app, accounts, db, on_site, 1.0)
    row = assessments.get(db, on_site["id"])

    def key() -> str:
        with app.test_request_context():
            return report_key(row, "zh")

    seen = [key()]
    changes = [
        lambda: db.execute(
            "UPDATE verified_signers SET firm_name = '新名称咨询' WHERE assessment_id = ?",
            [row["id"]],
        ),
        lambda: db.execute(
            "UPDATE verified_signers SET qualification = '新资质' WHERE assessment_id = ?",
            [row["id"]],
        ),
        lambda: db.execute(
            "UPDATE verified_signers SET consultant_name = '王顾问（高级）'"
            " WHERE assessment_id = ?",
            [row["id"]],
        ),
        lambda: db.execute(
            "UPDATE site_visits SET visit_date = '2026-01-05' WHERE assessment_id = ?", [row["id"]]
        ),
    ]
    for change in changes:
        with write_transaction(db):
            change()
        seen.append(key())
    assert len(set(seen)) == len(seen)
    assert key() == seen[-1]  # and nothing else moves it


def cover_of(client, assessment_id: int) -> tuple[dict, str]:
    """The cover's facts (heading: value) and its logo's data URL."""
    html = client.get(f"/assessments/{assessment_id}/report").get_data(as_text=True)
    cover = html.split('<nav class="toc"')[0]
    facts = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td[^>]*>(.*?)</td></tr>', cover))
    logo = re.search(r'<img class="firm-logo" src="([^"]+)"', cover)
    return facts, logo.group(1) if logo else ""


def test_an_issued_report_keeps_the_firm_and_consultant_it_was_signed_by(
    app, accounts, on_site, db
):
    """The firm's name, qualification and logo and the consultant's name are kept when the
    on-site assessment is submitted: renaming the firm, a new logo, the consultant renamed or
    gone to another firm change neither the report nor its cache key; a draft's signer is
    the firm as it is now."""
    from assess.web.reports import report_key

    submit_verified(app, accounts, db, on_site, 1.0)
    row = assessments.get(db, on_site["id"])
    firm = firms.of_user(db, row["consultant_id"])
    client = accounts.client
    issued = cover_of(client, row["id"])
    assert issued[0]["咨询机构"] == FIRM and issued[0]["评估顾问"] == "王顾问" and issued[1]
    with app.test_request_context():
        key = report_key(row, "zh")
    with write_transaction(db):
        firms.update(db, firm["id"], name="新名称咨询", qualification="新资质")
        firms.update(db, firm["id"], logo=png(5, 5), logo_mime="image/png")
        db.execute("UPDATE users SET name = '王顾问（高级）' WHERE id = ?", [row["consultant_id"]])
    assert cover_of(client, row["id"]) == issued
    with write_transaction(db):
        other = firms.create(db, name="另一家咨询")
        firms.set_firm(db, row["consultant_id"], other)
    assert cover_of(client, row["id"]) == issued
    with app.test_request_context():
        assert report_key(row, "zh") == key
    # a draft is signed by the firm as it is when it is submitted: until then, as it is now
    name, now = verified.signer(db, {**row, "status": "draft"})
    assert (name, now["name"], now["logo"]) == ("王顾问（高级）", "另一家咨询", None)


def test_the_cover_says_how_many_verified_answers_have_evidence_recorded(
    app, accounts, on_site, db
):
    """Every answer marked verified by click, one with a note, one with a file (another item):
    2 of them have evidence recorded; a note of spaces is no evidence."""
    from assess.report.results import scored
    from assess.scoring.result import rated_items
    from assess.store import evidence as evidence_store
    from assess.web import questionnaires

    firm_of(db, "c@example.com", name=FIRM, logo=png(12, 4))
    done, rated = verify_on_site(app, db, accounts.client, on_site["id"], 1.0)
    with app.test_request_context():
        row = assessments.get(db, on_site["id"])
        first, second, third = sorted(
            rated_items(scored(db, questionnaires.versions(), row).result)
        )[:3]
    user_id = users.get_by_email(db, "c@example.com")["id"]
    kept = {"quality": None, "verified": True, "user_id": user_id}
    with write_transaction(db):
        evidence_store.save(db, on_site["id"], first, note="看过排产记录", **kept)
        evidence_store.save(db, on_site["id"], third, note="   ", **kept)
        evidence_store.add_file(
            db, on_site["id"], second, "x.jpg", "photo.jpg", "image/jpeg", 10, "0" * 64, user_id
        )
    accounts.client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    html = accounts.client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    cover = html.split('<nav class="toc"')[0]
    facts = dict(re.findall(r'<tr><th scope="row">([^<]+)</th><td[^>]*>(.*?)</td></tr>', cover))
    assert facts["核实覆盖率"].startswith(
        f"已核实评分答案 {rated} / {rated}（100 %）<br>其中 2 项记录了证据（说明或文件）"
    )
    assert f"已核实的 {done} 项答案中，2 项记录了证据（说明或文件）。" in cover
    assert "本报告所列等级依据核实后的答案得出。" in cover


def _comparison_page(client, assessment_id) -> str:
    return client.get(f"/assessments/{assessment_id}/comparison").get_data(as_text=True)


def test_items_the_consultant_rated_higher_are_listed_in_the_page_and_the_report(
    app, accounts, on_site, db
):
    from tests.support import autosave

    stored = assessments.answers(db, on_site["id"])
    raised = sorted(
        item
        for item, s in stored.items()
        if not item.startswith("profile.") and s.answer.value == "partial"
    )[:2]
    assert len(raised) == 2
    autosave(
        accounts.client,
        on_site["id"],
        *[(item, "full", stored[item].revision + 1) for item in raised],
    )
    submit_verified(app, accounts, db, on_site, 1.0)
    with app.test_request_context():
        from assess.report.results import comparison_of
        from assess.scoring import explain
        from assess.web import questionnaires

        _own, comparison = comparison_of(
            db, questionnaires.versions(), assessments.get(db, on_site["id"])
        )
        q = questionnaires.latest()
    assert sorted(d.item_id for d in comparison.under_claims) == raised
    page = _comparison_page(accounts.client, on_site["id"])
    report = accounts.client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    for html in (page, report.split('id="comparison"')[1].split("</section>")[0]):
        listed = html.split("现场评估高于企业自评的题目（2 项）")[1]
        for item in raised:
            label = explain.item_label(q, item, "zh")
            assert label.split("] ")[1][:20] in listed


def test_no_verified_tag_on_an_item_not_asked_on_site(app, accounts, on_site, db):
    """Everything verified, then one sub-domain's level 1 rated not met: its upper levels
    fold and are not asked on site; one of them carries a verification all the same: the
    comparison does not tag it verified."""
    from assess.report.results import comparison_of
    from assess.web import questionnaires
    from tests.support import autosave

    firm_of(db, "c@example.com", name=FIRM, logo=png(12, 4))
    verify_on_site(app, db, accounts.client, on_site["id"], 1.0)
    with app.app_context():
        q = questionnaires.latest()
    stored = assessments.answers(db, on_site["id"])
    sub = next(iter(q.sub_domains))
    first = [i for i, r in q.requirements.items() if r.sub_domain == sub and r.level == 1]
    autosave(
        accounts.client,
        on_site["id"],
        *[(item, "none", stored[item].revision + 1) for item in first],
    )
    accounts.client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    with app.test_request_context():
        _own, comparison = comparison_of(
            db, questionnaires.versions(), assessments.get(db, on_site["id"])
        )
    not_asked = [d for d in comparison.items if d.verified_status == "skipped"]
    assert not_asked
    # a verification kept on an item not asked (the demo's synthetic on-site assessments
    # have them: the reviewer's assessment 33)
    consultant = users.get_by_email(db, "c@example.com")["id"]
    with write_transaction(db):
        db.execute(
            "UPDATE answers SET verified_by = ?, verified_at = '2026-12-01T00:00:00Z'"
            " WHERE assessment_id = ? AND item_id = ?",
            [consultant, on_site["id"], not_asked[0].item_id],
        )
    assert not_asked[0].item_id in evidence_store.verified_items(db, on_site["id"])
    page = _comparison_page(accounts.client, on_site["id"])
    items = page.split('<ul class="over-claims">')[1].split("</ul>")[0].split("<li>")[1:]
    shown = [li for li in items if "未询问（按不满足计）" in li]
    assert shown and all('class="tag ok"' not in li for li in shown)


def test_the_roadmap_of_an_on_site_report_words_its_rules_as_on_site():
    """CMMM level 1 (every requirement partly met), every scenario step fully met: basic fails
    on the maturity rule alone and the roadmap's first phase names it, in its rules and each
    action's: on site as the level page words it, self-assessed otherwise."""
    from assess.questionnaire.loader import load_file
    from assess.report import roadmap
    from assess.scoring import score
    from tests.domain import NEW, enterprise

    q = load_file(NEW)
    levels = {level.id: "full" for level in q.gradient.levels}
    answers = enterprise(q, dict.fromkeys(range(1, 6), "partial"), {}, levels)
    result = score(q, answers)
    plan = roadmap.compute(q, answers, result, None, None, None)
    for on_site, who, other in ((True, "现场评估", "自评估"), (False, "自评估", "现场评估")):
        shown = roadmap.build(q, result, plan, "zh", {}, on_site)
        first = shown.phases[0]
        assert f"智能制造能力成熟度{who}达到二级及以上" in first.rules
        assert f"能力成熟度{other}达到" not in first.rules
        texts = [a.rules for a in first.actions if "能力成熟度" in a.rules]
        assert texts and all(f"能力成熟度{other}达到" not in t for t in texts)
