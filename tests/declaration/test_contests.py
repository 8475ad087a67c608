"""Contesting a taken credit code, through the pages and with a real SMTP server: an impostor
registers a real company's code and submits; the company registers under a stand-in code,
sends its business licence (checked like evidence), and an administrator, seeing both sides,
hands the code over: the impostor is logged out everywhere, its results count nowhere official
and are kept in the audit entry, the company becomes the owner, and both are told by mail."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

from assess.declaration import contests as contests_module
from assess.integrity import problems
from assess.organisation import credit_code as cc
from assess.store import contests, organisations, users
from assess.web import questionnaires
from tests.support import PASSWORD, fill_completely, png, start_assessment

CODE_BODY = "91320505MA1QA7K3X"
CODE = CODE_BODY + cc.check_character(CODE_BODY)


def _form(name: str, email: str, **extra) -> dict:
    return {
        "name": name,
        "credit_code": CODE,
        "province": "320000",
        "city": "320500",
        "county": "320505",
        "sector": "machine_tools",
        "size": "medium",
        "contact_name": "联系人",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "consent": "y",
        **extra,
    }


def _impostor_with_a_submitted_result(app, accounts, db):
    """Someone registers the code, confirms its address and submits an assessment."""
    impostor = app.test_client()
    assert (
        impostor.post("/register", data=_form("冒名机械有限公司", "fake@example.com")).status_code
        == 302
    )
    accounts.confirm("fake@example.com")
    assessment_id = start_assessment(impostor)
    fill_completely(app, impostor, assessment_id, "advanced")
    impostor.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    assert db.execute(
        "SELECT count(*) FROM result_facts WHERE assessment_id = ?", [assessment_id]
    ).fetchone() == (1,)
    return impostor, assessment_id


def _claimant_sends_its_licence(app, accounts, db):
    """The real company is refused the code, is offered the contest, registers under a stand-in
    code, confirms its address and sends its licence."""
    real = app.test_client()
    refused = real.post("/register", data=_form("真实机床股份有限公司", "boss@real.example"))
    page = html.unescape(refused.get_data(as_text=True))
    assert "该信用代码已被注册" in page
    assert 'name="contest"' in page  # the contest is offered only now
    done = real.post(
        "/register", data=_form("真实机床股份有限公司", "boss@real.example", contest="y")
    )
    assert done.headers["Location"].endswith("/contest")
    claimant = users.get_by_email(db, "boss@real.example")
    stand_in = organisations.get(db, claimant["organisation_id"])
    assert stand_in["credit_code"] == f"pending:{stand_in['id']}"
    assert stand_in["identity"] == "unverified"
    licence = {"licence": (png(), "营业执照.png"), "statement": "我司于2026年发现代码被他人注册。"}
    assert (
        real.post("/contest", data=licence, content_type="multipart/form-data").status_code == 403
    )
    # who holds the code is shown only to a proven address (anyone may register a public code)
    assert "冒名机械有限公司" not in real.get("/contest").get_data(as_text=True)
    accounts.confirm("boss@real.example")
    assert "冒名机械有限公司" in real.get("/contest").get_data(as_text=True)
    bad = real.post(
        "/contest",
        data={"licence": (io.BytesIO(b"just text"), "licence.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "营业执照须为 PDF、JPEG 或 PNG 文件" in bad.get_data(as_text=True)
    assert contests.of_claimant_organisation(db, stand_in["id"])["status"] == "draft"
    sent = real.post(
        "/contest",
        data={
            "licence": (io.BytesIO(png()), "营业执照.png"),
            "statement": "我司于2026年发现代码被他人注册。",
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    row = contests.of_claimant_organisation(db, stand_in["id"])
    assert (row["status"], row["licence_type"], row["licence_name"]) == (
        "open",
        "image/png",
        "营业执照.png",
    )
    return real, row


def test_an_administrator_hands_a_contested_code_to_the_real_company(app, accounts, db, smtp):
    impostor, assessment_id = _impostor_with_a_submitted_result(app, accounts, db)
    real, contest = _claimant_sends_its_licence(app, accounts, db)
    holder_id = contest["organisation_id"]
    smtp.deliver(app)  # confirmation mails out of the way

    accounts.login(accounts.user("admin", email="admin@example.com"))
    listing = html.unescape(accounts.client.get("/admin/contests").get_data(as_text=True))
    assert CODE in listing and "冒名机械有限公司" in listing and "boss@real.example" in listing
    sides = html.unescape(
        accounts.client.get(f"/admin/contests/{contest['id']}").get_data(as_text=True)
    )
    assert (
        "fake@example.com" in sides
        and "真实机床股份有限公司" in sides
        and "已提交的评估</dt><dd>1</dd>" in sides
    )
    licence = accounts.client.get(f"/admin/contests/{contest['id']}/licence")
    assert licence.headers["Content-Type"] == "image/png"
    assert "attachment" in licence.headers["Content-Disposition"]
    assert licence.get_data()[:8] == b"\x89PNG\r\n\x1a\n"
    licence.close()
    decided = accounts.client.post(
        f"/admin/contests/{contest['id']}/decide",
        data={"decision": "hand_over", "note": "营业执照核对无误"},
        follow_redirects=True,
    )
    assert "信用代码已移交" in decided.get_data(as_text=True)

    # the impostor is logged out everywhere, and cannot log in again
    assert impostor.get("/assessments").status_code == 302
    fake = users.get_by_email(db, "fake@example.com")
    assert fake["active"] == 0 and fake["organisation_id"] != holder_id
    # its result counts nowhere official, and is kept in the audit entry
    assert db.execute("SELECT count(*) FROM result_facts").fetchone() == (0,)
    (entry,) = db.query("SELECT * FROM audit_log WHERE action = 'organisation_handed_over'")
    detail = json.loads(entry["detail"])
    assert [r["assessment_id"] for r in detail["results_set_aside"]] == [assessment_id]
    assert detail["impostor"] is True and detail["contest"] == contest["id"]
    assert detail["ended"] == [fake["id"]]
    # the real company owns the code, with its own profile, verified by the administrator
    holder = organisations.get(db, holder_id)
    boss = users.get_by_email(db, "boss@real.example")
    assert (holder["name"], holder["credit_code"], holder["identity_verified_how"]) == (
        "真实机床股份有限公司",
        CODE,
        "admin",
    )
    assert (boss["organisation_id"], boss["member_role"]) == (holder_id, "owner")
    assert f"/assessments/{assessment_id}" not in real.get("/assessments").get_data(as_text=True)
    assert real.get(f"/assessments/{assessment_id}").status_code == 404
    assert contests.get(db, contest["id"])["status"] == "handed_over"
    # both are told
    arrived = {rcpt[0]: m for rcpt, m in smtp.deliver(app) if m["X-Assess-Kind"] == "handed_over"}
    assert set(arrived) == {"fake@example.com", "boss@real.example"}
    assert "已终止" in arrived["fake@example.com"]["Subject"]
    assert "所有者" in arrived["boss@real.example"]["Subject"]
    # the database holds nothing the check refuses
    with app.app_context():
        versions = questionnaires.versions()
    assert problems(db, versions, Path(app.config["EVIDENCE_DIR"])) == []


def test_a_refused_contest_changes_nothing_but_tells_the_claimant(app, accounts, db, smtp):
    impostor, _assessment = _impostor_with_a_submitted_result(app, accounts, db)
    _real, contest = _claimant_sends_its_licence(app, accounts, db)
    smtp.deliver(app)
    accounts.login(accounts.user("admin"))
    accounts.client.post(
        f"/admin/contests/{contest['id']}/decide", data={"decision": "refuse", "note": "执照模糊"}
    )
    again = accounts.client.post(
        f"/admin/contests/{contest['id']}/decide",
        data={"decision": "hand_over"},
        follow_redirects=True,
    )
    assert "已作出决定" in again.get_data(as_text=True)
    assert users.get_by_email(db, "fake@example.com")["active"] == 1
    assert impostor.get("/assessments").status_code == 200
    assert organisations.get_by_credit_code(db, CODE)["name"] == "冒名机械有限公司"
    assert db.execute("SELECT count(*) FROM result_facts").fetchone() == (1,)
    (message,) = [m for _rcpt, m in smtp.deliver(app) if m["X-Assess-Kind"] == "contest_decided"]
    assert "执照模糊" in message.get_body(("plain",)).get_content()
    # a refused claimant is no candidate for the administrator's hand-over either
    from assess.organisation import handover

    claimant = users.get_by_email(db, "boss@real.example")
    holder = organisations.get_by_credit_code(db, CODE)["id"]
    assert handover.candidate(db, holder, claimant) == "new_owner"


def test_only_its_claimant_sees_a_contest_and_only_administrators_decide(app, accounts, db):
    _impostor_with_a_submitted_result(app, accounts, db)
    _real, contest = _claimant_sends_its_licence(app, accounts, db)
    accounts.login("fake@example.com")
    assert accounts.client.get("/contest").status_code == 404
    assert accounts.client.get(f"/admin/contests/{contest['id']}").status_code == 403
    assert (
        accounts.client.post(
            f"/admin/contests/{contest['id']}/decide", data={"decision": "hand_over"}
        ).status_code
        == 403
    )
    assert contests.get(db, contest["id"])["status"] == "open"


def test_a_claimant_that_closes_its_account_takes_its_contest_and_licence_with_it(
    app, accounts, db
):
    _impostor_with_a_submitted_result(app, accounts, db)
    real, contest = _claimant_sends_its_licence(app, accounts, db)
    licence = contests_module.licence_path(Path(app.config["EVIDENCE_DIR"]), contest)
    assert licence.is_file()
    closed = real.post("/organisation/close", data={"password": PASSWORD, "understood": "y"})
    assert closed.status_code == 302
    assert contests.get(db, contest["id"]) is None and not licence.exists()
    assert organisations.get_by_credit_code(db, CODE)["name"] == "冒名机械有限公司"
    with app.app_context():
        versions = questionnaires.versions()
    assert problems(db, versions, Path(app.config["EVIDENCE_DIR"])) == []


def test_handing_the_enterprise_to_its_claimant_from_the_hand_over_page_decides_the_contest(
    app, accounts, db, smtp
):
    """The administrator may hand over from /admin/hand-over instead of the contest's page: the
    open contest is then decided with it, not left open for a decision that cannot be made."""
    from assess.organisation import handover
    from assess.store.audit import Actor
    from assess.web import questionnaires

    _impostor_with_a_submitted_result(app, accounts, db)
    _real, contest = _claimant_sends_its_licence(app, accounts, db)
    admin = users.get_by_email(db, accounts.user("admin"))["id"]
    with app.app_context():
        q = questionnaires.latest()
    done = handover.hand_over(
        db, q, contest["organisation_id"], contest["claimant_id"], Actor(admin), impostor=True
    )
    assert isinstance(done, handover.HandedOver)
    assert contests.get(db, contest["id"])["status"] == "handed_over"
    assert organisations.get_by_credit_code(db, CODE)["name"] == "真实机床股份有限公司"
