"""The phased roadmap on the results page, in the report and as Excel; the target, owners and
due dates an enterprise saves, carried over to its next assessment."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from assess.store import roadmap_plans
from tests.support import autosave, fill_completely, start_assessment


def submitted(app, client, outcome=None, seed=5) -> int:
    assessment_id = start_assessment(client)
    fill_completely(app, client, assessment_id, outcome, seed)
    response = client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    assert response.status_code == 302
    return assessment_id


def first_action(body: str) -> str:
    start = body.index('name="owner-') + len('name="owner-')
    return body[start : body.index('"', start)]


def test_below_basic_with_target_advanced_shows_both_phases_everywhere(app, enterprise, db):
    client = enterprise["client"]
    assessment_id = submitted(app, client)
    page = client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert "阶段 1：达到基础级所需" in page and "阶段 2" not in page  # default: the next level
    response = client.post(
        f"/assessments/{assessment_id}/roadmap",
        data={"target_level": "advanced", "target_cmmm": "3"},
    )
    assert response.status_code == 302
    page = client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert page.index("阶段 1：达到基础级所需") < page.index("阶段 2：达到先进级所需")
    assert "时间框架是本产品" not in page  # the note is worded in full below
    report = client.get(f"/assessments/{assessment_id}/report").get_data(as_text=True)
    assert report.index("阶段 1：达到基础级所需") < report.index("阶段 2：达到先进级所需")
    workbook = load_workbook(
        io.BytesIO(client.get(f"/assessments/{assessment_id}/roadmap.xlsx").data)
    )
    assert workbook.sheetnames[:2] == ["阶段 1", "阶段 2"]
    assert workbook["阶段 1"]["A2"].value == "1.1"


def test_owner_and_due_date_are_saved_and_carried_to_the_next_assessment(app, enterprise, db):
    client = enterprise["client"]
    first = submitted(app, client)
    item = first_action(client.get(f"/assessments/{first}/results").get_data(as_text=True))
    client.post(
        f"/assessments/{first}/roadmap",
        data={f"owner-{item}": "生产部 王工", f"due-{item}": "2027-06-30"},
    )
    assert roadmap_plans.entries(db, enterprise["organisation_id"])[item]["owner"] == "生产部 王工"
    second = submitted(app, client, "basic", seed=6)
    page = client.get(f"/assessments/{second}/results").get_data(as_text=True)
    # either still to do (with its owner and due date) or listed as done since
    assert 'value="生产部 王工"' in page or "已完成的计划行动" in page
    assert "2027-06-30" in page


def test_bad_input_is_refused_and_changes_nothing(app, enterprise, db):
    client = enterprise["client"]
    assessment_id = submitted(app, client)
    for data in (
        {"target_level": "nonsense"},
        {"target_cmmm": "9"},
        {"owner-org_strategy.1": "x" * 101},
        {"owner-org_strategy.1": "张三", "due-org_strategy.1": "2027-13-45"},
        {"owner-nope": "张三"},
    ):
        response = client.post(
            f"/assessments/{assessment_id}/roadmap", data=data, follow_redirects=True
        )
        assert response.status_code == 200
        assert 'class="flash flash-error"' in response.get_data(as_text=True), data
    assert roadmap_plans.entries(db, enterprise["organisation_id"]) == {}
    assert roadmap_plans.target(db, enterprise["organisation_id"]) == (None, None)


def test_what_moved_between_two_chosen_assessments(app, enterprise, db):
    client = enterprise["client"]
    assert "需要两次已提交的评估" in client.get("/history/compare").get_data(as_text=True)
    first = submitted(app, client)
    second = submitted(app, client, "basic", seed=6)
    body = client.get("/history/compare").get_data(as_text=True)
    assert "能力子域" in body and "典型场景" in body and "发生变化的回答" in body
    assert f'<option value="{first}" selected>' in body
    chosen = client.get(f"/history/compare?before={second}&after={first}")
    assert chosen.status_code == 200  # the earlier one is put first, whichever way
    assert client.get("/history/compare?before=999999").status_code == 404
    assert "查看两次评估之间的变化" in client.get("/history").get_data(as_text=True)


def test_what_moved_marks_a_scenario_that_went_to_not_applicable(app, enterprise, db):
    """A scenario that applied and now does not is marked (it left the score), not shown as an
    unchanged row; one the earlier answers made applicable again would be marked too."""
    client = enterprise["client"]
    submitted(app, client, "basic")
    second = start_assessment(client)
    fill_completely(app, client, second, "basic", 6)
    autosave(client, second, ("s01_digital_product_design.applies", "no", 9, "不自主设计产品"))
    assert (
        client.post(f"/assessments/{second}/submit", data={"confirm_submit": "1"}).status_code
        == 302
    )
    body = client.get("/history/compare").get_data(as_text=True)
    row = body[body.index("1. 产品数字化研发设计") :].split("</tr>")[0]
    assert "<td>基础级</td>" in row and "不适用" in row and "改为不适用" in row
