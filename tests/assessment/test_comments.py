"""The enterprise's comment on an answer: saved through the autosave path, shown to its
consultant on the results page, carried into the report's appendix; never to authorities."""

from __future__ import annotations

from assess.store import answer_comments, grants, users
from tests.support import autosave, fill_completely, start_assessment


def comment(client, assessment_id: int, item: str, text) -> dict:
    response = client.post(
        f"/assessments/{assessment_id}/answers",
        json={"comments": [{"item": item, "comment": text}]},
    )
    return {"status": response.status_code, **(response.get_json() or {})}


def test_a_comment_is_saved_by_autosave_and_reaches_results_and_report(app, accounts, db):
    org = accounts.organisation(name="备注机械有限公司")
    accounts.login(accounts.user("enterprise", organisation_id=org, email="e@example.com"))
    client = accounts.client
    assessment_id = start_assessment(client)
    page = client.get(f"/assessments/{assessment_id}/pages/cmmm-personnel").get_data(as_text=True)
    assert 'data-comment="org_strategy.1"' in page and "comments.js" in page
    assert comment(client, assessment_id, "org_strategy.1", " MES 上线计划 2027Q2 ")[
        "comments"
    ] == {"org_strategy.1": "saved"}
    assert comment(client, assessment_id, "org_strategy.1", "MES 上线计划 2027Q2")["comments"] == {
        "org_strategy.1": "unchanged"
    }
    assert comment(client, assessment_id, "nope", "x")["comments"] == {"nope": "invalid"}
    assert comment(client, assessment_id, "org_strategy.2", "长" * 501)["comments"] == {
        "org_strategy.2": "invalid"
    }
    assert comment(client, assessment_id, "org_strategy.2", 5)["status"] == 400
    assert answer_comments.for_assessment(db, assessment_id) == {
        "org_strategy.1": "MES 上线计划 2027Q2"
    }
    page = client.get(f"/assessments/{assessment_id}/pages/cmmm-personnel").get_data(as_text=True)
    assert "MES 上线计划 2027Q2</textarea>" in page
    fill_completely(app, client, assessment_id, "basic")
    client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    # locked once submitted
    assert comment(client, assessment_id, "org_strategy.1", "改")["status"] == 409
    report = client.get(f"/assessments/{assessment_id}/report").get_data(as_text=True)
    assert "企业备注：MES 上线计划 2027Q2" in report
    # its consultant sees it on the results page
    consultant = accounts.user("consultant", email="c@example.com")
    with db.conn:
        grants.grant_registered(db, org, users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    page = client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert "企业对回答的备注" in page and "MES 上线计划 2027Q2" in page
    # an authority of the region does not
    accounts.login(accounts.user("authority", email="gov@example.com", region_scope="32"))
    page = client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    assert page.count("MES 上线计划 2027Q2") == 0


def test_an_empty_comment_removes_it(enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    comment(client, assessment_id, "gate.sound_operations", "审计报告待补")
    assert comment(client, assessment_id, "gate.sound_operations", "")["comments"] == {
        "gate.sound_operations": "saved"
    }
    assert answer_comments.for_assessment(db, assessment_id) == {}
    # answers and comments in one save
    result = autosave(client, assessment_id, ("gate.sound_operations", "yes", 1))
    assert result["status"] == 200


def test_an_on_site_assessment_takes_no_enterprise_comment(accounts, on_site, db):
    client = accounts.client  # the consultant
    result = comment(client, on_site["id"], "org_strategy.1", "顾问的话")
    assert result["comments"] == {"org_strategy.1": "invalid"}
    page = client.get(f"/assessments/{on_site['id']}/pages/cmmm-personnel").get_data(as_text=True)
    assert "data-comment=" not in page
    assert answer_comments.for_assessment(db, on_site["id"]) == {}


def test_a_comment_sent_with_a_page_after_the_session_expired_is_saved_after_login(
    app, accounts, db
):
    """The reviewer's case: a long comment typed after the session expired, then Save. The box
    is named once typed in (comments.js), so the page form carries it over the new login."""
    from tests.support import PASSWORD, owner_token

    org = accounts.organisation()
    email = accounts.user("enterprise", organisation_id=org, email="e@example.com")
    accounts.login(email)
    assessment_id = start_assessment(accounts.client)
    page = accounts.client.get(f"/assessments/{assessment_id}/pages/cmmm-personnel")
    html = page.get_data(as_text=True)
    # named only once typed in: a box merely shown never overwrites a colleague's newer comment
    assert 'data-comment-name="org_strategy-1--comment"' in html
    assert ' name="org_strategy-1--comment"' not in html
    typed = "会话过期后输入的备注：" + "长文本" * 150
    fresh = app.test_client()  # the session cookie is gone
    response = fresh.post(
        f"/assessments/{assessment_id}/pages/cmmm-personnel",
        data={"owner": owner_token(html), "org_strategy-1--comment": typed, "go": "stay"},
    )
    assert response.headers["Location"].startswith("/login?next=")
    assert answer_comments.for_assessment(db, assessment_id) == {}
    fresh.post(response.headers["Location"], data={"email": email, "password": PASSWORD})
    assert answer_comments.for_assessment(db, assessment_id) == {"org_strategy.1": typed}


def test_a_page_saved_without_a_typed_comment_leaves_a_colleagues_comment_alone(enterprise, db):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    assert comment(client, assessment_id, "org_strategy.1", "同事的新备注")["comments"] == {
        "org_strategy.1": "saved"
    }
    client.post(
        f"/assessments/{assessment_id}/pages/cmmm-personnel",
        data={"org_strategy-1": "", "go": "stay"},
    )
    assert answer_comments.for_assessment(db, assessment_id) == {"org_strategy.1": "同事的新备注"}
    client.post(
        f"/assessments/{assessment_id}/pages/cmmm-personnel",
        data={"org_strategy-1--comment": " 我的备注 ", "go": "stay"},
    )
    assert answer_comments.for_assessment(db, assessment_id) == {"org_strategy.1": "我的备注"}
