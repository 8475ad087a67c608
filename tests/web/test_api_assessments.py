"""Assessments through the API: the same rules and the same saving path as the wizard, the
results page and the report (assess/views/api/assessments.py)."""

from __future__ import annotations

import random

import pytest

from assess.demo.synthetic import answers_for_outcome
from assess.store import assessments, grants, users
from assess.web import questionnaires
from tests.support import api_token, bearer

ANSWERS = "/api/v1/assessments/{}/answers"


def sent_answers(app, outcome: str = "basic") -> list[dict]:
    """Every relevant answer of an outcome, as another system sends them (no revisions)."""
    with app.app_context():
        q = questionnaires.latest()
    answers = answers_for_outcome(q, random.Random(5), outcome, sector="machine_tools")
    return [
        {
            "item": item,
            "value": list(a.value) if isinstance(a.value, tuple) else a.value,
            "reason": a.reason,
        }
        for item, a in answers.items()
    ]


@pytest.fixture
def owner(accounts, db):
    org = accounts.organisation(name="接口机械有限公司")
    email = accounts.user("enterprise", organisation_id=org, email="owner-api@example.com")
    return {"org": org, "email": email, "headers": bearer(api_token(db, email))}


def start(client, headers, **body) -> dict:
    response = client.post("/api/v1/assessments", headers=headers, json=body)
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def test_an_owner_starts_answers_and_submits_a_self_assessment(app, client, db, owner):
    draft = start(client, owner["headers"])
    assert (draft["mode"], draft["status"], draft["version"]) == ("self", "draft", "2026.1")
    assert start(client, owner["headers"])["id"] == draft["id"]  # one open draft at a time
    saved = client.post(
        ANSWERS.format(draft["id"]), headers=owner["headers"], json={"answers": sent_answers(app)}
    ).get_json()
    assert {r["status"] for r in saved["results"]} == {"saved", "unchanged"}
    assert saved["progress"]["percent"] == 100
    # who answered is kept with each answer, as in the wizard
    owner_id = users.get_by_email(db, owner["email"])["id"]
    stored = db.execute(
        "SELECT count(*), min(updated_by) FROM answers WHERE assessment_id = ?", [draft["id"]]
    ).fetchone()
    assert stored[0] > 100 and stored[1] == owner_id
    refused = client.post(
        f"/api/v1/assessments/{draft['id']}/submit",
        headers=owner["headers"],
        json={"confirm": False},
    )
    assert (refused.status_code, refused.get_json()["code"]) == (409, "not_reviewed")
    done = client.post(
        f"/api/v1/assessments/{draft['id']}/submit",
        headers=owner["headers"],
        json={"confirm": True},
    )
    assert done.status_code == 200
    body = done.get_json()
    assert body["status"] == "submitted" and body["gradient_level"]
    assert body["report_kind"] == "self"
    assert {"result", "report"} <= set(body["links"])
    result = client.get(body["links"]["result"], headers=owner["headers"]).get_json()
    assert result["assessment"]["id"] == draft["id"]
    assert result["gradient_level"] == body["gradient_level"]
    actions = [row["action"] for row in db.query("SELECT action FROM audit_log")]
    assert "submit" in actions and "assessment_started" in actions


def test_a_submitted_assessment_is_locked(app, client, db, owner):
    draft = start(client, owner["headers"])
    client.post(
        ANSWERS.format(draft["id"]), headers=owner["headers"], json={"answers": sent_answers(app)}
    )
    client.post(
        f"/api/v1/assessments/{draft['id']}/submit",
        headers=owner["headers"],
        json={"confirm": True},
    )
    late = client.post(
        ANSWERS.format(draft["id"]),
        headers=owner["headers"],
        json={"answers": [{"item": "org_strategy.1", "value": "none"}]},
    )
    assert (late.status_code, late.get_json()["code"]) == (409, "locked")


def test_submitting_an_incomplete_draft_names_what_is_missing(client, owner):
    draft = start(client, owner["headers"])
    refused = client.post(
        f"/api/v1/assessments/{draft['id']}/submit",
        headers=owner["headers"],
        json={"confirm": True},
    )
    assert refused.status_code == 409
    assert refused.get_json()["code"] == "missing"
    assert "gate.sound_operations" in refused.get_json()["missing"]


def test_answers_are_checked_one_by_one_and_revisions_hold(client, owner):
    draft = start(client, owner["headers"])
    url = ANSWERS.format(draft["id"])
    first = client.post(
        url,
        headers=bearer(owner["headers"]["Authorization"].split()[1], "en"),
        json={
            "answers": [
                {"item": "org_strategy.1", "value": "full"},
                {"item": "org_strategy.2", "value": "bogus"},
                {"item": "no.such.item", "value": "full"},
            ]
        },
    ).get_json()["results"]
    assert [(r["status"], r["code"]) for r in first] == [
        ("saved", ""),
        ("invalid", "invalid_value"),
        ("invalid", "unknown_item"),
    ]
    assert first[1]["message"] == "Choose one of the options."
    # a revision the sender last saw: an older one is stale and changes nothing
    again = client.post(
        url,
        headers=owner["headers"],
        json={"answers": [{"item": "org_strategy.1", "value": "none", "revision": 1}]},
    ).get_json()["results"][0]
    assert (again["status"], again["value"], again["revision"]) == ("stale", "full", 1)
    newer = client.post(
        url,
        headers=owner["headers"],
        json={"answers": [{"item": "org_strategy.1", "value": "none", "revision": 2}]},
    ).get_json()["results"][0]
    assert (newer["status"], newer["value"], newer["revision"]) == ("saved", "none", 2)
    # without a revision the sent answer replaces the stored one
    replaced = client.post(
        url,
        headers=owner["headers"],
        json={"answers": [{"item": "org_strategy.1", "value": "most"}]},
    ).get_json()["results"][0]
    assert (replaced["status"], replaced["revision"]) == ("saved", 3)
    stored = client.get(url, headers=owner["headers"]).get_json()["items"]
    assert {"item": "org_strategy.1", "value": "most", "reason": "", "revision": 3} in stored


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"answers": []},
        {"answers": "x"},
        {"answers": [{"value": "full"}]},
        {"answers": [{"item": "org_strategy.1", "value": "full", "revision": "2"}]},
        {"answers": [{"item": "org_strategy.1", "value": "full", "revision": 0}]},
        {"answers": [{"item": "org_strategy.1", "value": "full", "extra": 1}]},
        {"answers": [{"item": "x", "value": "full"}] * 201},
        {"evidence": [{"item": "org_strategy.1", "quality": "great"}]},
        [],
    ],
)
def test_a_malformed_body_is_refused_and_saves_nothing(client, db, owner, body):
    draft = start(client, owner["headers"])
    before = db.execute("SELECT count(*) FROM answers").fetchone()[0]
    response = client.post(ANSWERS.format(draft["id"]), headers=owner["headers"], json=body)
    assert response.status_code == 422
    assert response.get_json()["code"] == "invalid"
    assert db.execute("SELECT count(*) FROM answers").fetchone()[0] == before


def test_a_contributor_answers_its_sections_only_and_may_not_submit(
    app, client, db, accounts, owner
):
    draft = start(client, owner["headers"])
    email = accounts.user(
        "enterprise",
        organisation_id=owner["org"],
        email="contrib-api@example.com",
        member_role="contributor",
    )
    from assess.store import team

    with db.conn:
        owner_id = users.get_by_email(db, owner["email"])["id"]
        team.assign(db, owner["org"], "org_strategy", users.get_by_email(db, email)["id"], owner_id)
    headers = bearer(api_token(db, email))
    results = client.post(
        ANSWERS.format(draft["id"]),
        headers=headers,
        json={
            "answers": [
                {"item": "org_strategy.1", "value": "full"},
                {"item": "gate.sound_operations", "value": "yes"},
            ]
        },
    ).get_json()["results"]
    assert [(r["status"], r["code"]) for r in results] == [
        ("saved", ""),
        ("invalid", "not_assigned"),
    ]
    refused = client.post(
        f"/api/v1/assessments/{draft['id']}/submit", headers=headers, json={"confirm": True}
    )
    assert (refused.status_code, refused.get_json()["code"]) == (403, "forbidden")
    assert client.post("/api/v1/assessments", headers=headers, json={}).status_code == 403


def test_another_tenants_assessment_is_404_without_data(client, db, accounts, owner):
    draft = start(client, owner["headers"])
    other = bearer(api_token(db, accounts.user("enterprise", email="other-api@example.com")))
    for method, url, body in [
        ("GET", f"/api/v1/assessments/{draft['id']}", None),
        ("GET", ANSWERS.format(draft["id"]), None),
        (
            "POST",
            ANSWERS.format(draft["id"]),
            {"answers": [{"item": "org_strategy.1", "value": "none"}]},
        ),
        ("POST", f"/api/v1/assessments/{draft['id']}/submit", {"confirm": True}),
        ("GET", f"/api/v1/assessments/{draft['id']}/result", None),
        ("GET", f"/api/v1/assessments/{draft['id']}/report.pdf", None),
    ]:
        response = client.open(url, method=method, headers=other, json=body)
        assert response.status_code == 404, url
        assert set(response.get_json()) == {"code", "message", "request_id"}
    assert client.get("/api/v1/assessments", headers=other).get_json()["total"] == 0
    assert (
        client.post(
            "/api/v1/assessments", headers=other, json={"organisation_id": owner["org"]}
        ).status_code
        == 404
    )


def test_a_draft_has_no_result(client, owner):
    draft = start(client, owner["headers"])
    response = client.get(f"/api/v1/assessments/{draft['id']}/result", headers=owner["headers"])
    assert (response.status_code, response.get_json()["code"]) == (409, "not_submitted")


def test_the_report_pdf_when_ready(app, client, db, client_org):
    headers = bearer(api_token(db, client_org["email"]))
    response = client.get(f"/api/v1/assessments/{client_org['self']}/report.pdf", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]


def test_the_annex_pdf_is_asked_with_part_annex_and_a_wrong_part_is_refused(
    app, client, db, client_org
):
    headers = bearer(api_token(db, client_org["email"]))
    url = f"/api/v1/assessments/{client_org['self']}/report.pdf"
    report = client.get(url, headers=headers)
    annex = client.get(url + "?part=annex", headers=headers)
    assert report.status_code == annex.status_code == 200
    assert annex.data.startswith(b"%PDF") and annex.data != report.data
    assert "assess-report-annex-" in annex.headers["Content-Disposition"]
    assert "assess-report-annex-" not in report.headers["Content-Disposition"]
    wrong = client.get(url + "?part=everything", headers=headers)
    assert wrong.status_code == 422 and not wrong.data.startswith(b"%PDF")


def test_the_report_pdf_while_it_renders_is_202_with_its_status(
    app, client, db, client_org, tmp_path
):
    app.config["REPORT_QUEUE"] = str(tmp_path / "queue.sqlite")  # a queue no worker serves
    from assess.web import documents

    documents.init_app(app)
    headers = bearer(api_token(db, client_org["email"]), "en")
    url = f"/api/v1/assessments/{client_org['self']}/report.pdf?lang=en"
    response = client.get(url, headers=headers)
    assert response.status_code == 202
    job = response.get_json()
    assert job["state"] in ("queued", "rendering")
    assert response.headers["Location"] == job["status_url"]
    assert job["download_url"] == url
    status = client.get(job["status_url"], headers=headers)
    assert status.status_code == 200 and status.get_json()["state"] == job["state"]


def test_a_consultant_works_on_site_for_a_client_that_granted_access(
    app, client, db, client_org, accounts
):
    email = accounts.user("consultant", email="c-api@example.com")
    consultant_id = users.get_by_email(db, email)["id"]
    headers = bearer(api_token(db, email))
    # no grant yet: the client is not found
    refused = client.post(
        "/api/v1/assessments", headers=headers, json={"organisation_id": client_org["id"]}
    )
    assert refused.status_code == 404
    with db.conn:
        grants.grant_registered(db, client_org["id"], consultant_id)
    missing = client.post("/api/v1/assessments", headers=headers, json={})
    assert missing.status_code == 422
    draft = start(client, headers, organisation_id=client_org["id"], prefill=True)
    assert (draft["mode"], draft["consultant_id"]) == ("consultant", consultant_id)
    assert draft["progress"]["percent"] == 100  # filled in from the client's self-assessment
    listed = client.get(
        f"/api/v1/assessments?organisation_id={client_org['id']}", headers=headers
    ).get_json()
    assert {row["id"] for row in listed["items"]} == {draft["id"], client_org["self"]}
    # the client's own draft is not the consultant's to see
    assert client.get(ANSWERS.format(client_org["self"]), headers=headers).status_code == 200
    with app.test_request_context():
        verify_on_site_api(app, db, client, headers, draft["id"])
    done = client.post(
        f"/api/v1/assessments/{draft['id']}/submit", headers=headers, json={"confirm": True}
    )
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["report_kind"] == "verified"
    pdf = client.get(f"/api/v1/assessments/{draft['id']}/report.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    # the enterprise sees the submitted on-site assessment and its verified report
    owner = bearer(api_token(db, client_org["email"]))
    assert client.get(f"/api/v1/assessments/{draft['id']}/result", headers=owner).status_code == 200
    # once the grant is revoked the consultant sees the client no more
    with db.conn:
        db.execute(
            "UPDATE access_grants SET revoked_at = '2026-01-01' WHERE consultant_id = ?",
            [consultant_id],
        )
    assert client.get(f"/api/v1/assessments/{draft['id']}", headers=headers).status_code == 404
    assert client.get("/api/v1/assessments", headers=headers).get_json()["total"] == 0


def verify_on_site_api(app, db, client, headers, assessment_id):
    """Every rated and deciding answer (profile, basic requirements, ...) verified through the
    API's evidence notes, and a visit (the visit has no API: it is recorded as the web's page
    does, in the store)."""
    from assess.report.results import scored
    from assess.scoring.result import rated_items
    from assess.scoring.verification import deciding_items
    from assess.store import evidence as evidence_store
    from tests.support import VISIT

    row = assessments.get(db, assessment_id)
    found = scored(db, questionnaires.versions(), row)
    answered = evidence_store.answered_items(db, assessment_id)
    checked = sorted(rated_items(found.result) | deciding_items(found.q, answered, found.result))
    for start_at in range(0, len(checked), 200):
        response = client.post(
            ANSWERS.format(assessment_id),
            headers=headers,
            json={
                "evidence": [
                    {"item": item, "verified": True} for item in checked[start_at : start_at + 200]
                ]
            },
        )
        assert response.status_code == 200, response.get_json()
    with db.conn:
        evidence_store.add_visit(
            db, assessment_id, VISIT.isoformat(), "一号车间", "厂长", row["consultant_id"]
        )


def test_evidence_sent_through_the_api_is_cleaned_and_what_it_leaves_out_is_kept(
    app, client, db, client_org, accounts
):
    """A note is cleaned as the wizard cleans it; a field left out (another device may have set
    it meanwhile) keeps its stored value; taking a verified mark off is audited."""
    from assess.store import evidence as evidence_store

    email = accounts.user("consultant", email="c-evidence@example.com")
    consultant_id = users.get_by_email(db, email)["id"]
    with db.conn:
        grants.grant_registered(db, client_org["id"], consultant_id)
    headers = bearer(api_token(db, email))
    draft = start(client, headers, organisation_id=client_org["id"], prefill=True)
    item = sorted(evidence_store.for_assessment(db, draft["id"]) or ["org_strategy.1"])[0]
    url = ANSWERS.format(draft["id"])

    def send(**entry):
        response = client.post(url, headers=headers, json={"evidence": [{"item": item, **entry}]})
        assert response.status_code == 200, response.get_json()
        return evidence_store.for_assessment(db, draft["id"])[item]

    stored = send(note="ok\x1b[31m\x07\x00 bad", quality="documented", verified=True)
    assert stored["note"] == "ok[31m bad"
    assert (stored["evidence_quality"], stored["verified_by"]) == ("documented", consultant_id)
    stored = send(note="a later note")
    assert stored["note"] == "a later note"
    assert (stored["evidence_quality"], stored["verified_by"]) == ("documented", consultant_id)
    stored = send(verified=False)
    assert (stored["note"], stored["verified_by"]) == ("a later note", None)
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert actions.count("answer_verified") == 1 and actions.count("answer_unverified") == 1
