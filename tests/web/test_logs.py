"""Request ids and structured logs: an id per request (a proxy's only behind configured
proxies), in the response header, on error pages and in every log line of the request; JSON
lines on stderr with LOG_FORMAT json."""

from __future__ import annotations

import json
import logging
import re

import pytest
from flask import abort, current_app

from assess.config import ConfigError
from assess.web.access import PUBLIC, allow
from tests.support import ready_app

NEW_ID = re.compile(r"[0-9a-f]{32}")
PROXY_ID = "0f3b6c1e9a2d4b7c8e5f6a1b2c3d4e5f"


@pytest.fixture
def app_for(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "instance"))

    def make(**config):
        app = ready_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x",
                "DATABASE": str(tmp_path / "logs.sqlite"),
                "REPORT_QUEUE": "immediate",
                "WTF_CSRF_ENABLED": False,
                **config,
            }
        )

        @app.get("/boom/<int:code>")
        @allow(PUBLIC)
        def boom(code):
            current_app.logger.warning("about to answer %s", code)
            if code == 500:
                raise RuntimeError("secret internal detail")
            abort(code)

        app.config["PROPAGATE_EXCEPTIONS"] = False
        return app

    yield make
    make(LOG_FORMAT="text")  # the next tests log as before


def test_every_response_carries_a_new_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert NEW_ID.fullmatch(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


def test_a_clients_request_id_is_ignored_without_a_proxy(client):
    answer = client.get("/", headers={"X-Request-ID": PROXY_ID})
    assert answer.headers["X-Request-ID"] != PROXY_ID


def test_the_proxys_request_id_is_kept_behind_a_configured_proxy(app_for):
    client = app_for(PROXY_COUNT=1).test_client()
    assert client.get("/", headers={"X-Request-ID": PROXY_ID}).headers["X-Request-ID"] == PROXY_ID
    for odd in ("short", "x" * 200, "a b c d e f g h", "<script>alert(1)</script>"):
        kept = client.get("/", headers={"X-Request-ID": odd}).headers["X-Request-ID"]
        assert NEW_ID.fullmatch(kept), odd


@pytest.mark.parametrize("code", [400, 403, 404, 500])
def test_error_pages_show_the_request_id_to_quote(app_for, code):
    app = app_for()
    response = app.test_client().get(f"/boom/{code}")
    request_id = response.headers["X-Request-ID"]
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert f"请求编号 {request_id}" in body
    english = app.test_client()
    english.post("/lang", data={"lang": "en"})
    answer = english.get(f"/boom/{code}")
    assert f"Request ID {answer.headers['X-Request-ID']}" in answer.get_data(as_text=True)


def test_json_errors_carry_the_request_id(app_for):
    response = app_for().test_client().get("/boom/404", headers={"Accept": "application/json"})
    assert response.get_json()["request_id"] == response.headers["X-Request-ID"]


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_json_logs_put_the_request_id_in_every_line_of_the_request(app_for, capsys):
    app = app_for(LOG_FORMAT="json")
    response = app.test_client().get("/boom/500")
    request_id = response.headers["X-Request-ID"]
    lines = [
        line for line in json_lines(capsys.readouterr().err) if line["request_id"] == request_id
    ]
    assert [(line["logger"], line["level"]) for line in lines] == [
        ("assess", "WARNING"),  # the view's own line
        ("assess", "ERROR"),  # the unexpected error, with its traceback
        ("assess.requests", "INFO"),  # the request line
    ]
    warning, error, request_line = lines
    assert warning["message"] == "about to answer 500"
    assert "RuntimeError: secret internal detail" in error["exception"]
    assert {k: request_line[k] for k in ("method", "route", "path", "status")} == {
        "method": "GET",
        "route": "/boom/<int:code>",
        "path": "/boom/500",
        "status": 500,
    }
    assert request_line["duration_ms"] >= 0 and {"time", "pid"} <= set(request_line)


def test_json_logs_keep_health_checks_quiet(app_for, capsys):
    app = app_for(LOG_FORMAT="json")
    assert app.test_client().get("/healthz").status_code == 200
    assert [line for line in json_lines(capsys.readouterr().err) if line.get("path")] == []


def test_text_logs_carry_the_request_id_too(app_for, caplog):
    app = app_for()
    with caplog.at_level(logging.WARNING, logger="assess"):
        response = app.test_client().get("/boom/404")
    (record,) = [r for r in caplog.records if r.getMessage() == "about to answer 404"]
    assert record.request_id == response.headers["X-Request-ID"]


def test_an_unknown_log_format_is_refused(app_for):
    with pytest.raises(ConfigError, match="LOG_FORMAT"):
        app_for(LOG_FORMAT="xml")


def test_an_app_made_again_as_text_logs_as_before(app_for, capsys):
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    app_for(LOG_FORMAT="json")
    assert len(root.handlers) == len(handlers) + 1 and root.level == logging.INFO
    app = app_for(LOG_FORMAT="text")
    assert root.handlers == handlers and root.level == level
    app.test_client().get("/boom/404")
    assert json_lines(capsys.readouterr().err) == []
