"""Consultants' access: invitations, requests, revocation, claim codes, portfolio exports, and
who opened an enterprise's results (the fixtures client_org and on_site: tests/conftest.py)."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

from assess.organisation import credit_code as cc
from assess.store import assessments, grants, organisations, users
from tests.support import GOOD, PASSWORD, VISIT, autosave, invite_link, outbox_link


def test_a_new_consultant_accepts_an_invitation_by_creating_an_account(
    app, accounts, client_org, db
):
    link = invite_link(accounts, client_org["email"], "new.consultant@example.com")
    fresh = app.test_client()
    page = fresh.get(link).get_data(as_text=True)
    assert "客户机械有限公司" in page and 'value="new.consultant@example.com"' in page
    response = fresh.post(
        link,
        data={
            "name": "赵顾问",
            "email": "new.consultant@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "consent": "y",
        },
    )
    assert response.headers["Location"] == f"/consultant/clients/{client_org['id']}"
    consultant = users.get_by_email(db, "new.consultant@example.com")
    assert consultant["role"] == "consultant"
    assert grants.active(db, consultant["id"], client_org["id"]) is not None
    assert "客户机械有限公司" in fresh.get("/consultant").get_data(as_text=True)
    assert fresh.get(link).status_code == 404  # used once
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert "grant_invited" in actions and "grant_accepted" in actions


def test_a_request_is_accepted_then_revoked_and_every_route_closes(app, accounts, client_org, db):
    consultant = accounts.user("consultant", email="c@example.com")
    accounts.login(consultant)
    code = organisations.get(db, client_org["id"])["credit_code"]
    accounts.client.post("/consultant/requests", data={"credit_code": code})
    assert accounts.client.get(f"/consultant/clients/{client_org['id']}").status_code == 404
    accounts.logout()
    accounts.login(client_org["email"])
    grant = grants.for_organisation(db, client_org["id"])[0]
    accounts.client.post(f"/consultants/{grant['id']}/accept")
    accounts.logout()
    accounts.login(consultant)
    client = accounts.client
    assert client.get(f"/consultant/clients/{client_org['id']}").status_code == 200
    response = client.post(
        f"/consultant/clients/{client_org['id']}/assessments", data={"prefill": "self"}
    )
    on_site = int(response.headers["Location"].split("/")[2])
    routes = [
        f"/consultant/clients/{client_org['id']}",
        f"/assessments/{client_org['self']}/results",
        f"/assessments/{client_org['self']}/report",
        f"/assessments/{on_site}/pages/profile",
        f"/assessments/{client_org['self']}/results.json",
    ]
    assert all(client.get(r).status_code == 200 for r in routes)
    accounts.logout()
    accounts.login(client_org["email"])
    accounts.client.post(f"/consultants/{grant['id']}/revoke")
    accounts.logout()
    accounts.login(consultant)
    for route in routes:
        assert client.get(route).status_code == 410, route  # closed, and said so (withdrawn on …)
    assert client.post(f"/consultant/clients/{client_org['id']}/assessments").status_code == 410
    assert autosave(client, on_site, ("data.1", "full", 9))["status"] == 410
    assert "客户机械有限公司" not in client.get("/consultant/portfolio.csv").get_data(as_text=True)


def test_a_request_is_sent_once_and_can_be_withdrawn_until_it_is_answered(
    app, accounts, client_org, db
):
    consultant = accounts.user("consultant", email="c@example.com", name="王咨询")
    other = accounts.user("consultant", email="other@example.com")
    consultant_id = users.get_by_email(db, consultant)["id"]
    code = organisations.get(db, client_org["id"])["credit_code"]
    accounts.login(consultant)
    client = accounts.client
    for _ in range(2):  # a double click, or asking again a week later
        response = client.post("/consultant/requests", data={"credit_code": code})
    assert len(grants.for_organisation(db, client_org["id"])) == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "您已用该信用代码申请过访问权限，尚未得到答复。" in page
    request_id = grants.for_organisation(db, client_org["id"])[0]["id"]
    accounts.logout()

    accounts.login(other)  # not its request: as if it did not exist, and nothing changes
    assert client.post(f"/consultant/requests/{request_id}/withdraw").status_code == 404
    assert grants.get(db, request_id)["revoked_at"] is None
    accounts.logout()

    accounts.login(consultant)
    response = client.post(f"/consultant/requests/{request_id}/withdraw", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "申请已撤回。" in page and "等待企业答复" not in page
    assert client.post(f"/consultant/requests/{request_id}/withdraw").status_code == 404
    accounts.logout()

    accounts.login(client_org["email"])  # the enterprise sees it withdrawn, with nothing to accept
    page = client.get("/consultants").get_data(as_text=True)
    assert "顾问已于" in page and "撤回" in page
    assert f"/consultants/{request_id}/accept" not in page
    assert client.post(f"/consultants/{request_id}/accept").status_code == 404
    assert grants.active(db, consultant_id, client_org["id"]) is None
    accounts.logout()

    accounts.login(consultant)  # and it may ask again
    client.post("/consultant/requests", data={"credit_code": code})
    assert grants.open_request(db, consultant_id, code)["id"] != request_id
    actions = [row["action"] for row in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert actions.count("grant_requested") == 2 and actions.count("grant_withdrawn") == 1


def test_a_consultant_without_access_sees_nothing(app, accounts, client_org):
    accounts.login(accounts.user("consultant"))
    client = accounts.client
    for route in [
        f"/consultant/clients/{client_org['id']}",
        f"/assessments/{client_org['self']}/results",
        f"/assessments/{client_org['self']}/report.pdf",
        f"/assessments/{client_org['self']}/comparison",
        f"/assessments/{client_org['self']}/results.json",
    ]:
        assert client.get(route).status_code == 404, route
    assert client.post(f"/consultant/clients/{client_org['id']}/assessments").status_code == 404


def test_a_registered_client_claims_its_account_with_the_code(app, accounts, db):
    accounts.login(accounts.user("consultant"))
    page = accounts.client.post(
        "/consultant/clients/new",
        data={
            "name": "代注册机械有限公司",
            "credit_code": "913205050000000015",
            "province": "320000",
            "city": "320500",
            "county": "320505",
            "sector": "rail",
            "size": "small",
            "contact_name": "钱工",
        },
    ).get_data(as_text=True)
    code = re.search(r'<p class="claim-code">([^<]+)</p>', page).group(1)
    org = organisations.get_by_credit_code(db, "913205050000000015")
    accounts.logout()
    form = {
        "name": "代注册机械有限公司",
        "credit_code": "913205050000000015",
        "province": "320000",
        "city": "320500",
        "county": "320505",
        "sector": "rail",
        "size": "small",
        "contact_name": "钱工",
        "email": "qian@example.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "consent": "y",
    }
    wrong = app.test_client().post("/register", data={**form, "claim_code": "0000-0000-0000"})
    assert "由评估顾问代为注册" in wrong.get_data(as_text=True)  # says what to do
    # typed in lower case, without the dashes, with a space: the same code
    typed = f"{code[:3]} {code[3:]}".replace("-", "").lower()
    response = app.test_client().post("/register", data={**form, "claim_code": typed})
    assert response.headers["Location"] == "/assessments"
    assert users.get_by_email(db, "qian@example.com")["organisation_id"] == org["id"]
    again = app.test_client().post(
        "/register", data={**form, "email": "other@example.com", "claim_code": code}
    )
    assert "已经注册" in again.get_data(as_text=True)  # a claim code works once


CLIENT = {
    "name": "苏州吴中机器人科技有限公司",
    "credit_code": "913205050000000015",
    "province": "320000",
    "city": "320500",
    "county": "320505",
    "sector": "industrial_robots",
    "size": "small",
    "contact_name": "钱工",
}


def test_a_lost_claim_code_is_made_anew_and_a_reload_does_not_register_twice(app, accounts, db):
    """The confirmation page reloaded sends the form again: the consultant lands on its client,
    told it is there already, and can make a new claim code; the old one stops working, the new
    one works. Another consultant with access, and a client that claimed its account, get none."""
    consultant = accounts.user("consultant", email="reg@example.com")
    accounts.login(consultant)
    client = accounts.client
    first = re.search(
        r'claim-code">([^<]+)<',
        client.post("/consultant/clients/new", data=CLIENT).get_data(as_text=True),
    ).group(1)
    org = organisations.get_by_credit_code(db, CLIENT["credit_code"])
    reload = client.post("/consultant/clients/new", data=CLIENT)  # F5 on the confirmation page
    assert reload.headers["Location"] == f"/consultant/clients/{org['id']}"
    page = client.get(reload.headers["Location"]).get_data(as_text=True)
    assert "您已注册过该企业" in page and "生成新的认领码" in page
    assert "尚未提交自评估" in page and 'value="self"' not in page  # nothing to start from
    renewed = client.post(f"/consultant/clients/{org['id']}/claim-code").get_data(as_text=True)
    second = re.search(r'claim-code">([^<]+)<', renewed).group(1)
    assert second != first and "原认领码已失效" in renewed
    accounts.logout()
    other = accounts.user("consultant", email="other@example.com")
    with db.conn:
        grants.grant_registered(db, org["id"], users.get_by_email(db, other)["id"])
    accounts.login(other)
    assert client.post(f"/consultant/clients/{org['id']}/claim-code").status_code == 404
    accounts.logout()
    assert not organisations.claim(db, org["id"], first)
    assert organisations.claim(db, org["id"], second)
    accounts.login(consultant)  # claimed: no code to renew any more
    assert client.post(f"/consultant/clients/{org['id']}/claim-code").status_code == 404
    assert "生成新的认领码" not in client.get(f"/consultant/clients/{org['id']}").get_data(
        as_text=True
    )


def test_guessing_a_claim_code_is_throttled(app, accounts, db):
    """Five wrong codes from one address: the right one is refused too, for a while."""
    from assess.store import throttle

    accounts.login(accounts.user("consultant"))
    page = accounts.client.post(
        "/consultant/clients/new",
        data={
            "name": "代注册二号机械有限公司",
            "credit_code": "913205050000000015",
            "province": "320000",
            "city": "320500",
            "county": "320505",
            "sector": "rail",
            "size": "small",
            "contact_name": "钱工",
        },
    ).get_data(as_text=True)
    code = re.search(r'<p class="claim-code">([^<]+)</p>', page).group(1)
    form = {
        "name": "代注册二号机械有限公司",
        "credit_code": "913205050000000015",
        "province": "320000",
        "city": "320500",
        "county": "320505",
        "sector": "rail",
        "size": "small",
        "contact_name": "钱工",
        "email": "guess@example.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "consent": "y",
    }
    guesser = app.test_client()
    for guess in range(throttle.PER_ACCOUNT_AND_ADDRESS):
        guesser.post("/register", data={**form, "claim_code": f"{guess:06d}"})
    refused = guesser.post("/register", data={**form, "claim_code": code})
    assert "尝试次数过多" in refused.get_data(as_text=True)
    assert users.get_by_email(db, "guess@example.com") is None


def test_portfolio_exports_are_safe_spreadsheets(app, accounts, db):
    org = accounts.organisation(name='=HYPERLINK("http://evil.example","点我")')
    consultant = accounts.user("consultant")
    with db.conn:
        grants.grant_registered(db, org, users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    csv = accounts.client.get("/consultant/portfolio.csv")
    assert csv.headers["Content-Disposition"] == 'attachment; filename="portfolio.csv"'
    assert "'=HYPERLINK" in csv.get_data(as_text=True)
    xlsx = accounts.client.get("/consultant/portfolio.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    # in Excel it stays the text it is: a string cell shown as typed, no formula, no apostrophe
    cell = sheet["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (
        '=HYPERLINK("http://evil.example","点我")',
        "s",
        True,
    )
    sheet_xml = zipfile.ZipFile(io.BytesIO(xlsx.data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no formula anywhere in the sheet
    assert accounts.client.get("/consultant/portfolio.pdf").status_code == 404
    headers = [c.value for c in sheet[1]]
    assert len(set(headers)) == len(headers)  # each column says which assessment it is of
    assert "自评估：智能工厂梯度等级" in headers and "现场核实：智能工厂梯度等级" in headers


def test_an_enterprise_invites_a_consultant_once_and_sees_it_accepted_in_words(
    app, accounts, client_org, db
):
    consultant = accounts.user("consultant", email="c@example.com", name="钱顾问")
    link = invite_link(accounts, client_org["email"], "c@example.com")
    accounts.login(client_org["email"])
    for email in ("c@example.com", " C@Example.com "):  # a double click, or the same in capitals
        page = accounts.client.post("/consultants", data={"email": email}).get_data(as_text=True)
        assert "该邮箱已有一份待接受的邀请" in page and "invite-link" not in page
    assert len(grants.for_organisation(db, client_org["id"])) == 1
    # the link was lost: a new one, and the first stops working
    invitation = grants.for_organisation(db, client_org["id"])[0]["id"]
    page = accounts.client.post(f"/consultants/{invitation}/link", follow_redirects=True).get_data(
        as_text=True
    )
    assert "新的邀请已通过电子邮件发出" in page and "/invitations/" not in page
    renewed = outbox_link(db, "c@example.com", "/invitations/")
    assert renewed != link
    accounts.logout()
    accounts.login(consultant)
    assert accounts.client.post(link).status_code == 404
    link = renewed
    accounts.client.post(link)
    accounts.logout()
    accounts.login(client_org["email"])
    page = accounts.client.post("/consultants", data={"email": "c@example.com"}).get_data(
        as_text=True
    )
    assert "该评估顾问已有访问权限" in page
    assert accounts.client.post(f"/consultants/{invitation}/link").status_code == 404  # used
    log = (
        accounts.client.get("/consultants").get_data(as_text=True).split("谁查看了贵企业的数据")[1]
    )
    assert "接受了您的邀请，已获得访问权限" in log and "grant_accepted" not in log
    assert '钱顾问 <span class="muted">· 评估顾问</span>' in log


def test_revoking_a_consultant_also_closes_its_other_open_invitations(
    app, accounts, client_org, db
):
    consultant = accounts.user("consultant", email="c@example.com")
    first = invite_link(accounts, client_org["email"], "c@example.com")
    # a second open link (the page refuses to make one now; older data may have it)
    owner = users.get_by_email(db, client_org["email"])["id"]
    with db.conn:
        token = grants.invite(
            db, client_org["id"], owner, email="C@example.com", consultant_id=None
        )
    second = f"/invitations/{token}"
    accounts.login(consultant)
    accounts.client.post(first)
    clients_page = f"/consultant/clients/{client_org['id']}"
    assert accounts.client.get(clients_page).status_code == 200
    accounts.logout()
    accounts.login(client_org["email"])
    accepted = next(g for g in grants.for_organisation(db, client_org["id"]) if g["accepted_at"])
    accounts.client.post(f"/consultants/{accepted['id']}/revoke")
    accounts.logout()
    accounts.login(consultant)
    client = accounts.client
    assert client.get(clients_page).status_code == 410
    # neither the second link nor the pending invitation in the portfolio opens it again
    assert client.post(second).status_code == 404
    for grant in grants.for_organisation(db, client_org["id"]):
        assert grant["revoked_at"] is not None
        client.post(f"/consultant/invitations/{grant['id']}/accept")
    assert client.get(clients_page).status_code == 410
    portfolio = client.get("/consultant").get_data(as_text=True)
    # no longer a client (no link to it), only said to have withdrawn access
    assert f'href="{clients_page}"' not in portfolio and "客户机械有限公司已于" in portfolio


def test_a_consultant_never_sees_another_consultants_on_site_assessment(app, accounts, on_site, db):
    client = accounts.client  # the on-site draft is pre-filled from the self-assessment
    client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "一号车间", "participants": "王顾问"},
    )
    client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    accounts.logout()
    other = accounts.user("consultant", email="other@example.com")
    with db.conn:
        grants.grant_registered(db, on_site["org"], users.get_by_email(db, other)["id"])
    accounts.login(other)
    for route in ["results", "report", "report.pdf", "comparison", "results.json"]:
        assert client.get(f"/assessments/{on_site['id']}/{route}").status_code == 404, route
    assert client.get(f"/assessments/{on_site['self']}/results").status_code == 200
    listed = client.get(f"/consultant/clients/{on_site['org']}").get_data(as_text=True)
    assert f"/assessments/{on_site['id']}/" not in listed


def test_an_invitation_link_opens_only_for_the_consultant_invited(app, accounts, client_org, db):
    """The link reached another consultant: refused, nothing granted. A sign-up through it makes
    the account of the e-mail invited, whatever e-mail the form posts."""
    link = invite_link(accounts, client_org["email"], "invited@example.com")
    other = accounts.user("consultant", email="other@example.com")
    accounts.login(other)
    page = accounts.client.get(link)
    assert page.status_code == 403 and "invited@example.com" in page.get_data(as_text=True)
    assert accounts.client.post(link).status_code == 403
    assert grants.active(db, users.get_by_email(db, other)["id"], client_org["id"]) is None
    accounts.logout()
    fresh = app.test_client()
    fresh.post(
        link,
        data={
            "name": "钱顾问",
            "email": "me@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "consent": "y",
        },
    )
    assert users.get_by_email(db, "me@example.com") is None
    made = users.get_by_email(db, "invited@example.com")
    assert made is not None and grants.active(db, made["id"], client_org["id"]) is not None


def test_a_client_that_granted_access_twice_is_listed_once(app, accounts, client_org, db):
    """An accepted invitation and an accepted request of the same consultant: one client."""
    consultant = accounts.user("consultant", email="twice@example.com")
    consultant_id = users.get_by_email(db, consultant)["id"]
    with db.conn:
        grants.grant_registered(db, client_org["id"], consultant_id)
        grants.grant_registered(db, client_org["id"], consultant_id)
    assert len(grants.clients(db, consultant_id)) == 1
    accounts.login(consultant)
    csv = accounts.client.get("/consultant/portfolio.csv").get_data(as_text=True)
    assert csv.count("客户机械有限公司") == 1


def test_the_enterprise_sees_who_opened_its_results(app, accounts, client_org, db):
    """A consultant with access opens the results, the JSON and the report preview: each is
    logged with the organisation, and the enterprise reads it on its consultants page."""
    consultant = accounts.user("consultant", email="look@example.com", name="孙顾问")
    with db.conn:
        grants.grant_registered(db, client_org["id"], users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    for suffix in ("results", "results.json", "report"):
        assert accounts.client.get(f"/assessments/{client_org['self']}/{suffix}").status_code == 200
    accounts.logout()
    accounts.login(client_org["email"])
    accounts.client.get(f"/assessments/{client_org['self']}/results")  # its own: not logged
    page = accounts.client.get("/consultants").get_data(as_text=True)
    log = page.split("谁查看了贵企业的数据")[1]
    for what in ("查看了评估结果", "读取了评估结果数据（JSON）", "查看了报告预览"):
        assert what in log
    assert log.count("孙顾问") == 3


def _invitation_page(accounts, owner_email, invited) -> str:
    """The page an enterprise sees after inviting an address, with what differs by right
    (the address, the link's token, the form's token) taken out."""
    accounts.login(owner_email)
    page = accounts.client.post(
        "/consultants", data={"email": invited}, follow_redirects=True
    ).get_data(as_text=True)
    accounts.logout()
    assert "/invitations/" not in page  # the link is in the invitation mail only
    page = re.sub(r"/consultants/\d+/", "/consultants/ID/", page)
    page = re.sub(r'name="csrf_token"[^>]*>', "", page)
    return page.replace(invited, "ADDRESS")


def test_an_invitation_answers_the_same_whoever_the_address_belongs_to(app, accounts, db):
    """Item 4: inviting an unknown address, an enterprise's login, or an existing consultant
    gives the same page (a mail sent in each case); the consultant's name shows only once it
    has accepted."""
    accounts.user("consultant", email="known@example.com", name="钱顾问")
    enterprise_login = accounts.user("enterprise", email="boss@example.com")
    pages = []
    for invited in ("nobody@example.com", enterprise_login, "known@example.com"):
        org_id = accounts.organisation(name="同名机械有限公司")
        owner = accounts.user("enterprise", organisation_id=org_id, email=f"o{org_id}@example.com")
        page = _invitation_page(accounts, owner, invited).replace(owner, "OWNER")
        pages.append(page)
        accounts.login(owner)
        listed = accounts.client.get("/consultants").get_data(as_text=True)
        accounts.logout()
        assert "钱顾问" not in listed
    assert "ADDRESS" in pages[0] and pages[1] == pages[0] and pages[2] == pages[0]


def _request_page(accounts, code: str, email: str) -> str:
    """The portfolio page a consultant is sent to after asking, with what differs by right (the
    code it typed, its own login, tokens and ids) taken out."""
    response = accounts.client.post("/consultant/requests", data={"credit_code": code})
    page = accounts.client.get(response.headers["Location"]).get_data(as_text=True)
    page = re.sub(r'name="csrf_token"[^>]*>', "", page)
    page = re.sub(r"/consultant/requests/\d+/", "/consultant/requests/ID/", page)
    return page.replace(code, "CODE").replace(email, "EMAIL")


def test_an_access_request_answers_the_same_whether_the_code_is_registered(
    app, accounts, client_org, db
):
    """Item 4: a consultant asking by credit code learns neither whether an enterprise with the
    code is registered nor its name, asking once or twice; an enterprise that registers with
    the code later sees the request and can accept it."""
    registered = organisations.get(db, client_org["id"])["credit_code"]
    body = "91320505MA1XYW000"
    unregistered = body + cc.check_character(body)
    pages = []
    for n, code in enumerate((registered, unregistered)):
        email = f"asks{n}@example.com"
        accounts.login(accounts.user("consultant", email=email, name="李顾问"))
        pages.append([_request_page(accounts, code, email) for _ in range(2)])
        accounts.logout()
    assert pages[0] == pages[1]
    assert "客户机械有限公司" not in pages[0][0] + pages[0][1]
    accounts.client.post(
        "/register", data={**GOOD, "credit_code": unregistered, "email": "late@example.com"}
    )
    page = accounts.client.get("/consultants").get_data(as_text=True)
    assert "李顾问" in page and "/accept" in page
