"""Consultants: invitations, requests, revocation, on-site evidence, verified reports, exports."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assess.assessment import evidence_files as evidence
from assess.store import assessments, grants, organisations, users
from assess.store import evidence as evidence_store
from tests.support import PASSWORD, autosave, fill_completely, owner_token, start_assessment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
VISIT = date.today() - timedelta(days=10)  # a recent visit, whenever the tests run
VISIT_ZH = f"{VISIT.year}年{VISIT.month}月{VISIT.day}日"


@pytest.fixture
def client_org(app, accounts):
    """An enterprise with a submitted self-assessment; its user is logged out afterwards."""
    org_id = accounts.organisation(name="客户机械有限公司")
    email = accounts.user("enterprise", organisation_id=org_id, email="owner@example.com")
    accounts.login(email)
    assessment_id = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment_id, "advanced")
    accounts.client.post(f"/assessments/{assessment_id}/submit")
    accounts.logout()
    return {"id": org_id, "email": email, "self": assessment_id}


def invite_link(accounts, owner_email, consultant_email) -> str:
    accounts.login(owner_email)
    page = accounts.client.post("/consultants", data={"email": consultant_email}).get_data(
        as_text=True
    )
    accounts.logout()
    return re.search(
        r'<code class="invite-link">http://localhost(/invitations/[^<]+)</code>', page
    ).group(1)


def test_a_new_consultant_accepts_an_invitation_by_creating_an_account(
    app, accounts, client_org, db
):
    link = invite_link(accounts, client_org["email"], "new.consultant@example.com")
    fresh = app.test_client()
    page = fresh.get(link).get_data(as_text=True)
    assert "客户机械有限公司" in page and 'value="new.consultant@example.com"' in page
    response = fresh.post(
        link,
        data={
            "name": "赵顾问",
            "email": "new.consultant@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.headers["Location"] == f"/consultant/clients/{client_org['id']}"
    consultant = users.get_by_email(db, "new.consultant@example.com")
    assert consultant["role"] == "consultant"
    assert grants.active(db, consultant["id"], client_org["id"]) is not None
    assert "客户机械有限公司" in fresh.get("/consultant").get_data(as_text=True)
    assert fresh.get(link).status_code == 404  # used once
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert "grant_invited" in actions and "grant_accepted" in actions


def test_a_request_is_accepted_then_revoked_and_every_route_closes(app, accounts, client_org, db):
    consultant = accounts.user("consultant", email="c@example.com")
    accounts.login(consultant)
    code = organisations.get(db, client_org["id"])["credit_code"]
    accounts.client.post("/consultant/requests", data={"credit_code": code})
    assert accounts.client.get(f"/consultant/clients/{client_org['id']}").status_code == 404
    accounts.logout()
    accounts.login(client_org["email"])
    grant = grants.for_organisation(db, client_org["id"])[0]
    accounts.client.post(f"/consultants/{grant['id']}/accept")
    accounts.logout()
    accounts.login(consultant)
    client = accounts.client
    assert client.get(f"/consultant/clients/{client_org['id']}").status_code == 200
    response = client.post(
        f"/consultant/clients/{client_org['id']}/assessments", data={"prefill": "self"}
    )
    on_site = int(response.headers["Location"].split("/")[2])
    routes = [
        f"/consultant/clients/{client_org['id']}",
        f"/assessments/{client_org['self']}/results",
        f"/assessments/{client_org['self']}/report",
        f"/assessments/{on_site}/pages/profile",
        f"/assessments/{client_org['self']}/results.json",
    ]
    assert all(client.get(r).status_code == 200 for r in routes)
    accounts.logout()
    accounts.login(client_org["email"])
    accounts.client.post(f"/consultants/{grant['id']}/revoke")
    accounts.logout()
    accounts.login(consultant)
    for route in routes:
        assert client.get(route).status_code == 404, route
    assert client.post(f"/consultant/clients/{client_org['id']}/assessments").status_code == 404
    assert autosave(client, on_site, ("data.1", "full", 9))["status"] == 404
    assert "客户机械有限公司" not in client.get("/consultant/portfolio.csv").get_data(as_text=True)


def test_a_request_is_sent_once_and_can_be_withdrawn_until_it_is_answered(
    app, accounts, client_org, db
):
    consultant = accounts.user("consultant", email="c@example.com", name="王咨询")
    other = accounts.user("consultant", email="other@example.com")
    consultant_id = users.get_by_email(db, consultant)["id"]
    code = organisations.get(db, client_org["id"])["credit_code"]
    accounts.login(consultant)
    client = accounts.client
    for _ in range(2):  # a double click, or asking again a week later
        response = client.post("/consultant/requests", data={"credit_code": code})
    assert len(grants.for_organisation(db, client_org["id"])) == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "您已向该企业提出申请，对方尚未答复。" in page
    request_id = grants.for_organisation(db, client_org["id"])[0]["id"]
    accounts.logout()

    accounts.login(other)  # not its request: as if it did not exist, and nothing changes
    assert client.post(f"/consultant/requests/{request_id}/withdraw").status_code == 404
    assert grants.get(db, request_id)["revoked_at"] is None
    accounts.logout()

    accounts.login(consultant)
    response = client.post(f"/consultant/requests/{request_id}/withdraw", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "申请已撤回。" in page and "等待企业答复" not in page
    assert client.post(f"/consultant/requests/{request_id}/withdraw").status_code == 404
    accounts.logout()

    accounts.login(client_org["email"])  # the enterprise sees it withdrawn, with nothing to accept
    page = client.get("/consultants").get_data(as_text=True)
    assert "顾问已于" in page and "撤回" in page
    assert f"/consultants/{request_id}/accept" not in page
    assert client.post(f"/consultants/{request_id}/accept").status_code == 404
    assert grants.active(db, consultant_id, client_org["id"]) is None
    accounts.logout()

    accounts.login(consultant)  # and it may ask again
    client.post("/consultant/requests", data={"credit_code": code})
    assert grants.open_request(db, client_org["id"], consultant_id)["id"] != request_id
    actions = [row["action"] for row in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert actions.count("grant_requested") == 2 and actions.count("grant_withdrawn") == 1


def test_a_consultant_without_access_sees_nothing(app, accounts, client_org):
    accounts.login(accounts.user("consultant"))
    client = accounts.client
    for route in [
        f"/consultant/clients/{client_org['id']}",
        f"/assessments/{client_org['self']}/results",
        f"/assessments/{client_org['self']}/report.pdf",
        f"/assessments/{client_org['self']}/comparison",
        f"/assessments/{client_org['self']}/results.json",
    ]:
        assert client.get(route).status_code == 404, route
    assert client.post(f"/consultant/clients/{client_org['id']}/assessments").status_code == 404


def test_a_registered_client_claims_its_account_with_the_code(app, accounts, db):
    accounts.login(accounts.user("consultant"))
    page = accounts.client.post(
        "/consultant/clients/new",
        data={
            "name": "代注册机械有限公司",
            "credit_code": "913205050000000015",
            "province": "320000",
            "city": "320500",
            "county": "320505",
            "sector": "rail",
            "size": "small",
            "contact_name": "钱工",
        },
    ).get_data(as_text=True)
    code = re.search(r'<p class="claim-code">([^<]+)</p>', page).group(1)
    org = organisations.get_by_credit_code(db, "913205050000000015")
    accounts.logout()
    form = {
        "name": "代注册机械有限公司",
        "credit_code": "913205050000000015",
        "province": "320000",
        "city": "320500",
        "county": "320505",
        "sector": "rail",
        "size": "small",
        "contact_name": "钱工",
        "email": "qian@example.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    wrong = app.test_client().post("/register", data={**form, "claim_code": "0000-0000-0000"})
    assert "由评估顾问代为注册" in wrong.get_data(as_text=True)  # says what to do
    # typed in lower case, without the dashes, with a space: the same code
    typed = f"{code[:3]} {code[3:]}".replace("-", "").lower()
    response = app.test_client().post("/register", data={**form, "claim_code": typed})
    assert response.headers["Location"] == "/assessments"
    assert users.get_by_email(db, "qian@example.com")["organisation_id"] == org["id"]
    again = app.test_client().post(
        "/register", data={**form, "email": "other@example.com", "claim_code": code}
    )
    assert "已经注册" in again.get_data(as_text=True)  # a claim code works once


CLIENT = {
    "name": "苏州吴中机器人科技有限公司",
    "credit_code": "913205050000000015",
    "province": "320000",
    "city": "320500",
    "county": "320505",
    "sector": "industrial_robots",
    "size": "small",
    "contact_name": "钱工",
}


def test_a_lost_claim_code_is_made_anew_and_a_reload_does_not_register_twice(app, accounts, db):
    """The confirmation page reloaded sends the form again: the consultant lands on its client,
    told it is there already, and can make a new claim code; the old one stops working, the new
    one works. Another consultant with access, and a client that claimed its account, get none."""
    consultant = accounts.user("consultant", email="reg@example.com")
    accounts.login(consultant)
    client = accounts.client
    first = re.search(
        r'claim-code">([^<]+)<',
        client.post("/consultant/clients/new", data=CLIENT).get_data(as_text=True),
    ).group(1)
    org = organisations.get_by_credit_code(db, CLIENT["credit_code"])
    reload = client.post("/consultant/clients/new", data=CLIENT)  # F5 on the confirmation page
    assert reload.headers["Location"] == f"/consultant/clients/{org['id']}"
    page = client.get(reload.headers["Location"]).get_data(as_text=True)
    assert "您已注册过该企业" in page and "生成新的认领码" in page
    assert "尚未提交自评估" in page and 'value="self"' not in page  # nothing to start from
    renewed = client.post(f"/consultant/clients/{org['id']}/claim-code").get_data(as_text=True)
    second = re.search(r'claim-code">([^<]+)<', renewed).group(1)
    assert second != first and "原认领码已失效" in renewed
    accounts.logout()
    other = accounts.user("consultant", email="other@example.com")
    with db.conn:
        grants.grant_registered(db, org["id"], users.get_by_email(db, other)["id"])
    accounts.login(other)
    assert client.post(f"/consultant/clients/{org['id']}/claim-code").status_code == 404
    accounts.logout()
    assert not organisations.claim(db, org["id"], first)
    assert organisations.claim(db, org["id"], second)
    accounts.login(consultant)  # claimed: no code to renew any more
    assert client.post(f"/consultant/clients/{org['id']}/claim-code").status_code == 404
    assert "生成新的认领码" not in client.get(f"/consultant/clients/{org['id']}").get_data(
        as_text=True
    )


def test_guessing_a_claim_code_is_throttled(app, accounts, db):
    """Five wrong codes from one address: the right one is refused too, for a while."""
    from assess.store import throttle

    accounts.login(accounts.user("consultant"))
    page = accounts.client.post(
        "/consultant/clients/new",
        data={
            "name": "代注册二号机械有限公司",
            "credit_code": "913205050000000015",
            "province": "320000",
            "city": "320500",
            "county": "320505",
            "sector": "rail",
            "size": "small",
            "contact_name": "钱工",
        },
    ).get_data(as_text=True)
    code = re.search(r'<p class="claim-code">([^<]+)</p>', page).group(1)
    form = {
        "name": "代注册二号机械有限公司",
        "credit_code": "913205050000000015",
        "province": "320000",
        "city": "320500",
        "county": "320505",
        "sector": "rail",
        "size": "small",
        "contact_name": "钱工",
        "email": "guess@example.com",
        "password": PASSWORD,
        "confirm": PASSWORD,
    }
    guesser = app.test_client()
    for guess in range(throttle.PER_ACCOUNT_AND_ADDRESS):
        guesser.post("/register", data={**form, "claim_code": f"{guess:06d}"})
    refused = guesser.post("/register", data={**form, "claim_code": code})
    assert "尝试次数过多" in refused.get_data(as_text=True)
    assert users.get_by_email(db, "guess@example.com") is None


@pytest.fixture
def on_site(app, accounts, client_org, db):
    consultant = accounts.user("consultant", email="c@example.com", name="王顾问")
    with db.conn:
        grants.grant_registered(db, client_org["id"], users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    response = accounts.client.post(
        f"/consultant/clients/{client_org['id']}/assessments", data={"prefill": "self"}
    )
    return {
        **client_org,
        "org": client_org["id"],
        "id": int(response.headers["Location"].split("/")[2]),
    }


def post_with_files(client, assessment_id, files, **fields):
    data = {"org_strategy-1--rev": "9", **fields}
    data.update({"org_strategy-1--file": [(io.BytesIO(content), name) for name, content in files]})
    return client.post(
        f"/assessments/{assessment_id}/pages/cmmm-personnel",
        data=data,
        content_type="multipart/form-data",
    )


def test_on_site_evidence_notes_quality_verification_and_files(app, accounts, on_site, db):
    client = accounts.client
    response = post_with_files(
        client,
        on_site["id"],
        [("车间照片.png", PNG), ("../../etc/制度.pdf", PDF)],
        **{
            "org_strategy-1": "most",
            "org_strategy-1--note": "查阅三年规划文件",
            "org_strategy-1--quality": "documented",
            "org_strategy-1--verified": "y",
            "go": "stay",
        },
    )
    assert response.status_code == 302
    evidence = evidence_store.for_assessment(db, on_site["id"])["org_strategy.1"]
    assert (evidence["note"], evidence["evidence_quality"], evidence["verifier"]) == (
        "查阅三年规划文件",
        "documented",
        "王顾问",
    )
    files = evidence_store.files(db, on_site["id"])
    assert [(f["original_name"], f["mime_type"]) for f in files] == [
        ("车间照片.png", "image/png"),
        ("制度.pdf", "application/pdf"),
    ]
    folder = Path(app.config["EVIDENCE_DIR"])
    assert all(
        ".." not in f["stored_name"] and (folder / f["stored_name"]).read_bytes() in (PNG, PDF)
        for f in files
    )
    download = client.get(f"/evidence/{files[0]['id']}")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff" and download.data == PNG
    download.close()
    page = client.get(f"/assessments/{on_site['id']}/pages/cmmm-personnel").get_data(as_text=True)
    assert "车间照片.png" in page and "查阅三年规划文件" in page
    # the enterprise cannot see an on-site draft nor its evidence
    accounts.logout()
    accounts.login(on_site["email"])
    assert client.get(f"/evidence/{files[0]['id']}").status_code == 404
    assert client.get(f"/assessments/{on_site['id']}/pages/profile").status_code == 404


BAD_FILES = [
    ("too big", "big.png", PNG + b"\x00" * 4096, "10 MB"),
    ("not allowed", "notes.txt", b"plain text notes", "只接受"),
    ("html named pdf", "report.pdf", b"<html><script>alert(1)</script></html>", "只接受"),
    (
        "svg with script",
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "只接受",
    ),
    ("empty", "empty.pdf", b"", "文件为空"),
]


@pytest.mark.parametrize(
    ("case", "name", "content", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES]
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    app, accounts, on_site, db, monkeypatch, case, name, content, message
):
    monkeypatch.setattr(evidence, "MAX_BYTES", 4000)  # the limit's logic, on a small file
    response = post_with_files(
        accounts.client, on_site["id"], [(name, content)], **{"org_strategy-1": "most"}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert evidence_store.files(db, on_site["id"]) == []
    folder = Path(app.config["EVIDENCE_DIR"]) / str(on_site["id"])
    assert not folder.exists() or list(folder.iterdir()) == []


def test_autosave_keeps_evidence_apart_from_the_rating(accounts, on_site, db):
    result = autosave(accounts.client, on_site["id"])  # nothing: refused
    assert result["status"] == 400
    response = accounts.client.post(
        f"/assessments/{on_site['id']}/answers",
        json={
            "evidence": [
                {
                    "item": "data.1",
                    "note": "现场演示数据平台",
                    "quality": "observed",
                    "verified": True,
                }
            ]
        },
    )
    assert response.status_code == 200
    stored = evidence_store.for_assessment(db, on_site["id"])["data.1"]
    assert (stored["note"], stored["evidence_quality"], stored["verified_by"] is not None) == (
        "现场演示数据平台",
        "observed",
        True,
    )
    bad = accounts.client.post(
        f"/assessments/{on_site['id']}/answers",
        json={"evidence": [{"item": "data.1", "quality": "rumour"}]},
    )
    assert bad.status_code == 400


def test_a_verification_lapses_when_the_answer_changes_and_is_given_again(accounts, on_site, db):
    """Verified at 'fully met', then changed to 'not met': no longer verified (the autosave says
    so, for the page to untick it). Verified again with the new value: verified again."""
    client = accounts.client

    def verified():
        return evidence_store.for_assessment(db, on_site["id"])["data.2"]["verified_by"]

    evidence = {"item": "data.2", "note": "", "quality": "observed", "verified": True}
    client.post(
        f"/assessments/{on_site['id']}/answers",
        json={
            "answers": [{"item": "data.2", "value": "full", "revision": 50}],
            "evidence": [evidence],
        },
    )
    assert verified() is not None
    again = client.post(
        f"/assessments/{on_site['id']}/answers",
        json={"answers": [{"item": "data.2", "value": "none", "revision": 51}]},
    ).get_json()
    assert verified() is None and again["unverified"] == ["data.2"]
    client.post(f"/assessments/{on_site['id']}/answers", json={"evidence": [evidence]})
    assert verified() is not None
    same = client.post(
        f"/assessments/{on_site['id']}/answers",
        json={"answers": [{"item": "data.2", "value": "none", "revision": 52}]},
    ).get_json()
    assert verified() is not None and same["unverified"] == []


def test_a_verified_assessment_needs_a_visit_and_its_report_and_comparison_say_so(
    app, accounts, on_site, db
):
    from assess.assessment import answering
    from assess.scoring import explain
    from assess.web import questionnaires

    with app.app_context():
        q = questionnaires.latest()
    client = accounts.client
    stored = assessments.answers(db, on_site["id"])
    # lower two self-assessed ratings: the comparison must list exactly those as over-claims
    lowered = [
        i for i in ("org_strategy.1", "s04.basic") if stored[i].answer.value in ("full", "most")
    ]
    assert lowered
    for item in lowered:
        autosave(client, on_site["id"], (item, "partial", stored[item].revision + 1))
    client.post(
        f"/assessments/{on_site['id']}/answers",
        json={
            "evidence": [
                {
                    "item": "org_strategy.1",
                    "note": "规划未分解到年度",
                    "quality": "documented",
                    "verified": True,
                }
            ]
        },
    )
    state = answering.state(db, q, on_site["id"])
    if state.missing:  # lowering may open items the staircase now asks
        autosave(client, on_site["id"], *[(i, "none", 1) for i in state.missing])
    assert client.post(f"/assessments/{on_site['id']}/submit").status_code == 422  # no visit yet
    assert assessments.get(db, on_site["id"])["status"] == "draft"
    client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "一号车间", "participants": "王顾问、厂长"},
    )
    response = client.post(f"/assessments/{on_site['id']}/submit")
    assert response.headers["Location"] == f"/assessments/{on_site['id']}/results"
    comparison = client.get(f"/assessments/{on_site['id']}/comparison").get_data(as_text=True)
    listed = comparison.split('<ul class="over-claims">')[1].split("</ul>")[0]
    for item in lowered:
        assert explain.item_label(q, item, "zh") in listed
    html = client.get(f"/assessments/{on_site['id']}/report").get_data(as_text=True)
    # the cover says how much was verified, by whom, and when on site
    assert re.search(
        rf"由评估顾问王顾问现场核实：已核实评分答案 1 / \d+（现场走访：{VISIT_ZH}）", html
    )
    assert 'id="comparison"' in html
    assert "由王顾问于" in html and "规划未分解到年度" in html
    assert client.get(f"/assessments/{on_site['id']}/report.pdf").status_code == 200
    # a self-assessment submitted afterwards, agreeing with the consultant, changes nothing:
    # the verification compares with the self-assessment it checked
    accounts.logout()
    accounts.login(on_site["email"])
    started = accounts.client.post("/assessments/new", data={"prefill": "last"})
    later = int(started.headers["Location"].split("/")[2])
    # the answers come from the consultant's visit, the latest, and the page says so
    opened = accounts.client.get(started.headers["Location"]).get_data(as_text=True)
    assert "已填入评估顾问" in opened and "现场评估的答案" in opened
    stored = assessments.answers(db, later)
    for item in lowered:
        autosave(accounts.client, later, (item, "partial", stored[item].revision + 1))
    state = answering.state(db, q, later)
    if state.missing:
        autosave(accounts.client, later, *[(i, "none", 1) for i in state.missing])
    accounts.client.post(f"/assessments/{later}/submit", data={"confirm_carried": "1"})
    assert assessments.get(db, later)["status"] == "submitted"
    again = accounts.client.get(f"/assessments/{on_site['id']}/comparison").get_data(as_text=True)
    listed = again.split('<ul class="over-claims">')[1].split("</ul>")[0]
    for item in lowered:
        assert explain.item_label(q, item, "zh") in listed


def test_a_visit_recorded_by_mistake_is_removed_while_the_assessment_is_a_draft(
    app, accounts, on_site, db
):
    client = accounts.client
    visits_url = f"/assessments/{on_site['id']}/visits"
    client.post(visits_url, data={"visit_date": VISIT.isoformat(), "site": "一号\n车间\x07"})
    client.post(visits_url, data={"visit_date": VISIT.isoformat(), "site": "总装车间"})
    wrong, right = evidence_store.visits(db, on_site["id"])
    assert wrong["site"] == "一号 车间"  # pasted over two lines, stored as one
    page = client.get(f"/assessments/{on_site['id']}/submit").get_data(as_text=True)
    assert f"{VISIT_ZH} · 一号 车间" in page
    accounts.logout()

    accounts.login(accounts.user("consultant"))  # a consultant without access: nothing happens
    assert client.post(f"{visits_url}/{wrong['id']}/delete").status_code == 404
    accounts.logout()
    accounts.login("c@example.com")  # its on-site draft of another client, with this visit's id
    second = accounts.organisation(name="第二客户机械有限公司")
    with db.conn:
        grants.grant_registered(db, second, users.get_by_email(db, "c@example.com")["id"])
    response = client.post(f"/consultant/clients/{second}/assessments", data={"prefill": "empty"})
    other_draft = int(response.headers["Location"].split("/")[2])
    assert other_draft != on_site["id"]
    assert client.post(f"/assessments/{other_draft}/visits/{wrong['id']}/delete").status_code == 404
    assert len(evidence_store.visits(db, on_site["id"])) == 2

    response = client.post(f"{visits_url}/{wrong['id']}/delete", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已删除走访记录。" in page and "一号 车间" not in page and "总装车间" in page
    assert [v["id"] for v in evidence_store.visits(db, on_site["id"])] == [right["id"]]
    assert client.post(f"{visits_url}/{wrong['id']}/delete").status_code == 404
    logged = db.execute(
        "SELECT detail FROM audit_log WHERE action = 'visit_deleted' AND target_id = ?",
        [on_site["id"]],
    ).fetchone()[0]
    assert "一号 车间" in logged

    assert client.post(f"/assessments/{on_site['id']}/submit").status_code == 302
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    assert client.post(f"{visits_url}/{right['id']}/delete").status_code == 404
    assert len(evidence_store.visits(db, on_site["id"])) == 1


def test_portfolio_exports_are_safe_spreadsheets(app, accounts, db):
    org = accounts.organisation(name='=HYPERLINK("http://evil.example","点我")')
    consultant = accounts.user("consultant")
    with db.conn:
        grants.grant_registered(db, org, users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    csv = accounts.client.get("/consultant/portfolio.csv")
    assert csv.headers["Content-Disposition"] == 'attachment; filename="portfolio.csv"'
    assert "'=HYPERLINK" in csv.get_data(as_text=True)
    xlsx = accounts.client.get("/consultant/portfolio.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    # in Excel it stays the text it is: a string cell shown as typed, no formula, no apostrophe
    cell = sheet["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (
        '=HYPERLINK("http://evil.example","点我")',
        "s",
        True,
    )
    sheet_xml = zipfile.ZipFile(io.BytesIO(xlsx.data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml  # no formula anywhere in the sheet
    assert accounts.client.get("/consultant/portfolio.pdf").status_code == 404
    headers = [c.value for c in sheet[1]]
    assert len(set(headers)) == len(headers)  # each column says which assessment it is of
    assert "自评估：智能工厂梯度等级" in headers and "现场核实：智能工厂梯度等级" in headers


def test_an_enterprise_invites_a_consultant_once_and_sees_it_accepted_in_words(
    app, accounts, client_org, db
):
    consultant = accounts.user("consultant", email="c@example.com", name="钱顾问")
    link = invite_link(accounts, client_org["email"], "c@example.com")
    accounts.login(client_org["email"])
    for email in ("c@example.com", " C@Example.com "):  # a double click, or the same in capitals
        page = accounts.client.post("/consultants", data={"email": email}).get_data(as_text=True)
        assert "该邮箱已有一份待接受的邀请" in page and "invite-link" not in page
    assert len(grants.for_organisation(db, client_org["id"])) == 1
    # the link was lost: a new one, and the first stops working
    invitation = grants.for_organisation(db, client_org["id"])[0]["id"]
    page = accounts.client.post(f"/consultants/{invitation}/link").get_data(as_text=True)
    assert "已生成新的邀请链接" in page
    renewed = re.search(
        r'<code class="invite-link">http://localhost(/invitations/[^<]+)</code>', page
    )
    assert renewed.group(1) != link
    accounts.logout()
    accounts.login(consultant)
    assert accounts.client.post(link).status_code == 404
    link = renewed.group(1)
    accounts.client.post(link)
    accounts.logout()
    accounts.login(client_org["email"])
    page = accounts.client.post("/consultants", data={"email": "c@example.com"}).get_data(
        as_text=True
    )
    assert "该评估顾问已有访问权限" in page
    assert accounts.client.post(f"/consultants/{invitation}/link").status_code == 404  # used
    log = (
        accounts.client.get("/consultants").get_data(as_text=True).split("谁查看了贵企业的数据")[1]
    )
    assert "接受了您的邀请，已获得访问权限" in log and "grant_accepted" not in log
    assert '钱顾问 <span class="muted">· 评估顾问</span>' in log


def test_revoking_a_consultant_also_closes_its_other_open_invitations(
    app, accounts, client_org, db
):
    consultant = accounts.user("consultant", email="c@example.com")
    first = invite_link(accounts, client_org["email"], "c@example.com")
    # a second open link (the page refuses to make one now; older data may have it)
    owner = users.get_by_email(db, client_org["email"])["id"]
    with db.conn:
        token = grants.invite(
            db, client_org["id"], owner, email="C@example.com", consultant_id=None
        )
    second = f"/invitations/{token}"
    accounts.login(consultant)
    accounts.client.post(first)
    clients_page = f"/consultant/clients/{client_org['id']}"
    assert accounts.client.get(clients_page).status_code == 200
    accounts.logout()
    accounts.login(client_org["email"])
    accepted = next(g for g in grants.for_organisation(db, client_org["id"]) if g["accepted_at"])
    accounts.client.post(f"/consultants/{accepted['id']}/revoke")
    accounts.logout()
    accounts.login(consultant)
    client = accounts.client
    assert client.get(clients_page).status_code == 404
    # neither the second link nor the pending invitation in the portfolio opens it again
    assert client.post(second).status_code == 404
    for grant in grants.for_organisation(db, client_org["id"]):
        assert grant["revoked_at"] is not None
        client.post(f"/consultant/invitations/{grant['id']}/accept")
    assert client.get(clients_page).status_code == 404
    assert "客户机械有限公司" not in client.get("/consultant").get_data(as_text=True)


def test_answers_kept_over_an_expired_session_are_not_applied_once_access_is_revoked(
    app, accounts, on_site, db
):
    page_url = f"/assessments/{on_site['id']}/pages/profile"
    token = owner_token(accounts.client.get(page_url).get_data(as_text=True))
    before = assessments.answers(db, on_site["id"])
    owner = app.test_client()  # meanwhile, the enterprise revokes the consultant
    owner.post("/login", data={"email": on_site["email"], "password": PASSWORD})
    grant = grants.for_organisation(db, on_site["org"])[0]
    owner.post(f"/consultants/{grant['id']}/revoke")
    expired = app.test_client()  # the consultant's session had expired; it posts the page
    response = expired.post(
        page_url, data={"owner": token, "profile-sector": "rail", "profile-sector--rev": "99"}
    )
    assert response.headers["Location"].startswith("/login")
    login = expired.post(
        response.headers["Location"], data={"email": "c@example.com", "password": PASSWORD}
    )
    assert login.status_code == 302
    assert assessments.answers(db, on_site["id"]) == before
    assert "未能应用" in expired.get("/consultant").get_data(as_text=True)


def test_evidence_notes_posted_after_the_session_expired_are_saved_after_login(
    app, accounts, on_site, db
):
    page_url = f"/assessments/{on_site['id']}/pages/cmmm-personnel"
    token = owner_token(accounts.client.get(page_url).get_data(as_text=True))
    revision = assessments.answers(db, on_site["id"])["org_strategy.1"].revision
    expired = app.test_client()  # the session expired (no cookie any more): no logout
    response = expired.post(
        page_url,
        data={
            "owner": token,
            "org_strategy-1": "most",
            "org_strategy-1--rev": str(revision + 1),
            "org_strategy-1--note": "现场查看了年度计划",
            "org_strategy-1--quality": "observed",
            "org_strategy-1--verified": "y",
            "org_strategy-1--file": (io.BytesIO(PNG), "现场.png"),
        },
        content_type="multipart/form-data",
    )
    login = expired.post(
        response.headers["Location"], data={"email": "c@example.com", "password": PASSWORD}
    )
    page = expired.get(login.headers["Location"]).get_data(as_text=True)
    assert "现场.png" in page  # the user is told to upload the file again
    evidence = evidence_store.for_assessment(db, on_site["id"])["org_strategy.1"]
    assert (evidence["note"], evidence["evidence_quality"], evidence["verifier"]) == (
        "现场查看了年度计划",
        "observed",
        "王顾问",
    )
    assert assessments.answers(db, on_site["id"])["org_strategy.1"].answer.value == "most"


def test_a_consultant_never_sees_another_consultants_on_site_assessment(app, accounts, on_site, db):
    client = accounts.client  # the on-site draft is pre-filled from the self-assessment
    client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "一号车间", "participants": "王顾问"},
    )
    client.post(f"/assessments/{on_site['id']}/submit")
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    accounts.logout()
    other = accounts.user("consultant", email="other@example.com")
    with db.conn:
        grants.grant_registered(db, on_site["org"], users.get_by_email(db, other)["id"])
    accounts.login(other)
    for route in ["results", "report", "report.pdf", "comparison", "results.json"]:
        assert client.get(f"/assessments/{on_site['id']}/{route}").status_code == 404, route
    assert client.get(f"/assessments/{on_site['self']}/results").status_code == 200
    listed = client.get(f"/consultant/clients/{on_site['org']}").get_data(as_text=True)
    assert f"/assessments/{on_site['id']}/" not in listed


def test_an_invitation_link_opens_only_for_the_consultant_invited(app, accounts, client_org, db):
    """The link reached another consultant: refused, nothing granted. A sign-up through it makes
    the account of the e-mail invited, whatever e-mail the form posts."""
    link = invite_link(accounts, client_org["email"], "invited@example.com")
    other = accounts.user("consultant", email="other@example.com")
    accounts.login(other)
    page = accounts.client.get(link)
    assert page.status_code == 403 and "invited@example.com" in page.get_data(as_text=True)
    assert accounts.client.post(link).status_code == 403
    assert grants.active(db, users.get_by_email(db, other)["id"], client_org["id"]) is None
    accounts.logout()
    fresh = app.test_client()
    fresh.post(
        link,
        data={
            "name": "钱顾问",
            "email": "me@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert users.get_by_email(db, "me@example.com") is None
    made = users.get_by_email(db, "invited@example.com")
    assert made is not None and grants.active(db, made["id"], client_org["id"]) is not None


def test_a_client_that_granted_access_twice_is_listed_once(app, accounts, client_org, db):
    """An accepted invitation and an accepted request of the same consultant: one client."""
    consultant = accounts.user("consultant", email="twice@example.com")
    consultant_id = users.get_by_email(db, consultant)["id"]
    with db.conn:
        grants.grant_registered(db, client_org["id"], consultant_id)
        grants.grant_registered(db, client_org["id"], consultant_id)
    assert len(grants.clients(db, consultant_id)) == 1
    accounts.login(consultant)
    csv = accounts.client.get("/consultant/portfolio.csv").get_data(as_text=True)
    assert csv.count("客户机械有限公司") == 1


def test_history_compares_a_verification_with_verifications_only(app, accounts, on_site, db):
    """Self-assessment, then a verification that lowers ratings: the history says which is
    which, and the verification is the first of its kind, not a decline."""
    from assess.assessment import answering
    from assess.web import questionnaires

    with app.app_context():
        q = questionnaires.latest()
    client = accounts.client
    stored = assessments.answers(db, on_site["id"])
    autosave(
        client, on_site["id"], ("org_strategy.2", "none", stored["org_strategy.2"].revision + 1)
    )
    state = answering.state(db, q, on_site["id"])
    if state.missing:
        autosave(client, on_site["id"], *[(i, "none", 1) for i in state.missing])
    client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "总装车间"},
    )
    client.post(f"/assessments/{on_site['id']}/submit")
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    accounts.logout()
    accounts.login(on_site["email"])
    page = accounts.client.get("/history").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "自评估" in rows[0] and "首次评估" in rows[0]
    assert "现场评估" in rows[1] and "同类首次" in rows[1] and "S -" not in rows[1]


def test_the_enterprise_sees_who_opened_its_results(app, accounts, client_org, db):
    """A consultant with access opens the results, the JSON and the report preview: each is
    logged with the organisation, and the enterprise reads it on its consultants page."""
    consultant = accounts.user("consultant", email="look@example.com", name="孙顾问")
    with db.conn:
        grants.grant_registered(db, client_org["id"], users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    for suffix in ("results", "results.json", "report"):
        assert accounts.client.get(f"/assessments/{client_org['self']}/{suffix}").status_code == 200
    accounts.logout()
    accounts.login(client_org["email"])
    accounts.client.get(f"/assessments/{client_org['self']}/results")  # its own: not logged
    page = accounts.client.get("/consultants").get_data(as_text=True)
    log = page.split("谁查看了贵企业的数据")[1]
    for what in ("查看了评估结果", "读取了评估结果数据（JSON）", "查看了报告预览"):
        assert what in log
    assert log.count("孙顾问") == 3


@pytest.mark.parametrize(
    ("name", "mime_type", "expected"),
    [
        ("x.html", "application/pdf", "x.pdf"),  # a PDF under another name: a PDF
        ("invoice\u202egpj.exe", "image/png", "invoicegpj.png"),  # no right-to-left trick
        ("车间照片", "image/jpeg", "车间照片.jpg"),
        ("制度.final.v2.pdf", "application/pdf", "制度.final.v2.pdf"),
        ("a" * 200 + ".pdf", "application/pdf", "a" * 116 + ".pdf"),  # the type survives a cut
        ("../../etc/passwd", "image/webp", "passwd.webp"),
    ],
)
def test_evidence_downloads_with_the_extension_of_its_content(name, mime_type, expected):
    assert evidence.download_name(name, mime_type) == expected


def test_an_on_site_assessment_without_consultant_or_visit_does_not_claim_a_verification(app):
    """Imported or synthetic data can hold an on-site assessment with neither: its cover says
    so, instead of "verified on site by —"."""
    from assess.report.results import Verification
    from assess.web.templating import format_date

    with app.test_request_context():
        bare = Verification(verified=0, rated=128, consultant="", visits=()).text("zh", format_date)
        real = Verification(verified=64, rated=84, consultant="王咨询", visits=("2026-10-19",))
        assert bare == "现场评估，但未记录评估顾问或现场走访：已标记核实的评分答案 0 / 128。"
        assert real.text("zh", format_date).startswith(
            "由评估顾问王咨询现场核实：已核实评分答案 64 / 84"
        )


def test_a_page_left_open_in_another_window_does_not_undo_evidence_saved_since(
    accounts, on_site, db
):
    """Window A opened the page; window B then saved a note on 组织战略 一级. A saves a quality
    on 组织战略 二级 only: B's note stays. Then A writes a note of its own on 一级 too: both
    texts are kept, B's first. Nothing typed in either window is lost."""
    from assess.assessment.answering import evidence_shown

    client, page = accounts.client, f"/assessments/{on_site['id']}/pages/cmmm-personnel"
    shown = evidence_shown("", None, False)  # what window A (and B) showed for both items
    one, two = "org_strategy-1", "org_strategy-2"

    def post(**fields):
        data = {
            f"{one}--was": shown,
            f"{two}--was": shown,
            f"{one}--note": "",
            f"{two}--note": "",
            **fields,
        }
        assert client.post(page, data=data).status_code in (200, 302)

    post(**{f"{one}--note": "窗口B：已查看培训记录"})  # window B
    post(**{f"{two}--quality": "documented"})  # window A, its note field still empty
    stored = evidence_store.for_assessment(db, on_site["id"])
    assert stored["org_strategy.1"]["note"] == "窗口B：已查看培训记录"
    assert stored["org_strategy.2"]["evidence_quality"] == "documented"
    post(**{f"{one}--note": "窗口A：访谈人力资源部"})  # window A writes its own note
    stored = evidence_store.for_assessment(db, on_site["id"])
    assert stored["org_strategy.1"]["note"] == "窗口B：已查看培训记录\n\n窗口A：访谈人力资源部"
    assert stored["org_strategy.2"]["evidence_quality"] == "documented"  # A did not touch it


def test_the_submit_page_and_the_report_count_the_same_rated_answers(app, accounts, on_site, db):
    """On site, the enterprise turns out not to design its products: the digital design
    scenario no longer applies and its four steps are not asked. They are not rated answers on
    the submit page, nor on the report's cover (which counted them: 81 against 85). A
    requirement answered "not applicable" is one on both."""
    from assess.report.results import scored, verification_of
    from assess.scoring.result import rated_items
    from assess.web import questionnaires

    client = accounts.client
    saved = autosave(
        client,
        on_site["id"],
        ("profile.own_design", "no", 9),
        ("energy.1", "na", 9, "园区集中供能，企业无独立能源系统"),
    )
    assert [r["status"] for r in saved["results"]] == ["saved", "saved"], saved
    page = client.get(f"/assessments/{on_site['id']}/submit").get_data(as_text=True)
    on_submit = re.search(r"已标记核实的评分答案：(\d+) / (\d+)", page).groups()
    with app.test_request_context():
        row = assessments.get(db, on_site["id"])
        result = scored(db, questionnaires.versions(), row).result
        cover = verification_of(db, row, result)
    assert on_submit == (str(cover.verified), str(cover.rated))
    rated = rated_items(result)
    assert "energy.1" in rated
    assert not any(f"s01.{level}" in rated for level in ("basic", "advanced", "excellent"))


def test_an_evidence_file_uploaded_by_mistake_is_removed_with_the_page(app, accounts, on_site, db):
    """Remove posts the page (nothing typed is lost) and takes the one file away, from the
    page, the database and the disk; the audit log keeps its name and digest. A file id of
    another assessment removes nothing."""
    client = accounts.client
    post_with_files(client, on_site["id"], [("错的照片.png", PNG), ("制度.pdf", PDF)])
    wrong, right = evidence_store.files(db, on_site["id"])
    folder = Path(app.config["EVIDENCE_DIR"])
    assert (folder / wrong["stored_name"]).is_file()
    page = f"/assessments/{on_site['id']}/pages/cmmm-personnel"
    response = client.post(
        page, data={"remove_file": str(wrong["id"]), "org_strategy-1--note": "现场已核对制度文件"}
    )
    assert response.headers["Location"] == page
    assert [f["id"] for f in evidence_store.files(db, on_site["id"])] == [right["id"]]
    assert (
        not (folder / wrong["stored_name"]).exists() and (folder / right["stored_name"]).is_file()
    )
    assert evidence_store.for_assessment(db, on_site["id"])["org_strategy.1"]["note"] == (
        "现场已核对制度文件"
    )
    detail = db.execute(
        "SELECT detail FROM audit_log WHERE action = 'evidence_removed' AND target_id = ?",
        [wrong["id"]],
    ).fetchone()[0]
    assert "错的照片.png" in detail and wrong["sha256"] in detail
    html = client.get(page).get_data(as_text=True)
    assert "错的照片.png" not in html and f'name="remove_file" value="{right["id"]}"' in html
    other = accounts.organisation(name="另一客户")  # its own on-site draft, the same file id
    with db.conn:
        grants.grant_registered(db, other, users.get_by_email(db, "c@example.com")["id"])
    started = client.post(f"/consultant/clients/{other}/assessments", data={"prefill": "empty"})
    other_draft = int(started.headers["Location"].split("/")[2])
    client.post(
        f"/assessments/{other_draft}/pages/cmmm-personnel", data={"remove_file": str(right["id"])}
    )
    assert [f["id"] for f in evidence_store.files(db, on_site["id"])] == [right["id"]]
