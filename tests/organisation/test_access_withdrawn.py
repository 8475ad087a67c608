"""An enterprise withdraws its consultant's access mid-assessment: the consultant is told by
e-mail, and their pages for that client say the access was withdrawn and when (a save says
what it sent was not kept), not a bare 404. A hand-over to a colleague is not a withdrawal."""

from __future__ import annotations

import html

from assess.store import grants, users
from tests.support import PASSWORD, firm_of


def test_the_consultant_is_told_and_their_pages_say_access_was_withdrawn(
    app, accounts, on_site, db
):
    consultant = accounts.client
    draft = on_site["id"]
    grant = grants.active(db, users.get_by_email(db, "c@example.com")["id"], on_site["org"])
    owner = app.test_client()
    owner.post("/login", data={"email": on_site["email"], "password": PASSWORD})
    assert owner.post(f"/consultants/{grant['id']}/revoke").status_code == 302
    (mail,) = db.query("SELECT * FROM outbox WHERE kind = 'access_revoked'")
    assert mail["to_address"] == "c@example.com"
    assert "客户机械有限公司" in mail["subject"] and "无法保留" in mail["text"]
    clients = html.unescape(consultant.get("/consultant").get_data(as_text=True))
    assert "客户机械有限公司已于" in clients and "撤销了您的访问权限" in clients
    page = consultant.get(f"/assessments/{draft}/pages/profile")
    text = html.unescape(page.get_data(as_text=True))
    assert (
        page.status_code == 410 and "客户机械有限公司已于" in text and "撤销了您的访问权限" in text
    )
    assert "页面不存在" not in text
    client_page = consultant.get(f"/consultant/clients/{on_site['org']}")
    assert client_page.status_code == 410
    saved = consultant.post(
        f"/assessments/{draft}/answers",
        json={"answers": [{"item": "org_strategy.1", "value": "full", "revision": 1}]},
        headers={"Accept": "application/json"},
    )
    body = saved.get_json()
    assert saved.status_code == 410 and "未保存" in body["message"] and "已于" in body["message"]


def test_a_hand_over_to_a_colleague_is_not_a_withdrawal(app, accounts, on_site, db):
    accounts.user("consultant", email="c2@example.com", name="李顾问")
    firm_of(db, "c@example.com", "c2@example.com")
    to = users.get_by_email(db, "c2@example.com")["id"]
    accounts.client.post(f"/consultant/clients/{on_site['org']}/hand-over", data={"to": to})
    assert accounts.client.get(f"/consultant/clients/{on_site['org']}").status_code == 404
    assert not list(db.query("SELECT * FROM outbox WHERE kind = 'access_revoked'"))
