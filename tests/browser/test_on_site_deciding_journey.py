"""On site, in a browser, the deciding pages (assess/scoring/verification.py): the enterprise's
own indicator beside the consultant's, marked "changed on site" as the consultant types a
different value and unmarked when it is typed back; the basic requirements with a box to tick."""

from __future__ import annotations

from playwright.sync_api import expect

from assess.scoring import Answer
from assess.store import assessments
from assess.store.database import connect, write_transaction
from tests.browser.test_tailoring_journey import on_site_at_the_tailoring_page

ITEM = "results.labour_productivity"


def test_a_deciding_number_typed_again_is_not_marked_changed(live_app, page, console):
    base = live_app.config["LIVE_URL"]
    assessment = on_site_at_the_tailoring_page(live_app, page)
    db = connect(live_app.config["DATABASE"])
    with write_transaction(db):  # the enterprise had entered its labour productivity
        own = assessments.self_assessment_checked_by(db, assessments.get(db, assessment))
        assessments.put_answers(db, own["id"], [(ITEM, Answer("46.385"))], None)
    db.close()
    page.goto(f"{base}/assessments/{assessment}/pages/results")
    indicator = page.locator(f".question[data-item='{ITEM}']")
    expect(indicator.locator(".self-answer")).to_contain_text("46.385")
    changed = indicator.locator("[data-self-changed]")
    box = indicator.locator("input[data-answer]")
    box.fill("47")
    expect(changed).to_be_visible()
    box.fill("46.385")  # as the enterprise said
    expect(changed).to_be_hidden()
    # the basic requirements: the enterprise's answer beside, a box to tick
    page.goto(f"{base}/assessments/{assessment}/pages/gate")
    gate = page.locator(".question[data-item='gate.sound_operations']")
    expect(gate.locator(".self-answer")).to_contain_text("企业自评：")
    expect(gate.locator("input[type=checkbox][data-evidence]")).not_to_be_checked()
