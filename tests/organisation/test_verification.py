"""Who an enterprise really is: a new registration is unverified until an administrator, its
consultant on site or the reviewing authority verifies it; unverified enterprises are marked
to officials and never in a candidate list; registration is throttled per address and
network."""

from __future__ import annotations

import html

from assess.organisation import credit_code as cc
from assess.store import audit, grants, organisations, regional, throttle, users
from assess.store.database import write_transaction
from assess.store.regional import Scope
from tests.support import PASSWORD


def _code(n: int) -> str:
    body = ("91320505" + f"{n:09d}")[:17]
    return body + cc.check_character(body)


def _form(n: int, email: str) -> dict:
    return {
        "name": f"新注册机械有限公司{n}",
        "credit_code": _code(n),
        "province": "320000",
        "city": "320500",
        "county": "320505",
        "sector": "rail",
        "size": "small",
        "contact_name": "钱工",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "consent": "y",
    }


def test_a_new_registration_is_unverified_and_an_administrator_verifies_it(app, accounts, db):
    response = app.test_client().post("/register", data=_form(7, "new@example.com"))
    assert response.status_code == 302
    org = organisations.get_by_credit_code(db, _code(7))
    assert org["identity"] == "unverified"
    assert organisations.get(db, accounts.organisation())["identity"] == "verified"  # before
    accounts.login(accounts.user("admin"))
    page = html.unescape(accounts.client.get("/admin/identities").get_data(as_text=True))
    assert "新注册机械有限公司7" in page and _code(7) in page
    done = accounts.client.post(f"/admin/organisations/{org['id']}/verify", follow_redirects=True)
    assert "企业身份已核验" in done.get_data(as_text=True)
    org = organisations.get(db, org["id"])
    assert (org["identity"], org["identity_verified_how"]) == ("verified", "admin")
    (entry,) = [e for e in audit.recent(db) if e["action"] == "identity_verified"]
    assert str(entry["target_id"]) == str(org["id"])
    again = accounts.client.post(f"/admin/organisations/{org['id']}/verify", follow_redirects=True)
    assert "企业身份此前已核验" in again.get_data(as_text=True)


def test_only_a_consultant_with_access_verifies_on_site(app, accounts, db):
    org = accounts.organisation(name="现场核验机械有限公司")
    with write_transaction(db):
        organisations.mark_unverified(db, org)
    outsider = accounts.user("consultant", email="out@example.com")
    accounts.login(outsider)
    assert accounts.client.post(f"/consultant/clients/{org}/verify-identity").status_code == 404
    assert organisations.get(db, org)["identity"] == "unverified"
    accounts.logout()
    insider = accounts.user("consultant", email="in@example.com")
    with db.conn:
        grants.grant_registered(db, org, users.get_by_email(db, insider)["id"])
    accounts.login(insider)
    client_page = accounts.client.get(f"/consultant/clients/{org}").get_data(as_text=True)
    assert "身份未核验" in client_page and "我已现场核实" in client_page
    accounts.client.post(f"/consultant/clients/{org}/verify-identity")
    row = organisations.get(db, org)
    assert (row["identity"], row["identity_verified_how"]) == ("verified", "consultant")
    portfolio = accounts.client.get("/consultant").get_data(as_text=True)
    assert "身份未核验" not in portfolio


def test_an_unverified_enterprise_is_never_a_candidate_and_is_marked_in_the_portfolio(
    app, accounts, client_org, db
):
    accounts.login(client_org["email"])
    accounts.client.post("/organisation/listing", data={"listed": "1"})
    scope = Scope("32")
    assert [r["id"] for r in regional.candidates(db, scope)] == [client_org["id"]]
    with write_transaction(db):
        organisations.mark_unverified(db, client_org["id"])
    assert regional.candidates(db, scope) == []
    accounts.logout()
    consultant = accounts.user("consultant", email="c@example.com")
    with db.conn:
        grants.grant_registered(db, client_org["id"], users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    assert "身份未核验" in accounts.client.get("/consultant").get_data(as_text=True)


def test_registration_is_throttled_per_address(app, accounts, db, monkeypatch):
    monkeypatch.setattr(throttle, "REGISTRATIONS_PER_ADDRESS", 2)
    client = app.test_client()
    for n in range(2):
        assert client.post("/register", data=_form(20 + n, f"r{n}@example.com")).status_code == 302
        client.post("/logout")
    refused = client.post("/register", data=_form(30, "r9@example.com"))
    assert "过去一小时内从您所在网络注册的企业过多" in refused.get_data(as_text=True)
    assert users.get_by_email(db, "r9@example.com") is None
    assert organisations.get_by_credit_code(db, _code(30)) is None


def test_registrations_are_counted_per_network_and_forgotten_after_the_hour(db):
    now = 1_000_000.0
    with write_transaction(db):
        for i in range(throttle.REGISTRATIONS_PER_NETWORK):
            throttle.count_registration(db, f"203.0.113.{i + 1}", now=now)
    assert throttle.registration_blocked(db, "203.0.113.200", now=now)  # same /24
    assert not throttle.registration_blocked(db, "203.0.114.1", now=now)  # another network
    assert not throttle.registration_blocked(db, "203.0.113.200", now=now + 3601)
    assert throttle.network_of("2001:db8:1:2::5") == "2001:db8:1::/48"
    assert throttle.network_of("not an address") == "not an address"
