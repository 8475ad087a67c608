"""A contributor's answer saved over by the owner, in a browser: the contributor's next change of
it is told who changed it and when, sees the owner's answer, and gives their own again with one
click (wizard.js, assessment/overwrites.py)."""

from __future__ import annotations

from playwright.sync_api import expect

from assess.scoring import Answer
from assess.store import assessments, organisations, team, users
from assess.store.database import connect, write_transaction
from assess.web.questions import field_name
from tests.browser.conftest import new_tab
from tests.browser.test_team_journey import PASSWORD, log_in
from tests.support import start_assessment_under


def test_a_contributor_told_who_saved_over_their_answer_gives_theirs_again(
    live_app, browser, console
):
    base = live_app.config["LIVE_URL"]
    db = connect(live_app.config["DATABASE"])
    with write_transaction(db):
        org = organisations.create(
            db,
            name="常州协同机械有限公司",
            credit_code="913204110000000012",
            region_code="320411",
            sector="machine_tools",
            size="medium",
        )
        owner = users.create(
            db,
            email="qian@example.com",
            name="钱总",
            password=PASSWORD,
            role="enterprise",
            organisation_id=org,
        )
        li = users.create(
            db,
            email="li@example.com",
            name="李工",
            password=PASSWORD,
            role="enterprise",
            organisation_id=org,
            member_role="contributor",
        )
        team.assign(db, org, "org_strategy", li, owner)
    draft = start_assessment_under(live_app, db, org, "2026.1")
    tab = new_tab(browser, console)
    log_in(tab, base, "li@example.com")
    tab.goto(f"{base}/assessments/{draft}/pages/cmmm-personnel")
    name = field_name("org_strategy.1")
    tab.check(f"input[name='{name}'][value='full']")
    expect(tab.locator("[data-save-status]")).to_contain_text("已全部保存")

    with write_transaction(db):  # the owner, in another browser, saves over it
        assessments.save_answer(db, draft, "org_strategy.1", Answer("none"), 2, owner)

    tab.check(f"input[name='{name}'][value='most']")
    told = tab.locator("#item-org_strategy-1 [data-conflict]")
    expect(told).to_contain_text("钱总在您打开本页后于")
    expect(told).to_contain_text("您的答案是：大部分满足")
    expect(tab.locator("[data-save-status]")).to_contain_text("其间已由钱总修改")
    expect(tab.locator(f"input[name='{name}'][value='none']")).to_be_checked()
    told.locator("[data-use-mine]").click()
    expect(tab.locator(f"input[name='{name}'][value='most']")).to_be_checked()
    expect(tab.locator("[data-save-status]")).to_contain_text("已全部保存")
    stored = assessments.answers(db, draft)["org_strategy.1"]
    assert (stored.answer.value, stored.revision) == ("most", 3)
    tab.context.close()
