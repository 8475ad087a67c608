"""The administrator changes a staff account's role: a consultant becomes an authority of a
region (and park), an authority a consultant, either an administrator. The account's sessions
end and its tokens are revoked; bad requests are said and change nothing."""

from __future__ import annotations

import pytest

from assess.store import grants, users
from assess.store import parks as park_store
from tests.support import PASSWORD, api_token

COUNTY = "320505"


@pytest.fixture
def admin(accounts):
    accounts.login(accounts.user("admin", email="admin@example.com", name="管理员"))
    return accounts.client


def account(db, email: str) -> dict:
    return users.get_by_email(db, email)


def snapshot(db) -> list:
    return [
        list(db.query("SELECT * FROM users ORDER BY id")),
        list(db.query("SELECT id, revoked_at FROM api_tokens ORDER BY id")),
        list(db.query("SELECT action FROM audit_log WHERE action = 'role_changed'")),
    ]


def test_a_consultant_becomes_an_authority_of_a_park_and_must_sign_in_again(
    app, admin, accounts, db
):
    with db.conn:
        park_id = park_store.create(db, COUNTY, "虎丘高新园", "Huqiu Hi-tech Park")
        firm_id = db["firms"].insert({"name": "江南智造咨询有限公司"}).last_pk
    email = accounts.user("consultant", email="c@example.com", name="王顾问")
    db["users"].update(account(db, email)["id"], {"firm_id": firm_id})
    token = api_token(db, email, "read")
    bearer = {"Authorization": f"Bearer {token}"}
    other = app.test_client()  # the consultant, signed in elsewhere
    other.post("/login", data={"email": email, "password": PASSWORD})
    assert other.get("/consultant").status_code == 200
    assert other.get("/api/v1/me", headers=bearer).status_code == 200
    user_id = account(db, email)["id"]

    page = admin.post(
        f"/admin/users/{user_id}/role",
        data={"role": "authority", "region": COUNTY, "park": str(park_id)},
        follow_redirects=True,
    )
    text = page.get_data(as_text=True)
    assert "账户现在是：主管部门" in text, text[:2000]
    changed = account(db, email)
    assert (changed["role"], changed["region_scope"], changed["park_id"], changed["firm_id"]) == (
        "authority",
        "320505",
        park_id,
        None,
    )
    assert other.get("/api/v1/me", headers=bearer).status_code == 401
    assert other.get("/consultant").status_code == 302  # to the login page
    log = admin.get("/admin/audit?action=role_changed").get_data(as_text=True)
    assert "更改了账户的角色" in log and "consultant → authority" in log


def test_an_authority_becomes_a_consultant_and_leaves_its_region(admin, accounts, db):
    email = accounts.user("authority", email="gov@example.com", region_scope="32")
    user_id = account(db, email)["id"]
    assert (
        admin.post(f"/admin/users/{user_id}/role", data={"role": "consultant"}).status_code == 302
    )
    changed = account(db, email)
    assert (changed["role"], changed["region_scope"], changed["park_id"]) == (
        "consultant",
        None,
        None,
    )


@pytest.mark.parametrize(
    "who, form, message",
    [
        ("self", {"role": "consultant"}, "不能更改自己的角色"),
        ("enterprise", {"role": "consultant"}, "企业账户的角色由其团队决定"),
        ("consultant", {"role": "consultant"}, "该账户已是这一角色"),
        ("consultant", {"role": "enterprise"}, "请选择咨询顾问、主管部门或管理员"),
        ("consultant", {"role": "authority", "region": "999999"}, "不是辖区代码"),
        (
            "consultant",
            {"role": "authority", "region": "320500", "park": "PARK"},
            "该园区不在这个县区",
        ),
        ("consultant", {"role": "admin", "park": "abc"}, "该园区不在这个县区"),
        ("busy consultant", {"role": "authority", "region": COUNTY}, "请先将其客户移交"),
    ],
)
def test_a_refused_change_says_why_and_changes_nothing(admin, accounts, db, who, form, message):
    with db.conn:
        park_id = park_store.create(db, COUNTY, "虎丘高新园", "Huqiu Hi-tech Park")
    form = {k: str(park_id) if v == "PARK" else v for k, v in form.items()}
    if who == "self":
        user_id = account(db, "admin@example.com")["id"]
    elif who == "enterprise":
        email = accounts.user("enterprise", organisation_id=accounts.organisation())
        user_id = account(db, email)["id"]
    else:
        email = accounts.user("consultant", email="c@example.com")
        user_id = account(db, email)["id"]
        if who == "busy consultant":
            with db.conn:
                grants.grant_registered(db, accounts.organisation(name="客户"), user_id)
    before = snapshot(db)
    page = admin.post(f"/admin/users/{user_id}/role", data=form, follow_redirects=True)
    assert message in page.get_data(as_text=True)
    assert snapshot(db) == before


def test_only_an_administrator_changes_a_role(accounts, db):
    email = accounts.user("consultant", email="c@example.com")
    user_id = account(db, email)["id"]
    accounts.login(accounts.user("authority", email="gov@example.com", region_scope="32"))
    before = snapshot(db)
    assert (
        accounts.client.post(f"/admin/users/{user_id}/role", data={"role": "admin"}).status_code
        == 403
    )
    assert snapshot(db) == before
