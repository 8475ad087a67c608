"""Error pages: a message per status and never a stack trace."""

from __future__ import annotations

import pytest
from flask import abort

from assess.web.access import PUBLIC, allow


@pytest.fixture
def failing_app(app):
    @app.get("/boom/<int:code>")
    @allow(PUBLIC)
    def boom(code):
        if code == 500:
            raise RuntimeError("secret internal detail")
        abort(code)

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize("code", [400, 403, 404, 413, 500])
def test_error_pages_show_a_message_and_no_trace(failing_app, code):
    response = failing_app.test_client().get(f"/boom/{code}")
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert f'<p class="error-code">{code}</p>' in body
    assert "Traceback" not in body and "secret internal detail" not in body
    assert "<h1>" in body


def test_unknown_page_is_404_in_chinese_by_default(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert 'lang="zh-CN"' in response.get_data(as_text=True)


def test_json_requests_get_json_errors(failing_app):
    response = failing_app.test_client().get("/boom/403", headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert response.get_json()["error"] == 403


def test_too_large_body_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/login", data={"email": "x" * 5000, "password": "y"})
    assert response.status_code == 413
