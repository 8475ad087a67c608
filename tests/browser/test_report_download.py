"""A PDF not made yet, in the browser: the page says 正在生成… with its place in the queue, follows
the render by itself, and starts the download when it is ready (no reload by the user)."""

from __future__ import annotations

import re
import threading
import time

from assess.report.queue import RenderQueue, Settings

ENTERPRISE = ("enterprise@example.com", "Enterprise-demo-2026")


def test_the_pdf_page_follows_its_render_and_starts_the_download(demo_app, page, tmp_path):
    queue = RenderQueue(Settings(str(tmp_path / "render-queue.sqlite")))
    demo_app.extensions["render_queue"] = queue
    started = threading.Event()
    stop = threading.Event()

    def render_worker() -> None:  # what `render-worker` does, once the page has been seen
        queue.say_alive()
        started.wait(30)
        while not stop.is_set():
            task = queue.huey.dequeue()
            if task is None:
                time.sleep(0.05)
            else:
                queue.huey.execute(task)

    worker = threading.Thread(target=render_worker, daemon=True)
    worker.start()
    base = demo_app.config["LIVE_URL"]
    try:
        page.goto(base + "/login")
        page.fill("input[name=email]", ENTERPRISE[0])
        page.fill("input[name=password]", ENTERPRISE[1])
        page.click("form.stack button[type=submit]")
        page.goto(base + "/assessments")
        page.get_by_role("link", name="结果", exact=True).first.click()
        # the demo enterprise's latest result is its consultant's on-site assessment
        page.get_by_role("link", name=re.compile(r"^下载(PDF 报告|现场评估报告)$")).click()
        page.wait_for_url("**/report.pdf")
        assert page.locator("h1").inner_text() == "正在生成…"
        assert page.get_by_role("status").inner_text() == "排在队列首位，即将开始生成。"
        with page.expect_download(timeout=60000) as download:
            started.set()
        assert download.value.suggested_filename.endswith("-zh.pdf")
        download.value.save_as(tmp_path / "saved.pdf")
        assert (tmp_path / "saved.pdf").read_bytes().startswith(b"%PDF-")
        page.get_by_role("heading", name="PDF 已生成").wait_for()
        assert page.get_by_role("link", name="下载 PDF", exact=True).is_visible()
    finally:
        stop.set()
        worker.join(10)
