"""The administrator manages parks: creates one below a county, moves the county's enterprises
into it and out of it; their figures follow at once; bad input is said and changes nothing."""

from __future__ import annotations

import pytest

from assess.store import audit
from assess.store import parks as store
from tests.support import PASSWORD

COUNTY = "320505"


def summary(db, park_id) -> int:
    """Enterprises the park's own sums count (0 when it has none)."""
    row = db.execute(
        "SELECT enterprises FROM region_summary WHERE region_code = ? AND park_id = ?",
        [COUNTY, park_id],
    ).fetchone()
    return row[0] if row else 0


@pytest.fixture
def admin(accounts):
    accounts.login(accounts.user("admin", email="admin@example.com", name="管理员"))
    return accounts.client


def create(client, **fields):
    data = {"county": COUNTY, "name_zh": "虎丘高新园", "name_en": "Huqiu Hi-tech Park", **fields}
    return client.post("/admin/parks", data=data)


def test_a_park_is_made_and_its_enterprises_move_in_with_their_figures(
    app, accounts, client_org, db
):
    other = accounts.organisation(name="另一县的企业", region_code="320583")
    accounts.login(accounts.user("admin", email="admin@example.com"))
    client = accounts.client
    made = create(client)
    assert made.status_code == 302
    park_id = int(made.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/admin/parks/{park_id}").get_data(as_text=True)
    assert "客户机械有限公司" in page and "另一县的企业" not in page  # only the county's
    assert summary(db, park_id) == 0

    moved = client.post(
        f"/admin/parks/{park_id}/enterprises", data={"organisation": str(client_org["id"])}
    )
    assert moved.status_code == 302
    assert [m["id"] for m in store.members(db, park_id)] == [client_org["id"]]
    assert summary(db, park_id) == 1  # its submitted result counts in the park at once

    refused = client.post(f"/admin/parks/{park_id}/enterprises", data={"organisation": str(other)},
                          follow_redirects=True)  # fmt: skip
    assert "以下企业不在园区所在县区注册：另一县的企业" in refused.get_data(as_text=True)
    assert [m["id"] for m in store.members(db, park_id)] == [client_org["id"]]

    out = client.post(f"/admin/parks/{park_id}/enterprises/{client_org['id']}/out")
    assert out.status_code == 302 and store.members(db, park_id) == []
    assert summary(db, park_id) == 0
    actions = [e["action"] for e in audit.search(db)]
    assert actions.count("park_changed") == 2 and "park_created" in actions


def test_credit_codes_move_enterprises_in_and_an_unknown_one_moves_none(app, accounts, db):
    known = accounts.organisation(name="按代码移入的企业")
    code = db["organisations"].get(known)["credit_code"]
    accounts.login(accounts.user("admin", email="admin@example.com"))
    park_id = int(create(accounts.client).headers["Location"].rsplit("/", 1)[1])
    page = accounts.client.post(
        f"/admin/parks/{park_id}/enterprises",
        data={"codes": f"{code}\n91320505MA1XXXXXX0"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "不属于已注册企业：91320505MA1XXXXXX0" in page
    assert store.members(db, park_id) == []
    accounts.client.post(f"/admin/parks/{park_id}/enterprises", data={"codes": f" {code.lower()} "})
    assert [m["id"] for m in store.members(db, park_id)] == [known]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"county": "320500"}, "这不是县区（或不设县区的地级市）的代码。"),
        ({"county": "32050"}, "六位数字，例如 320505。"),
        ({"name_zh": ""}, "该字段是必填字段。"),
        ({"name_zh": "园" * 61}, "60"),
    ],
)
def test_a_park_that_cannot_be_is_said_and_nothing_is_made(admin, db, fields, message):
    response = create(admin, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert store.all_parks(db) == []


def test_the_same_name_twice_in_a_county_is_refused(admin, db):
    create(admin)
    second = create(admin)
    assert second.status_code == 400 and "该县区已有同名园区。" in second.get_data(as_text=True)
    assert len(store.all_parks(db)) == 1


def test_taking_out_an_enterprise_that_is_not_in_the_park_is_404(admin, accounts, db):
    org = accounts.organisation(name="园外企业")
    park_id = int(create(admin).headers["Location"].rsplit("/", 1)[1])
    assert admin.post(f"/admin/parks/{park_id}/enterprises/{org}/out").status_code == 404
    assert admin.post(f"/admin/parks/{park_id + 99}/enterprises").status_code == 404


def test_an_authority_is_given_a_park_then_the_country(app, accounts, client_org, db):
    """The administrator moves an authority from its county to a park of it: the account's page
    says so, its dashboard is the park's, and the change is in the log as before → after."""
    gov = accounts.user(
        "authority", email="gov@example.com", name="虎丘区工信局", region_scope="320505"
    )
    gov_id = db["users"].rows_where("email = ?", [gov]).__next__()["id"]
    accounts.login(accounts.user("admin", email="admin@example.com"))
    park_id = int(create(accounts.client).headers["Location"].rsplit("/", 1)[1])

    wrong = accounts.client.post(f"/admin/users/{gov_id}/scope", data={"region": "320583", "park": str(park_id)}, follow_redirects=True)  # fmt: skip
    assert "该园区不在这个县区" in wrong.get_data(as_text=True)
    assert db["users"].get(gov_id)["park_id"] is None
    bad = accounts.client.post(f"/admin/users/{gov_id}/scope", data={"region": "12345x"}, follow_redirects=True)  # fmt: skip
    assert "这不是辖区代码" in bad.get_data(as_text=True)

    accounts.client.post(
        f"/admin/users/{gov_id}/scope", data={"region": COUNTY, "park": str(park_id)}
    )
    user = db["users"].get(gov_id)
    assert (user["region_scope"], user["park_id"]) == (COUNTY, park_id)
    page = accounts.client.get(f"/admin/users/{gov_id}").get_data(as_text=True)
    assert "虎丘高新园" in page and f"park: — → {park_id}" in page

    looking = app.test_client()
    looking.post("/login", data={"email": gov, "password": PASSWORD})
    assert "虎丘高新园" in looking.get("/authority").get_data(as_text=True)  # the park's own page

    country = accounts.client.post(f"/admin/users/{gov_id}/scope", data={"region": "000000"})
    assert country.status_code == 302
    user = db["users"].get(gov_id)
    assert (user["region_scope"], user["park_id"]) == ("", None)
    assert "虎丘高新园" not in looking.get("/authority").get_data(as_text=True)  # at its next page


def test_only_an_authority_has_a_region(admin, accounts, db):
    ent = accounts.user(
        "enterprise", organisation_id=accounts.organisation(), email="e@example.com"
    )
    ent_id = db["users"].rows_where("email = ?", [ent]).__next__()["id"]
    page = admin.post(
        f"/admin/users/{ent_id}/scope", data={"region": "320505"}, follow_redirects=True
    )
    assert "只有主管部门账户才有辖区。" in page.get_data(as_text=True)
    assert db["users"].get(ent_id)["region_scope"] is None
