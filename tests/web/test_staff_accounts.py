"""The administrator makes consultant, authority and administrator accounts by invitation (the
account exists only once the link in the mail is used), and sends an account a password reset;
bad input is said and changes nothing."""

from __future__ import annotations

import pytest

from assess.store import audit, users
from tests.support import PASSWORD, csrf_token, firm_of, outbox_link

NEW_PASSWORD = "城市工信局-2026-pass"


@pytest.fixture
def admin(accounts):
    accounts.login(accounts.user("admin", email="admin@example.com", name="管理员"))
    return accounts.client


def invite(client, **fields):
    data = {
        "email": "city@example.com",
        "name": "苏州市工信局",
        "role": "authority",
        "locale": "zh",
        "region": "320500",
        "park": "",
        "firm": "",
        **fields,
    }
    return client.post("/admin/accounts/new", data=data)


def accept(client, link, **fields):
    page = client.get(link)
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "name": "王科长",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
        "consent": "y",
        **fields,
    }
    return client.post(link, data=data)


def actions(db) -> list[str]:
    return [e["action"] for e in reversed(audit.search(db, limit=50))]


def test_an_authority_of_a_city_exists_once_its_invitation_is_accepted(admin, accounts, db):
    assert invite(admin).status_code == 302
    assert users.get_by_email(db, "city@example.com") is None  # not before the link is used
    page = admin.get("/admin/accounts/new").get_data(as_text=True)
    assert "city@example.com" in page and "苏州市" in page
    link = outbox_link(db, "city@example.com", "/accounts/join/")
    accounts.logout()

    made = accept(admin, link)

    assert made.status_code == 302
    user = users.get_by_email(db, "city@example.com")
    assert (user["role"], user["region_scope"], user["name"], user["park_id"]) == (
        "authority",
        "3205",
        "王科长",
        None,
    )
    assert user["email_confirmed_at"] is not None  # the link reached the mailbox
    assert admin.get("/authority").status_code == 200  # logged in as the new account
    assert [a for a in actions(db) if a.startswith("account_")] == [
        "account_invited",
        "account_invitation_accepted",
    ]
    accounts.logout()
    again = admin.get(link)
    assert again.status_code == 404 and "已被接受" in again.get_data(as_text=True)


def test_a_consultant_is_invited_into_a_firm_and_an_authority_into_a_park(admin, accounts, db):
    firm = firm_of(db)
    admin.post("/admin/parks", data={"county": "320505", "name_zh": "虎丘高新园"})
    park = db.execute("SELECT id FROM parks").fetchone()[0]
    invite(admin, email="c@example.com", role="consultant", region="", firm=str(firm))
    invite(admin, email="p@example.com", region="320505", park=str(park))
    links = [outbox_link(db, e, "/accounts/join/") for e in ("c@example.com", "p@example.com")]
    accounts.logout()
    for link in links:
        assert accept(admin, link).status_code == 302
        accounts.logout()
    consultant = users.get_by_email(db, "c@example.com")
    authority = users.get_by_email(db, "p@example.com")
    assert (consultant["role"], consultant["firm_id"], consultant["region_scope"]) == (
        "consultant",
        firm,
        None,
    )
    assert (authority["region_scope"], authority["park_id"]) == ("320505", park)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"region": ""}, "辖区"),
        ({"region": "999999"}, "辖区"),
        ({"role": "enterprise"}, None),
        ({"role": "consultant", "region": "", "park": "1"}, "园区"),
        ({"role": "authority", "firm": "1"}, "咨询机构"),
        ({"email": "admin@example.com"}, "已有账户"),
        ({"email": "not an address"}, None),
        ({"name": ""}, None),
        ({"park": "99999999999999999999"}, None),
    ],
)
def test_a_wrong_invitation_is_said_and_sends_nothing(admin, db, fields, message):
    firm_of(db)
    before = db["outbox"].count
    answer = invite(admin, **fields)
    assert answer.status_code == 400
    if message:
        assert message in answer.get_data(as_text=True)
    assert db["outbox"].count == before
    assert db["account_invitations"].count == 0


def test_a_second_invitation_to_one_address_waits_for_the_first(admin, db):
    invite(admin)
    answer = invite(admin, role="consultant", region="")
    assert answer.status_code == 400 and "待接受的邀请" in answer.get_data(as_text=True)
    assert db["account_invitations"].count == 1


def test_a_resent_invitation_replaces_its_link_and_a_withdrawn_one_opens_nothing(
    admin, accounts, db
):
    invite(admin)
    first = outbox_link(db, "city@example.com", "/accounts/join/")
    admin.post("/admin/invitations/1/resend")
    second = outbox_link(db, "city@example.com", "/accounts/join/")
    assert first != second
    assert admin.get(first).status_code == 404
    assert admin.get(second).status_code == 200  # logged in: shown, with a warning
    admin.post("/admin/invitations/1/revoke")
    accounts.logout()
    gone = admin.get(second)
    assert gone.status_code == 404 and "撤回" in gone.get_data(as_text=True)
    assert admin.post("/admin/invitations/1/resend").status_code in (302, 401)
    assert users.get_by_email(db, "city@example.com") is None


def test_an_invitation_with_a_weak_password_or_without_consent_makes_no_account(
    admin, accounts, db
):
    invite(admin)
    link = outbox_link(db, "city@example.com", "/accounts/join/")
    accounts.logout()
    assert accept(admin, link, password="12345678", confirm="12345678").status_code == 422
    assert accept(admin, link, consent="").status_code == 422
    assert accept(admin, link, confirm="other").status_code == 422
    assert users.get_by_email(db, "city@example.com") is None
    assert admin.get("/accounts/join/forged").status_code == 404


def test_the_administrator_sends_a_password_reset_and_the_password_stays_until_it_is_used(
    admin, accounts, db
):
    email = accounts.user("consultant", email="c@example.com", name="李顾问")
    user_id = users.get_by_email(db, email)["id"]
    answer = admin.post(f"/admin/users/{user_id}/reset")
    assert answer.status_code == 302
    assert users.authenticate(db, email, PASSWORD) is not None  # unchanged until the link
    link = outbox_link(db, email, "/password/reset/")
    entry = audit.search(db, limit=1)[0]
    assert (entry["action"], entry["target_type"], entry["target_id"]) == (
        "password_reset_sent",
        "user",
        str(user_id),
    )
    accounts.logout()
    page = admin.get(link)
    assert page.status_code == 200
    admin.post(
        link,
        data={
            "csrf_token": csrf_token(page.get_data(as_text=True)),
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert users.authenticate(db, email, NEW_PASSWORD) is not None


def test_a_reset_is_refused_for_a_disabled_account_and_after_three_in_an_hour(admin, accounts, db):
    email = accounts.user("consultant", email="c@example.com")
    user_id = users.get_by_email(db, email)["id"]
    for _ in range(3):
        admin.post(f"/admin/users/{user_id}/reset")
    answer = admin.post(f"/admin/users/{user_id}/reset", follow_redirects=True)
    assert "最近一小时" in answer.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM outbox WHERE kind = 'password_reset'").fetchone() == (
        3,
    )
    admin.post(f"/admin/users/{user_id}/active", data={"active": "0"})
    answer = admin.post(f"/admin/users/{user_id}/reset", follow_redirects=True)
    assert "先启用" in answer.get_data(as_text=True)
    assert admin.post("/admin/users/999999/reset").status_code == 404


def test_disabling_from_the_account_page_ends_its_sessions_and_enabling_lets_it_log_in(
    app, admin, accounts, db
):
    email = accounts.user("consultant", email="c@example.com")
    user_id = users.get_by_email(db, email)["id"]
    theirs = app.test_client()
    theirs.post("/login", data={"email": email, "password": PASSWORD})
    assert theirs.get("/consultant").status_code == 200

    answer = admin.post(f"/admin/users/{user_id}/active", data={"active": "0", "back": "account"})

    assert answer.headers["Location"].endswith(f"/admin/users/{user_id}")
    assert theirs.get("/consultant").status_code == 302  # logged out
    refused = theirs.post("/login", data={"email": email, "password": PASSWORD})
    assert refused.status_code != 302 or "/login" in refused.headers["Location"]
    admin.post(f"/admin/users/{user_id}/active", data={"active": "1", "back": "account"})
    again = theirs.post("/login", data={"email": email, "password": PASSWORD})
    assert again.status_code == 302 and "/login" not in again.headers["Location"]
    page = admin.get(f"/admin/users/{user_id}").get_data(as_text=True)
    assert "停用了账户" in page and "启用了账户" in page
