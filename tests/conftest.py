"""Fixtures: an app on a fresh database per test, a client, a CLI runner, and actions."""

from __future__ import annotations

import functools

import pytest
import werkzeug.test

from assess.store import grants, users
from assess.store.database import connect
from tests.support import Accounts, MailServer, fill_completely, ready_app, start_assessment

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
            # no PDF rendered behind a test's back (tests/report/test_report.py turns it on)
            "REPORT_PRERENDER": False,
            # PDFs rendered in the request: tests/report/test_render_queue.py runs real queues
            "REPORT_QUEUE": "immediate",
        }
    )
    yield app


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback; the app's mail goes to it (smtp.deliver(app) sends)."""
    server = MailServer()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    yield server
    server.stop()


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


@pytest.fixture
def enterprise(accounts):
    """A logged-in enterprise user and its organisation."""
    org_id = accounts.organisation(name="甲企业机械有限公司")
    email = accounts.user("enterprise", organisation_id=org_id, email="a@example.com")
    accounts.login(email)
    return {"client": accounts.client, "organisation_id": org_id, "email": email}


# An enterprise and its consultant: consultants' access (tests/organisation), on-site answering
# (tests/assessment) and the verified report (tests/report).


@pytest.fixture
def client_org(app, accounts):
    """An enterprise with a submitted self-assessment; its user is logged out afterwards."""
    org_id = accounts.organisation(name="客户机械有限公司")
    email = accounts.user("enterprise", organisation_id=org_id, email="owner@example.com")
    accounts.login(email)
    assessment_id = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment_id, "advanced")
    accounts.client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    accounts.logout()
    return {"id": org_id, "email": email, "self": assessment_id}


@pytest.fixture
def on_site(app, accounts, client_org, db):
    """client_org's on-site draft, pre-filled from its self-assessment, by the consultant 王顾问
    (c@example.com), logged in, to whom it granted access."""
    consultant = accounts.user("consultant", email="c@example.com", name="王顾问")
    with db.conn:
        grants.grant_registered(db, client_org["id"], users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    response = accounts.client.post(
        f"/consultant/clients/{client_org['id']}/assessments", data={"prefill": "self"}
    )
    return {
        **client_org,
        "org": client_org["id"],
        "id": int(response.headers["Location"].split("/")[2]),
    }
