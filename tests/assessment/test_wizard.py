"""The wizard: question types, saving, autosave revisions, the staircase, submit."""

from __future__ import annotations

import re

import pytest

from assess.store import assessments
from tests.support import autosave, start_assessment, start_assessment_under


def page(client, assessment_id, page_id, **form):
    return client.post(f"/assessments/{assessment_id}/pages/{page_id}", data=form)


# a new draft starts with the sector given at registration (the fixture's organisation)
FROM_REGISTRATION = {"profile.sector": ("machine_tools", "", 1)}


def stored(db, assessment_id):
    return {
        k: (v.answer.value, v.answer.reason, v.revision)
        for k, v in assessments.answers(db, assessment_id).items()
    }


def test_start_makes_one_draft_and_resume_lands_on_the_first_unanswered_item(enterprise, db):
    client = enterprise["client"]
    first = start_assessment(client)
    assert start_assessment(client) == first
    response = client.get(f"/assessments/{first}")
    # the sector is known from registration: the first question left is the next one
    assert response.headers["Location"] == (
        f"/assessments/{first}/pages/profile#item-profile-above_scale"
    )
    autosave(client, first, ("profile.above_scale", "yes", 1))
    response = client.get(f"/assessments/{first}")
    assert response.headers["Location"].endswith("/pages/profile#item-profile-production_mode")


def test_requirements_that_apply_to_every_enterprise_offer_no_not_applicable(enterprise):
    """Organisational strategy applies to every enterprise (GB/T 39116): no N/A, no reason box."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    body = client.get(f"/assessments/{assessment_id}/pages/cmmm-personnel").get_data(as_text=True)
    assert 'name="org_strategy-1"' in body and 'value="full"' in body
    assert 'value="na"' not in body and "org_strategy-1--reason" not in body


@pytest.mark.parametrize(
    ("page_id", "markers"),
    [
        (
            "profile",
            ['name="profile-sector" type="radio"', 'type="checkbox"', 'name="profile-own_design"'],
        ),
        ("gate", ['name="gate-sound_operations"', 'value="yes"', 'value="no"']),
        ("cmmm-manufacturing-1", ['name="product_design-1"', 'value="most"', "一级（规划级）"]),
        (
            "scenarios-5-8",
            ['name="s06_human_robot_work-applies"', 'name="s06-basic"', "领航级", "痛点"],
        ),
        (
            "tailoring",
            [
                'name="tailoring-product_design"',
                'data-reason-when="yes"',
                # the questionnaire's suggested reason is filled in, to keep or to change
                "企业按客户图纸加工，不自主研发设计产品</textarea>",
                # the profile is not answered yet: the condition is said once, as why the
                # tailoring is not asked
                "只有在以下条件下才能裁剪“产品设计”：企业是否自主研发设计产品 = 否。",
            ],
        ),
        (
            "results",
            [
                'name="results-year" size="6" type="text"',
                'inputmode="decimal"',
                "万元/人·年",
                "范围 0 至 100；数值越低越好。",
            ],
        ),
    ],
)
def test_each_question_type_renders(enterprise, page_id, markers):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    body = client.get(f"/assessments/{assessment_id}/pages/{page_id}").get_data(as_text=True)
    for marker in markers:
        assert marker in body, marker


def test_a_new_assessment_offers_no_per_requirement_not_applicable_but_a_2025_draft_does(
    app, enterprise, db
):
    """2026.1 tailors whole sub-domains instead; a draft started under 2025.1 keeps its N/A."""
    client = enterprise["client"]
    new = start_assessment(client)
    body = client.get(f"/assessments/{new}/pages/cmmm-manufacturing-1").get_data(as_text=True)
    assert 'value="na"' not in body and "product_design-1--reason" not in body
    old = start_assessment_under(app, db, enterprise["organisation_id"], "2025.1")
    body = client.get(f"/assessments/{old}/pages/cmmm-manufacturing-1").get_data(as_text=True)
    for marker in ['value="na"', 'name="product_design-1--reason"', 'data-reason-when="na"']:
        assert marker in body, marker
    assert "/pages/tailoring" not in body and "/pages/results" not in body


def test_a_page_post_saves_and_moves_on(enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    response = page(
        client,
        assessment_id,
        "profile",
        **{
            "profile-sector": "rail",
            "profile-above_scale": "yes",
            "profile-links": ["factory", "operations"],
            "profile-sector--rev": "2",
            "profile-above_scale--rev": "1",
            "profile-links--rev": "1",
            "go": "next",
        },
    )
    assert response.status_code == 302
    # 2026.1: the tailoring of sub-domains follows the profile
    assert response.headers["Location"] == f"/assessments/{assessment_id}/pages/tailoring"
    assert stored(db, assessment_id) == {
        "profile.sector": ("rail", "", 2),
        "profile.above_scale": ("yes", "", 1),
        "profile.links": (("factory", "operations"), "", 1),
    }


def test_invalid_answers_are_refused_with_a_message_and_the_rest_is_kept(app, enterprise, db):
    """Under 2025.1 (a draft started before 2026.1): N/A without a reason, an unknown option."""
    client = enterprise["client"]
    assessment_id = start_assessment_under(app, db, enterprise["organisation_id"], "2025.1")
    response = page(
        client,
        assessment_id,
        "cmmm-manufacturing-1",
        **{
            "product_design-1": "na",
            "product_design-1--reason": "",
            "product_design-1--rev": "1",
            "product_design-2": "excellent",
            "product_design-2--rev": "1",
            "product_design-3": "most",
            "product_design-3--rev": "1",
            "go": "next",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "请说明不适用的原因" in body and "请选择一个选项" in body
    assert stored(db, assessment_id) == {**FROM_REGISTRATION, "product_design.3": ("most", "", 1)}
    # the refused answer is shown again to be completed
    assert re.search(r'value="na"[^>]*checked|checked[^>]*value="na"', body)


def test_invalid_figures_and_tailoring_without_a_reason_are_refused_and_the_rest_kept(
    enterprise, db
):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    autosave(client, assessment_id, ("profile.own_design", "no", 1))
    response = page(
        client,
        assessment_id,
        "tailoring",
        **{
            "tailoring-product_design": "yes",
            "tailoring-product_design--reason": "  ",  # the suggested reason, cleared
            "tailoring-product_design--rev": "1",
            "go": "next",
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "请说明裁剪该子域的理由。" in body
    # asked now: the condition is said above the question, the reason it is not asked is gone
    assert "仅在以下条件下可以裁剪：企业是否自主研发设计产品 = 否。" in body
    assert "只有在以下条件下才能裁剪“产品设计”" not in body
    response = page(
        client,
        assessment_id,
        "results",
        **{
            "results-year": "25",
            "results-year--rev": "1",
            "results-defect_rate": "120",
            "results-defect_rate--rev": "1",
            "results-labour_productivity": "四十",
            "results-labour_productivity--rev": "1",
            "results-energy_intensity": " 0.05 ",
            "results-energy_intensity--rev": "1",
            "go": "next",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in [
        "请填写 2000 至 2100 之间的四位年份。",
        "请填写 0 至 100 之间的数值。",
        "请填写数值，例如 12.5（数字和小数点）。",
    ]:
        assert message in body, message
    assert 'value="四十"' in body  # what was typed is shown again, to be corrected
    assert stored(db, assessment_id) == {
        **FROM_REGISTRATION,
        "profile.own_design": ("no", "", 1),
        "results.energy_intensity": ("0.05", "", 1),
    }


def test_not_applicable_with_a_reason_is_saved_under_2025_and_refused_under_2026(
    app, enterprise, db
):
    client = enterprise["client"]
    new = start_assessment(client)
    old = start_assessment_under(app, db, enterprise["organisation_id"], "2025.1")
    result = autosave(client, old, ("energy.1", "na", 1, "园区集中供能，企业无独立能源系统"))
    assert result["results"][0]["status"] == "saved"
    assert stored(db, old)["energy.1"] == ("na", "园区集中供能，企业无独立能源系统", 1)
    result = autosave(client, new, ("energy.1", "na", 1, "园区集中供能，企业无独立能源系统"))
    assert result["results"][0]["status"] == "invalid"
    assert "energy.1" not in stored(db, new)


def test_an_enterprise_tailors_with_a_reason_but_never_reviews_its_own_tailoring(enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    result = autosave(
        client,
        assessment_id,
        ("profile.own_design", "no", 1),
        ("tailoring.product_design", "yes", 1, "按客户图纸加工"),
        ("tailoring.product_design.review", "accepted", 1),
    )
    assert [(r["item"], r["status"], r["error"]) for r in result["results"]] == [
        ("profile.own_design", "saved", ""),
        ("tailoring.product_design", "saved", ""),
        ("tailoring.product_design.review", "invalid", "此项由现场评估的咨询顾问填写。"),
    ]
    # the tailored sub-domain's requirements are not asked, and say why
    assert result["skipped"]["product_design.1"] == "“产品设计”已裁剪：按客户图纸加工"
    body = client.get(f"/assessments/{assessment_id}/pages/tailoring").get_data(as_text=True)
    assert "tailoring-product_design-review" not in body  # the review is not on its page
    assert "咨询顾问现场评估时逐项评审裁剪" in body


def test_autosave_retries_change_nothing_and_older_saves_never_overwrite(enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    first = autosave(client, assessment_id, ("data.1", "partial", 1))
    again = autosave(client, assessment_id, ("data.1", "partial", 1))
    assert [first["results"][0]["status"], again["results"][0]["status"]] == ["saved", "unchanged"]
    newer = autosave(client, assessment_id, ("data.1", "full", 3))
    late = autosave(client, assessment_id, ("data.1", "most", 2))
    assert newer["results"][0]["status"] == "saved"
    assert late["results"][0] == {
        "item": "data.1",
        "status": "stale",
        "revision": 3,
        "value": "full",
        "reason": "",
        "error": "",
        "code": "",
    }
    assert stored(db, assessment_id) == {**FROM_REGISTRATION, "data.1": ("full", "", 3)}
    assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == 2


def test_a_page_post_never_overwrites_a_newer_answer_from_another_window(enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    autosave(client, assessment_id, ("gate.sound_operations", "yes", 1))
    autosave(client, assessment_id, ("gate.sound_operations", "no", 2))  # the other window
    response = page(
        client,
        assessment_id,
        "gate",
        **{"gate-sound_operations": "yes", "gate-sound_operations--rev": "2"},
    )
    assert response.status_code == 200
    assert "其他窗口" in response.get_data(as_text=True)
    assert stored(db, assessment_id)["gate.sound_operations"] == ("no", "", 2)


def test_the_progressive_staircase_opens_a_level_once_the_one_below_is_answered(enterprise):
    """2026.1: a new assessment asks level 1; each level opens as the one below is answered
    well enough, and the page says which is waiting and which failed."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    body = client.get(f"/assessments/{assessment_id}/pages/cmmm-personnel").get_data(as_text=True)
    assert (
        "「组织战略」一级（规划级）的要求回答完毕且平均达到“部分满足”及以上后开放（未回答的要求按不满足计）。"
        in body
    )
    result = autosave(client, assessment_id, ("org_strategy.1", "none", 1))
    assert sorted(k for k in result["skipped"] if k.startswith("org_strategy")) == [
        "org_strategy.2",
        "org_strategy.3",
        "org_strategy.4",
        "org_strategy.5",
    ]
    assert "更高等级不再询问" in result["skipped"]["org_strategy.2"]
    result = autosave(client, assessment_id, ("org_strategy.1", "partial", 2))
    assert sorted(k for k in result["skipped"] if k.startswith("org_strategy")) == [
        "org_strategy.3",
        "org_strategy.4",
        "org_strategy.5",
    ]
    assert "后开放" in result["skipped"]["org_strategy.3"]
    result = autosave(client, assessment_id, ("org_strategy.2", "most", 1))
    assert sorted(k for k in result["skipped"] if k.startswith("org_strategy")) == [
        "org_strategy.4",
        "org_strategy.5",
    ]


def test_a_page_post_that_opens_more_questions_stays_on_the_page_without_javascript(enterprise, db):
    """Without JavaScript nothing opens while typing: "Save and continue" that opened a level
    on this page stays there, at the first question it opened, and says so."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    response = page(
        client,
        assessment_id,
        "cmmm-personnel",
        **{"org_strategy-1": "full", "org_strategy-1--rev": "1", "go": "next"},
    )
    assert response.headers["Location"] == (
        f"/assessments/{assessment_id}/pages/cmmm-personnel#item-org_strategy-2"
    )
    with client.session_transaction() as session:
        assert session["_flashes"] == [("info", "您的回答使本页新开放了 1 道题。")]
    # nothing more opened: "Save and continue" continues; "Save and go back" always goes back
    response = page(
        client,
        assessment_id,
        "cmmm-personnel",
        **{"staff_skills-1": "none", "staff_skills-1--rev": "1", "go": "next"},
    )
    assert response.headers["Location"] == f"/assessments/{assessment_id}/pages/cmmm-technology"
    response = page(
        client,
        assessment_id,
        "cmmm-personnel",
        **{"org_strategy-2": "full", "org_strategy-2--rev": "1", "go": "prev"},
    )
    assert response.headers["Location"] == f"/assessments/{assessment_id}/pages/gate"


def test_the_2025_staircase_folds_higher_levels_and_says_why(app, enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment_under(app, db, enterprise["organisation_id"], "2025.1")
    result = autosave(client, assessment_id, ("org_strategy.1", "none", 1))
    skipped = result["skipped"]
    assert sorted(k for k in skipped if k.startswith("org_strategy")) == [
        "org_strategy.2",
        "org_strategy.3",
        "org_strategy.4",
        "org_strategy.5",
    ]
    assert "不再询问" in skipped["org_strategy.2"]
    result = autosave(client, assessment_id, ("org_strategy.1", "partial", 2))
    assert not any(k.startswith("org_strategy") for k in result["skipped"])
    autosave(client, assessment_id, ("profile.own_design", "no", 1))
    body = client.get(f"/assessments/{assessment_id}/pages/cmmm-manufacturing-1").get_data(
        as_text=True
    )
    assert "企业不自主研发设计产品" in body
    assert 'class="question q-rating is-skipped' in body


def test_autosave_refuses_malformed_requests(enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    url = f"/assessments/{assessment_id}/answers"
    for body in [
        None,
        {},
        {"answers": []},
        {"answers": [{"item": 5, "revision": 1}]},
        {"answers": [{"item": "data.1", "value": "full"}] * 201},
    ]:
        assert client.post(url, json=body).status_code == 400, body
    assert client.post(url, data="not json", content_type="application/json").status_code == 400
    unknown = autosave(client, assessment_id, ("no.such.item", "full", 1))
    assert unknown["results"][0]["status"] == "invalid"
    assert stored(db, assessment_id) == FROM_REGISTRATION


def test_submit_refuses_an_incomplete_assessment_with_links(enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    response = client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'href="/assessments/{assessment_id}/pages/profile#item-profile-above_scale"' in body
    assert assessments.get(db, assessment_id)["status"] == "draft"


@pytest.mark.parametrize("revision", ["99999999999999999999", "1099511627776", "-3", "0", "x"])
def test_a_page_post_with_an_impossible_revision_never_blocks_later_saves(enterprise, db, revision):
    """A revision no page could send is refused for its item, with a message; the page then
    carries the right one, and later saves go through."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    response = page(
        client,
        assessment_id,
        "profile",
        **{"profile-above_scale": "yes", "profile-above_scale--rev": revision, "go": "stay"},
    )
    assert response.status_code == 422
    assert "未保存" in response.get_data(as_text=True)
    assert 'name="profile-above_scale--rev" type="hidden" value="1"' in response.get_data(
        as_text=True
    )
    assert stored(db, assessment_id) == FROM_REGISTRATION
    later = autosave(client, assessment_id, ("profile.above_scale", "no", 1))
    assert later["results"][0]["status"] == "saved"  # autosave is not locked out
    assert stored(db, assessment_id) == {**FROM_REGISTRATION, "profile.above_scale": ("no", "", 1)}
