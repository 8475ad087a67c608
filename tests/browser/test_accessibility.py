"""axe-core on the main pages of every role, on the demo data, at 390 px (a phone) and 1366 px:
no serious or critical violation.

axe is injected with Playwright's evaluate, which runs over the DevTools protocol: the page's
content security policy (no inline script, no eval) governs the page's own scripts, not that
channel, so the app's CSP stays as it is and the context needs no bypass_csp.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from assess.demo.data import ACCOUNTS
from assess.store.database import connect

PASSWORDS = {email: password for email, _name, _role, password, _where in ACCOUNTS}
FAILING = ("serious", "critical")
WIDTHS = (390, 1366)  # the last one stays: the journey goes on at a laptop's width


def login(page, base, email):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORDS[email])
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()


def logout(page):
    page.click("button.link-button")
    page.wait_for_load_state()


def demo_ids(app) -> dict[str, int]:
    """The demo assessments the pages are about."""
    db = connect(app.config["DATABASE"])
    ids = {}
    for key, email, mode, status in (
        ("submitted", "enterprise@example.com", "self", "submitted"),
        ("verified", "enterprise@example.com", "consultant", "submitted"),
        ("draft", "enterprise2@example.com", "self", "draft"),
    ):
        ids[key] = db.execute(
            "SELECT a.id FROM assessments a JOIN users u ON u.organisation_id = a.organisation_id"
            " WHERE u.email = ? AND a.mode = ? AND a.status = ? ORDER BY a.id DESC LIMIT 1",
            [email, mode, status],
        ).fetchone()[0]
    ids["client"] = db.execute(
        "SELECT organisation_id FROM users WHERE email = 'enterprise@example.com'"
    ).fetchone()[0]
    db.close()
    return ids


def test_the_main_pages_have_no_serious_accessibility_violations(demo_app, page, console):
    base = demo_app.config["LIVE_URL"]
    ids = demo_ids(demo_app)
    axe = Axe()
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        # a phone and a laptop: the page as it is laid out at each width (the header's menu
        # folded on the phone, tables as cards)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
            page.wait_for_function(f"document.documentElement.clientWidth <= {width}")
            results = axe.run(page).response
            serious = [v for v in results["violations"] if v["impact"] in FAILING]
            if serious:
                found[f"{name} at {width} px"] = [
                    f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
                    for v in serious
                ]

    def visit(path: str) -> None:
        response = page.goto(base + path)
        assert response.status == 200, path
        check(path)

    for path in ("/", "/login", "/register", "/privacy"):
        visit(path)
    login(page, base, "enterprise@example.com")
    for path in (
        "/assessments",
        f"/assessments/{ids['submitted']}/results",
        "/history",
        f"/assessments/{ids['verified']}/comparison",
        "/consultants",
        "/team",
        "/organisation/profile",
        "/organisation/data",
        "/account",
    ):
        visit(path)
    # a form with errors: each field points at its message
    page.click("form.stack button[type=submit]")
    expect(page.locator("#current")).to_have_attribute("aria-invalid", "true")
    check("/account with errors")
    logout(page)
    login(page, base, "enterprise2@example.com")
    visit(f"/assessments/{ids['draft']}/pages/profile")
    visit(f"/assessments/{ids['draft']}/pages/tailoring")
    visit(f"/assessments/{ids['draft']}/pages/cmmm-personnel")
    visit(f"/assessments/{ids['draft']}/pages/results")
    logout(page)
    login(page, base, "consultant@example.com")
    visit("/consultant")
    visit(f"/consultant/clients/{ids['client']}")
    logout(page)
    login(page, base, "jiangsu@example.com")
    visit("/authority")
    visit("/authority?region=320500")
    visit("/benchmarks/32")
    # a benchmark refused: each field points at its message (the page answers 422)
    console.expect(r"status of 422 .*/benchmarks/32\)")
    page.fill("input[name='results-defect_rate--value']", "120")
    page.click("text=保存基准值")
    expect(page.locator("input[name='results-defect_rate--value']")).to_have_attribute(
        "aria-invalid", "true"
    )
    check("/benchmarks/32 with errors")
    logout(page)
    login(page, base, "admin@example.com")
    visit("/admin")
    visit("/admin/audit")
    visit("/admin/accounts/new")
    visit("/admin/firms")
    visit("/admin/questionnaires")
    visit("/admin/questionnaires/machinery-smart-factory/2025.1")
    visit("/benchmarks")
    assert found == {}
