"""Handing an enterprise to a new owner (assess/organisation/handover.py), without and with an
impostor: the old owner's access ends and the results stay; or every account of the impostor
ends and what it did counts nowhere official (candidate list, regional sums, recognitions,
consultants' access), kept in the audit entry. Through the administrator's page."""

from __future__ import annotations

import html
import json
from pathlib import Path

from assess.integrity import problems
from assess.organisation import handover
from assess.store import grants, organisations, regional, users
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.store.regional import Scope
from assess.web import questionnaires
from tests.support import PASSWORD


def _team(accounts, client_org, db):
    """client_org (a submitted self-assessment, listed) with a contributor and a consultant."""
    org = client_org["id"]
    colleague = accounts.user(
        "enterprise", email="li@example.com", organisation_id=org, member_role="contributor"
    )
    consultant = accounts.user("consultant", email="c@example.com")
    with write_transaction(db):
        grants.grant_registered(db, org, users.get_by_email(db, consultant)["id"])
    accounts.login(client_org["email"])
    accounts.client.post("/organisation/listing", data={"listed": "1"})
    accounts.logout()
    return colleague, consultant


def _check(app, db):
    with app.app_context():
        return problems(db, questionnaires.versions(), Path(app.config["EVIDENCE_DIR"]))


def test_an_enterprise_whose_owner_left_is_handed_to_a_colleague(
    app, accounts, client_org, db, smtp
):
    colleague, _consultant = _team(accounts, client_org, db)
    owner = app.test_client()
    owner.post("/login", data={"email": client_org["email"], "password": PASSWORD})
    accounts.login(accounts.user("admin"))
    page = html.unescape(
        accounts.client.get(
            "/admin/hand-over",
            query_string={"credit_code": organisations.get(db, client_org["id"])["credit_code"]},
        ).get_data(as_text=True)
    )
    assert "客户机械有限公司" in page and client_org["email"] in page and colleague in page
    code = organisations.get(db, client_org["id"])["credit_code"]
    unconfirmed = accounts.client.post(
        "/admin/hand-over", data={"credit_code": code, "email": colleague}, follow_redirects=True
    )
    assert "请勾选确认移交的复选框" in unconfirmed.get_data(as_text=True)
    done = accounts.client.post(
        "/admin/hand-over",
        data={"credit_code": code, "email": colleague, "confirm": "1"},
        follow_redirects=True,
    )
    assert "已移交给 li@example.com" in html.unescape(done.get_data(as_text=True))
    old, new = users.get_by_email(db, client_org["email"]), users.get_by_email(db, colleague)
    assert (old["active"], old["organisation_id"]) == (0, client_org["id"])
    assert (new["member_role"], new["organisation_id"]) == ("owner", client_org["id"])
    assert owner.get("/assessments").status_code == 302  # logged out everywhere
    scope = Scope("32")
    assert [r["id"] for r in regional.candidates(db, scope)] == [client_org["id"]]  # results stay
    arrived = sorted(r[0] for r, m in smtp.deliver(app) if m["X-Assess-Kind"] == "handed_over")
    assert arrived == sorted([client_org["email"], colleague])
    assert _check(app, db) == []


def test_handing_an_impostors_enterprise_over_sets_everything_it_did_aside(
    app, accounts, client_org, db
):
    colleague, consultant = _team(accounts, client_org, db)
    org = client_org["id"]
    claimant = accounts.user("enterprise", email="real@example.com")  # another enterprise's
    scope = Scope("32")
    assert [r["id"] for r in regional.candidates(db, scope)] == [org]
    with app.app_context():
        q = questionnaires.latest()
    admin = users.get_by_email(db, accounts.user("admin"))["id"]
    refused = handover.hand_over(
        db, q, org, users.get_by_email(db, claimant)["id"], Actor(admin), impostor=True
    )
    assert refused == handover.Refused("new_owner")  # neither a member nor a claimant
    done = handover.hand_over(
        db, q, org, users.get_by_email(db, colleague)["id"], Actor(admin), impostor=True
    )
    owner = users.get_by_email(db, client_org["email"])
    assert done.ended == (owner["id"],)
    assert [r["assessment_id"] for r in done.set_aside] == [client_org["self"]]
    assert regional.candidates(db, scope) == []
    assert grants.active(db, users.get_by_email(db, consultant)["id"], org) is None
    kept = organisations.get(db, org)
    assert (kept["listing_opt_in"], kept["claim_code_hash"]) == (0, None)
    aside = organisations.get(db, done.aside_organisation_id)
    assert (aside["set_aside_from"], aside["credit_code"]) == (org, f"set-aside:{aside['id']}")
    assert (owner["active"], owner["organisation_id"]) == (0, aside["id"])
    assessment = db["assessments"].get(client_org["self"])
    assert assessment["organisation_id"] == aside["id"] and assessment["set_aside_at"]
    assert db.execute("SELECT count(*) FROM result_facts").fetchone() == (0,)
    (entry,) = db.query("SELECT * FROM audit_log WHERE action = 'organisation_handed_over'")
    detail = json.loads(entry["detail"])
    assert detail["results_set_aside"][0]["assessment_id"] == client_org["self"]
    assert {"gradient_rank", "cmmm_level", "cmmm_score"} <= set(detail["results_set_aside"][0])
    # the deploy step's rebuild of derived data does not bring the facts back
    from assess.regional.derived import bring_up_to_date

    with app.app_context():
        bring_up_to_date(db, questionnaires.versions())
    assert db.execute("SELECT count(*) FROM result_facts").fetchone() == (0,)
    assert _check(app, db) == []


def test_a_claimants_team_and_work_join_the_enterprise_with_one_owner(
    app, accounts, client_org, db
):
    """The claimant's stand-in had two people (its owner and a colleague) and a draft: the
    administrator hands the enterprise to the colleague; both join, the colleague owns it, the
    draft follows, the stand-in is closed and empty."""
    from assess.organisation.registration import Details, stand_in
    from assess.store import contests

    org = client_org["id"]
    with write_transaction(db):
        details = Details("真实机械有限公司", "x", "320505", "machine_tools", "medium", "赵工")
        claimant_org = stand_in(db, details)
        first = users.create(
            db,
            email="zhao@real.example",
            name="赵工",
            password=PASSWORD,
            role="enterprise",
            organisation_id=claimant_org,
        )
        colleague = users.create(
            db,
            email="sun@real.example",
            name="孙工",
            password=PASSWORD,
            role="enterprise",
            organisation_id=claimant_org,
            member_role="contributor",
        )
        draft = (
            db["assessments"]
            .insert(
                {
                    "organisation_id": claimant_org,
                    "questionnaire_id": "machinery-smart-factory",
                    "questionnaire_version": questionnaires_version(app),
                }
            )
            .last_pk
        )
        contest = contests.create(
            db,
            credit_code="c",
            organisation_id=org,
            claimant_id=first,
            claimant_organisation_id=claimant_org,
        )
        # its licence sent: an open contest (a draft's claimant is no candidate)
        db.execute("UPDATE contests SET status = 'open' WHERE id = ?", [contest])
    with app.app_context():
        q = questionnaires.latest()
    admin = users.get_by_email(db, accounts.user("admin"))["id"]
    done = handover.hand_over(db, q, org, colleague, Actor(admin), impostor=True)
    assert isinstance(done, handover.HandedOver)
    team = {u["id"]: u for u in db.query("SELECT * FROM users WHERE organisation_id = ?", [org])}
    assert {k: (v["member_role"], v["active"]) for k, v in team.items()} == {
        first: ("contributor", 1),
        colleague: ("owner", 1),
    }
    assert db["assessments"].get(draft)["organisation_id"] == org
    assert organisations.get(db, claimant_org)["closed_at"]
    assert _check(app, db) == []


def questionnaires_version(app) -> str:
    with app.app_context():
        return questionnaires.latest().version
