"""The report a consultant signed stays theirs, as signed (assess/report/signed.py): kept in
every language when the on-site assessment is submitted, downloadable as its PDF after the
client withdrew the consultant's access, exactly as it was (not the live report, which
follows later changes), audited; every other page of that client stays a dated 410."""

from __future__ import annotations

import html
import sqlite3
import subprocess

import pytest

from assess.store import grants, users
from tests.support import PASSWORD, verify_on_site

NEW_NAME = "改名后机械有限公司"


def pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def signed_then_withdrawn(app, accounts, on_site, db) -> int:
    """The consultant verifies, visits and submits (signs); the enterprise then renames itself
    and withdraws the consultant's access. The assessment's id."""
    verify_on_site(app, db, accounts.client, on_site["id"])
    accounts.client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    kept = db.execute(
        "SELECT language FROM signed_copies WHERE assessment_id = ? ORDER BY language",
        [on_site["id"]],
    ).fetchall()
    assert [r[0] for r in kept] == ["en", "zh"]
    with db.conn:
        db.execute("UPDATE organisations SET name = ? WHERE id = ?", [NEW_NAME, on_site["org"]])
    grant = grants.active(db, users.get_by_email(db, "c@example.com")["id"], on_site["org"])
    owner = app.test_client()
    owner.post("/login", data={"email": on_site["email"], "password": PASSWORD})
    assert owner.post(f"/consultants/{grant['id']}/revoke").status_code == 302
    return on_site["id"]


def test_after_a_withdrawal_the_consultant_downloads_the_report_as_signed_and_nothing_else(
    app, accounts, on_site, db, tmp_path
):
    assessment_id = signed_then_withdrawn(app, accounts, on_site, db)
    consultant = accounts.client
    # the live report, its annex, its evidence and results: a dated 410
    for path in ("report", "report.pdf", "annex.pdf", "results", "comparison"):
        response = consultant.get(f"/assessments/{assessment_id}/{path}")
        assert response.status_code == 410, path
    text = html.unescape(consultant.get(f"/assessments/{assessment_id}/report").get_data(True))
    assert "撤销了您的访问权限：您不能再查看其评估。您为其签署的报告仍归您保存" in text
    # the clients page offers the signed copies
    page = html.unescape(consultant.get("/consultant").get_data(as_text=True))
    zh = page.index(f"/assessments/{assessment_id}/signed.pdf?lang=zh")
    assert zh < page.index(f"/assessments/{assessment_id}/signed.pdf?lang=en")
    # the copy is the report as signed: the name it had then, not the one it has now
    response = consultant.get(f"/assessments/{assessment_id}/signed.pdf?lang=zh")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdftotext(response.data, tmp_path)
    assert "客户机械有限公司" in text and NEW_NAME not in text
    assert "现场评估报告" in text
    (entry,) = db.query("SELECT * FROM audit_log WHERE action = 'signed_report_download'")
    assert entry["target_id"] == str(assessment_id) or entry["target_id"] == assessment_id
    assert '"lang": "zh"' in entry["detail"] and "kept_at" in entry["detail"]


def test_only_the_consultant_who_signed_gets_the_copy(app, accounts, on_site, db):
    assessment_id = signed_then_withdrawn(app, accounts, on_site, db)
    accounts.user("consultant", email="other@example.com")
    accounts.login("other@example.com")
    assert accounts.client.get(f"/assessments/{assessment_id}/signed.pdf").status_code == 404
    accounts.login(on_site["email"])
    assert accounts.client.get(f"/assessments/{assessment_id}/signed.pdf").status_code == 403
    assert not list(db.query("SELECT * FROM audit_log WHERE action = 'signed_report_download'"))


def test_a_signed_copy_is_never_changed(app, accounts, on_site, db):
    assessment_id = signed_then_withdrawn(app, accounts, on_site, db)
    with pytest.raises(sqlite3.IntegrityError, match="never changed"), db.conn:
        db.execute("UPDATE signed_copies SET html = '' WHERE assessment_id = ?", [assessment_id])


def test_a_self_assessment_keeps_no_copy(app, accounts, client_org, db):
    assert db.execute("SELECT count(*) FROM signed_copies").fetchone()[0] == 0
    accounts.login(client_org["email"])
    # the client's own self-assessment is submitted: nobody signed it, no copy, 403 to it
    assert accounts.client.get(f"/assessments/{client_org['self']}/signed.pdf").status_code == 403


def test_a_copy_that_cannot_be_made_never_undoes_or_fails_the_submission(
    app, accounts, on_site, db, monkeypatch, caplog
):
    def broken(row, language, part="report"):
        raise RuntimeError("template broken")

    monkeypatch.setattr("assess.web.reports.render_report_html", broken)
    verify_on_site(app, db, accounts.client, on_site["id"])
    response = accounts.client.post(
        f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/results")
    assert db.execute("SELECT count(*) FROM signed_copies").fetchone()[0] == 0
    assert "signed copy of assessment" in caplog.text
