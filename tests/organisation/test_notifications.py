"""Consultants' proven addresses and notifications by e-mail, with a real SMTP server on
loopback (the `smtp` fixture): what arrives, to whom, in which language."""

from __future__ import annotations

import re

from assess.store import grants, organisations, users
from tests.support import PASSWORD, MailServer, fill_completely, start_assessment


def _arrived(smtp, app, kind: str) -> dict[str, object]:
    """The messages of a kind that arrived when the sender ran, by recipient."""
    return {rcpt[0]: m for rcpt, m in smtp.deliver(app) if m["X-Assess-Kind"] == kind}


def test_an_enterprise_can_no_longer_make_a_consultant_account_of_an_address_it_invites(
    app, accounts, client_org, db, smtp
):
    """The impersonation route of issue 15: an enterprise invited an address of a real firm's
    name and opened the link itself. The link now goes to that mailbox only: nothing the
    enterprise sees holds it, and a guessed one opens nothing."""
    accounts.login(client_org["email"])
    sent = accounts.client.post(
        "/consultants", data={"email": "zhang@real-firm.example"}, follow_redirects=True
    )
    page = sent.get_data(as_text=True)
    assert "邀请已通过电子邮件发送至 zhang@real-firm.example" in page
    listing = accounts.client.get("/consultants").get_data(as_text=True)
    invitation = grants.for_organisation(db, client_org["id"])[0]
    renewed = accounts.client.post(
        f"/consultants/{invitation['id']}/link", follow_redirects=True
    ).get_data(as_text=True)
    for shown in (page, listing, renewed):
        assert "/invitations/" not in shown
    mails = [(r, m) for r, m in smtp.deliver(app) if m["X-Assess-Kind"] == "consultant_invitation"]
    assert [r for r, _ in mails] == [["zhang@real-firm.example"]] * 2  # the first, and the new
    first, link = (MailServer.link(m, "/invitations/") for _, m in mails)
    assert app.test_client().get(first).status_code == 404  # a new link ends the first
    token = link.rsplit("/", 1)[1]
    for shown in (page, listing, renewed):
        assert token not in shown and first.rsplit("/", 1)[1] not in shown
    assert token not in repr(list(db.query("SELECT * FROM audit_log")))
    # a guessed link opens nothing, anonymous or as the enterprise
    assert accounts.client.get("/invitations/" + "A" * len(token)).status_code == 404
    accounts.logout()
    anonymous = app.test_client()
    assert anonymous.get("/invitations/" + "A" * len(token)).status_code == 404
    assert db.execute("SELECT count(*) FROM users WHERE role = 'consultant'").fetchone()[0] == 0
    # whoever holds the mailbox makes the account, and its address is proven by it
    anonymous.post(
        link,
        data={
            "name": "张顾问",
            "email": "zhang@real-firm.example",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "consent": "y",
        },
    )
    consultant = users.get_by_email(db, "zhang@real-firm.example")
    assert consultant["role"] == "consultant" and consultant["email_confirmed_at"]
    # the enterprise is told, and sees the confirmed address
    told = _arrived(smtp, app, "access_granted")
    assert told[client_org["email"]]["Subject"] == "张顾问已接受您的邀请"
    accounts.login(client_org["email"])
    listing = accounts.client.get("/consultants").get_data(as_text=True)
    assert "zhang@real-firm.example" in listing and "邮箱已验证" in listing


def test_an_invitation_link_expires(app, accounts, client_org, db, smtp):
    accounts.login(client_org["email"])
    accounts.client.post("/consultants", data={"email": "c@example.com"})
    link = MailServer.link(
        _arrived(smtp, app, "consultant_invitation")["c@example.com"], "/invitations/"
    )
    assert app.test_client().get(link).status_code == 200
    db.execute("UPDATE access_grants SET created_at = '2000-01-01T00:00:00Z'")
    page = app.test_client().get(link)
    assert page.status_code == 404 and "已过期" in page.get_data(as_text=True)


def test_an_access_request_and_its_grant_are_mailed_with_the_confirmed_address(
    app, accounts, client_org, db, smtp
):
    colleague = accounts.user("enterprise", organisation_id=client_org["id"], email="b@example.com")
    users.set_locale(db, users.get_by_email(db, colleague)["id"], "en")
    consultant = accounts.user("consultant", email="c@example.com", name="钱顾问")
    accounts.login(consultant)
    code = organisations.get(db, client_org["id"])["credit_code"]
    accounts.client.post("/consultant/requests", data={"credit_code": code})
    accounts.logout()
    arrived = _arrived(smtp, app, "access_request")
    assert set(arrived) == {client_org["email"], colleague}
    zh, en = MailServer.text(arrived[client_org["email"]]), MailServer.text(arrived[colleague])
    assert "钱顾问（c@example.com，邮箱已验证）申请访问客户机械有限公司" in zh
    assert "钱顾问 (c@example.com, a confirmed address) asks for access" in en
    assert arrived[colleague]["Subject"] == "A consultant asks for access to 客户机械有限公司"
    assert re.search(r"http://127\.0\.0\.1:5000/consultants\b", zh)

    accounts.login(client_org["email"])
    page = accounts.client.get("/consultants").get_data(as_text=True)
    assert "c@example.com" in page and "邮箱已验证" in page
    grant = grants.for_organisation(db, client_org["id"])[0]
    accounts.client.post(f"/consultants/{grant['id']}/accept")
    granted = _arrived(smtp, app, "access_granted")
    assert list(granted) == ["c@example.com"]
    assert granted["c@example.com"]["Subject"] == "客户机械有限公司已向您授权访问"


def test_a_submission_is_mailed_to_the_enterprise_and_its_consultants_but_who_submitted(
    app, accounts, db, smtp
):
    org_id = accounts.organisation(name="提交机械有限公司")
    owner = accounts.user("enterprise", organisation_id=org_id, email="owner@example.com")
    colleague = accounts.user("enterprise", organisation_id=org_id, email="b@example.com")
    quiet = accounts.user("enterprise", organisation_id=org_id, email="quiet@example.com")
    consultant = accounts.user("consultant", email="c@example.com")
    with db.conn:
        grants.grant_registered(db, org_id, users.get_by_email(db, consultant)["id"])
        users.set_mail_opt_out(db, users.get_by_email(db, quiet)["id"], True)
    accounts.login(owner)
    assessment_id = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment_id, "basic")
    accounts.client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    arrived = _arrived(smtp, app, "submission")
    assert set(arrived) == {colleague, consultant}  # not who submitted, not who turned it off
    assert arrived[colleague]["Subject"] == "提交机械有限公司的一份评估已提交"
    assert f"/assessments/{assessment_id}/results" in MailServer.text(arrived[colleague])
    assert "关闭邮件通知" in MailServer.text(arrived[colleague])
    assert db.execute(
        "SELECT status FROM outbox WHERE to_address = ? AND kind = 'submission'", [quiet]
    ).fetchone() == ("suppressed",)
