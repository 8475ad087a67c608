"""The review before submitting: answers by section, what was left out and why, the levels the
answers give, near misses with the answers that would reach the next level, and a submit that
needs an explicit confirmation."""

from __future__ import annotations

import html
import random

from assess.demo.synthetic import answers_for_outcome
from assess.questionnaire import pages
from assess.report.results import stored_answers
from assess.scoring import explain
from assess.scoring.near_miss import near_misses
from assess.store import assessments, grants, users
from assess.web import questionnaires
from tests.support import VISIT, autosave, fill_completely, start_assessment


def _page(client, assessment_id) -> str:
    return html.unescape(client.get(f"/assessments/{assessment_id}/submit").get_data(as_text=True))


def test_the_review_shows_levels_and_the_near_miss_with_the_answers_that_reach_it(app, enterprise):
    """Seed 0 of the basic outcome: basic, S = 2.6555 shown 2.65 (rounded down), advanced one rule
    away (two steps)."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    answers = fill_completely(app, client, assessment_id, "basic", seed=0)
    with app.app_context():
        q = questionnaires.latest()
    (miss,) = near_misses(q, answers)
    assert (miss.kind, miss.target, len(miss.lifts), miss.reached) == (
        "gradient",
        "advanced",
        2,
        True,
    )
    page = _page(client, assessment_id)
    assert "这些答案对应的等级" in page
    assert "基础级" in page and "S" in page and "2.65" in page
    assert "接近下一级" in page and "先进级只差一条规则" in page
    for lift in miss.lifts:
        label = explain.item_label(q, lift.item_id, "zh")
        assert f"”：{label}" in page
    # every section is summarised, with a link to change it
    assert page.count('class="review-section"') == len(pages.pages(q))
    assert 'name="confirm_submit"' in page


def test_scenarios_not_applicable_are_listed_with_their_reasons(app, enterprise):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    fill_completely(app, client, assessment_id, "basic", seed=0)
    autosave(
        client,
        assessment_id,
        ("s10_resilient_supply_chain.applies", "no", 5, "本厂不管理供应链：由集团统一采购"),
    )
    page = _page(client, assessment_id)
    assert "不适用的场景" in page
    assert "供应链弹性管控：本厂不管理供应链：由集团统一采购" in page


def test_submitting_without_the_confirmation_is_refused_and_changes_nothing(app, enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    fill_completely(app, client, assessment_id, "basic")
    refused = client.post(f"/assessments/{assessment_id}/submit")
    assert refused.status_code == 422
    assert "请确认已检查以上摘要" in refused.get_data(as_text=True)
    assert assessments.get(db, assessment_id)["status"] == "draft"
    done = client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    assert done.status_code == 302
    assert assessments.get(db, assessment_id)["status"] == "submitted"


def test_an_incomplete_draft_shows_its_answers_but_no_levels(app, enterprise):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    autosave(client, assessment_id, ("gate.sound_operations", "yes", 1))
    page = _page(client, assessment_id)
    assert "按部分查看您的答案" in page
    assert "这些答案对应的等级" not in page
    assert 'name="confirm_submit"' not in page


def test_an_on_site_review_does_not_coach_the_verifier(app, accounts, db):
    """The same answers that give the enterprise a near miss (seed 0 of basic: advanced one
    rule away) give the consultant, the independent checker, the levels and no advice."""
    with app.app_context():
        q = questionnaires.latest()
    org_id = accounts.organisation(name="客户机械有限公司")
    consultant = accounts.user("consultant", email="c@example.com", name="王顾问")
    with db.conn:
        grants.grant_registered(db, org_id, users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    response = accounts.client.post(f"/consultant/clients/{org_id}/assessments", data={})
    assessment_id = int(response.headers["Location"].split("/")[2])
    chosen = answers_for_outcome(q, random.Random(0), "basic", sector="machine_tools")
    entries = [
        (item, list(a.value) if isinstance(a.value, tuple) else a.value, 1, a.reason)
        for item, a in chosen.items()
    ]
    autosave(accounts.client, assessment_id, *entries)
    accounts.client.post(
        f"/assessments/{assessment_id}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "一号车间", "participants": "厂长"},
    )
    answers = stored_answers(db, q, assessment_id)
    assert near_misses(q, answers)  # there is one to hide
    page = _page(accounts.client, assessment_id)
    assert "这些答案对应的等级" in page and "基础级" in page
    assert "接近下一级" not in page and "只差一条规则" not in page
    assert "如以下答案如实反映企业情况" not in page and "提高到" not in page


def test_a_near_miss_the_lifts_only_bring_closer_does_not_say_they_reach_it(app, enterprise):
    """A gradient near miss whose lifts do not reach the level (not reached) is introduced as
    bringing it closer; one that reaches it, as reaching it: never both in one block."""
    from assess.report.review import warning
    from assess.scoring.near_miss import Lift, NearMiss

    with app.app_context():
        q = questionnaires.latest()
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    answers = fill_completely(app, client, assessment_id, "basic", seed=0)
    (miss,) = near_misses(q, answers)
    lift = Lift(miss.lifts[0].item_id, miss.lifts[0].from_option, miss.lifts[0].to_option)
    short = NearMiss(miss.kind, miss.target, None, miss.rule, (lift,), reached=False)
    closer = warning(q, short, answers, "zh")
    assert "尚不足以达到" in closer.lead and "即可达到" not in closer.lead
    assert "尚不足以达到" not in closer.text
    reaching = warning(q, miss, answers, "zh")
    assert "即可达到" in reaching.lead and "尚不足以达到" not in reaching.text + reaching.lead
