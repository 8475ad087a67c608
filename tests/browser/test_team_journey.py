"""An enterprise's team, in browsers: the owner starts an assessment and invites two colleagues
(their links read from the outbox, as the mail would bring them), gives each a section; both
answer at the same time on different pages (two browser contexts), each seeing the other's
questions read-only; the owner sees who answered what and submits."""

from __future__ import annotations

import random
import re
import time

from playwright.sync_api import expect

from assess.demo.synthetic import answers_for_outcome
from assess.questionnaire.sections import items_of
from assess.store import assessments, organisations, users
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from assess.web.questions import field_name
from tests.browser.conftest import new_tab

PASSWORD = "Browser-team-2026"


def log_in(tab, base, email):
    tab.goto(base + "/login")
    tab.fill("input[name=email]", email)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("form.stack button[type=submit]")
    tab.wait_for_url(re.compile(r".*/assessments$"))


def invitation_link(db, email: str) -> str:
    text = db.execute(
        "SELECT text FROM outbox WHERE kind = 'team_invitation' AND to_address = ?"
        " ORDER BY id DESC",
        [email],
    ).fetchone()[0]
    return re.search(r"http://\S+/team/join/\S+", text).group(0)


def join(tab, link: str, name: str):
    tab.goto(link)
    tab.fill("#name", name)
    tab.fill("#password", PASSWORD)
    tab.fill("#confirm", PASSWORD)
    tab.check("#consent")
    tab.click("form.stack button[type=submit]")
    tab.wait_for_url(re.compile(r".*/assessments$"))


def test_an_owner_invites_two_colleagues_who_answer_at_once_and_the_owner_submits(
    live_app, browser, console
):
    base = live_app.config["LIVE_URL"]
    with live_app.app_context():
        q = questionnaires.latest()
    answers = answers_for_outcome(q, random.Random(7), "basic", sector="machine_tools")
    db = connect(live_app.config["DATABASE"])
    with write_transaction(db):
        org = organisations.create(
            db,
            name="无锡协同机械有限公司",
            credit_code="913202050000000018",
            region_code="320205",
            sector="machine_tools",
            size="medium",
        )
        users.create(
            db,
            email="owner@example.com",
            name="钱总",
            password=PASSWORD,
            role="enterprise",
            organisation_id=org,
        )
    owner = new_tab(browser, console)
    log_in(owner, base, "owner@example.com")
    owner.click("button[name=prefill][value=empty]")
    owner.wait_for_url(re.compile(r".*/pages/profile.*"))
    draft = int(re.search(r"/assessments/(\d+)/", owner.url).group(1))

    # two invitations, mailed through the outbox
    owner.goto(base + "/team")
    for email, role in (("li@example.com", "contributor"), ("zhou@example.com", "contributor")):
        owner.fill("#email", email)
        owner.select_option("#member_role", role)
        owner.click("text=发送邀请")
        expect(owner.locator(".flash-success")).to_contain_text(email)
    li, zhou = new_tab(browser, console), new_tab(browser, console)
    join(li, invitation_link(db, "li@example.com"), "李工")
    join(zhou, invitation_link(db, "zhou@example.com"), "周工")

    # sections: 组织战略 (the personnel page) to 李工, 数据 (the technology page) to 周工
    owner.goto(base + "/team")
    owner.select_option("select[name='s:org_strategy']", label="李工")
    owner.select_option("select[name='s:data']", label="周工")
    owner.click("text=保存板块分配")
    expect(owner.locator(".flash-success")).to_be_visible()
    assert (
        db.execute("SELECT count(*) FROM outbox WHERE kind = 'section_assigned'").fetchone()[0] == 2
    )

    # each resumes where its own sections are, the other's questions read-only
    for tab, page_id in ((li, "cmmm-personnel"), (zhou, "cmmm-technology")):
        tab.click("text=从上次中断处继续")
        tab.wait_for_url(re.compile(rf".*/pages/{page_id}.*"))
        tab.wait_for_load_state()
    expect(li.locator("#item-staff_skills-1 input").first).to_be_disabled()
    expect(zhou.locator("#item-integration-1 input").first).to_be_disabled()
    expect(li.locator(".section-group").first).to_contain_text("您负责的章节")

    # both answer at the same time, one question each in turn
    mine = {
        tab: [i for i in q.items if i in items_of(q, [section]) and i in answers]
        for tab, section in ((li, "org_strategy"), (zhou, "data"))
    }
    for position in range(max(len(items) for items in mine.values())):
        for tab, items in mine.items():
            if position < len(items):
                item = items[position]
                value = answers[item].value
                tab.check(f"input[name='{field_name(item)}'][value='{value}']")
                if answers[item].reason:
                    tab.fill(f"textarea[name='{field_name(item)}--reason']", answers[item].reason)
    wanted = {i for items in mine.values() for i in items}
    for _ in range(100):  # the last saves may still be on their way
        stored = assessments.answers(db, draft)
        if wanted <= set(stored):
            break
        time.sleep(0.1)
    for tab in mine:
        expect(tab.locator("[data-save-status]")).to_contain_text("已全部保存")
    for items in mine.values():
        assert {i: stored[i].answer for i in items} == {i: answers[i] for i in items}
    who = {r["item_id"]: r["updated_by"] for r in db.query("SELECT * FROM answers")}
    li_id = users.get_by_email(db, "li@example.com")["id"]
    assert {who[i] for i in mine[li]} == {li_id}

    # the owner answers the rest (filled in directly, to keep the journey short), sees who
    # answered each section, and submits through the check page
    rest = [(i, a) for i, a in answers.items() if all(i not in items for items in mine.values())]
    owner_id = users.get_by_email(db, "owner@example.com")["id"]
    with write_transaction(db):
        assessments.put_answers(db, draft, rest, owner_id)
    owner.goto(base + "/team")
    row = owner.locator("tr", has=owner.locator("select[name='s:data']"))
    expect(row).to_contain_text("周工")
    li.goto(base + f"/assessments/{draft}/submit")
    expect(li.locator("main")).to_contain_text("钱总")
    expect(li.locator("text=提交并查看结果")).to_have_count(0)
    owner.goto(base + f"/assessments/{draft}/submit")
    owner.check("input[name=confirm_submit]")
    owner.click("text=提交并查看结果")
    owner.wait_for_url(re.compile(r".*/results$"))
    assert "基础级" in owner.inner_text("main")
    db.close()
    for tab in (owner, li, zhou):
        tab.context.close()
