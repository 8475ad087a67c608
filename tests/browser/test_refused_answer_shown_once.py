"""An answer refused by the page's save shows its message once, and the page does not say
"all saved" under the banner that says some answers were not (a reviewer saw each message
twice, and 「已全部保存」 right below 「部分答案未能保存」)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.test_enterprise_journey import registered_with_an_empty_assessment


def test_a_refused_figure_shows_one_message_and_the_status_does_not_say_all_saved(
    live_app, page, console
):
    base = live_app.config["LIVE_URL"]
    assessment = registered_with_an_empty_assessment(page, base)
    page.goto(f"{base}/assessments/{assessment}/pages/results")
    page.wait_for_load_state()
    console.expect(r"status of 422")  # the page's own save, refused for the figure
    figure = page.locator(".question[data-item='results.defect_rate']")
    page.fill("input[name='results-defect_rate']", "-5")
    expect(figure.locator(".error")).to_have_count(1)
    status = page.locator("[data-save-status]")
    expect(status).to_have_text("已保存，标红的答案除外：请查看各题下方的提示。")
    page.click("button[name=go][value=stay]")
    page.wait_for_load_state()
    expect(page.locator(".flash-error")).to_contain_text("部分答案未能保存")
    page.wait_for_timeout(1500)  # what this browser kept is sent again once the page is back
    expect(figure.locator(".error")).to_have_count(1)
    expect(status).not_to_have_text("已全部保存")
    # corrected: the message goes, and now all is saved
    page.fill("input[name='results-defect_rate']", "2.5")
    expect(figure.locator(".error")).to_have_count(0)
    expect(status).to_have_text("已全部保存")
