"""An enterprise closes its account (assess/privacy/closing.py): everything that names it or
its people is gone from every table and folder; the regional figures keep their counts."""

from __future__ import annotations

from pathlib import Path

from assess.integrity import problems
from assess.store import assessments, organisations, users
from assess.web import questionnaires
from tests.support import GOOD, PASSWORD, PNG, VISIT, api_token, bearer, post_with_files


def every_text(db) -> str:
    """Every value of every table, as one text."""
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return "\n".join(
        repr(row) for table in tables for row in db.execute(f"SELECT * FROM [{table}]")
    )


def on_site_with_evidence(accounts, on_site) -> None:
    """The consultant's on-site draft gets a note, a photo and a visit naming people."""
    client = accounts.client
    post_with_files(
        client,
        on_site["id"],
        [("张三的车间照片.png", PNG)],
        **{"org_strategy-1": "most", "org_strategy-1--note": "与张三厂长面谈"},
    )
    client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "一号车间", "participants": "李四"},
    )
    accounts.logout()


def dashboard(client) -> dict:
    return client.get("/authority/dashboard.json?region=320505").get_json()


def test_closing_deletes_the_enterprise_and_keeps_the_regional_figures_without_its_name(
    app, accounts, on_site, db
):
    on_site_with_evidence(accounts, on_site)
    token = api_token(db, on_site["email"])  # an API token of its owner goes with the account
    organisation = organisations.get(db, on_site["org"])
    owner = users.get_by_email(db, on_site["email"])
    personal = [
        organisation["name"],
        organisation["credit_code"],
        on_site["email"],
        owner["name"],
        "张三",
        "李四",
    ]
    assert all(text in every_text(db) for text in personal)
    authority = app.test_client()
    official = accounts.user("authority", name="江苏主管")
    authority.post("/login", data={"email": official, "password": PASSWORD})
    figures = dashboard(authority)
    kept = assessments.latest_submitted(db, on_site["org"])
    evidence = [p for p in Path(app.config["EVIDENCE_DIR"]).rglob("*") if p.is_file()]
    assert evidence

    accounts.login(on_site["email"])
    refused = accounts.client.post(
        "/organisation/close", data={"password": "wrong-password-9", "understood": "y"}
    )
    assert refused.status_code == 422 and "密码不正确" in refused.get_data(as_text=True)
    assert users.get_by_email(db, on_site["email"]) is not None
    response = accounts.client.post(
        "/organisation/close", data={"password": PASSWORD, "understood": "y"}
    )
    assert response.status_code == 302
    assert accounts.client.get("/assessments").status_code == 302  # logged out

    text = every_text(db)
    assert [t for t in personal if t in text] == []
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert db["api_tokens"].count == 0
    assert [p for p in Path(app.config["EVIDENCE_DIR"]).rglob("*") if p.is_file()] == []
    assert dashboard(authority) == figures  # the authority's figures keep their counts
    assert assessments.get(db, kept["id"])["gradient_rank"] == kept["gradient_rank"]
    with app.app_context():
        versions = questionnaires.versions()
    assert problems(db, versions, Path(app.config["EVIDENCE_DIR"])) == []
    admin = app.test_client()
    admin.post(
        "/login", data={"email": accounts.user("admin", name="管理员"), "password": PASSWORD}
    )
    assert admin.get(f"/assessments/{kept['id']}/results").status_code == 404
    closed = db.execute(
        "SELECT target_id, detail, ip FROM audit_log WHERE action = 'organisation_closed'"
    ).fetchall()
    assert closed == [(str(on_site["org"]), "{}", None)]

    again = app.test_client().post(
        "/register",
        data={**GOOD, "credit_code": organisation["credit_code"], "email": "back@example.com"},
    )
    assert again.headers["Location"] == "/assessments"  # the code is free to register again


def test_only_an_enterprise_may_close_and_only_its_own(app, accounts, client_org, db):
    consultant = accounts.user("consultant")
    accounts.login(consultant)
    refused = accounts.client.post(
        "/organisation/close", data={"password": PASSWORD, "understood": "y"}
    )
    assert refused.status_code == 403
    accounts.logout()
    accounts.login(client_org["email"])
    unticked = accounts.client.post("/organisation/close", data={"password": PASSWORD})
    assert unticked.status_code == 422 and "请勾选以确认" in unticked.get_data(as_text=True)
    assert organisations.get(db, client_org["id"])["closed_at"] is None
