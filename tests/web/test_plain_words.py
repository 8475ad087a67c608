"""Plain words and order (issue 19): no code name on the home page, a pending consultant request
shown there, the JSON links in a quiet place, scenarios in the seed's numbering."""

from __future__ import annotations

from assess.store import organisations


def test_the_home_page_names_no_code_name(client):
    for lang in ("zh", "en"):
        client.post("/lang", data={"lang": lang})
        body = client.get("/").get_data(as_text=True)
        hero = body[body.index('class="hero"') : body.index("</section>")]
        assert "assess" not in hero.replace('class="hero"', "")


def test_a_pending_consultant_request_shows_on_the_enterprise_home_page(accounts, db):
    org = accounts.organisation(name="待答机械有限公司")
    owner = accounts.user("enterprise", organisation_id=org, email="owner@example.com")
    accounts.login(owner)
    assert 'id="pending-requests"' not in accounts.client.get("/").get_data(as_text=True)
    accounts.login(accounts.user("consultant", email="c@example.com", name="李顾问"))
    code = organisations.get(db, org)["credit_code"]
    accounts.client.post("/consultant/requests", data={"credit_code": code})
    accounts.login(owner)
    body = accounts.client.get("/").get_data(as_text=True)
    assert 'id="pending-requests"' in body and "李顾问" in body and 'href="/consultants"' in body
    # answered: gone from the home page
    grant = db.execute("SELECT id FROM access_grants").fetchone()[0]
    accounts.client.post(f"/consultants/{grant}/accept")
    assert 'id="pending-requests"' not in accounts.client.get("/").get_data(as_text=True)


def test_json_is_not_among_the_result_actions(app, enterprise):
    from tests.support import fill_completely, start_assessment

    client = enterprise["client"]
    assessment_id = start_assessment(client)
    fill_completely(app, client, assessment_id, "basic")
    client.post(f"/assessments/{assessment_id}/submit", data={"confirm_submit": "1"})
    body = client.get(f"/assessments/{assessment_id}/results").get_data(as_text=True)
    actions = body[body.index('class="results-actions"') : body.index("</header>")]
    assert "results.json" not in actions
    assert body.index("results.json") > body.index('id="roadmap"')


def test_the_wizard_shows_scenarios_in_the_seed_numbering(enterprise):
    client = enterprise["client"]
    from tests.support import start_assessment

    assessment_id = start_assessment(client)
    numbers = []
    for page_id in ("scenarios-1-4", "scenarios-5-8", "scenarios-9-12"):
        body = client.get(f"/assessments/{assessment_id}/pages/{page_id}").get_data(as_text=True)
        parts = body.split('<span class="scenario-number">')[1:]
        numbers += [int(part.split("<", 1)[0]) for part in parts]
    assert numbers == list(range(1, 13))
