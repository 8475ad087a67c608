"""An enterprise's data as one archive (assess/privacy/export.py)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from assess.store import roadmap_plans, users
from tests.support import PASSWORD, PNG, VISIT, post_with_files


def submitted_on_site(accounts, on_site) -> None:
    """The consultant's on-site assessment, with a photo and a visit, submitted."""
    client = accounts.client
    post_with_files(
        client, on_site["id"], [("车间照片.png", PNG)], **{"org_strategy-1--note": "现场查看"}
    )
    client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "一号车间", "participants": "李四"},
    )
    assert (
        client.post(
            f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"}
        ).status_code
        == 302
    )
    accounts.logout()


def test_the_archive_holds_all_of_the_enterprise_and_nothing_of_others(app, accounts, on_site, db):
    submitted_on_site(accounts, on_site)
    other = accounts.organisation(name="别家机械有限公司")
    accounts.user("enterprise", organisation_id=other, email="other@example.com")
    accounts.login(on_site["email"])
    response = accounts.client.get("/organisation/export.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "no-store" in response.headers["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    for expected in (
        "README.txt",
        "organisation.json",
        "assessments.json",
        "answers.csv",
        "access.json",
        "audit.json",
        "audit.csv",
    ):
        assert expected in names
    assert [n for n in names if n.startswith("evidence/")] == [
        n for n in names if n.endswith("车间照片.png")
    ]
    assert archive.read(next(n for n in names if n.startswith("evidence/"))) == PNG
    reports = sorted(n for n in names if n.startswith("reports/"))
    assert reports == [
        f"reports/report-{on_site['self']}-zh.html",
        f"reports/report-{on_site['id']}-zh.html",
    ]
    organisation = json.loads(archive.read("organisation.json"))
    assert organisation["organisation"]["name"] == "客户机械有限公司"
    assert [a["email"] for a in organisation["accounts"]] == [on_site["email"]]
    everything = b"".join(archive.read(n) for n in names).decode("utf-8", "ignore")
    assert "password_hash" not in everything and "totp_secret" not in everything
    assert "别家机械有限公司" not in everything and "other@example.com" not in everything
    assessments = json.loads(archive.read("assessments.json"))
    assert sorted(a["id"] for a in assessments) == sorted([on_site["self"], on_site["id"]])
    on_site_row = next(a for a in assessments if a["id"] == on_site["id"])
    assert on_site_row["site_visits"][0]["participants"] == "李四"
    answers = list(csv.DictReader(io.StringIO(archive.read("answers.csv").decode("utf-8-sig"))))
    assert {int(a["assessment_id"]) for a in answers} == {on_site["self"], on_site["id"]}
    entries = json.loads(archive.read("audit.json"))
    owner = users.get_by_email(db, on_site["email"])["id"]
    consultant = users.get_by_email(db, "c@example.com")["id"]
    assert {"login", "evidence_uploaded", "submit"} <= {e["action"] for e in entries}
    assert any(e["action"] == "login" and e["user_id"] == owner for e in entries)
    # the addresses of others (the consultant's) are theirs, not the enterprise's
    assert all(e["ip"] is None for e in entries if e["user_id"] == consultant)
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")]
    assert actions == ["organisation_exported"]


def test_only_an_enterprise_exports_and_only_its_own(accounts, client_org):
    accounts.login(accounts.user("consultant"))
    assert accounts.client.get("/organisation/export.zip").status_code == 403
    accounts.logout()
    accounts.login(client_org["email"], PASSWORD)
    page = accounts.client.get("/organisation/data").get_data(as_text=True)
    assert "客户机械有限公司" in page and "/organisation/export.zip" in page


def test_the_archive_holds_the_roadmap_plan_of_the_enterprise_only(accounts, on_site, db):
    """The target chosen and each action's owner and due date (assess/store/roadmap_plans.py)
    are the enterprise's data too; another enterprise's plan is not in its archive."""
    mine = users.get_by_email(db, on_site["email"])
    other = accounts.organisation(name="别家机械有限公司")
    with db.conn:
        roadmap_plans.set_target(db, mine["organisation_id"], "advanced", 2, mine["id"])
        roadmap_plans.set_entry(
            db,
            mine["organisation_id"],
            "s1.advanced",
            "生产部 王工",
            "2027-06-30",
            on_site["self"],
            mine["id"],
        )
        roadmap_plans.set_entry(db, other, "s1.advanced", "别家 张工", None, None, None)
    accounts.login(on_site["email"])
    archive = zipfile.ZipFile(io.BytesIO(accounts.client.get("/organisation/export.zip").data))
    roadmap = json.loads(archive.read("roadmap.json"))
    assert [
        {k: row[k] for k in ("organisation_id", "target_level", "target_cmmm")}
        for row in roadmap["roadmap_targets"]
    ] == [
        {"organisation_id": mine["organisation_id"], "target_level": "advanced", "target_cmmm": 2}
    ]
    assert [
        {k: row[k] for k in ("item_id", "owner", "due_date", "assessment_id")}
        for row in roadmap["roadmap_plans"]
    ] == [
        {
            "item_id": "s1.advanced",
            "owner": "生产部 王工",
            "due_date": "2027-06-30",
            "assessment_id": on_site["self"],
        }
    ]
    assert "roadmap.json" in archive.read("README.txt").decode()


def test_the_archive_lists_the_accounts_api_tokens_without_their_secret(accounts, on_site, db):
    """Each account's tokens: name, scope, prefix, made, expires, last used, revoked (revoked
    ones too); never the token or its hash."""
    from assess.store import api_tokens
    from assess.store.database import write_transaction
    from tests.support import api_token, bearer

    kept = api_token(db, on_site["email"], scope="read")
    gone = api_token(db, on_site["email"])
    owner = users.get_by_email(db, on_site["email"])["id"]
    with write_transaction(db):
        revoked = api_tokens.of_user(db, owner)[0]  # newest first: `gone`
        assert api_tokens.revoke(db, owner, revoked["id"], "2026-12-06T10:00:00Z")
    assert accounts.client.get("/api/v1/me", headers=bearer(kept)).status_code == 200
    accounts.login(on_site["email"])
    archive = zipfile.ZipFile(io.BytesIO(accounts.client.get("/organisation/export.zip").data))
    [account] = json.loads(archive.read("organisation.json"))["accounts"]
    listed = account["api_tokens"]
    assert [(t["name"], t["scopes"], t["prefix"]) for t in listed] == [
        ("tests", "read", kept.split("_")[1]),  # ast_<prefix>_<secret>
        ("tests", "read write", gone.split("_")[1]),
    ]
    assert listed[0]["last_used_at"] and listed[0]["revoked_at"] is None
    assert listed[1]["revoked_at"] == "2026-12-06T10:00:00Z" and listed[1]["last_used_at"] is None
    assert all(t["created_at"] and t["expires_at"] for t in listed)
    everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8", "ignore")
    assert kept not in everything and gone not in everything and "token_hash" not in everything
    for token in (kept, gone):
        assert api_tokens.token_hash(token) not in everything
