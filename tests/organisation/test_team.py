"""The team's use cases without the web: invitations in the transaction of their mail, links
that expire, one owner at every moment, sections given only to contributors, the profile's
facts following a new region, and the migration that made existing accounts members."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlite_utils import Database

from assess.organisation import team
from assess.regional import profile
from assess.store import migrations, organisations, users
from assess.store import team as team_store
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.web import questionnaires

SECRET = "team-secret"


@pytest.fixture
def org(db, accounts):
    org_id = accounts.organisation(name="甲企业机械有限公司")
    accounts.user("enterprise", organisation_id=org_id, email="owner@example.com", name="王总")
    return {"id": org_id, "owner": users.get_by_email(db, "owner@example.com")}


def mailer(links: list) -> team.Mailer:
    return team.Mailer(SECRET, lambda token: links.append(token) or f"http://x/{token}", "zh")


def invited(db, org, email="li@example.com", role="contributor") -> str:
    links: list[str] = []
    outcome = team.invite(db, org["id"], email, role, Actor(org["owner"]["id"]), mailer(links))
    assert isinstance(outcome, int)
    return links[-1]


def test_an_invitation_exists_only_with_its_mail(db, org, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("outbox: to must be one e-mail address")

    monkeypatch.setattr(team.outbox, "queue", broken)
    with pytest.raises(ValueError):
        team.invite(
            db, org["id"], "li@example.com", "viewer", Actor(org["owner"]["id"]), mailer([])
        )
    assert db["team_invitations"].count == 0
    assert (
        db.execute("SELECT count(*) FROM audit_log WHERE action = 'team_invited'").fetchone()[0]
        == 0
    )


def test_the_mail_names_the_enterprise_the_role_and_the_link(db, org):
    token = invited(db, org, role="viewer")
    [mail] = db.query("SELECT * FROM outbox")
    assert mail["to_address"] == "li@example.com" and mail["kind"] == "team_invitation"
    assert "甲企业机械有限公司" in mail["subject"]
    assert f"http://x/{token}" in mail["text"] and "王总" in mail["text"]


def test_a_link_signed_with_another_key_or_too_old_opens_nothing(db, org, monkeypatch):
    token = invited(db, org)
    assert isinstance(team.read_link(db, SECRET, token), team.Invitation)
    assert team.read_link(db, "another-key", token) == team.Refused("invalid")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 8 * 86400)  # signed 8 days ago
    [row] = team_store.open_invitations(db, org["id"])
    links: list[str] = []
    with write_transaction(db):
        team._send(db, row["id"], Actor(org["owner"]["id"]), mailer(links), "team_invited")
    monkeypatch.setattr(time, "time", real)
    assert team.read_link(db, SECRET, links[-1]) == team.Refused("expired")


def test_accepting_twice_at_once_makes_one_account(db, org):
    token = invited(db, org)
    made = team.accept_new(db, SECRET, token, "李工", "Li-password-2026", "zh", "1", None)
    assert made["member_role"] == "contributor" and made["organisation_id"] == org["id"]
    again = team.accept_new(db, SECRET, token, "李工", "Li-password-2026", "zh", "1", None)
    assert again == team.Refused("used")
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 2


def test_an_enterprise_has_one_owner_at_every_moment(db, org, accounts):
    accounts.user("enterprise", organisation_id=org["id"], email="li@example.com")
    li = users.get_by_email(db, "li@example.com")
    assert li["member_role"] == "contributor"  # the second account of an enterprise
    with pytest.raises(sqlite3.IntegrityError), write_transaction(db):
        team_store.set_member_role(db, li["id"], "owner")
    owner = users.get(db, org["owner"]["id"])
    by = Actor(owner["id"])
    refused = team.transfer(db, org["id"], _user(owner), li["id"], "owner", "x", by)
    assert refused == team.Refused("role")
    assert team.transfer(db, org["id"], _user(owner), li["id"], "contributor", "nope", by) == (
        team.Refused("wrong_password")
    )
    assert team.transfer(db, org["id"], _user(owner), owner["id"], "viewer", _pw(), by) == (
        team.Refused("not_found")
    )
    assert team.transfer(db, org["id"], _user(owner), li["id"], "viewer", _pw(), by) is None
    roles = {r["email"]: r["member_role"] for r in team_store.members(db, org["id"])}
    assert roles == {"owner@example.com": "viewer", "li@example.com": "owner"}


def _user(row):
    from assess.web.login import User

    return User.from_row(row)


def _pw():
    from tests.support import PASSWORD

    return PASSWORD


def test_sections_go_only_to_active_contributors_of_the_team(app, db, org, accounts):
    with app.app_context():
        q = questionnaires.latest()
    other = accounts.organisation(name="乙企业")
    accounts.user("enterprise", organisation_id=other, email="b@example.com")
    accounts.user("enterprise", organisation_id=org["id"], email="li@example.com")
    accounts.user(
        "enterprise", organisation_id=org["id"], email="sun@example.com", member_role="viewer"
    )
    ids = {e: users.get_by_email(db, e)["id"] for e in ("b@example.com", "li@example.com")}
    ids["sun"] = users.get_by_email(db, "sun@example.com")["id"]
    by = Actor(org["owner"]["id"])
    for chosen, reason in (
        ({"data": ids["b@example.com"]}, "not_contributor"),
        ({"data": ids["sun"]}, "not_contributor"),
        ({"data": org["owner"]["id"]}, "not_contributor"),
        ({"nope": ids["li@example.com"]}, "unknown_section"),
    ):
        assert team.assign_sections(db, q, org["id"], chosen, by, "http://x") == team.Refused(
            reason
        )
    assert team_store.assignments(db, org["id"]) == {}
    assert db["outbox"].count == 0
    assert team.assign_sections(db, q, org["id"], {"data": ids["li@example.com"]}, by, "x") == 1
    assert team.assign_sections(db, q, org["id"], {"data": ids["li@example.com"]}, by, "x") == 0
    assert team.assign_sections(db, q, org["id"], {"data": None}, by, "x") == 1
    assert team_store.assignments(db, org["id"]) == {}
    assert db["outbox"].count == 1


def test_a_new_region_moves_the_facts_of_submitted_results(app, db, client_org):
    with app.app_context():
        versions = questionnaires.versions()
    before = dict(next(db.query("SELECT * FROM organisations WHERE id = ?", [client_org["id"]])))
    facts = list(db.query("SELECT region_code FROM result_facts"))
    assert facts and {f["region_code"] for f in facts} == {before["region_code"]}
    new = {
        "name": before["name"],
        "region_code": "330106",
        "sector": before["sector"],
        "size": "large",
        "contact_name": before["contact_name"],
        "contact_phone": before["contact_phone"],
    }
    changed = profile.edit(db, client_org["id"], new, versions, Actor(None))
    assert changed == {"region_code": ("320505", "330106"), "size": ("medium", "large")}
    assert {f["region_code"] for f in db.query("SELECT region_code FROM result_facts")} == {
        "330106"
    }
    assert profile.edit(db, client_org["id"], new, versions, Actor(None)) == {}
    assert organisations.get(db, client_org["id"])["size"] == "large"


def test_the_migration_makes_each_enterprises_first_account_its_owner(tmp_path):
    db = Database(tmp_path / "old.sqlite")
    migrations.migrations.apply(db, stop_before="0021_teams")
    for credit in ("A", "B"):
        db["organisations"].insert(
            {
                "name": credit,
                "credit_code": credit,
                "region_code": "320505",
                "sector": "rail",
                "size": "small",
            }
        )
    for email, org, role in (
        ("a1@x.cn", 1, "enterprise"),
        ("a2@x.cn", 1, "enterprise"),
        ("b1@x.cn", 2, "enterprise"),
        ("c@x.cn", None, "consultant"),
    ):
        db["users"].insert(
            {
                "email": email,
                "name": email,
                "password_hash": "x",
                "role": role,
                "organisation_id": org,
            }
        )
    migrations.migrations.apply(db)
    roles = {r["email"]: r["member_role"] for r in db.query("SELECT * FROM users")}
    assert roles == {
        "a1@x.cn": "owner",
        "a2@x.cn": "contributor",
        "b1@x.cn": "owner",
        "c@x.cn": None,
    }


def test_the_database_check_finds_a_team_out_of_order(app, db, org, accounts, tmp_path):
    from assess.integrity import problems

    with app.app_context():
        versions = questionnaires.versions()
    accounts.user(
        "enterprise", organisation_id=org["id"], email="sun@example.com", member_role="viewer"
    )
    viewer = users.get_by_email(db, "sun@example.com")["id"]
    assert problems(db, versions, tmp_path) == []
    with write_transaction(db):
        team_store.assign(db, org["id"], "data", viewer, org["owner"]["id"])
        team_store.assign(db, org["id"], "no-such-section", viewer, org["owner"]["id"])
        db.execute("UPDATE users SET member_role = 'viewer' WHERE id = ?", [org["owner"]["id"]])
    found = problems(db, versions, tmp_path)
    assert f"organisation {org['id']} has no owner" in found
    assert any("section 'no-such-section'" in p for p in found)
    assert any(f"section data assigned to user {viewer}" in p for p in found)
