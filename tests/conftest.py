"""Fixtures: an app on a fresh database per test, a client, a CLI runner, and actions."""

from __future__ import annotations

import functools

import pytest
import werkzeug.test

from assess.store import organisations, users
from assess.store.database import connect, write_transaction
from tests.support import ready_app

PASSWORD = "correct-horse-battery"

# Werkzeug's test client spools a multipart body over 500 KB to a temporary file that it hands
# to the app as wsgi.input and never closes, so under `-W error` a large upload in a test ends in
# a ResourceWarning that is the harness's, not the app's. Bodies built in memory are closed
# with the request; the app's own spooling of uploads (werkzeug.formparser) is not affected.
werkzeug.test.stream_encode_multipart = functools.partial(
    werkzeug.test.stream_encode_multipart, use_tempfile=False
)


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "instance"))
    app = ready_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(tmp_path / "test.sqlite"),
            "WTF_CSRF_ENABLED": False,
            # no PDF rendered behind a test's back (tests/report/test_report.py turns it on to test it)
            "REPORT_PRERENDER": False,
        }
    )
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    database = connect(app.config["DATABASE"])
    yield database
    database.close()


class Accounts:
    """Make organisations and accounts, and log in as them: tests read as actions."""

    def __init__(self, app, client, db):
        self.app, self.client, self.db = app, client, db

    def organisation(self, name="测试机械有限公司", region_code="320505", credit_code=None, **kw):
        from assess.organisation import credit_code as cc

        if credit_code is None:
            body = "91" + region_code + f"{organisations.count(self.db) + 1:09d}"
            credit_code = body + cc.check_character(body)
        with write_transaction(self.db):
            return organisations.create(
                self.db,
                name=name,
                credit_code=credit_code,
                region_code=region_code,
                sector=kw.get("sector", "machine_tools"),
                size=kw.get("size", "medium"),
            )

    def user(self, role, email=None, organisation_id=None, region_scope=None, name="测试用户"):
        if role == "enterprise" and organisation_id is None:
            organisation_id = self.organisation()
        if role == "authority" and region_scope is None:
            region_scope = "32"
        email = email or f"{role}{self.db['users'].count + 1}@example.com"
        with write_transaction(self.db):
            users.create(
                self.db,
                email=email,
                name=name,
                password=PASSWORD,
                role=role,
                organisation_id=organisation_id,
                region_scope=region_scope,
            )
        return email

    def login(self, email, password=PASSWORD, follow_redirects=False):
        return self.client.post(
            "/login",
            data={"email": email, "password": password},
            follow_redirects=follow_redirects,
        )

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def accounts(app, client, db):
    return Accounts(app, client, db)


@pytest.fixture
def csrf_app(tmp_path, monkeypatch):
    """An app with CSRF protection on, as in production."""
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "instance"))
    return ready_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE": str(tmp_path / "csrf.sqlite")}
    )


def start_assessment(client) -> int:
    """Start a draft as the logged-in enterprise; return its id."""
    response = client.post("/assessments/new", data={"prefill": "empty"})
    location = response.headers["Location"]
    return int(location.rstrip("/").split("/")[-1])


def autosave(client, assessment_id: int, *entries) -> dict:
    """Save answers in the background: entries are (item, value, revision[, reason])."""
    answers = [
        {"item": e[0], "value": e[1], "revision": e[2], "reason": e[3] if len(e) > 3 else ""}
        for e in entries
    ]
    response = client.post(f"/assessments/{assessment_id}/answers", json={"answers": answers})
    return {"status": response.status_code, **(response.get_json() or {})}


@pytest.fixture
def enterprise(accounts):
    """A logged-in enterprise user and its organisation."""
    org_id = accounts.organisation(name="甲企业机械有限公司")
    email = accounts.user("enterprise", organisation_id=org_id, email="a@example.com")
    accounts.login(email)
    return {"client": accounts.client, "organisation_id": org_id, "email": email}
