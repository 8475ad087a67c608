"""Browser tests: the app served on a local port, driven by Playwright in Debian's Chromium.

Every test fails if a page logs a JavaScript error or a content-security-policy violation to
the console (the `console` fixture; a test that expects one says so with `console.expect`).
"""

from __future__ import annotations

import os
import re
import threading

import pytest
from werkzeug.serving import make_server

from tests.support import ready_app

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


# Werkzeug's test server leaks a static file when the browser drops its connection mid-response
# (it navigated on while the favicon was still being sent): the read in run_wsgi's `finally`
# raises on the reset socket before the response is closed, and the file's ResourceWarning then
# fails whichever test is running. Only that warning, only for files under assess/static.
SERVER_LEAK = "ignore:Exception ignored in.*assess/static/:pytest.PytestUnraisableExceptionWarning"


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings(SERVER_LEAK))


@pytest.fixture
def live_app(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = ready_app(
        {
            "SECRET_KEY": "browser-test",
            "DATABASE": str(tmp_path / "browser.sqlite"),
            "REPORT_QUEUE": "immediate",
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()


@pytest.fixture
def demo_app(live_app):
    """The live app with what `flask --app assess demo` adds: demo accounts, 600 enterprises."""
    result = live_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return live_app


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Console:
    """What the pages of a browser context logged as errors, and what the test expected."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.expected: list[re.Pattern] = []

    def watch(self, context) -> None:
        # CSP violations ("Refused to ...") and failed loads are console errors; uncaught
        # exceptions arrive as web errors.
        context.on("console", self._message)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))

    def _message(self, message) -> None:
        # the browser asks for /favicon.ico by itself on documents without an icon link (the
        # JSON twins); the app's pages link favicon.svg
        where = message.location.get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            self.errors.append(f"console error: {message.text} ({where})")

    def expect(self, pattern: str) -> None:
        """Allow errors matching a pattern (e.g. the 404 of a page the test asks for)."""
        self.expected.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.expected)]


@pytest.fixture
def console():
    return Console()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a browser test passed, fail it if its pages logged errors it did not expect."""
    result = yield
    console = item.funcargs.get("console")
    if console is not None and console.unexpected():
        pytest.fail("The page logged errors:\n" + "\n".join(console.unexpected()), pytrace=False)
    return result


def new_tab(browser, console, **options):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True, **options
    )
    console.watch(context)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    return tab


@pytest.fixture
def page(browser, console):
    tab = new_tab(browser, console)
    yield tab
    tab.context.close()
