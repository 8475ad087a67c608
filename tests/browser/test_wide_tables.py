"""A wide table says that it scrolls: at 390 px every table (or its .table-scroll box) that
scrolls sideways has the hint above it, which goes once scrolled to the end; at 1366 px no
table scrolls and no hint shows. The review (rounds, declarations), the regional dashboard of
a city and of a park, and the enterprise's history."""

from __future__ import annotations

from assess.demo.data import ACCOUNTS, PARK_ACCOUNT
from tests.browser.conftest import new_tab

PASSWORDS = {email: password for email, _name, _role, password, _where in ACCOUNTS}
PASSWORDS[PARK_ACCOUNT[0]] = PARK_ACCOUNT[2]
PAGES = {
    "suzhou@example.com": ["/review", "/authority"],
    "park@example.com": ["/authority"],
    "enterprise@example.com": ["/history", "/history/compare"],
}
BOXES = """() => {
  const boxes = [];
  for (const table of document.querySelectorAll('main table')) {
    const box = table.closest('.table-scroll') || table;
    if (boxes.includes(box)) continue;
    boxes.push(box);
  }
  return boxes.filter(box => box.scrollWidth > box.clientWidth + 1).map(box => {
    const hint = box.previousElementSibling;
    return hint && hint.classList.contains('scroll-hint') ? hint.textContent : null;
  });
}"""


def test_every_table_that_scrolls_says_so(demo_app, browser, console):
    base = demo_app.config["LIVE_URL"]
    seen = {}
    for width in (390, 1366):
        for email, paths in PAGES.items():
            tab = new_tab(browser, console)
            tab.set_viewport_size({"width": width, "height": 900})
            tab.goto(base + "/login")
            tab.fill("input[name=email]", email)
            tab.fill("input[name=password]", PASSWORDS[email])
            tab.click("form.stack button[type=submit]")
            tab.wait_for_load_state()
            for path in paths:
                tab.goto(base + path)
                seen[width, email, path] = tab.evaluate(BOXES)
            if width == 390 and email == "suzhou@example.com":  # scrolled to the end: it goes
                box = tab.locator("main .table-scroll.scrolls").first
                box.evaluate("box => box.scrollTo(box.scrollWidth, 0)")
                hint = tab.locator(".scroll-hint").first
                tab.wait_for_function(
                    "h => h.classList.contains('at-end')", arg=hint.element_handle()
                )
            tab.context.close()
    phone = {key: hints for key, hints in seen.items() if key[0] == 390}
    # the review's rounds and the dashboards' breakdowns scroll on a phone, each with its hint
    for key in [(390, "suzhou@example.com", "/review"), (390, "suzhou@example.com", "/authority")]:
        assert phone[key], key
    assert {hint for hints in phone.values() for hint in hints} == {"左右滑动查看更多 →"}
    assert all(hints == [] for key, hints in seen.items() if key[0] == 1366)
