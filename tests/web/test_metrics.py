"""/metrics: Prometheus text, only from allowed addresses or with the bearer token; requests
counted by route (the URL rule) and status; autosaves, submissions, the queue's length and
renders counted; the counts of several processes summed (multiprocess mode, as under gunicorn)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from prometheus_client import REGISTRY

from assess.config import ConfigError
from tests.support import autosave, fill_completely, ready_app, start_assessment

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_metrics_answer_loopback_by_default_and_refuse_other_addresses(app, client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert "assess_http_requests_total" in response.get_data(as_text=True)
    refused = app.test_client().get("/metrics", environ_base=ELSEWHERE)
    assert refused.status_code == 403
    assert "assess_" not in refused.get_data(as_text=True)


def test_a_bearer_token_reads_metrics_from_anywhere(app):
    app.config["METRICS_TOKEN"] = "s3cret-token-for-prometheus"
    client = app.test_client()
    good = {"Authorization": "Bearer s3cret-token-for-prometheus"}
    assert client.get("/metrics", environ_base=ELSEWHERE, headers=good).status_code == 200
    for wrong in ("Bearer s3cret", "s3cret-token-for-prometheus", "Basic eDp5", ""):
        answer = client.get("/metrics", environ_base=ELSEWHERE, headers={"Authorization": wrong})
        assert answer.status_code == 403, wrong


def test_allowed_networks_come_from_the_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path))
    config = {
        "SECRET_KEY": "x",
        "DATABASE": str(tmp_path / "m.sqlite"),
        "REPORT_QUEUE": "immediate",
    }
    app = ready_app({**config, "METRICS_ALLOW": ["203.0.113.0/24"]})
    client = app.test_client()
    assert client.get("/metrics", environ_base=ELSEWHERE).status_code == 200
    assert client.get("/metrics").status_code == 403  # loopback no longer listed
    with pytest.raises(ConfigError, match="METRICS_ALLOW"):
        ready_app({**config, "METRICS_ALLOW": ["not an address"]})


def test_requests_are_counted_by_route_and_status(app, client):
    labels = {"method": "GET", "route": "/regions/<code>.json", "status": "200"}
    before = sample("assess_http_requests_total", **labels)
    missing = sample("assess_http_requests_total", method="GET", route="(unmatched)", status="404")
    latency = sample(
        "assess_http_request_seconds_count", method="GET", route="/regions/<code>.json"
    )
    client.get("/regions/root.json")
    client.get("/regions/320000.json")
    client.get("/no/such/page/12345")
    assert sample("assess_http_requests_total", **labels) == before + 2
    assert (
        sample("assess_http_requests_total", method="GET", route="(unmatched)", status="404")
        == missing + 1
    )
    assert (
        sample("assess_http_request_seconds_count", method="GET", route="/regions/<code>.json")
        == latency + 2
    )
    text = client.get("/metrics").get_data(as_text=True)
    assert 'route="/regions/<code>.json"' in text and "/regions/root.json" not in text


def test_autosaves_and_submissions_move_their_counters(app, enterprise):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    saves = sample("assess_autosaves_total", status="200", outcome="saved")
    submissions = sample("assess_submissions_total")
    fill_completely(app, client, assessment_id)  # one autosave
    assert sample("assess_autosaves_total", status="200", outcome="saved") == saves + 1
    client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    assert sample("assess_submissions_total") == submissions + 1
    client.post(
        f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"}
    )  # already submitted: not counted again
    assert sample("assess_submissions_total") == submissions + 1


def test_an_autosave_is_counted_by_how_it_went(app, enterprise):
    """A 200 that refused an item is no success: saved, partly refused, refused and stale are
    told apart; a 400 or a 409 kept nothing."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)

    def counted(status: str, outcome: str, *entries, body=None) -> None:
        before = sample("assess_autosaves_total", status=status, outcome=outcome)
        if body is None:
            assert str(autosave(client, assessment_id, *entries)["status"]) == status
        else:
            url = f"/assessments/{assessment_id}/answers"
            assert str(client.post(url, json=body).status_code) == status
        assert sample("assess_autosaves_total", status=status, outcome=outcome) == before + 1

    mode = "profile.production_mode"
    filled = fill_completely(app, client, assessment_id)[mode].value  # revision 1
    first, second = [value for value in ("mass", "small_batch", "mixed") if value != filled]
    counted("200", "saved", (mode, first, 2))
    counted("200", "saved", (mode, first, 2))  # a retry: unchanged, kept
    counted("200", "partly refused", (mode, second, 3), ("profile.above_scale", "maybe", 2))
    counted("200", "refused", ("profile.above_scale", "maybe", 2), ("profile.no_such", 1, 1))
    counted("200", "stale", (mode, first, 3))  # revision 3 is stored already
    counted("400", "refused", body={"answers": "not a list"})
    client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    counted("409", "refused", (mode, filled, 4))


def test_the_render_queue_length_is_read_at_the_scrape(app, client, tmp_path):
    from assess.report.queue import RenderQueue, Settings

    queue = RenderQueue(Settings(str(tmp_path / "queue.sqlite")))
    app.extensions["render_queue"] = queue
    queue.huey  # noqa: B018  # the tasks are made with Huey
    queue.render_task("c" * 64)
    # a render's watch (scheduled REPORT_LEASE seconds on) is no render waiting
    queue.watch_task.schedule(args=("c" * 64,), delay=60)
    text = client.get("/metrics").get_data(as_text=True)
    assert "assess_render_queue_length 1.0" in text and "assess_render_queue_up 1.0" in text
    app.extensions["render_queue"] = RenderQueue(Settings("redis://127.0.0.1:1/0"))
    text = client.get("/metrics").get_data(as_text=True)
    assert "assess_render_queue_length -1.0" in text and "assess_render_queue_up 0.0" in text


def test_a_render_is_timed_and_counted(app):
    from assess.report import pdf
    from assess.report.jobs import READY, request
    from assess.web.documents import cache_file, render_queue

    rendered = sample("assess_renders_total", outcome="rendered")
    timed = sample("assess_render_seconds_count")
    html = '<html><body style="font-family: sans-serif">metrics</body></html>'
    key = pdf.cache_key({"metrics-test": html})
    with app.app_context():
        status = request(render_queue(), key, cache_file(key), lambda: html)
    assert status.state == READY
    assert sample("assess_renders_total", outcome="rendered") == rendered + 1
    assert sample("assess_render_seconds_count") == timed + 1


# Two processes count in one folder, as two gunicorn workers do; a third reads /metrics.
COUNT = textwrap.dedent(
    """
    import sys
    from tests.support import ready_app

    app = ready_app({"SECRET_KEY": "x", "DATABASE": sys.argv[1], "REPORT_QUEUE": "immediate"})
    client = app.test_client()
    for _ in range(int(sys.argv[2])):
        assert client.get("/healthz").status_code == 200
    if sys.argv[3] == "read":
        sys.stdout.write(client.get("/metrics").get_data(as_text=True))
    """
)


def test_multiprocess_mode_sums_the_counts_of_every_process(tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "ASSESS_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    database = str(tmp_path / "multi.sqlite")

    def run(count: int, then: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", COUNT, database, str(count), then],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    run(2, "exit")
    run(3, "exit")
    text = run(1, "read")
    assert len(list(folder.glob("counter_*.db"))) == 3  # one file per process
    line = 'assess_http_requests_total{method="GET",route="/healthz",status="200"} 6.0'
    assert line in text.splitlines()
    # the histogram too, and no process's own collectors (they would count one process only)
    assert 'assess_http_request_seconds_count{method="GET",route="/healthz"} 6.0' in text
    assert "python_gc_objects_collected_total" not in text


def test_a_render_worker_clears_the_files_of_processes_gone_only(tmp_path, monkeypatch):
    from assess.report import metrics

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    for name in (
        f"counter_{gone.stdout.strip()}.db",
        f"histogram_{os.getpid()}.db",
        "gauge_livesum_x.db",
    ):
        (tmp_path / name).write_bytes(b"")
    metrics.clear_directory()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"histogram_{os.getpid()}.db"]
