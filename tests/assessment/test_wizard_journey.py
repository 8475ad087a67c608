"""Expired sessions keep answers; submit locks; results match the CLI; re-assessment; access."""

from __future__ import annotations

import json

import pytest

from assess.store import assessments, users
from tests.support import (
    PASSWORD,
    Accounts,
    autosave,
    csrf_token,
    fill_completely,
    owner_token,
    start_assessment,
    start_assessment_under,
)


def test_a_page_posted_after_the_session_expired_is_saved_after_login(app, accounts, db):
    org = accounts.organisation()
    email = accounts.user("enterprise", organisation_id=org, email="e@example.com")
    client = accounts.client
    accounts.login(email)
    assessment_id = start_assessment(client)
    token = owner_token(
        client.get(f"/assessments/{assessment_id}/pages/gate").get_data(as_text=True)
    )
    fresh = app.test_client()  # the session cookie is gone (expired, browser restarted)
    response = fresh.post(
        f"/assessments/{assessment_id}/pages/gate",
        data={
            "owner": token,
            "gate-sound_operations": "yes",
            "gate-sound_operations--rev": "1",
            "gate-organisation_talent": "no",
            "gate-organisation_talent--rev": "1",
            "go": "next",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(
        f"/login?next=/assessments/{assessment_id}/pages/gate"
    )
    assert set(assessments.answers(db, assessment_id)) == {"profile.sector"}  # from registration
    assert "会话已过期" in fresh.get("/login").get_data(as_text=True)
    login = fresh.post(response.headers["Location"], data={"email": email, "password": PASSWORD})
    assert login.headers["Location"] == f"/assessments/{assessment_id}/pages/gate"
    page = fresh.get(login.headers["Location"]).get_data(as_text=True)
    assert "现已保存" in page
    saved = {k: v.answer.value for k, v in assessments.answers(db, assessment_id).items()}
    assert saved == {
        "profile.sector": "machine_tools",
        "gate.sound_operations": "yes",
        "gate.organisation_talent": "no",
    }


def test_a_page_posted_after_the_csrf_token_expired_is_saved(csrf_app, db):
    from assess.store.database import connect

    client = csrf_app.test_client()
    database = connect(csrf_app.config["DATABASE"])
    helper = Accounts(csrf_app, client, database)
    email = helper.user("enterprise")
    body = client.get("/login").get_data(as_text=True)
    client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(body)}
    )
    body = client.get("/assessments").get_data(as_text=True)
    client.post("/assessments/new", data={"prefill": "empty", "csrf_token": csrf_token(body)})
    assessment_id = assessments.for_organisation(
        database, users.get_by_email(database, email)["organisation_id"]
    )[0]["id"]
    page = client.get(f"/assessments/{assessment_id}/pages/gate").get_data(as_text=True)
    response = client.post(
        f"/assessments/{assessment_id}/pages/gate",
        data={
            "csrf_token": "expired-or-from-an-old-session",
            "owner": owner_token(page),
            "gate-sound_operations": "no",
            "gate-sound_operations--rev": "1",
        },
    )
    assert response.headers["Location"] == f"/assessments/{assessment_id}/pages/gate"
    client.get(response.headers["Location"])
    assert (
        assessments.answers(database, assessment_id)["gate.sound_operations"].answer.value == "no"
    )
    database.close()


def test_a_forged_post_without_a_genuine_owner_token_stores_nothing(app, enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    stranger = app.test_client()
    for owner in [
        "",
        "forged",
        owner_token(client.get(f"/assessments/{assessment_id}/pages/gate").get_data(as_text=True))
        + "x",
    ]:
        response = stranger.post(
            f"/assessments/{assessment_id}/pages/gate",
            data={"owner": owner, "gate-sound_operations": "no"},
        )
        assert response.status_code == 400
    assert db.execute("SELECT count(*) FROM pending_saves").fetchone()[0] == 0


@pytest.mark.parametrize("how", ["another site", "after logout", "too old"])
def test_a_genuine_owner_token_keeps_nothing_from_another_site_after_logout_or_when_old(
    app, accounts, db, monkeypatch, how
):
    """The owner token is no standing permission: a post from another site, a token of
    sessions ended by a logout, or a token older than a day are refused and keep nothing."""
    from assess.assessment import pending

    email = accounts.user("enterprise", email="owner@example.com")
    accounts.login(email)
    assessment_id = start_assessment(accounts.client)
    page_url = f"/assessments/{assessment_id}/pages/gate"
    token = owner_token(accounts.client.get(page_url).get_data(as_text=True))
    headers = {}
    if how == "another site":
        headers["Origin"] = "https://evil.example"
    elif how == "after logout":
        accounts.logout()
    else:
        monkeypatch.setattr(pending, "OWNER_MAX_AGE", -1)
    response = app.test_client().post(
        page_url, data={"owner": token, "gate-sound_operations": "no"}, headers=headers
    )
    assert response.status_code == 400
    assert db.execute("SELECT count(*) FROM pending_saves").fetchone()[0] == 0
    assert "gate.sound_operations" not in assessments.answers(db, assessment_id)
    if how == "after logout":  # says why, and what to do
        assert "您在打开此页后退出了登录" in response.get_data(as_text=True)


def test_answers_kept_for_one_user_are_not_applied_for_another(app, accounts, db):
    org = accounts.organisation()
    owner = accounts.user("enterprise", organisation_id=org, email="owner@example.com")
    colleague = accounts.user("enterprise", organisation_id=org, email="colleague@example.com")
    accounts.login(owner)
    assessment_id = start_assessment(accounts.client)
    token = owner_token(
        accounts.client.get(f"/assessments/{assessment_id}/pages/gate").get_data(as_text=True)
    )
    before = assessments.answers(db, assessment_id)
    fresh = app.test_client()
    response = fresh.post(
        f"/assessments/{assessment_id}/pages/gate",
        data={"owner": token, "gate-sound_operations": "no"},
    )
    fresh.post(response.headers["Location"], data={"email": colleague, "password": PASSWORD})
    fresh.get(f"/assessments/{assessment_id}/pages/gate")
    assert assessments.answers(db, assessment_id) == before
    assert "gate.sound_operations" not in before


def test_submit_locks_and_the_result_matches_the_score_command(
    app, enterprise, runner, db, tmp_path
):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    answers = fill_completely(app, client, assessment_id, "advanced")
    assert (
        client.get(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"}).status_code
        == 200
    )
    response = client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    assert response.headers["Location"] == f"/assessments/{assessment_id}/results"
    again = client.post(
        f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"}
    )  # a double submit
    assert again.headers["Location"] == f"/assessments/{assessment_id}/results"
    row = assessments.get(db, assessment_id)
    assert (row["status"], row["gradient_level"]) == ("submitted", "advanced")
    twin = client.get(f"/assessments/{assessment_id}/results.json").get_json()
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(
        json.dumps(
            {
                "questionnaire": row["questionnaire_id"],
                "version": row["questionnaire_version"],
                "answers": {
                    k: {
                        "value": list(v.value) if isinstance(v.value, tuple) else v.value,
                        "reason": v.reason,
                    }
                    for k, v in answers.items()
                },
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    cli = json.loads(runner.invoke(args=["score", str(answers_file), "--json"]).output)
    for key in (
        "gradient_level",
        "gradient_rank",
        "cmmm",
        "scenarios",
        "levels",
        "roadmap",
        "summary",
    ):
        assert twin[key] == cli[key], key
    page = client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert "先进级" in page and "自评估/诊断结果，非官方评定" in page and "<svg" in page
    # locked: neither a page post nor an autosave changes anything
    before = assessments.answers(db, assessment_id)
    response = client.post(
        f"/assessments/{assessment_id}/pages/gate",
        data={"gate-sound_operations": "no", "gate-sound_operations--rev": "9"},
    )
    assert response.headers["Location"] == f"/assessments/{assessment_id}/results"
    assert autosave(client, assessment_id, ("gate.sound_operations", "no", 9))["status"] == 409
    assert assessments.answers(db, assessment_id) == before


def test_re_assessment_starts_from_the_last_answers_and_history_shows_both(app, enterprise, db):
    client = enterprise["client"]
    first = start_assessment(client)
    answers = fill_completely(app, client, first, "basic")
    client.post(f"/assessments/{first}/submit", data={"confirm_submit": "1"})
    response = client.post("/assessments/new", data={"prefill": "last"})
    # it opens on the first page to be read through, not on "submit", and says where from
    assert response.headers["Location"].endswith("/pages/profile")
    opened = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已填入贵企业" in opened and "自评估的答案" in opened
    second = int(response.headers["Location"].split("/")[2])
    assert second != first
    copied = {k: v.answer for k, v in assessments.answers(db, second).items()}
    assert copied == answers
    # last year's answers are confirmed, not submitted by one click
    refused = client.post(f"/assessments/{second}/submit", data={"confirm_submit": "1"})
    assert refused.status_code == 422 and "逐页核对" in refused.get_data(as_text=True)
    assert assessments.get(db, second)["status"] == "draft"
    client.post(
        f"/assessments/{second}/submit", data={"confirm_carried": "1", "confirm_submit": "1"}
    )
    assert assessments.get(db, second)["status"] == "submitted"
    history = client.get("/history").get_data(as_text=True)
    assert (
        history.count(f"/assessments/{first}/results") == 1
        and history.count(f"/assessments/{second}/results") == 1
    )
    assert "首次评估" in history


ROUTES = [
    ("get", "/assessments/{id}"),
    ("get", "/assessments/{id}/pages/profile"),
    ("post", "/assessments/{id}/pages/profile"),
    ("post", "/assessments/{id}/answers"),
    ("get", "/assessments/{id}/submit"),
    ("post", "/assessments/{id}/submit"),
    ("get", "/assessments/{id}/results"),
    ("get", "/assessments/{id}/results.json"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_an_enterprise_can_never_reach_another_enterprises_assessment(
    app, accounts, db, method, route
):
    other_org = accounts.organisation(name="乙企业")
    other = accounts.user("enterprise", organisation_id=other_org, email="b@example.com")
    accounts.login(other)
    theirs = start_assessment(accounts.client)
    before = assessments.answers(db, theirs)
    accounts.logout()
    accounts.login(accounts.user("enterprise", email="a@example.com"))
    kwargs = (
        {"json": {"answers": [{"item": "data.1", "value": "full", "revision": 5}]}}
        if route.endswith("answers")
        else {}
    )
    response = getattr(accounts.client, method)(route.format(id=theirs), **kwargs)
    assert response.status_code == 404
    assert assessments.answers(db, theirs) == before
    assert assessments.get(db, theirs)["status"] == "draft"


def test_the_sector_declared_in_the_assessment_becomes_the_organisations(app, enterprise, db):
    """Registered under machine tools; the profile says rail: on submission the organisation,
    its peers and its region's figures follow the newer word."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    fill_completely(app, client, assessment_id, "basic")
    autosave(client, assessment_id, ("profile.sector", "rail", 2))
    client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    organisation_id = enterprise["organisation_id"]
    assert (
        db.execute("SELECT sector FROM organisations WHERE id = ?", [organisation_id]).fetchone()[0]
        == "rail"
    )
    assert db.execute(
        "SELECT sector FROM result_facts WHERE organisation_id = ?", [organisation_id]
    ).fetchall() == [("rail",)]


def submitted_under_2025(app, db, organisation_id, seed=5, **changes):
    """A self-assessment submitted under 2025.1 (before 2026.1 was published); its answers."""
    import random

    from assess.assessment import submission
    from assess.demo.synthetic import answers_for_outcome
    from assess.store.database import write_transaction
    from assess.web import questionnaires

    with app.app_context():
        old = questionnaires.versions().get("machinery-smart-factory", "2025.1")
    answers = answers_for_outcome(old, random.Random(seed), "basic", sector="machine_tools")
    answers.update(changes)
    assessment_id = start_assessment_under(app, db, organisation_id, "2025.1")
    with write_transaction(db):
        assessments.put_answers(db, assessment_id, answers.items(), None)
        submission.submit(db, old, assessment_id, answers, submitted_by=None)
    return assessment_id, answers


def test_a_re_assessment_from_2025_carries_answers_over_and_marks_what_is_new(app, enterprise, db):
    """Answers carry to the same item of 2026.1 (2025.1's "not applicable" on a requirement
    does not: 2026.1 asks a rating, or the tailoring of the whole sub-domain); the user is told
    what is new, and the wizard marks it "New"."""
    from assess.scoring import Answer
    from assess.scoring.carry import carry_over
    from assess.web import questionnaires

    client = enterprise["client"]
    first, answers = submitted_under_2025(
        app, db, enterprise["organisation_id"], **{"energy.1": Answer("na", "园区集中供能")}
    )
    response = client.post("/assessments/new", data={"prefill": "last"})
    second = int(response.headers["Location"].split("/")[2])
    assert response.headers["Location"].endswith("/pages/profile")
    assert assessments.get(db, second)["questionnaire_version"] == "2026.1"
    with app.app_context():
        versions = questionnaires.versions()
        expected = carry_over(
            versions.get("machinery-smart-factory", "2025.1"), versions.latest(), answers
        )
    copied = {k: v.answer for k, v in assessments.answers(db, second).items()}
    assert copied == expected.answers and "energy.1" not in copied
    assert expected.refused == {"energy.1": "invalid_value"} and len(expected.new) == 30
    not_carried = len(expected.dropped) + len(expected.refused)
    with client.session_transaction() as session:
        flashes = [message for _, message in session["_flashes"]]
    assert flashes[1] == (
        "本次复评使用问卷 2026.1 版：30 道题为新增，已标注“新增”。"
        f" {not_carried} 项原有回答因题目已变更未能沿用，需重新回答。"
    )
    profile = client.get(f"/assessments/{second}/pages/profile").get_data(as_text=True)
    assert "标有“新增”的题目不在原有回答所用的问卷版本中。" in profile
    assert profile.count('<span class="badge badge-new">新增</span>') == 1  # own process planning
    results = client.get(f"/assessments/{second}/pages/results").get_data(as_text=True)
    assert results.count('<span class="badge badge-new">新增</span>') == 6  # the year, 5 figures
    # the earlier assessment keeps its version and its result
    assert client.get(f"/assessments/{first}/results").status_code == 200


def test_a_re_assessment_of_the_same_version_marks_nothing_new(app, enterprise, db):
    client = enterprise["client"]
    first = start_assessment(client)
    fill_completely(app, client, first, "basic")
    client.post(f"/assessments/{first}/submit", data={"confirm_submit": "1"})
    response = client.post("/assessments/new", data={"prefill": "last"})
    with client.session_transaction() as session:
        messages = [message for _, message in session["_flashes"]]
    assert "已填入贵企业" in messages[-1] and not any("复评使用问卷" in m for m in messages)
    body = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "badge-new" not in body
