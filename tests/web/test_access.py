"""Deny by default: every view declares who may enter."""

from __future__ import annotations

from assess.web.access import PUBLIC, access_roles, allow


def test_every_view_declares_an_access_rule(app):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and access_roles(app.view_functions[rule.endpoint]) is None
    ]
    assert missing == []


def test_a_view_without_a_rule_is_denied(app):
    @app.get("/forgotten")
    def forgotten():
        return "should never be served"

    response = app.test_client().get("/forgotten")
    assert response.status_code == 403
    assert "should never be served" not in response.get_data(as_text=True)


def test_role_views_redirect_anonymous_to_login_and_refuse_other_roles(app, accounts):
    @app.get("/admin-only")
    @allow("admin")
    def admin_only():
        return "admin page"

    client = accounts.client
    response = client.get("/admin-only")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/admin-only")
    accounts.login(accounts.user("consultant"))
    assert client.get("/admin-only").status_code == 403
    accounts.logout()
    accounts.login(accounts.user("admin"))
    assert client.get("/admin-only").get_data(as_text=True) == "admin page"


def test_public_views_are_open(client):
    assert client.get("/").status_code == 200
    assert client.get("/login").status_code == 200


def test_allow_rejects_unknown_roles():
    import pytest

    with pytest.raises(ValueError):
        allow("superuser")
    with pytest.raises(ValueError):
        allow()
    assert allow(PUBLIC)(lambda: None).access_roles == frozenset({PUBLIC})
