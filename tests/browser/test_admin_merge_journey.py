"""The administrator merges two enterprises in a browser, at 1366 and at 390 px: the same company
registered twice (under its credit code and under a stand-in code), found by name, compared
side by side, merged with the kept one's name typed; the duplicate then says where it went and
the audit log says what was done, in words. Screenshots are kept in SHOTS for a person to look
at."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assess.demo.synthetic import answers_for_outcome
from assess.organisation import credit_code
from assess.questionnaire.versions import Versions
from assess.store import assessments, users
from assess.store.database import connect, write_transaction
from tests.support import PASSWORD

SHOTS = Path("/tmp/admin-merge-shots")
NAME = "虎丘精密机床有限公司"


def _world(app) -> tuple[int, int]:
    """The administrator; 虎丘精密机床 under its credit code with its owner, and again under a
    stand-in code with a colleague's account and a draft of 12 answers."""
    db = connect(app.config["DATABASE"])
    with write_transaction(db):
        ids = []
        for n, region in enumerate(("320505", "320583")):
            body = f"91{region}{n + 1:09d}"
            ids.append(
                db["organisations"]
                .insert(
                    {
                        "name": NAME,
                        "credit_code": body + credit_code.check_character(body),
                        "region_code": region,
                        "sector": "machine_tools",
                        "size": "medium",
                    }
                )
                .last_pk
            )
        db.execute(
            "UPDATE organisations SET credit_code = ? WHERE id = ?", [f"pending:{ids[1]}", ids[1]]
        )
        for email, name, org in (
            ("owner@example.com", "王经理", ids[0]),
            ("colleague@example.com", "赵工", ids[1]),
        ):
            users.create(
                db,
                email=email,
                name=name,
                password=PASSWORD,
                role="enterprise",
                organisation_id=org,
            )
        users.create(
            db, email="admin@example.com", name="系统管理员", password=PASSWORD, role="admin"
        )
        q = Versions.load(None, "machinery-smart-factory").latest()
        draft = assessments.create(db, organisation_id=ids[1], questionnaire=q, created_by=None)
        answers = answers_for_outcome(q, random.Random(1), "basic", sector="machine_tools")
        assessments.put_answers(db, draft, list(answers.items())[:12], None)
    db.close()
    return ids[0], ids[1]


def _shot(page, width: int, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"merge-{width}-{name}.png"), full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"{name} is {wide} px wide at {width} px"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_administrator_merges_two_enterprises(live_app, browser, console, width):
    from tests.browser.conftest import new_tab

    base = live_app.config["LIVE_URL"]
    kept, duplicate = _world(live_app)
    page = new_tab(browser, console, **({"is_mobile": True} if width == 390 else {}))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + "/login")
    page.fill("#email", "admin@example.com")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():  # read the page the click leads to
        page.click("form.stack button[type=submit]")
    page.wait_for_load_state()

    page.goto(base + "/admin")
    with page.expect_navigation():  # read the page the click leads to
        page.click("text=合并重复企业")
    page.fill("#q", "虎丘")
    with page.expect_navigation():  # read the page the click leads to
        page.click("form[role=search] button[type=submit]")
    _shot(page, width, "1-found")
    assert page.locator("tbody tr").count() == 2
    with page.expect_navigation():  # by name, then id
        page.locator("tbody tr").nth(0).locator("text=选为第一家").click()
    page.fill("#q", "pending")
    with page.expect_navigation():  # read the page the click leads to
        page.click("form[role=search] button[type=submit]")
    with page.expect_navigation():  # read the page the click leads to
        page.click("text=与第一家对照")
    _shot(page, width, "2-compared")
    assert page.locator(".two-sides section").count() == 2
    assert "owner@example.com" in page.content() and "colleague@example.com" in page.content()

    page.check("input[name=kept][value=a]")
    page.fill("#name", "虎丘精密机床")  # not the whole name: refused, nothing changed
    with page.expect_navigation():  # read the page the click leads to
        page.click("text=合并这两家企业")
    assert "请按显示的原样输入保留企业的名称" in page.content()
    page.check("input[name=kept][value=a]")
    page.fill("#name", NAME)
    with page.expect_navigation():  # read the page the click leads to
        page.click("text=合并这两家企业")
    page.wait_for_load_state()
    _shot(page, width, "3-merged")
    text = page.inner_text("main")
    assert "已合并：转入 1 个账号、1 份评估（含 12 项作答" in text and "已于" in text

    db = connect(live_app.config["DATABASE"])
    row = db.execute("SELECT merged_into FROM organisations WHERE id = ?", [duplicate]).fetchone()
    db.close()
    assert row == (kept,)

    page.goto(base + "/admin/audit")
    _shot(page, width, "4-audit")
    assert "将一家重复企业并入另一家" in page.inner_text("main")
