"""The world every fuzzed request starts from: two enterprises, consultants with and without
access, an authority and an administrator, built once in a template database that each test
copies; and snapshots of the database, to tell whether a refused request changed anything."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pyotp
from werkzeug.security import generate_password_hash

from assess.declaration import chain
from assess.store import declarations as declaration_store
from assess.store import grants, recognitions, rounds, users
from assess.store.database import connect, write_transaction
from tests.fuzz.strategies import credit_code_for
from tests.support import Accounts, fill_completely, ready_app, start_assessment

# Tables that legitimately record attempts, refused or not.
ATTEMPT_TABLES = {"audit_log", "login_failures", "registration_attempts"}


def fast_hashes(monkeypatch) -> None:
    """Cheap password hashes: the fuzzer logs in and registers often (scrypt takes 0.1 s)."""
    fast = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr(users, "generate_password_hash", fast)
    monkeypatch.setattr(users, "_DUMMY_HASH", fast("not-a-real-password"))
    monkeypatch.setattr("assess.organisation.registration.generate_password_hash", fast)


def build_world(app, accounts: Accounts, db) -> dict:
    """Two enterprises, consultants with and without access, an authority, an administrator."""
    client = accounts.client
    w: dict = {}
    w["org_a"] = accounts.organisation(
        name="甲机械有限公司", credit_code=credit_code_for("320505", 1)
    )
    w["ent"] = accounts.user("enterprise", organisation_id=w["org_a"], email="ent@example.com")
    accounts.login(w["ent"])
    w["self_done"] = start_assessment(client)
    fill_completely(app, client, w["self_done"], "basic")
    client.post(f"/assessments/{w['self_done']}/submit", data={"confirm_submit": "1"})
    client.post("/organisation/listing", data={"listed": "1"})
    w["self_draft"] = start_assessment(client)
    accounts.logout()

    w["con"] = accounts.user("consultant", email="con@example.com", name="王顾问")
    w["con_id"] = users.get_by_email(db, w["con"])["id"]
    with write_transaction(db):
        grants.grant_registered(db, w["org_a"], w["con_id"])
    accounts.login(w["con"])
    response = client.post(
        f"/consultant/clients/{w['org_a']}/assessments", data={"prefill": "self"}
    )
    w["on_site"] = int(response.headers["Location"].split("/")[2])
    accounts.logout()

    w["con2"] = accounts.user("consultant", email="con2@example.com")
    w["org_b"] = accounts.organisation(
        name="乙机械有限公司", credit_code=credit_code_for("320583", 2)
    )
    w["entb"] = accounts.user("enterprise", organisation_id=w["org_b"], email="entb@example.com")
    entb_id = users.get_by_email(db, w["entb"])["id"]
    with write_transaction(db):
        con2_id = users.get_by_email(db, w["con2"])["id"]
        w["request_grant"] = grants.request_access(db, w["org_a"], con2_id)
        w["invite_token"] = grants.invite(
            db, w["org_b"], entb_id, email="invitee@example.com", consultant_id=None
        )
        con_token = grants.invite(
            db, w["org_b"], entb_id, email=w["con"], consultant_id=w["con_id"]
        )
    w["invite_grant"] = grants.by_token(db, w["invite_token"])["id"]
    w["con_invite_grant"] = grants.by_token(db, con_token)["id"]

    w["totp"] = accounts.user("consultant", email="totp@example.com")
    w["totp_secret"] = pyotp.random_base32()
    with write_transaction(db):
        totp_id = users.get_by_email(db, w["totp"])["id"]
        users.enable_totp(db, totp_id, w["totp_secret"], 0)
    w["authority"] = accounts.user("authority", email="auth@example.com", region_scope="32")
    w["admin"] = accounts.user("admin", email="admin@example.com")
    w["park"] = (
        db["parks"].insert({"county_code": "320505", "name_zh": "园区", "name_en": "Park"}).last_pk
    )
    w.update(_declarations(db, w))
    w.update(_team(accounts, db, w))
    w["user_ids"] = [r["id"] for r in db.query("SELECT id FROM users")]
    w["park_ids"] = [w["park"]]
    w["org_ids"] = [r["id"] for r in db.query("SELECT id FROM organisations")]
    w["grant_ids"] = [r["id"] for r in db.query("SELECT id FROM access_grants")]
    return w


def _team(accounts: Accounts, db, w: dict) -> dict:
    """Enterprise A's team: a contributor answering the sub-domain 数据, a viewer, and an
    invitation of a colleague waiting (its link read from the outbox)."""
    made = {"contrib": "contrib@example.com", "viewer": "viewer@example.com"}
    for key, email in made.items():
        role = "contributor" if key == "contrib" else "viewer"
        accounts.user("enterprise", organisation_id=w["org_a"], email=email, member_role=role)
    ids = {key: users.get_by_email(db, email)["id"] for key, email in made.items()}
    accounts.login(w["ent"])
    client = accounts.client
    client.post("/team/sections", data={"s:data": ids["contrib"]})
    client.post(
        "/team/invitations", data={"email": "colleague@example.com", "member_role": "viewer"}
    )
    accounts.logout()
    text = db.execute("SELECT text FROM outbox WHERE kind = 'team_invitation'").fetchone()[0]
    return {
        **made,
        "team_token": re.search(r"/team/join/(\S+)", text).group(1),
        "team_invitation_ids": [r[0] for r in db.execute("SELECT id FROM team_invitations")],
        "member_ids": list(ids.values()),
    }


def _declarations(db, w: dict) -> dict:
    """Enterprise A's declarations: one in review in Suzhou's open Basic round (with an
    on-site re-check asked of the consultant), a draft in Jiangsu's, and a recognition."""
    today = date.today()
    opens, deadline = (
        (today - timedelta(days=10)).isoformat(),
        (today + timedelta(days=60)).isoformat(),
    )
    made = {}
    with write_transaction(db):
        for key, scope in (("declaration", "3205"), ("draft_declaration", "32")):
            round_id = rounds.create(
                db,
                level="basic",
                year=today.year,
                region_scope=scope,
                chain=chain.DEFAULT_CHAINS["basic"],
                opens_on=opens,
                deadline=deadline,
                opened_by=None,
            )
            made[key] = declaration_store.create(
                db, round_id, w["org_a"], w["self_done"], "basic", None
            )
        made["round_ids"] = [1, 2]
        declaration_store.update(
            db,
            made["declaration"],
            status="in_review",
            revision=1,
            submitted_at=f"{today.isoformat()}T00:00:00Z",
        )
        made["recheck"] = declaration_store.add_recheck(
            db, made["declaration"], stage=0, consultant_id=w["con_id"]
        )
        made["recognition"] = recognitions.add(
            db,
            declaration_id=made["declaration"],
            organisation_id=w["org_a"],
            level="basic",
            kind="recognised",
            year=today.year,
            region_code="320505",
            park_id=None,
            by_scope="32",
        )
    return made


def build_template(folder: Path, monkeypatch) -> tuple[Path, dict]:
    """The world in folder/world.sqlite; its ids by name."""
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(folder / "instance"))
    fast_hashes(monkeypatch)
    app = ready_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE": str(folder / "world.sqlite"),
            "WTF_CSRF_ENABLED": False,
            "REPORT_QUEUE": "immediate",
        }
    )
    db = connect(app.config["DATABASE"])
    try:
        world = build_world(app, Accounts(app, app.test_client(), db), db)
    finally:
        db.close()
    return folder / "world.sqlite", world


def copy_into(db, template: Path) -> None:
    """Replace what db holds with the template database."""
    source = sqlite3.connect(template)
    try:
        source.backup(db.conn)
    finally:
        source.close()


def snapshot(db) -> dict[str, list]:
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        t: sorted(db.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)
        for t in sorted(set(tables) - ATTEMPT_TABLES)
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [t for t in after if before.get(t) != after[t]]
