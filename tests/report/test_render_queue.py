"""PDFs through the render queue: real queues (a redis-server of the test's own, or the embedded
SQLite queue), render workers in separate processes without a database, a worker killed
mid-render, concurrent requests, failures and a queue that is down."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from assess.report import jobs
from assess.report import pdf as report
from assess.report.queue import RenderQueue, Settings
from assess.web import documents
from tests.support import PASSWORD, fill_completely, start_assessment


def submitted_report(app, accounts, email="owner@example.com") -> int:
    """A submitted assessment of a logged-in enterprise; its id."""
    org_id = accounts.organisation()
    accounts.login(accounts.user("enterprise", organisation_id=org_id, email=email))
    assessment_id = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment_id, "basic")
    accounts.client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    return assessment_id


def use_queue(app, where: str, **settings) -> RenderQueue:
    app.config["REPORT_QUEUE"] = where
    queue = RenderQueue(Settings(where, **settings))
    app.extensions["render_queue"] = queue
    return queue


def status_url(page: str) -> str:
    return page.split('data-status-url="', 1)[1].split('"', 1)[0]


def wait_until_ready(client, page: str, seconds: float = 90) -> list[dict]:
    """Follow the status as the page's script does; every status seen."""
    url, seen = status_url(page), []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen.append(client.get(url).get_json())
        if seen[-1]["state"] in ("ready", "failed", "unavailable"):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"not ready in {seconds} s: {seen[-3:]}")


def wait_for_log(worker, *lines: str, seconds: float = 20) -> str:
    """The worker's log once it holds every line (a worker logs a render after delivering
    the PDF, and its collector turns in between: the log can trail the status by a moment)."""
    path = worker.folder / "worker.log"
    deadline = time.monotonic() + seconds
    while not all(line in (log := path.read_text()) for line in lines):
        assert time.monotonic() < deadline, f"the worker's log lacks {lines}: {log[-600:]}"
        time.sleep(0.1)
    return log


def test_a_worker_in_another_process_without_a_database_renders_the_report(
    app, accounts, redis_server, workers
):
    use_queue(app, redis_server.url)
    assessment_id = submitted_report(app, accounts)
    worker = workers.start(redis_server.url)
    first = accounts.client.get(f"/assessments/{assessment_id}/report.pdf")
    assert first.status_code == 202
    page = first.get_data(as_text=True)
    assert "正在生成…" in page and "documents.js" in page
    seen = wait_until_ready(accounts.client, page)
    assert seen[-1]["state"] == "ready", seen[-1]
    assert {s["state"] for s in seen} <= {"queued", "rendering", "ready"}
    response = accounts.client.get(f"/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "attachment;" in response.headers["Content-Disposition"]
    # the worker never had a database or evidence: their folder was never even made
    assert not (worker.folder / "absent").exists()
    assert "rendered in" in wait_for_log(worker, "rendered in")


def test_a_render_interrupted_by_a_killed_worker_completes_on_another(
    app, accounts, redis_server, workers
):
    queue = use_queue(app, redis_server.url, lease=2.0)
    assessment_id = submitted_report(app, accounts)
    first_worker = workers.start(redis_server.url, lease=2.0, name="first")
    page = accounts.client.get(f"/assessments/{assessment_id}/report.pdf").get_data(as_text=True)
    key = status_url(page).rsplit("/", 1)[1].removesuffix(".json")
    deadline = time.monotonic() + 60
    while (job := queue.job(key)) is None or job.started is None:
        assert time.monotonic() < deadline, "the first worker never started the render"
        time.sleep(0.05)
    workers.kill(first_worker)  # mid-render: the PDF takes a second or more
    assert queue.read(f"pdf:{key}") is None and queue.job(key).attempt == 1
    second_worker = workers.start(redis_server.url, lease=2.0, name="second")
    seen = wait_until_ready(accounts.client, page)
    assert seen[-1]["state"] == "ready", seen[-1]
    response = accounts.client.get(f"/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    log = wait_for_log(second_worker, "stopped beating", "rendered in")
    assert "stopped beating" in log and "rendered in" in log


def test_ten_requests_for_one_report_make_one_render(app, accounts, redis_server, monkeypatch):
    queue = use_queue(app, redis_server.url)
    assessment_id = submitted_report(app, accounts)
    clients = []
    for _ in range(10):
        client = app.test_client()
        client.post("/login", data={"email": "owner@example.com", "password": PASSWORD})
        clients.append(client)
    answers: list[int] = []
    barrier = threading.Barrier(len(clients))

    def ask(client) -> None:
        barrier.wait()
        answers.append(client.get(f"/assessments/{assessment_id}/report.pdf").status_code)

    threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [202] * 10
    assert [task.name for task in queue.huey.pending()] == ["render"]
    renders = []
    real = report.html_to_pdf
    monkeypatch.setattr(report, "html_to_pdf", lambda html: renders.append(1) or real(html))
    queue.huey.execute(queue.huey.dequeue())  # a worker's turn, in this process
    for client in clients:
        response = client.get(f"/assessments/{assessment_id}/report.pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert renders == [1]


def test_with_redis_stopped_reports_say_try_again_and_every_other_page_works(
    app, accounts, redis_server
):
    use_queue(app, redis_server.url)
    app.config["REPORT_PRERENDER"] = True
    assessment_id = submitted_report(app, accounts)
    redis_server.stop()
    response = accounts.client.get(f"/assessments/{assessment_id}/report.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "暂时无法生成 PDF" in page and "retry=1" in page and "重试" in page
    assert accounts.client.get(status_url(page)).get_json()["state"] == "unavailable"
    # submitting (which queues the PDF) and every page without a PDF work as before
    another = start_assessment(accounts.client)
    for path in (
        "/assessments",
        f"/assessments/{another}/pages/profile",
        f"/assessments/{assessment_id}/results",
        f"/assessments/{assessment_id}/results.json",
        f"/assessments/{assessment_id}/report",
        "/history",
    ):
        assert accounts.client.get(path).status_code == 200, path
    fill_completely(app, accounts.client, another, "advanced")
    submitted = accounts.client.post(f"/assessments/{another}/submit", data={"confirm_submit": "1"})
    assert submitted.status_code == 302 and "/results" in submitted.headers["Location"]
    # Redis back: the same link makes the PDF
    redis_server.start()
    response = accounts.client.get(f"/assessments/{assessment_id}/report.pdf?retry=1")
    assert response.status_code == 202


def test_a_failed_render_is_retried_then_shown_with_try_again(
    app, accounts, tmp_path, monkeypatch, caplog
):
    queue = use_queue(app, str(tmp_path / "queue.sqlite"), retries=1, retry_delay=0)
    assessment_id = submitted_report(app, accounts)
    calls = []

    def broken(html):
        calls.append(1)
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(report, "html_to_pdf", broken)
    url = f"/assessments/{assessment_id}/report.pdf"
    assert accounts.client.get(url).status_code == 202
    huey = queue.huey
    huey.execute(huey.dequeue())  # the first attempt fails and is scheduled again
    assert huey.pending_count() == 0
    (retry,) = [t for t in huey.read_schedule() if t.name == "render"]
    huey.execute(retry)  # the last attempt fails too: given up
    assert len(calls) == 2
    response = accounts.client.get(url)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "无法生成 PDF" in page and f"{url}?retry=1" in page
    assert "gave up" in caplog.text and "fonts missing" in caplog.text
    # a reload does not render again; "try again" does
    assert accounts.client.get(url).status_code == 503 and len(calls) == 2
    monkeypatch.setattr(report, "html_to_pdf", lambda html: b"%PDF-1.7 made")
    assert accounts.client.get(url + "?retry=1").status_code == 202
    huey.execute(huey.dequeue())
    assert accounts.client.get(url).data == b"%PDF-1.7 made"


def test_the_status_says_where_a_queued_job_is(app, tmp_path):
    queue = use_queue(app, str(tmp_path / "queue.sqlite"))
    cache = tmp_path / "cache"
    for i, key in enumerate(("a" * 64, "b" * 64, "c" * 64)):
        found = jobs.request(queue, key, cache / f"{key}.pdf", lambda i=i: f"<p>{i}</p>")
        assert found == jobs.Status(jobs.QUEUED, position=i + 1, no_worker=True, look_again=1.0)
    queue.say_alive()
    assert jobs.status(queue, "c" * 64, cache / "c.pdf") == jobs.Status(
        jobs.QUEUED, position=3, look_again=1.0
    )
    with app.test_request_context():
        shown = documents.shown(jobs.status(queue, "b" * 64, cache / "b.pdf"))
    assert shown["state"] == "queued" and shown["message"] == "排在队列第 2 位。"


@pytest.mark.parametrize(
    "typical, elapsed, progress, look_again",
    [
        (1.6, 0.4, 0.25, 1.0),  # more than a second to go: looked at again in a second
        (1.6, 1.0, 0.62, 0.6),  # should be done in 0.6 s: looked at then
        (1.6, 1.5, 0.94, 0.15),  # nearly done: not sooner than 0.15 s
        (1.6, 2.4, 0.95, 0.15),  # running late: every 0.15 s
    ],
)
def test_a_rendering_job_is_looked_at_again_when_it_should_be_done(
    app, tmp_path, monkeypatch, typical, elapsed, progress, look_again
):
    queue = use_queue(app, str(tmp_path / "queue.sqlite"))
    key = "d" * 64
    jobs.request(queue, key, tmp_path / "d.pdf", lambda: "<p>d</p>")
    now = time.time()
    queue.put_job(key, replace(queue.job(key), started=now - elapsed, beat=now))
    monkeypatch.setattr(queue, "typical_seconds", lambda: typical)
    monkeypatch.setattr(jobs.time, "time", lambda: now)
    found = jobs.status(queue, key, tmp_path / "d.pdf")
    assert (found.state, round(found.progress, 2), found.look_again) == (
        jobs.RENDERING,
        progress,
        look_again,
    )
    with app.test_request_context():
        assert documents.shown(found)["look_again"] == look_again


@pytest.mark.parametrize("key", ["x" * 64, "A" * 64, "a" * 63, "../etc"])
def test_the_status_of_a_malformed_key_is_not_found(accounts, key):
    accounts.login(accounts.user("enterprise", organisation_id=accounts.organisation()))
    assert accounts.client.get(f"/documents/{key}.json").status_code == 404


def test_the_waiting_page_links_back_to_the_same_download(app, accounts, tmp_path):
    use_queue(app, str(tmp_path / "queue.sqlite"))
    assessment_id = submitted_report(app, accounts)
    # a query that names the route's own parameter changes nothing
    url = f"/assessments/{assessment_id}/report.pdf?lang=en&assessment_id=1&retry=0"
    response = accounts.client.get(url)
    assert response.status_code == 202
    page = response.get_data(as_text=True)
    download = f"/assessments/{assessment_id}/report.pdf?lang=en&amp;assessment_id=1"
    assert f'data-download-url="{download}"' in page
    assert f'href="{download}&amp;retry=1"' in page


def test_a_worker_resumes_the_collector_only_once_the_pdf_is_delivered(
    app, accounts, tmp_path, monkeypatch
):
    """The collector's first turn after a pause walks all the render made: it must come after the
    PDF is in the cache, not in the reader's wait (assess/report/rendering.py)."""
    import gc

    queue = use_queue(app, str(tmp_path / "queue.sqlite"))
    assessment_id = submitted_report(app, accounts)
    seen, finish, collect = {}, queue.finish, report.collect_garbage

    def delivering(key, body, seconds):
        seen["collector on while delivering"] = gc.isenabled()
        finish(key, body, seconds)

    def collecting():
        seen["collector on when collecting"] = gc.isenabled()
        collect()

    monkeypatch.setattr(queue, "finish", delivering)
    monkeypatch.setattr(report, "collect_garbage", collecting)
    url = f"/assessments/{assessment_id}/report.pdf"
    assert accounts.client.get(url).status_code == 202
    huey = queue.huey
    while huey.pending_count():
        task = huey.dequeue()
        if task.name == "render":
            huey.execute(task)
    assert seen == {"collector on while delivering": False, "collector on when collecting": True}
    assert gc.isenabled()
    assert accounts.client.get(url).data.startswith(b"%PDF")


@pytest.mark.parametrize("after", [1, 2, 3, 4])
def test_a_job_that_ends_between_the_status_reads_is_never_taken_for_absent(app, tmp_path, after):
    """A worker writes the PDF, then drops the job; a status read in between said "absent",
    so the page queued the document again (seen once in the worker-in-another-process test)."""
    queue = use_queue(app, str(tmp_path / "queue.sqlite"))
    key, cache = "d" * 64, tmp_path / "cache" / ("d" * 64 + ".pdf")
    jobs.request(queue, key, cache, lambda: "<p>一页</p>")
    queue.put_job(key, replace(queue.job(key), started=time.time(), beat=time.time()))
    calls = {"n": 0}

    def finishing(read):
        def wrapped(*args, **kwargs):
            found = read(*args, **kwargs)
            calls["n"] += 1
            if calls["n"] == after:  # the worker delivers right after this read
                queue.finish(key, b"%PDF-1.7 made", 1.0)
            return found

        return wrapped

    for name in ("read", "record", "job"):
        setattr(queue, name, finishing(getattr(queue, name)))
    found = jobs.status(queue, key, cache)
    assert found.state in (jobs.READY, jobs.RENDERING), found
