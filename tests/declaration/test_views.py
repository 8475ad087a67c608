"""The declaration pages over HTTP: an enterprise declares Basic, the park checks and
recommends, the city asks for an on-site re-check, the expert attaches the verified result,
the city recognises; a returned declaration is amended and sent again; a late one is refused."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from assess import translation
from assess.declaration import review
from assess.store import declarations as store
from assess.store import grants, organisations, parks, recognitions, users
from assess.store.database import write_transaction
from tests.programme import COMPLETE
from tests.support import PDF, PNG, fill_completely, start_assessment, verify_on_site

TODAY = date.today()


@pytest.fixture
def site(app, accounts, db):
    """Enterprise A (in a park of 虎丘区) with a submitted Basic self-assessment; the park,
    Suzhou, Jiangsu and Zhejiang authorities; an expert."""
    org = accounts.organisation(name="甲机械有限公司", region_code="320505")
    with write_transaction(db):
        park = parks.create(db, "320505", "高新区智能制造园", "Smart park")
        parks.place(db, org, park)
    owner = accounts.user("enterprise", organisation_id=org, email="a@example.com")
    accounts.login(owner)
    assessment = start_assessment(accounts.client)
    fill_completely(app, accounts.client, assessment, "basic")
    accounts.client.post(f"/assessments/{assessment}/submit", data={"confirm_submit": "1"})
    accounts.logout()
    emails = {
        "park": accounts.user("authority", email="park@example.com", region_scope="320505"),
        "suzhou": accounts.user("authority", email="suzhou@example.com", region_scope="3205"),
        "jiangsu": accounts.user("authority", email="js@example.com", region_scope="32"),
        "zhejiang": accounts.user("authority", email="zj@example.com", region_scope="33"),
        "expert": accounts.user("consultant", email="expert@example.com", name="王专家"),
        "owner": owner,
    }
    with write_transaction(db):
        parks.assign_authority(db, users.get_by_email(db, emails["park"])["id"], park)
    return {"org": org, "assessment": assessment, "emails": emails, "park": park}


def as_user(accounts, site, who):
    accounts.logout()
    assert accounts.login(site["emails"][who]).status_code == 302


def open_round(accounts, site, deadline=None):
    as_user(accounts, site, "suzhou")
    response = accounts.client.post(
        "/review/rounds",
        data={
            "level": "basic",
            "year": str(TODAY.year),
            "opens_on": (TODAY - timedelta(days=30)).isoformat(),
            "deadline": (deadline or TODAY + timedelta(days=30)).isoformat(),
        },
        follow_redirects=True,
    )
    assert "已开启申报批次" in response.get_data(as_text=True)


def started(accounts, site) -> int:
    """As the owner: a declaration started in the open round; its id."""
    as_user(accounts, site, "owner")
    page = accounts.client.get("/declarations").get_data(as_text=True)
    round_id = int(re.search(r'name="round" value="(\d+)"', page).group(1))
    response = accounts.client.post(
        "/declarations/new", data={"round": round_id, "assessment": site["assessment"]}
    )
    return int(response.headers["Location"].rsplit("/", 1)[1])


def declare(accounts, site, db) -> int:
    """As the owner: start, fill in, attach, submit; the declaration's id."""
    declaration_id = started(accounts, site)
    client = accounts.client
    row = store.get(db, declaration_id)
    from assess.declaration import declaring

    with accounts.app.app_context():
        from assess.web import questionnaires

        scenarios = declaring.scenarios_of(db, questionnaires.versions(), row)
    data = {k: v for k, v in COMPLETE.__dict__.items() if k != "descriptions"}
    data |= {f"description:{s}": "部署MES，实现数据采集。" for s in scenarios}
    assert client.post(f"/declarations/{declaration_id}", data=data).status_code == 302
    for kind in ("licence", "financials", "commitment", "platform_report"):
        response = client.post(
            f"/declarations/{declaration_id}/files",
            data={"kind": kind, "file": (io.BytesIO(PDF), f"{kind}.pdf")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    client.post(
        f"/declarations/{declaration_id}/files",
        data={"kind": "photo", "scenario": scenarios[0], "file": (io.BytesIO(PNG), "a.png")},
        content_type="multipart/form-data",
    )
    page = client.post(f"/declarations/{declaration_id}/submit", follow_redirects=True)
    assert "已提交申报" in page.get_data(as_text=True)
    return declaration_id


def decide(accounts, site, who, declaration_id, outcome, comments=""):
    as_user(accounts, site, who)
    row = store.get(accounts.db, declaration_id)
    return accounts.client.post(
        f"/review/declarations/{declaration_id}/decide",
        data={
            "stage": row["stage"],
            "revision": row["revision"],
            "outcome": outcome,
            "comments": comments,
            **{f"check:{name}": "1" for name in review.CHECKS},
        },
        follow_redirects=True,
    ).get_data(as_text=True)


def test_a_declaration_goes_from_the_enterprise_to_recognition(app, accounts, site, db):
    open_round(accounts, site)
    declaration_id = declare(accounts, site, db)
    client = accounts.client
    # no authority sees it before it is made: after, those of its region do, by name
    as_user(accounts, site, "zhejiang")
    assert client.get(f"/review/declarations/{declaration_id}").status_code == 404
    assert client.get(f"/declarations/{declaration_id}/dossier.json").status_code == 404
    assert "甲机械有限公司" not in client.get("/review").get_data(as_text=True)
    as_user(accounts, site, "jiangsu")
    assert "甲机械有限公司" in client.get("/review").get_data(as_text=True)
    page = decide(accounts, site, "suzhou", declaration_id, "recognise")
    assert "此申报不在等待您的决定" in page  # the park checks first
    page = decide(accounts, site, "park", declaration_id, "recommend", "材料齐全")
    assert "已记录：已推荐" in page
    # the city asks for an on-site re-check by the expert
    as_user(accounts, site, "suzhou")
    page = client.post(
        f"/review/declarations/{declaration_id}/recheck",
        data={"email": "expert@example.com", "note": "核查MES"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "已请求现场复核" in page
    # the enterprise grants the expert access through its consultants page
    as_user(accounts, site, "owner")
    expert_id = users.get_by_email(db, "expert@example.com")["id"]
    grant = grants.open_request_to(db, site["org"], expert_id)
    assert client.post(f"/consultants/{grant['id']}/accept").status_code == 302
    # the expert runs and submits an on-site assessment, and attaches it
    as_user(accounts, site, "expert")
    assert "甲机械有限公司" in client.get("/rechecks").get_data(as_text=True)
    response = client.post(
        f"/consultant/clients/{site['org']}/assessments", data={"prefill": "self"}
    )
    on_site = int(response.headers["Location"].split("/")[2])
    verify_on_site(app, db, client, on_site)
    client.post(
        f"/assessments/{on_site}/submit", data={"confirm_carried": "1", "confirm_submit": "1"}
    )
    recheck_id = store.rechecks(db, declaration_id)[0]["id"]
    page = client.post(
        f"/rechecks/{recheck_id}/attach", data={"assessment": on_site}, follow_redirects=True
    ).get_data(as_text=True)
    assert "已将核实的评估附于申报" in page
    assert client.get(f"/declarations/{declaration_id}/dossier.json").status_code == 200
    # the city sees the verified result and recognises
    as_user(accounts, site, "suzhou")
    page = client.get(f"/review/declarations/{declaration_id}").get_data(as_text=True)
    assert "核实结果" in page
    page = decide(accounts, site, "suzhou", declaration_id, "recognise", "同意认定")
    assert "已记录：已认定" in page
    # on the recognised list, in the summary table, and for the enterprise
    as_user(accounts, site, "jiangsu")
    assert "甲机械有限公司" in client.get("/review/recognised").get_data(as_text=True)
    workbook = load_workbook(io.BytesIO(client.get("/review/export.xlsx?list=recognised").data))
    rows = list(workbook.active.values)
    assert rows[1][1] == "甲机械有限公司" and rows[1][13] == "已认定"
    # the declared self-assessment is not verified on site; the city's on-site re-check is
    # its own column (现场复核), not the same word
    assert rows[0][11:13] == ("现场核实", "现场复核") and rows[1][11:13] == (None, "是")
    # recognised at 01:30 in Beijing, still the day before in UTC: the export says China's day
    db.execute("UPDATE recognitions SET recognised_at = '2026-12-06T17:30:00Z'")
    db.conn.commit()
    response = client.get("/review/export.xlsx?list=recognised")
    assert list(load_workbook(io.BytesIO(response.data)).active.values)[1][14] == "2026-12-07"
    stem = f"recognised-32-{translation.today_in_china().isoformat()}.xlsx"
    assert stem in response.headers["Content-Disposition"]
    as_user(accounts, site, "owner")
    page = client.get(f"/declarations/{declaration_id}").get_data(as_text=True)
    assert "已认定" in page and "同意认定" in page
    assert client.get(f"/declarations/{declaration_id}/dossier").status_code == 200


def test_a_returned_declaration_is_amended_and_resubmitted(app, accounts, site, db):
    open_round(accounts, site)
    declaration_id = declare(accounts, site, db)
    page = decide(accounts, site, "park", declaration_id, "return")
    assert "退回或不予通过时请说明理由" in page
    decide(accounts, site, "park", declaration_id, "return", "营业执照不清晰，请重新上传")
    as_user(accounts, site, "owner")
    client = accounts.client
    page = client.get(f"/declarations/{declaration_id}").get_data(as_text=True)
    assert "营业执照不清晰" in page and "退回修改" in page
    licence = next(f for f in store.files(db, declaration_id) if f["kind"] == "licence")
    client.post(f"/declarations/{declaration_id}/files/{licence['id']}/delete")
    page = client.post(f"/declarations/{declaration_id}/submit", follow_redirects=True)
    assert "申报尚不完整" in page.get_data(as_text=True)
    client.post(
        f"/declarations/{declaration_id}/files",
        data={"kind": "licence", "file": (io.BytesIO(PNG), "执照.png")},
        content_type="multipart/form-data",
    )
    page = client.post(f"/declarations/{declaration_id}/submit", follow_redirects=True)
    assert "修改后的申报已重新提交审核" in page.get_data(as_text=True)
    row = store.get(db, declaration_id)
    assert (row["status"], row["stage"], row["revision"]) == ("in_review", 0, 2)
    assert "已记录：已推荐" in decide(accounts, site, "park", declaration_id, "recommend")


def test_a_declaration_after_the_deadline_is_refused_with_a_clear_message(app, accounts, site, db):
    open_round(accounts, site, deadline=TODAY + timedelta(days=1))
    as_user(accounts, site, "owner")
    with db.conn:
        db.execute(
            "UPDATE declaration_rounds SET deadline = ?", [(TODAY - timedelta(days=1)).isoformat()]
        )
    page = accounts.client.get("/declarations").get_data(as_text=True)
    assert "目前没有向贵企业开放的申报批次" in page
    round_id = db.execute("SELECT id FROM declaration_rounds").fetchone()[0]
    page = accounts.client.post(
        "/declarations/new",
        data={"round": round_id, "assessment": site["assessment"]},
        follow_redirects=True,
    ).get_data(as_text=True)
    deadline = (TODAY - timedelta(days=1)).isoformat()
    assert f"本批次申报截止日期为{deadline}，已不再受理申报。" in page
    assert db["declarations"].count == 0


def test_an_unverified_enterprise_is_marked_in_the_queue_and_verified_by_its_reviewer(
    app, accounts, site, db
):
    """The reviewing authority verifies the enterprise from the business licence attached."""
    with write_transaction(db):
        organisations.mark_unverified(db, site["org"])
    open_round(accounts, site)
    declaration_id = declare(accounts, site, db)
    as_user(accounts, site, "zhejiang")  # another region: cannot see it, cannot verify it
    outside = accounts.client.post(f"/review/declarations/{declaration_id}/verify-identity")
    assert outside.status_code == 404
    as_user(accounts, site, "park")
    assert "身份未核验" in accounts.client.get("/review").get_data(as_text=True)
    page = accounts.client.get(f"/review/declarations/{declaration_id}").get_data(as_text=True)
    assert "营业执照表明该企业即为此统一社会信用代码对应的企业" in page
    done = accounts.client.post(
        f"/review/declarations/{declaration_id}/verify-identity", follow_redirects=True
    ).get_data(as_text=True)
    assert "企业身份已核验" in done and "身份未核验" not in done.split("</h1>")[0]
    row = organisations.get(db, site["org"])
    assert (row["identity"], row["identity_verified_how"]) == ("verified", "authority")
    assert "身份未核验" not in accounts.client.get("/review").get_data(as_text=True)


def test_a_refused_decision_keeps_what_was_typed_and_names_the_materials_not_checked(
    app, accounts, site, db
):
    open_round(accounts, site)
    declaration_id = declare(accounts, site, db)
    as_user(accounts, site, "park")
    row = store.get(db, declaration_id)
    seen = {"stage": row["stage"], "revision": row["revision"]}
    # rejecting without a reason is refused: the ticked licence and the outcome come back
    response = accounts.client.post(
        f"/review/declarations/{declaration_id}/decide",
        data=seen | {"outcome": "reject", "check:licence": "1"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "退回或不予通过时请说明理由" in page
    assert re.search(r'name="check:licence" value="1" checked', page)
    assert not re.search(r'name="check:financials" value="1" checked', page)
    assert re.search(r'name="outcome" value="reject" required checked', page)
    assert store.steps(db, declaration_id) == []
    # the park checks two materials and recommends it
    accounts.client.post(
        f"/review/declarations/{declaration_id}/decide",
        data=seen | {"outcome": "recommend", "check:licence": "1", "check:financials": "1"},
    )
    # the city cannot recognise it while three are unchecked; its comments come back
    as_user(accounts, site, "suzhou")
    row = store.get(db, declaration_id)
    seen = {"stage": row["stage"], "revision": row["revision"]}
    response = accounts.client.post(
        f"/review/declarations/{declaration_id}/decide",
        data=seen | {"outcome": "recognise", "check:scenarios": "1", "comments": "同意认定"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "尚未核查：签字盖章的承诺书、平台自评估" in page.replace("\n", "")
    assert "同意认定</textarea>" in page
    assert store.get(db, declaration_id)["status"] == "in_review"
    # what the park checked shows, ticked, beside the form and in the review record
    assert re.search(r'name="check:licence" value="1" checked', page)
    assert "营业执照、财务报表" in page


def test_a_refused_round_keeps_what_was_typed_and_a_round_can_be_cancelled(app, accounts, site, db):
    as_user(accounts, site, "suzhou")
    year = TODAY.year + 1
    typed = {"level": "basic", "year": str(year), "opens_on": f"{year}-03-01"}
    response = accounts.client.post("/review/rounds", data=typed | {"deadline": f"{year}-02-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "截止日期早于开启日期" in page
    assert f'value="{year}" required' in page
    assert f'value="{year}-03-01" required' in page and f'value="{year}-02-01" required' in page
    assert db.execute("SELECT count(*) FROM declaration_rounds").fetchone()[0] == 0
    accounts.client.post("/review/rounds", data=typed | {"deadline": f"{year}-09-30"})
    [round_id] = [r[0] for r in db.execute("SELECT id FROM declaration_rounds")]
    page = accounts.client.get("/review").get_data(as_text=True)
    assert f"/review/rounds/{round_id}/cancel" in page
    as_user(accounts, site, "jiangsu")
    assert accounts.client.post(f"/review/rounds/{round_id}/cancel").status_code == 404
    as_user(accounts, site, "suzhou")
    # the form asks for a tick (required: no script needed); without it nothing is cancelled
    assert 'name="confirm" value="1" required' in page
    page = accounts.client.post(
        f"/review/rounds/{round_id}/cancel", follow_redirects=True
    ).get_data(as_text=True)
    assert "未取消任何批次" in page
    assert db.execute("SELECT count(*) FROM declaration_rounds").fetchone()[0] == 1
    page = accounts.client.post(
        f"/review/rounds/{round_id}/cancel", data={"confirm": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "已取消申报批次" in page
    assert db.execute("SELECT count(*) FROM declaration_rounds").fetchone()[0] == 0


def test_a_refused_withdrawal_of_a_recognition_keeps_the_typed_reason(app, accounts, site, db):
    open_round(accounts, site)
    declaration_id = declare(accounts, site, db)
    decide(accounts, site, "park", declaration_id, "recommend", "材料齐全")
    decide(accounts, site, "suzhou", declaration_id, "recognise", "同意认定")
    recognition = recognitions.of_declaration(db, declaration_id)
    as_user(accounts, site, "suzhou")
    reason = "现场复核发现排产系统未上线，" * 200  # 2,800 characters: too long
    response = accounts.client.post(
        f"/review/recognitions/{recognition['id']}/withdraw", data={"reason": reason}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请说明撤销理由（不超过2000字）" in page
    assert f'value="{reason}"' in page  # to shorten, not to type again
    assert recognitions.get(db, recognition["id"])["withdrawn_at"] is None
    # another region's authority learns nothing, whatever the reason
    as_user(accounts, site, "zhejiang")
    assert (
        accounts.client.post(
            f"/review/recognitions/{recognition['id']}/withdraw", data={"reason": ""}
        ).status_code
        == 404
    )
