"""The verified report and comparison: what an on-site assessment's report, comparison and
history say about the verification, and that the submit page counts as the report does."""

from __future__ import annotations

import re

from assess.store import assessments
from tests.support import VISIT, VISIT_ZH, autosave


def test_a_verified_assessment_needs_a_visit_and_its_report_and_comparison_say_so(
    app, accounts, on_site, db
):
    from assess.assessment import answering
    from assess.scoring import explain
    from assess.web import questionnaires

    with app.app_context():
        q = questionnaires.latest()
    client = accounts.client
    stored = assessments.answers(db, on_site["id"])
    # lower two self-assessed ratings: the comparison must list exactly those as over-claims
    lowered = [
        i for i in ("org_strategy.1", "s04.basic") if stored[i].answer.value in ("full", "most")
    ]
    assert lowered
    for item in lowered:
        autosave(client, on_site["id"], (item, "partial", stored[item].revision + 1))
    client.post(
        f"/assessments/{on_site['id']}/answers",
        json={
            "evidence": [
                {
                    "item": "org_strategy.1",
                    "note": "规划未分解到年度",
                    "quality": "documented",
                    "verified": True,
                }
            ]
        },
    )
    state = answering.state(db, q, on_site["id"])
    if state.missing:  # lowering may open items the staircase now asks
        autosave(client, on_site["id"], *[(i, "none", 1) for i in state.missing])
    assert (
        client.post(
            f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"}
        ).status_code
        == 422
    )  # no visit yet
    assert assessments.get(db, on_site["id"])["status"] == "draft"
    client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "一号车间", "participants": "王顾问、厂长"},
    )
    response = client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert response.headers["Location"] == f"/assessments/{on_site['id']}/results"
    comparison = client.get(f"/assessments/{on_site['id']}/comparison").get_data(as_text=True)
    listed = comparison.split('<ul class="over-claims">')[1].split("</ul>")[0]
    for item in lowered:
        assert explain.item_label(q, item, "zh") in listed
    html = client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    # the cover says how much was verified, by whom, and when on site (1 of them: below
    # the minimum coverage, so "partially verified")
    assert re.search(r"已核实评分答案 1 / \d+（\d %）", html)
    assert f"<td>{VISIT_ZH}</td>" in html and "<td>王顾问</td>" in html
    assert "现场评估报告（部分核实）" in html
    assert 'id="comparison"' in html
    assert "由王顾问于" in html and "规划未分解到年度" in html
    assert client.get(f"/assessments/{on_site['id']}/report.pdf").status_code == 200
    # a self-assessment submitted afterwards, agreeing with the consultant, changes nothing:
    # the verification compares with the self-assessment it checked
    accounts.logout()
    accounts.login(on_site["email"])
    started = accounts.client.post("/assessments/new", data={"prefill": "last"})
    later = int(started.headers["Location"].split("/")[2])
    # the answers come from the consultant's visit, the latest, and the page says so
    opened = accounts.client.get(started.headers["Location"]).get_data(as_text=True)
    assert "已填入评估顾问" in opened and "现场评估的答案" in opened
    stored = assessments.answers(db, later)
    for item in lowered:
        autosave(accounts.client, later, (item, "partial", stored[item].revision + 1))
    state = answering.state(db, q, later)
    if state.missing:
        autosave(accounts.client, later, *[(i, "none", 1) for i in state.missing])
    accounts.client.post(
        f"/assessments/{later}/submit", data={"confirm_carried": "1", "confirm_submit": "1"}
    )
    assert assessments.get(db, later)["status"] == "submitted"
    again = accounts.client.get(f"/assessments/{on_site['id']}/comparison").get_data(as_text=True)
    listed = again.split('<ul class="over-claims">')[1].split("</ul>")[0]
    for item in lowered:
        assert explain.item_label(q, item, "zh") in listed


def test_history_compares_a_verification_with_verifications_only(app, accounts, on_site, db):
    """Self-assessment, then a verification that lowers ratings: the history says which is
    which, and the verification is the first of its kind, not a decline."""
    from assess.assessment import answering
    from assess.web import questionnaires

    with app.app_context():
        q = questionnaires.latest()
    client = accounts.client
    stored = assessments.answers(db, on_site["id"])
    autosave(
        client, on_site["id"], ("org_strategy.2", "none", stored["org_strategy.2"].revision + 1)
    )
    state = answering.state(db, q, on_site["id"])
    if state.missing:
        autosave(client, on_site["id"], *[(i, "none", 1) for i in state.missing])
    client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "总装车间"},
    )
    client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    accounts.logout()
    accounts.login(on_site["email"])
    page = accounts.client.get("/history").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "自评估" in rows[0] and "首次评估" in rows[0]
    assert "现场评估" in rows[1] and "同类首次" in rows[1] and "S -" not in rows[1]


def test_an_on_site_assessment_without_consultant_or_visit_does_not_claim_a_verification(app):
    """Imported or synthetic data can hold an on-site assessment with neither: its cover says
    so, instead of "verified on site by —"."""
    from assess.report.results import Verification
    from assess.web.templating import format_date

    with app.test_request_context():
        bare = Verification(verified=0, rated=128, consultant="", visits=()).text("zh", format_date)
        real = Verification(verified=64, rated=84, consultant="王咨询", visits=("2026-10-19",))
        assert bare == "现场评估，但未记录评估顾问或现场走访：已标记核实的评分答案 0 / 128。"
        assert real.text("zh", format_date).startswith(
            "由评估顾问王咨询现场核实：已核实评分答案 64 / 84"
        )


def test_the_submit_page_and_the_report_count_the_same_rated_answers(app, accounts, on_site, db):
    """On site, the enterprise turns out not to design its products: the digital design
    scenario no longer applies and its four steps are not asked, and product design is
    tailored out. They are not rated answers on the submit page, nor on the report's cover
    (which counted them: 81 against 85). Under 2025.1 a requirement answered "not applicable"
    is one on both (tests/scoring: rated_items)."""
    from assess.report.results import scored, verification_of
    from assess.scoring.result import rated_items
    from assess.web import questionnaires

    client = accounts.client
    saved = autosave(
        client,
        on_site["id"],
        ("profile.own_design", "no", 9),
        ("profile.own_process_planning", "yes", 9),
        ("tailoring.product_design", "yes", 9, "按客户图纸加工"),
        ("tailoring.product_design.review", "accepted", 9),
    )
    assert [r["status"] for r in saved["results"]] == ["saved"] * 4, saved
    page = client.get(
        f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"}
    ).get_data(as_text=True)
    on_submit = re.search(r"已标记核实的评分答案：(\d+) / (\d+)", page).groups()
    with app.test_request_context():
        row = assessments.get(db, on_site["id"])
        found = scored(db, questionnaires.versions(), row)
        result = found.result
        cover = verification_of(db, found.q, row, result)
    assert on_submit == (str(cover.verified), str(cover.rated))
    # and the same deciding answers (profile, basic requirements, ...: none verified yet)
    deciding = re.search(r"已标记核实的决定性答案（[^）]+）：(\d+) / (\d+)", page).groups()
    assert deciding == (str(cover.deciding_verified), str(cover.deciding)) == ("0", deciding[1])
    assert int(deciding[1]) > 0
    rated = rated_items(result)
    assert "energy.1" in rated and result.tailored == ("product_design",)
    assert not any(f"s01.{level}" in rated for level in ("basic", "advanced", "excellent"))
    assert not any(f"product_design.{level}" in rated for level in range(1, 6))
