"""Every page at 390 px (a phone) and at 1366 px: none wider than the screen, no chart clipped.

Which pages: every GET route of the app's url_map that answers a page (not a file: no
extension in the rule), as every demo role (anonymous, two enterprises, the consultant, the
authorities of a province, a city and a park, the administrator). Each role starts from every
route without arguments, then follows the links of the pages it sees (same origin), so the ids
are the demo's own and a page is visited as a user reaches it. Each route is seen once per
role (the wizard page once per kind of page: profile, tailoring, cmmm, scenarios…; the
dashboard once per kind of query: own region, a region, a park). A route that no role reached
fails the test, unless UNREACHED says why: a new page is covered as soon as it is linked from a
page of the app, or says here why it is not.

A page fails when `document.documentElement.scrollWidth` exceeds the viewport (the page scrolls
sideways), or when a chart (`svg.chart`, an image in a figure) is not inside the visible box of
its parent or of an ancestor that clips or scrolls (a chart cut off, or one to scroll to).
"""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import expect
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from assess.demo.data import ACCOUNTS, PARK_ACCOUNT
from tests.browser.conftest import new_tab

WIDTHS = (390, 1366)
PASSWORDS = {email: password for email, _name, _role, password, _where in ACCOUNTS}
PASSWORDS[PARK_ACCOUNT[0]] = PARK_ACCOUNT[2]
ROLES = {
    "anonymous": None,
    "enterprise": "enterprise@example.com",
    "enterprise with a draft": "enterprise2@example.com",
    "consultant": "consultant@example.com",
    "authority (province)": "jiangsu@example.com",
    "authority (city)": "suzhou@example.com",
    "authority (park)": "park@example.com",
    "administrator": "admin@example.com",
}
# What a role does first, so that pages the demo lacks exist: (a page, what to click there).
PREPARE = {
    "enterprise": [("/declarations", "form[action='/declarations/new'] button[type=submit]")],
    "consultant": [
        ("/consultant", "main a[href^='/consultant/clients/']:not([href$='/new']) >> nth=0"),
        (None, "form[action$='/assessments'] button[type=submit] >> nth=0"),
    ],
}
# Routes that answer a page but that no demo role reaches by a link, and why.
UNREACHED = {
    "access.invitation": "an invitation link is handed over outside the app (the demo has none)",
    "onsite.download": "an evidence file: a download, not a page",
    "declaration.download_file": "a declaration's attachment: a download, not a page",
    "admin.download_backup": "a backup archive: a download, not a page",
    "operations.healthz": "JSON for the load balancer, not a page",
    "operations.metrics": "Prometheus text for the metrics collector, not a page",
    "identity.confirm": "reached only from the confirmation link in a mail (test_password_reset.py)",
    "identity.reset": "reached only from the reset link in a mail (test_password_reset.py)",
    "team.join": "reached only from the invitation link in a mail (test_team_journey.py)",
    "staff.join": "reached only from the account invitation in a mail (test_admin_journey.py)",
    "contests.claimant": "only a company contesting a credit code has it; the demo has none",
    "contests.show": "the demo has no contest (tests/declaration/test_contests.py opens one)",
    "contests.licence": "a contest's business licence: a download, not a page",
}
# the header and the wizard's sticky bar are one row (px), at every width
ONE_ROW = {".site-header": 64, ".wizard-nav": 80}
PER_ROLE = 80  # pages at most per role: a bound on the test's time, far above what a role has

MEASURE = """() => {
  const view = document.documentElement.clientWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const wide = [];
  if (document.documentElement.scrollWidth > view) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > view + 1) wide.push(`${name(el)} ${Math.round(box.right)}px`);
    }
  }
  const clipped = [];
  for (const chart of document.querySelectorAll('svg.chart, figure img, img.chart')) {
    const box = chart.getBoundingClientRect();
    if (!box.width) continue;  // not shown (a closed fold)
    if (box.left < -1 || box.right > view + 1) {
      clipped.push(`${name(chart)} outside the screen`);
      continue;
    }
    for (let up = chart.parentElement; up && up !== document.body; up = up.parentElement) {
      if (up !== chart.parentElement && getComputedStyle(up).overflowX === 'visible') continue;
      const outer = up.getBoundingClientRect();
      const left = outer.left + up.clientLeft, right = left + up.clientWidth;
      if (box.left < left - 1 || box.right > right + 1) {
        clipped.push(`${name(chart)} ${Math.round(box.width)}px in ${name(up)} ${up.clientWidth}px`);
        break;
      }
    }
  }
  const rows = {};  // bars that must stay one row on a phone: their height
  for (const selector of ['.site-header', '.wizard-nav']) {
    const bar = document.querySelector(selector);
    if (bar) rows[selector] = Math.round(bar.getBoundingClientRect().height);
  }
  const fits = !!document.querySelector('meta[name=viewport][content*="width=device-width"]');
  return {view, scroll: document.documentElement.scrollWidth, wide: wide.slice(-6), clipped,
          rows, fits};
}"""


def page_rules(app) -> dict[str, object]:
    """The GET routes that answer a page, by endpoint: not static files, not downloads."""
    return {
        rule.endpoint: rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and rule.endpoint != "static"
        and not re.search(r"\.(\w+|<\w+>)$", rule.rule)
        and not rule.rule.startswith("/api/v1/")  # the API answers JSON, not pages
    }


def kind_of(endpoint: str, args: dict, query: str) -> tuple:
    """What makes two visits of a route different pages: the kind of a text argument (the
    wizard's 'cmmm-personnel' is a 'cmmm' page), the names of the query's parameters."""
    kinds = tuple(
        sorted(
            (name, value.split("-")[0])
            for name, value in args.items()
            if isinstance(value, str) and not value.isdigit() and len(value) < 40
        )
    )
    return endpoint, kinds, tuple(sorted({name for name, _value in parse_qsl(query)}))


def login(page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORDS[email])
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, email


def crawl(page, base: str, app, rules: dict) -> tuple[set[str], list[str], list[str]]:
    """Visit the pages of one role; the endpoints it saw and the problems found."""
    adapter = app.url_map.bind("localhost")
    seen_kinds: set[tuple] = set()
    reached: set[str] = set()
    problems: list[str] = []
    queue = [rule.rule for rule in rules.values() if not rule.arguments]
    queued = set(queue)
    visited: list[str] = []
    while queue and len(visited) < PER_ROLE:
        url = queue.pop(0)
        parts = urlsplit(url)
        try:
            endpoint, args = adapter.match(parts.path, method="GET")
        except (HTTPException, RequestRedirect):
            continue
        kind = kind_of(endpoint, args, parts.query)
        if endpoint not in rules or kind in seen_kinds:
            continue
        # a cheap request first: only pages are loaded in the tab (not redirects, refusals
        # or files)
        answer = page.context.request.get(base + url, max_redirects=0)
        html = answer.headers.get("content-type", "").startswith("text/html")
        location = answer.headers.get("location", "")
        answer.dispose()
        if answer.status in (301, 302, 303) and location.startswith(("/", base + "/")):
            reached.add(endpoint)
            # e.g. an assessment opens at its page
            location = location.removeprefix(base).split("#")[0]
            if location not in queued:
                queued.add(location)
                queue.append(location)
        if answer.status != 200 or not html:
            continue
        seen_kinds.add(kind)
        reached.add(endpoint)
        visited.append(url)
        page.set_viewport_size({"width": WIDTHS[0], "height": 844})
        page.goto(base + url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
            found = page.evaluate(MEASURE)
            if found["scroll"] > found["view"]:
                problems.append(
                    f"{url} at {width} px is {found['scroll']} px wide: {found['wide']}"
                )
            for chart in found["clipped"]:
                problems.append(f"{url} at {width} px: chart clipped: {chart}")
            for bar, height in found["rows"].items():
                if height > ONE_ROW[bar]:
                    problems.append(f"{url} at {width} px: {bar} is {height} px high")
        if not found["fits"]:
            problems.append(f"{url}: no viewport meta (a phone would show it at 980 px)")
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        # the wizard's sections are buttons (moving on saves the page): their pages too
        sections = page.eval_on_selector_all(
            "[data-page-state]", "items => items.map(li => li.dataset.pageState)"
        )
        links += [base + re.sub(r"/pages/[^/?]+", f"/pages/{s}", parts.path) for s in sections]
        if sections:  # and the last step, "check and submit"
            links.append(base + re.sub(r"/pages/[^/?]+", "/submit", parts.path))
        for href in links:
            if not href.startswith(base + "/"):
                continue
            link = href[len(base) :].split("#")[0]
            if link not in queued:
                queued.add(link)
                queue.append(link)
    return reached, problems, visited


def test_every_page_fits_a_phone_and_a_laptop_screen(demo_app, browser, console):
    base = demo_app.config["LIVE_URL"]
    rules = page_rules(demo_app)
    reached: set[str] = set()
    problems: list[str] = []
    counts = {}
    started = time.monotonic()
    for role, email in ROLES.items():
        page = new_tab(browser, console)
        if email:
            login(page, base, email)
        for url, selector in PREPARE.get(role, ()):
            if url:
                page.goto(base + url)
            page.click(selector)
            page.wait_for_load_state()
        seen, found, visited = crawl(page, base, demo_app, rules)
        counts[role] = len(visited)
        reached |= seen
        problems += [f"{role}: {problem}" for problem in found]
        page.context.close()
    print(f"{sum(counts.values())} pages in {time.monotonic() - started:.0f} s: {counts}")
    assert problems == []
    unreached = set(rules) - reached - set(UNREACHED)
    assert unreached == set(), "pages no demo role reached: link them, or say why in UNREACHED"
    # the crawl itself works: every role sees pages, the main ones among them
    assert min(counts.values()) >= 3, counts
    assert {"wizard.page", "results.show", "report.preview", "authority.show"} <= reached


def test_on_a_phone_the_header_links_fold_under_a_menu_button(live_app, page):
    base = live_app.config["LIVE_URL"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/")
    menu = page.locator("summary.site-menu-button")
    register = page.locator(".account a[href='/register']")
    expect(menu).to_be_visible()
    expect(register).to_be_hidden()
    menu.click()
    expect(register).to_be_visible()
    page.set_viewport_size({"width": 1366, "height": 900})  # turned, or a wide screen
    expect(menu).to_be_hidden()
    expect(register).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    expect(register).to_be_hidden()
    menu.click()
    register.click()
    page.wait_for_url("**/register")
