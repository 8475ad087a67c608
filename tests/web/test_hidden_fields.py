"""Fields a client adds to a form or JSON body (organisation, status, score, region, role) are
ignored: what is stored comes from the session's user and the server's own rules only."""

from __future__ import annotations

from assess.store import assessments, grants, organisations, users
from tests.support import GOOD, autosave

PLANTED = {
    "organisation_id": "999",
    "status": "submitted",
    "score": "100",
    "gradient_rank": "4",
    "cmmm_level": "5",
    "region_code": "110101",
    "role": "admin",
    "consultant_id": "1",
    "mode": "consultant",
    "region_scope": "",
}


def test_registration_ignores_planted_role_region_and_organisation(client, db):
    response = client.post("/register", data={**GOOD, **PLANTED})
    assert response.headers["Location"] == "/assessments"
    user = users.get_by_email(db, GOOD["email"])
    org = organisations.get(db, user["organisation_id"])
    assert (user["role"], user["region_scope"], org["region_code"]) == (
        "enterprise",
        None,
        "320505",
    )
    assert org["id"] != 999


def test_wizard_posts_ignore_planted_status_score_and_organisation(accounts, db):
    other = accounts.organisation(name="乙机械有限公司", region_code="330106")
    own = accounts.organisation(name="甲机械有限公司")
    accounts.login(accounts.user("enterprise", organisation_id=own))
    client = accounts.client
    created = client.post("/assessments/new", data={"prefill": "empty", **PLANTED})
    assessment_id = int(created.headers["Location"].rstrip("/").split("/")[-1])
    page = client.post(
        f"/assessments/{assessment_id}/pages/profile",
        data={"profile-sector": "rail", "profile-sector--rev": "2", "go": "stay", **PLANTED},
    )
    assert page.status_code == 302
    client.post(
        f"/assessments/{assessment_id}/answers",
        json={
            "answers": [{"item": "data.1", "value": "full", "revision": 1, "reason": ""}],
            **{key: value for key, value in PLANTED.items()},
        },
    )
    row = assessments.get(db, assessment_id)
    assert (row["organisation_id"], row["status"], row["mode"], row["consultant_id"]) == (
        own,
        "draft",
        "self",
        None,
    )
    assert row["gradient_rank"] is None and row["cmmm_score"] is None
    assert set(assessments.answers(db, assessment_id)) == {"profile.sector", "data.1"}
    assert assessments.for_organisation(db, other) == []


def test_enterprise_settings_touch_only_the_users_own_organisation(accounts, db):
    other = accounts.organisation(name="乙机械有限公司", region_code="330106")
    own = accounts.organisation(name="甲机械有限公司")
    accounts.login(accounts.user("enterprise", organisation_id=own))
    client = accounts.client
    client.post("/organisation/listing", data={"listed": "1", **PLANTED, "organisation_id": other})
    assert organisations.get(db, own)["listing_opt_in"] == 1
    assert organisations.get(db, other)["listing_opt_in"] == 0
    assert organisations.get(db, own)["region_code"] == "320505"
    client.post("/consultants", data={"email": "c@example.com", "organisation_id": other})
    assert [g["organisation_id"] for g in grants.for_organisation(db, own)] == [own]
    assert grants.for_organisation(db, other) == []


def test_a_consultant_cannot_plant_another_consultant_or_mode(accounts, db):
    org = accounts.organisation(name="客户机械有限公司")
    consultant = accounts.user("consultant", email="c@example.com")
    someone = accounts.user("consultant", email="other@example.com")
    consultant_id = users.get_by_email(db, consultant)["id"]
    with db.conn:
        grants.grant_registered(db, org, consultant_id)
    accounts.login(consultant)
    response = accounts.client.post(
        f"/consultant/clients/{org}/assessments",
        data={
            "prefill": "empty",
            **PLANTED,
            "consultant_id": users.get_by_email(db, someone)["id"],
        },
    )
    assessment_id = int(response.headers["Location"].split("/")[2])
    row = assessments.get(db, assessment_id)
    assert (row["organisation_id"], row["mode"], row["consultant_id"], row["status"]) == (
        org,
        "consultant",
        consultant_id,
        "draft",
    )
    saved = autosave(accounts.client, assessment_id, ("data.1", "full", 1))
    assert saved["results"][0]["status"] == "saved"
