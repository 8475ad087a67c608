"""Logging in and out, the role on screen, session endings."""

from __future__ import annotations

import time

import pytest

from assess.demo.data import ACCOUNTS
from assess.store import audit, users


@pytest.mark.parametrize("role", ["enterprise", "consultant", "authority", "admin"])
def test_login_shows_the_role_on_screen(accounts, role):
    email = accounts.user(role, name="赵六")
    response = accounts.login(email, follow_redirects=True)
    body = response.get_data(as_text=True)
    labels = {
        "enterprise": "企业",
        "consultant": "评估顾问",
        "authority": "主管部门",
        "admin": "管理员",
    }
    assert response.status_code == 200
    assert "赵六" in body
    assert f'role-badge role-{role}">{labels[role]}<' in body


def test_wrong_password_is_refused_and_audited(accounts, db):
    email = accounts.user("admin")
    response = accounts.login(email, password="wrong-password", follow_redirects=True)
    assert "错误" in response.get_data(as_text=True)
    assert accounts.client.get("/").get_data(as_text=True).count("role-badge") == 0
    assert [row["action"] for row in audit.recent(db)] == ["login_failed"]


def test_login_redirects_to_a_local_next_only(accounts):
    email = accounts.user("admin")
    client = accounts.client
    response = client.post(
        "/login?next=/somewhere", data={"email": email, "password": "correct-horse-battery"}
    )
    assert response.headers["Location"] == "/somewhere"
    accounts.logout()
    for evil in ["https://evil.example/", "//evil.example/x", "/\\evil.example"]:
        response = client.post(
            "/login",
            query_string={"next": evil},
            data={"email": email, "password": "correct-horse-battery"},
        )
        assert response.headers["Location"] == "/admin", evil  # the role's own page
        accounts.logout()


def test_logout_ends_every_session_and_refuses_a_replayed_cookie(app, accounts):
    email = accounts.user("admin")
    accounts.login(email)
    other = app.test_client()
    other.post("/login", data={"email": email, "password": "correct-horse-battery"})
    old_cookie = accounts.client.get_cookie("session").value
    accounts.logout()
    assert "role-badge" not in other.get("/").get_data(as_text=True)
    replay = app.test_client()
    replay.set_cookie("session", old_cookie)
    assert "role-badge" not in replay.get("/").get_data(as_text=True)


def test_a_new_session_is_made_on_login(accounts):
    email = accounts.user("admin")
    client = accounts.client
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    accounts.login(email)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].endswith(":0")


def test_idle_session_expires_and_login_says_so(app, accounts):
    email = accounts.user("admin")
    accounts.login(email)
    with accounts.client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    response = accounts.client.get("/", follow_redirects=True)
    assert "role-badge" not in response.get_data(as_text=True)
    page = accounts.client.get("/login").get_data(as_text=True)
    assert "会话已过期" in page


def test_inactive_accounts_cannot_log_in(accounts, db):
    email = accounts.user("admin")
    db.execute("UPDATE users SET active = 0")
    accounts.login(email)
    assert "role-badge" not in accounts.client.get("/").get_data(as_text=True)


def test_every_demo_account_logs_in_and_sees_its_role(runner, app):
    runner.invoke(args=["demo"])
    for email, name, role, password, _ in ACCOUNTS:
        client = app.test_client()
        response = client.post(
            "/login", data={"email": email, "password": password}, follow_redirects=True
        )
        body = response.get_data(as_text=True)
        assert name in body and f"role-badge role-{role}" in body, email


def test_language_switch_changes_the_page_language(client):
    assert 'lang="zh-CN"' in client.get("/").get_data(as_text=True)
    response = client.post("/lang", data={"lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page


def test_a_language_chosen_before_login_is_kept_and_remembered(accounts, db):
    email = accounts.user("admin")
    accounts.client.post("/lang", data={"lang": "en"})
    accounts.login(email)
    assert 'lang="en"' in accounts.client.get("/").get_data(as_text=True)
    assert users.get_by_email(db, email)["locale"] == "en"
    accounts.logout()
    other = accounts.app.test_client()
    other.post("/login", data={"email": email, "password": "correct-horse-battery"})
    assert 'lang="en"' in other.get("/").get_data(as_text=True)
