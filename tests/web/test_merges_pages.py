"""The administrator's pages that merge duplicate enterprises (/admin/merges): found by name or
credit code, compared side by side, merged with the kept one's name typed; the refusals say
why and change nothing; a moved account's session keeps working on the kept enterprise; a
consultant's old link to the duplicate leads to the kept one."""

from __future__ import annotations

import html

from assess.store import declarations as declaration_store
from assess.store import grants, organisations, users
from assess.store.database import write_transaction
from tests.fuzz.world import changed_tables, snapshot
from tests.programme import suzhou_round
from tests.support import PASSWORD, start_assessment


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _duplicates(accounts, db, client_org):
    """client_org (客户机械, a submitted self-assessment) and the same company registered again
    under a stand-in code by a colleague who started an assessment; a consultant of the
    duplicate."""
    dup = accounts.organisation(name="客户机械有限公司", region_code="320583")
    with write_transaction(db):
        organisations.set_credit_code(db, dup, f"pending:{dup}")
    colleague = accounts.user("enterprise", email="dup@example.com", organisation_id=dup)
    consultant = accounts.user("consultant", email="c@example.com")
    with write_transaction(db):
        grants.grant_registered(db, dup, users.get_by_email(db, consultant)["id"])
    return dup, colleague, consultant


def test_an_administrator_finds_compares_and_merges_two_enterprises(
    app, accounts, client_org, db, smtp
):
    dup, colleague, consultant = _duplicates(accounts, db, client_org)
    session = app.test_client()  # the duplicate's account, logged in before the merge
    session.post("/login", data={"email": colleague, "password": PASSWORD})
    draft = start_assessment(session)
    consultant_client = app.test_client()
    consultant_client.post("/login", data={"email": consultant, "password": PASSWORD})
    accounts.login(accounts.user("admin"))
    found = _page(accounts.client.get("/admin/merges", query_string={"q": "客户机械"}))
    assert found.count("客户机械有限公司") == 2 and f"pending:{dup}" in found
    by_code = _page(accounts.client.get("/admin/merges", query_string={"q": "pending:"}))
    assert f"/admin/merges?a={dup}" in by_code
    first = _page(
        accounts.client.get("/admin/merges", query_string={"q": "客户", "a": client_org["id"]})
    )
    assert f"/admin/merges/compare?a={client_org['id']}&amp;b={dup}" in html.escape(first)
    compared = _page(
        accounts.client.get("/admin/merges/compare", query_string={"a": client_org["id"], "b": dup})
    )
    assert client_org["email"] in compared and colleague in compared
    assert "已提交" in compared and "草稿" in compared  # the assessments and their states
    done = accounts.client.post(
        "/admin/merges",
        data={"a": client_org["id"], "b": dup, "kept": "a", "name": "客户机械有限公司"},
        follow_redirects=True,
    )
    page = _page(done)
    assert "已合并：转入 1 个账号、1 份评估" in page
    assert "已于" in page and "并入 客户机械有限公司" in page  # the duplicate says where it went
    moved = users.get_by_email(db, colleague)
    assert (moved["organisation_id"], moved["member_role"]) == (client_org["id"], "contributor")
    # the moved account's session keeps working, on the kept enterprise
    listing = session.get("/assessments")
    assert listing.status_code == 200 and f"/assessments/{draft}" in _page(listing)
    # the consultant's old link leads to the kept enterprise
    old = consultant_client.get(f"/consultant/clients/{dup}")
    assert old.status_code == 302
    assert old.headers["Location"].endswith(f"/consultant/clients/{client_org['id']}")
    arrived = sorted(
        r[0] for r, m in smtp.deliver(app) if m["X-Assess-Kind"] == "organisations_merged"
    )
    assert arrived == sorted([client_org["email"], colleague])
    log = _page(accounts.client.get("/admin/audit"))
    assert "将一家重复企业并入另一家" in log


def test_refused_merges_say_why_and_change_nothing(app, accounts, client_org, db):
    dup, _colleague, _consultant = _duplicates(accounts, db, client_org)
    accounts.login(accounts.user("admin"))
    kept = client_org["id"]
    cases = [
        ({"a": kept, "b": kept, "kept": "a", "name": "客户机械有限公司"}, "企业不能与自身合并"),
        ({"a": kept, "b": dup, "kept": "", "name": "客户机械有限公司"}, "请选择保留哪一家企业"),
        ({"a": kept, "b": dup, "kept": "a", "name": "客户"}, "请按显示的原样输入保留企业的名称"),
        ({"a": kept, "b": 99999, "kept": "a", "name": "客户机械有限公司"}, "两家企业之一不存在"),
        ({"a": "x", "b": dup, "kept": "a", "name": "客户机械有限公司"}, "请选择两家企业进行对照"),
    ]
    for form, message in cases:
        before = snapshot(db)
        response = accounts.client.post("/admin/merges", data=form, follow_redirects=True)
        assert response.status_code == 200 and message in _page(response), message
        assert changed_tables(before, snapshot(db)) == [], message
    with write_transaction(db):  # both declared in Suzhou's 2026 round
        round_id = suzhou_round(db)
        for org in (kept, dup):
            made = declaration_store.create(db, round_id, org, client_org["self"], "basic", None)
    before = snapshot(db)
    twice = accounts.client.post(
        "/admin/merges",
        data={"a": kept, "b": dup, "kept": "b", "name": "客户机械有限公司"},
        follow_redirects=True,
    )
    assert "两家企业在同一批次中均有申报（苏州市2026年度基础级）" in _page(twice)
    assert changed_tables(before, snapshot(db)) == []
    with write_transaction(db):
        db.execute("DELETE FROM declarations WHERE id = ?", [made])
    merged = accounts.client.post(
        "/admin/merges",
        data={"a": kept, "b": dup, "kept": "b", "name": "客户机械有限公司"},
        follow_redirects=True,
    )
    assert "已合并" in _page(merged)
    assert organisations.get(db, kept)["merged_into"] == dup
    before = snapshot(db)
    again = accounts.client.post(
        "/admin/merges",
        data={"a": kept, "b": dup, "kept": "b", "name": "客户机械有限公司"},
        follow_redirects=True,
    )
    assert "两家企业之一已被合并" in _page(again)
    assert changed_tables(before, snapshot(db)) == []
    # the compare page of a merged one has no merge form
    assert "合并这两家企业" not in _page(
        accounts.client.get("/admin/merges/compare", query_string={"a": kept, "b": dup})
    )


def test_only_administrators_merge(accounts, client_org, db):
    dup, colleague, _consultant = _duplicates(accounts, db, client_org)
    accounts.login(colleague)
    before = snapshot(db)
    response = accounts.client.post(
        "/admin/merges",
        data={"a": dup, "b": client_org["id"], "kept": "a", "name": "客户机械有限公司"},
    )
    assert response.status_code == 403
    assert changed_tables(before, snapshot(db)) == []
