"""Sessions, second factor, login throttling, password rules, admin, headers and cookies."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest

from assess.organisation import accounts as account_use_cases
from assess.store import audit, throttle, users
from assess.store.database import connect
from tests.support import GOOD, PASSWORD, ready_app

NEW_PASSWORD = "another-long-passphrase"


def logged_in_twice(app, accounts, email):
    """Two browsers of the same user, both logged in."""
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        client.post("/login", data={"email": email, "password": PASSWORD})
        assert client.get("/account").status_code == 200
    return first, second


def is_logged_out(client) -> bool:
    response = client.get("/account")
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_changing_the_password_ends_every_other_session(app, accounts, db):
    email = accounts.user("consultant")
    first, second = logged_in_twice(app, accounts, email)
    response = first.post(
        "/account",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not is_logged_out(first)  # the browser that changed it stays in, on a new session
    assert is_logged_out(second)
    assert users.authenticate(db, email, PASSWORD) is None
    assert users.authenticate(db, email, NEW_PASSWORD) is not None
    assert "password_changed" in [e["action"] for e in audit.search(db)]


def test_a_wrong_current_password_or_a_weak_new_one_changes_nothing(app, accounts, db):
    email = accounts.user("consultant")
    accounts.login(email)
    before = users.get_by_email(db, email)["password_hash"]
    for data, message in [
        ({"current": "wrong-password-1", "password": NEW_PASSWORD}, "不是您当前的密码"),
        ({"current": PASSWORD, "password": "password1"}, "过于常见"),
        ({"current": PASSWORD, "password": "short"}, "至少"),
    ]:
        data["confirm"] = data["password"]
        page = accounts.client.post("/account", data=data).get_data(as_text=True)
        assert message in page, message
    assert users.get_by_email(db, email)["password_hash"] == before


def test_disabling_an_account_ends_its_sessions_and_refuses_logins(app, accounts, db):
    email = accounts.user("enterprise")
    victim = app.test_client()
    victim.post("/login", data={"email": email, "password": PASSWORD})
    assert not is_logged_out(victim)
    admin = accounts.user("admin")
    accounts.login(admin)
    user_id = users.get_by_email(db, email)["id"]
    accounts.client.post(f"/admin/users/{user_id}/active", data={"active": "0"})
    assert is_logged_out(victim)
    again = victim.post("/login", data={"email": email, "password": PASSWORD})
    assert again.status_code == 200  # the login form again, with a message
    assert is_logged_out(victim)
    # the administrator cannot lock itself out
    own_id = users.get_by_email(db, admin)["id"]
    accounts.client.post(f"/admin/users/{own_id}/active", data={"active": "0"})
    assert users.get(db, own_id)["active"] == 1
    accounts.client.post(f"/admin/users/{user_id}/active", data={"active": "1"})
    victim.post("/login", data={"email": email, "password": PASSWORD})
    assert not is_logged_out(victim)
    actions = [e["action"] for e in audit.search(db)]
    assert "account_disabled" in actions and "account_enabled" in actions


def enable_totp(client, db, email) -> str:
    """Turn the second factor on through the pages; return the secret."""
    before = users.get_by_email(db, email)
    page = client.get("/account/totp").get_data(as_text=True)
    assert users.get_by_email(db, email) == before  # showing the key stores nothing
    secret = next(
        word for word in page.replace("<", " ").replace(">", " ").split() if len(word) == 32
    )
    response = client.post("/account/totp", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"] == "/account"
    assert users.get_by_email(db, email)["totp_enabled"] == 1
    return secret


def test_a_second_factor_is_asked_at_login_and_a_code_works_once(app, accounts, db):
    email = accounts.user("authority")
    accounts.login(email)
    client = accounts.client
    secret = enable_totp(client, db, email)
    accounts.logout()
    step_one = accounts.login(email)
    assert step_one.headers["Location"] == "/login/code"
    assert is_logged_out(client)  # the password alone opens nothing
    wrong = client.post("/login/code", data={"code": "000000"})
    assert "验证码不正确" in wrong.get_data(as_text=True) and is_logged_out(client)
    totp = pyotp.TOTP(secret)
    # the code confirming the set-up was used: a login in the same 30 s needs a later one
    code = totp.at(time.time() + totp.interval)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert not is_logged_out(client)
    accounts.logout()
    accounts.login(email)
    replay = client.post("/login/code", data={"code": code})  # the same code again
    assert "验证码不正确" in replay.get_data(as_text=True) and is_logged_out(client)


def test_a_replayed_code_is_refused_even_by_another_worker_at_once(app, db):
    secret = pyotp.random_base32()
    with db.conn:
        user_id = users.create(db, email="t@example.com", name="t", password=PASSWORD, role="admin")
        users.enable_totp(db, user_id, secret, 0)
    row = users.get(db, user_id)  # both workers read the account before either claims
    code = pyotp.TOTP(secret).now()
    assert users.verify_totp(db, row, code) is not None
    assert users.verify_totp(db, row, code) is None


def test_totp_steps_from_a_worked_example():
    # RFC 6238's test secret (ASCII "12345678901234567890"), 6 digits: at 59 s the code is
    # 287082 (step 1); it is accepted one step early or late, and never once used.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert users.totp_step(secret, "287082", now=59) == 1
    assert users.totp_step(secret, "287082", now=89) == 1  # one step late: drift
    assert users.totp_step(secret, "287082", now=120) is None  # two steps late
    assert users.totp_step(secret, "287082", after=1, now=59) is None  # already used
    assert users.totp_step(secret, "28708", now=59) is None
    assert users.totp_step(None, "287082", now=59) is None


def test_enterprises_have_no_second_factor_pages(accounts):
    accounts.login(accounts.user("enterprise"))
    assert accounts.client.get("/account/totp").status_code == 403


def test_login_throttling_holds_across_workers_sharing_the_database(app, accounts, tmp_path):
    email = accounts.user("consultant")
    other_worker = ready_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": app.config["DATABASE"],
            "WTF_CSRF_ENABLED": False,
        }
    ).test_client()
    workers = [app.test_client(), other_worker]
    for attempt in range(throttle.PER_ACCOUNT_AND_ADDRESS):
        workers[attempt % 2].post("/login", data={"email": email, "password": "wrong-pass-x"})
    blocked = other_worker.post("/login", data={"email": email, "password": PASSWORD})
    assert blocked.status_code == 429  # even the right password, until the window passes
    assert (
        app.test_client().post("/login", data={"email": email, "password": PASSWORD}).status_code
        == 429
    )


def test_throttling_rules_from_a_worked_example(db):
    """Five failures lock one address out of one account; fifty from anywhere lock the
    account; thirty from one address lock that address; all for fifteen minutes."""
    now = 1_000_000.0
    for i in range(throttle.PER_ACCOUNT_AND_ADDRESS - 1):
        throttle.fail(db, "a@example.com", "10.0.0.1", now=now + i)
    assert not throttle.blocked(db, "a@example.com", "10.0.0.1", now=now + 10)
    throttle.fail(db, "a@example.com", "10.0.0.1", now=now + 10)
    assert throttle.blocked(db, "a@example.com", "10.0.0.1", now=now + 11)  # that address
    assert not throttle.blocked(db, "a@example.com", "10.0.0.2", now=now + 11)  # not the owner's
    for i in range(throttle.PER_ACCOUNT - throttle.PER_ACCOUNT_AND_ADDRESS):
        throttle.fail(db, "a@example.com", f"10.1.{i}.1", now=now + 12)  # spread over addresses
    assert throttle.blocked(db, "a@example.com", "10.0.0.2", now=now + 13)  # the account
    assert not throttle.blocked(db, "a@example.com", "10.0.0.2", now=now + 12 + throttle.WINDOW)
    throttle.succeed(db, "a@example.com")
    assert not throttle.blocked(db, "a@example.com", "10.0.0.1", now=now + 14)
    for i in range(throttle.PER_ADDRESS):  # one address trying many accounts
        throttle.fail(db, f"user{i}@example.com", "10.9.9.9", now=now + 20)
    assert throttle.blocked(db, "new@example.com", "10.9.9.9", now=now + 21)
    assert not throttle.blocked(db, "new@example.com", "10.9.9.8", now=now + 21)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab3$xyz", "至少"),
        ("password", "过于常见"),
        ("12345678", "过于常见"),
        ("woaini1314", "过于常见"),
        ("aaaaaaaaaaaa", "过于常见"),
        ("wang-factory-2026", "电子邮箱"),
    ],
)
def test_short_common_or_email_passwords_are_refused_at_registration(client, db, password, message):
    page = client.post("/register", data={**GOOD, "password": password, "confirm": password})
    assert message in page.get_data(as_text=True)
    assert users.get_by_email(db, GOOD["email"]) is None


def test_security_headers_on_every_kind_of_response(accounts, client):
    accounts.login(accounts.user("enterprise"))
    for url in ["/", "/login", "/assessments", "/no-such-page", "/static/assess.css"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "same-origin", url
        cache = response.headers.get("Cache-Control")
        assert (cache == "no-store") is (not url.startswith("/static/")), url
        response.close()


def test_session_cookies_are_http_only_same_site_and_secure_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "instance"))
    for env, secure in [("development", False), ("production", True)]:
        app = ready_app(
            {
                "ENV": env,
                "SECRET_KEY": "k",
                "DATABASE": str(tmp_path / f"{env}.sqlite"),
                "WTF_CSRF_ENABLED": False,
            }
        )
        client = app.test_client()
        client.post("/lang", data={"lang": "en"})  # anything that writes the session
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
        assert cookie.secure is secure, env


def test_behind_a_proxy_throttling_counts_the_clients_address(tmp_path, monkeypatch, db, app):
    """With PROXY_COUNT set, each client's failures count for its own address, not the proxy's."""
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "instance"))
    proxied = ready_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "DATABASE": app.config["DATABASE"],
            "WTF_CSRF_ENABLED": False,
            "PROXY_COUNT": 1,
        }
    ).test_client()
    proxied.post(
        "/login",
        data={"email": "nobody@example.com", "password": "wrong-pass-x"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    addresses = [r[0] for r in db.execute("SELECT ip FROM login_failures")]
    assert addresses == ["203.0.113.7"]


def test_parallel_wrong_passwords_get_no_more_checks_than_the_limit(app, accounts, monkeypatch):
    """Item 2: 25 wrong passwords at the same moment, each in its own worker (connection): only
    as many are checked as the throttle allows; the others are refused unchecked."""
    email = accounts.user("consultant")
    checked = []
    real = users.authenticate

    def slow_check(db, address, password):  # a password hash takes time: the race's window
        checked.append(address)
        time.sleep(0.2)
        return real(db, address, password)

    monkeypatch.setattr(users, "authenticate", slow_check)
    start = threading.Barrier(25)

    def attempt(_):
        db = connect(app.config["DATABASE"])
        start.wait()
        try:
            return account_use_cases.log_in(db, email, "wrong-pass-x", "10.0.0.9")
        finally:
            db.close()

    with ThreadPoolExecutor(25) as pool:
        outcomes = list(pool.map(attempt, range(25)))
    assert len(checked) == throttle.PER_ACCOUNT_AND_ADDRESS
    assert sorted(o.reason for o in outcomes) == ["throttled"] * 20 + ["wrong"] * 5


def test_turning_off_the_second_factor_is_throttled_like_the_password(
    app, accounts, db, monkeypatch
):
    """Item 3: 40 wrong codes on /account/totp/off: five are checked, then even the right code
    is refused until the window passes; the second factor stays on."""
    email = accounts.user("consultant")
    accounts.login(email)
    secret = enable_totp(accounts.client, db, email)
    checked = []
    real = users.verify_totp

    def counted(db, user, code, now=None):
        checked.append(code)
        return real(db, user, code, now)

    monkeypatch.setattr(users, "verify_totp", counted)
    answers = [
        accounts.client.post("/account/totp/off", data={"code": f"{n:06d}"}).status_code
        for n in range(40)
    ]
    assert len(checked) == throttle.PER_ACCOUNT_AND_ADDRESS
    assert answers[-1] == 429
    totp = pyotp.TOTP(secret)
    right = accounts.client.post(
        "/account/totp/off", data={"code": totp.at(time.time() + totp.interval)}
    )
    assert right.status_code == 429
    assert users.get_by_email(db, email)["totp_enabled"] == 1


def test_confirming_a_new_second_factor_is_throttled_too(accounts, db, monkeypatch):
    email = accounts.user("authority")
    accounts.login(email)
    accounts.client.get("/account/totp")
    answers = [
        accounts.client.post("/account/totp", data={"code": f"{n:06d}"}).status_code
        for n in range(throttle.PER_ACCOUNT_AND_ADDRESS + 1)
    ]
    assert answers[-1] == 429
    assert users.get_by_email(db, email)["totp_enabled"] == 0


def test_a_code_used_to_log_in_cannot_turn_the_second_factor_off(accounts, db):
    email = accounts.user("admin")
    accounts.login(email)
    secret = enable_totp(accounts.client, db, email)
    accounts.logout()
    totp = pyotp.TOTP(secret)
    code = totp.at(time.time() + totp.interval)
    accounts.login(email)
    assert accounts.client.post("/login/code", data={"code": code}).status_code == 302
    accounts.client.post("/account/totp/off", data={"code": code})
    assert users.get_by_email(db, email)["totp_enabled"] == 1


def test_a_right_password_before_the_second_factor_leaves_no_failure_counted(accounts, db):
    email = accounts.user("admin")
    accounts.login(email)
    enable_totp(accounts.client, db, email)
    accounts.logout()
    for _ in range(throttle.PER_ACCOUNT_AND_ADDRESS + 1):
        assert accounts.login(email).headers["Location"] == "/login/code"


def test_the_session_cookie_takes_the_host_prefix_in_production(tmp_path, monkeypatch):
    """Item 8: in production the session cookie is __Host-session: sent over HTTPS only, for
    this host only, for every path (no sub-domain can set or read it)."""
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = ready_app(
        {
            "ENV": "production",
            "SECRET_KEY": "k",
            "DATABASE": str(tmp_path / "p.sqlite"),
            "WTF_CSRF_ENABLED": False,
        }
    )
    response = app.test_client().post("/lang", data={"lang": "en"})
    header = next(h for h in response.headers.getlist("Set-Cookie") if "session" in h)
    assert header.startswith("__Host-session=")
    assert "Secure" in header and "Path=/" in header and "Domain" not in header
