"""Benchmarks of the results indicators: set per province and sector by the province's
authority or an administrator, refused with a message when invalid, and every stored result
they decide re-scored at once (assessments, result_facts, the regional sums)."""

from __future__ import annotations

import random

import pytest

from assess.assessment import submission
from assess.demo.synthetic import answers_for_outcome
from assess.scoring import Answer
from assess.store import assessments
from assess.store.database import write_transaction
from assess.web import questionnaires

# Figures worse than the demo's example benchmarks in every indicator.
BAD = {
    "results.labour_productivity": "10",
    "results.defect_rate": "5",
    "results.cost_per_revenue": "99",
    "results.development_cycle": "30",
    "results.energy_intensity": "0.2",
}
FIELDS = {
    "results.labour_productivity": "results-labour_productivity",
    "results.defect_rate": "results-defect_rate",
    "results.cost_per_revenue": "results-cost_per_revenue",
    "results.development_cycle": "results-development_cycle",
    "results.energy_intensity": "results-energy_intensity",
}


def form(values: dict[str, str], sector="machine_tools", year="2025", source="江苏省统计年鉴"):
    data = {"sector": sector}
    for key, value in values.items():
        data[FIELDS[key] + "--value"] = value
        data[FIELDS[key] + "--year"] = year
        data[FIELDS[key] + "--source"] = source
    return data


@pytest.fixture
def advanced_behind(app, accounts, db):
    """A machine-tool maker in Suzhou at Advanced on every rule but results, whose figures
    are all worse than the example benchmarks; submitted while no benchmark was set."""
    org = accounts.organisation(name="苏州基准测试机床有限公司", region_code="320505")
    with app.app_context():
        q = questionnaires.latest()
    answers = answers_for_outcome(
        q, random.Random(11), "advanced", sector="machine_tools", own_design=True
    )
    answers.update({key: Answer(value) for key, value in BAD.items()})
    with write_transaction(db):
        assessment_id = assessments.create(
            db, organisation_id=org, questionnaire=q, created_by=None
        )
        assessments.put_answers(db, assessment_id, answers.items(), None)
        submission.submit(db, q, assessment_id, answers, submitted_by=None)
    return {"org": org, "id": assessment_id}


def stored_levels(db, assessment_id):
    row = assessments.get(db, assessment_id)
    facts = next(db.query("SELECT * FROM result_facts WHERE assessment_id = ?", [assessment_id]))
    summary = next(
        db.query(
            "SELECT rank_0, rank_2 FROM region_summary WHERE period = '' AND region_code = ?",
            ["320505"],
        )
    )
    return (row["gradient_rank"], row["confirmed_rank"], facts["gradient_rank"], dict(summary))


def test_setting_benchmarks_re_scores_the_stored_results_of_that_sector_and_province(
    accounts, db, advanced_behind
):
    """Advanced subject to results without benchmarks; with them, its results rules fail and
    it is below Basic, in the assessment, its facts and its county's sums alike; with lower
    benchmarks it is Advanced, confirmed."""
    assert stored_levels(db, advanced_behind["id"]) == (2, 0, 2, {"rank_0": 0, "rank_2": 1})
    owner = accounts.user(
        "enterprise", organisation_id=advanced_behind["org"], email="o@example.com"
    )
    accounts.login(owner)
    assert "先进级（待成效核验）" in accounts.client.get("/history").get_data(as_text=True)
    accounts.logout()
    accounts.login(accounts.user("authority", email="js@example.com", region_scope="32"))
    client = accounts.client
    example = {
        "results.labour_productivity": "35",
        "results.defect_rate": "1.5",
        "results.cost_per_revenue": "85",
        "results.development_cycle": "12",
        "results.energy_intensity": "0.05",
    }
    response = client.post("/benchmarks/32", data=form(example), follow_redirects=True)
    assert (
        "基准值已保存（变更 5 项）。本省该行业已提交的 1 份评估结果已重新评分，其中 1 份等级发生变化。"
        in (response.get_data(as_text=True))
    )
    assert stored_levels(db, advanced_behind["id"]) == (0, 0, 0, {"rank_0": 1, "rank_2": 0})
    accounts.logout()
    accounts.login(accounts.user("admin", email="root@example.com"))
    results = client.get(f"/assessments/{advanced_behind['id']}/results").get_data(as_text=True)
    assert "未优于基准值" in results and "江苏省统计年鉴" in results
    accounts.logout()
    accounts.login("js@example.com")
    lower = {key: value for key, value in BAD.items()}
    lower["results.labour_productivity"] = "5"  # higher is better: 10 beats 5
    lower["results.defect_rate"] = "9"  # lower is better: 5 beats 9
    client.post("/benchmarks/32", data=form(lower))
    assert stored_levels(db, advanced_behind["id"]) == (2, 2, 2, {"rank_0": 0, "rank_2": 1})
    entry = next(
        db.query("SELECT * FROM audit_log WHERE action = 'benchmarks_set' ORDER BY id DESC")
    )
    assert entry["target_id"] == "32:machine_tools"


def test_other_sectors_and_provinces_leave_a_result_alone(app, accounts, db, advanced_behind):
    accounts.login(accounts.user("admin", email="root@example.com"))
    client = accounts.client
    client.post("/benchmarks/32", data=form({"results.defect_rate": "9"}, sector="rail"))
    client.post("/benchmarks/33", data=form({"results.defect_rate": "9"}))
    assert stored_levels(db, advanced_behind["id"])[:2] == (2, 0)
    assert db.execute("SELECT count(*) FROM benchmarks").fetchone()[0] == 2


def test_invalid_benchmarks_are_refused_with_a_message_and_nothing_is_saved(accounts, db):
    accounts.login(accounts.user("authority", email="js@example.com", region_scope="32"))
    data = form({"results.defect_rate": "120", "results.energy_intensity": "很低"})
    data["results-labour_productivity--value"] = "35"
    data["results-labour_productivity--year"] = "25"
    data["results-labour_productivity--source"] = " \t "
    response = accounts.client.post("/benchmarks/32", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in [
        "未保存任何内容；请修改下方标出的字段。",
        "数值超出该指标的范围。",
        "请填写数值，例如 1.5。",
        "请填写基准值所属的四位年份。",
        "请注明基准值的来源（如统计年鉴）。",
    ]:
        assert message in body, message
    assert 'value="很低"' in body  # what was typed is shown again
    assert db.execute("SELECT count(*) FROM benchmarks").fetchone()[0] == 0


def test_an_empty_value_removes_a_benchmark(accounts, db):
    accounts.login(accounts.user("admin", email="root@example.com"))
    accounts.client.post("/benchmarks/43", data=form({"results.defect_rate": "1.2"}))
    accounts.client.post("/benchmarks/43", data=form({"results.defect_rate": ""}))
    assert db.execute("SELECT count(*) FROM benchmarks").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("scope", "park", "get", "post"),
    [
        ("32", False, 200, 302),  # the province's authority sets them
        ("", False, 200, 302),  # the national one too
        ("3205", False, 200, 403),  # a city's sees them, read-only
        ("320505", True, 200, 403),  # so does a park's
        ("33", False, 404, 404),  # another province's: not there
    ],
)
def test_who_sees_and_sets_a_provinces_benchmarks(accounts, db, scope, park, get, post):
    email = accounts.user("authority", email="a@example.com", region_scope=scope)
    if park:
        with write_transaction(db):
            park_id = (
                db["parks"]
                .insert({"county_code": "320505", "name_zh": "园", "name_en": "P"})
                .last_pk
            )
            db.execute("UPDATE users SET park_id = ? WHERE email = ?", [park_id, email])
    accounts.login(email)
    page = accounts.client.get("/benchmarks/32")
    assert page.status_code == get
    if get == 200:
        editable = 'name="results-defect_rate--value"' in page.get_data(as_text=True)
        assert editable == (post == 302)
    assert (
        accounts.client.post("/benchmarks/32", data=form({"results.defect_rate": "1"})).status_code
        == post
    )


def test_an_authority_lands_on_its_province_and_an_administrator_chooses_one(accounts):
    accounts.login(accounts.user("authority", email="sz@example.com", region_scope="3205"))
    assert accounts.client.get("/benchmarks").headers["Location"] == "/benchmarks/32"
    accounts.logout()
    accounts.login(accounts.user("admin", email="root@example.com"))
    body = accounts.client.get("/benchmarks").get_data(as_text=True)
    assert 'href="/benchmarks/32"' in body and 'href="/benchmarks/65"' in body
    for refused in ("/benchmarks/99", "/benchmarks/3205", "/benchmarks/xx"):
        assert accounts.client.get(refused).status_code == 404, refused


def test_a_sector_declared_anew_re_scores_the_earlier_results_with_its_benchmarks(
    app, accounts, db, advanced_behind
):
    """The sector an assessment declares becomes the organisation's: its earlier result is
    scored with the new sector's benchmarks from then on, stored and shown alike."""
    accounts.login(accounts.user("admin", email="root@example.com"))
    lower = dict(BAD, **{"results.labour_productivity": "5", "results.defect_rate": "9"})
    accounts.client.post("/benchmarks/32", data=form(lower, sector="rail"))
    assert stored_levels(db, advanced_behind["id"])[:2] == (2, 0)
    with app.app_context():
        q = questionnaires.latest()
    answers = {
        item: stored.answer
        for item, stored in assessments.answers(db, advanced_behind["id"]).items()
    }
    answers["profile.sector"] = Answer("rail")
    with write_transaction(db):
        again = assessments.create(
            db, organisation_id=advanced_behind["org"], questionnaire=q, created_by=None
        )
        assessments.put_answers(db, again, answers.items(), None)
        submission.submit(db, q, again, answers, submitted_by=None)
    assert stored_levels(db, advanced_behind["id"])[:3] == (2, 2, 2)
    assert assessments.get(db, again)["confirmed_rank"] == 2
