"""The console watch that every browser test relies on catches what it is meant to catch."""

from __future__ import annotations

from assess.web.security import CSP

PROBE = """<!doctype html><html lang="en"><head><title>probe</title>
<script>document.title = "inline ran";</script>
<script src="/static/probe-throws.js"></script></head><body><main>probe</main></body></html>"""


def test_a_csp_violation_and_an_uncaught_error_are_caught(live_app, page, console):
    base = live_app.config["LIVE_URL"]
    # a page served under the app's own policy, with an inline script (refused) and a script
    # file that throws
    page.route(
        base + "/probe",
        lambda route: route.fulfill(
            body=PROBE, content_type="text/html", headers={"Content-Security-Policy": CSP}
        ),
    )
    page.route(
        base + "/static/probe-throws.js",
        lambda route: route.fulfill(
            body="throw new Error('probe failure');", content_type="text/javascript"
        ),
    )
    page.goto(base + "/probe")
    page.wait_for_load_state("load")
    assert page.title() == "probe"  # the inline script did not run
    found = console.unexpected()
    assert len(found) == 2, found
    assert "Content Security Policy" in found[0] and "inline" in found[0]
    assert found[1] == "uncaught: probe failure"
    console.expect("Content Security Policy|probe failure")  # seen: the test itself passes
