"""Enterprise teams through the web: invitations by e-mail (signed, expiring, single-use
links), roles, sections assigned, contributors answering only their sections (two at once),
who answered what, ownership handed over, the company profile edited by the owner."""

from __future__ import annotations

import re

import pytest

from assess.store import audit, outbox, users
from assess.store import team as team_store
from assess.store.database import write_transaction
from tests.support import GOOD, PASSWORD, autosave, start_assessment


def mails(db, kind: str | None = None) -> list[dict]:
    rows = list(db.query("SELECT * FROM outbox ORDER BY id"))
    return [r for r in rows if kind is None or r["kind"] == kind]


def join_path(text: str) -> str:
    return re.search(r"http://localhost(/team/join/\S+)", text).group(1)


def question_class(page: str, name: str) -> str:
    return re.search(rf'<div class="(question[^"]*)"\s+id="item-{name}"', page).group(1)


def invite(client, email: str, role: str = "contributor"):
    return client.post("/team/invitations", data={"email": email, "member_role": role})


def join(app, db, path: str, name: str = "李工"):
    """Accept an invitation with a new account, in a fresh browser; that client, logged in."""
    client = app.test_client()
    response = client.post(
        path,
        data={"name": name, "password": PASSWORD, "confirm": PASSWORD, "consent": "y"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def team(app, db, enterprise):
    """The enterprise's owner (logged in as enterprise["client"]) with a draft, two
    contributors (one for 组织战略 on the personnel page, one for 数据 on the technology page)
    and a viewer, each logged in its own client."""
    org = enterprise["organisation_id"]
    owner = enterprise["client"]
    draft = start_assessment(owner)
    clients = {}
    for email, role, name in (
        ("li@example.com", "contributor", "李工"),
        ("zhao@example.com", "contributor", "赵工"),
        ("sun@example.com", "viewer", "孙工"),
    ):
        assert invite(owner, email, role).status_code == 302
        path = join_path(mails(db, "team_invitation")[-1]["text"])
        clients[email] = join(app, db, path, name)
    ids = {e: users.get_by_email(db, e)["id"] for e in clients}
    response = owner.post(
        "/team/sections",
        data={"s:org_strategy": ids["li@example.com"], "s:data": ids["zhao@example.com"]},
    )
    assert response.status_code == 302
    return {
        "org": org,
        "owner": owner,
        "draft": draft,
        "li": clients["li@example.com"],
        "zhao": clients["zhao@example.com"],
        "viewer": clients["sun@example.com"],
        "ids": ids,
    }


def test_an_invitation_is_mailed_with_a_link_that_makes_an_account_once(app, db, enterprise):
    owner = enterprise["client"]
    response = invite(owner, "Li@Example.com")
    assert response.status_code == 302
    [mail] = mails(db, "team_invitation")
    assert mail["to_address"] == "li@example.com"
    assert "甲企业机械有限公司" in mail["subject"]
    path = join_path(mail["text"])
    page = app.test_client().get(path).get_data(as_text=True)
    assert "li@example.com" in page and "readonly" in page
    # the form cannot choose another address: the account is for the one invited
    client = app.test_client()
    client.post(
        path,
        data={
            "name": "李工",
            "email": "other@example.com",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "consent": "y",
        },
    )
    joined = users.get_by_email(db, "li@example.com")
    assert joined["organisation_id"] == enterprise["organisation_id"]
    assert joined["member_role"] == "contributor"
    assert users.get_by_email(db, "other@example.com") is None
    assert client.get("/assessments").status_code == 200  # logged in
    # single use
    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "该邀请已被接受" in again.get_data(as_text=True)


def test_forged_expired_revoked_and_replaced_links_are_refused(app, db, enterprise):
    owner = enterprise["client"]
    invite(owner, "li@example.com")
    first = join_path(mails(db)[-1]["text"])
    anonymous = app.test_client()
    assert anonymous.get(first[:-3] + "abc").status_code == 404  # forged signature
    assert anonymous.get("/team/join/not-a-token").status_code == 404
    [row] = team_store.open_invitations(db, enterprise["organisation_id"])
    # sent again: a new link, the old one is dead
    assert owner.post(f"/team/invitations/{row['id']}/resend").status_code == 302
    second = join_path(mails(db)[-1]["text"])
    assert second != first
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    # expired
    with write_transaction(db):
        db.execute("UPDATE team_invitations SET expires_at = '2020-01-01T00:00:00Z'")
    assert "该邀请已过期" in anonymous.get(second).get_data(as_text=True)
    assert (
        anonymous.post(
            second, data={"name": "x", "password": PASSWORD, "confirm": PASSWORD, "consent": "y"}
        ).status_code
        == 404
    )
    # withdrawn
    owner.post(f"/team/invitations/{row['id']}/resend")
    third = join_path(mails(db)[-1]["text"])
    assert owner.post(f"/team/invitations/{row['id']}/revoke").status_code == 302
    assert anonymous.get(third).status_code == 404
    assert users.get_by_email(db, "li@example.com") is None


def test_inviting_twice_or_a_member_says_so(app, db, enterprise):
    owner = enterprise["client"]
    invite(owner, "li@example.com")
    page = owner.post(
        "/team/invitations",
        data={"email": "li@example.com", "member_role": "viewer"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert len(mails(db, "team_invitation")) == 1
    assert "li@example.com" in page
    page = owner.post(
        "/team/invitations",
        data={"email": "a@example.com", "member_role": "viewer"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert len(mails(db, "team_invitation")) == 1
    bad = owner.post("/team/invitations", data={"email": "not-an-address", "member_role": "x"})
    assert bad.status_code == 422


def test_a_removed_colleague_invited_again_joins_with_its_own_password(app, db, team):
    owner, li = team["owner"], team["ids"]["li@example.com"]
    assert owner.post(f"/team/members/{li}/remove").status_code == 302
    assert not users.get(db, li)["active"]
    assert team["li"].get("/assessments").status_code == 302  # its session ended
    invite(owner, "li@example.com", "viewer")
    path = join_path(mails(db, "team_invitation")[-1]["text"])
    client = app.test_client()
    assert "password" in client.get(path).get_data(as_text=True)
    assert client.post(path, data={"password": "wrong-password-1"}).status_code == 200
    assert client.post(path, data={"password": PASSWORD}).status_code == 302
    assert users.get(db, li)["active"] and users.get(db, li)["member_role"] == "viewer"


def test_an_account_of_another_enterprise_cannot_join(app, db, accounts, enterprise):
    """The inviter is not told that the address has an account (the invitation waits as any
    other); the invitee is told at once, before any password, which enterprise invited them and
    that it is separate from their own, which the account cannot leave."""
    other = accounts.organisation(name="乙企业")
    accounts.user("enterprise", organisation_id=other, email="b@example.com")
    sent = invite(enterprise["client"], "b@example.com")
    assert sent.status_code == 302
    listed = enterprise["client"].get("/team").get_data(as_text=True)
    assert "b@example.com" in listed and "其他企业" not in listed
    path = join_path(mails(db, "team_invitation")[-1]["text"])
    client = app.test_client()
    told = (
        "b@example.com 已有其他企业的账号。甲企业机械有限公司是另一家独立的企业，"
        "一个账号只能属于一家企业"
    )
    opened = client.get(path).get_data(as_text=True)
    assert told in opened and 'type="password"' not in opened
    page = client.post(path, data={"password": PASSWORD}).get_data(as_text=True)
    assert told in page
    assert users.get_by_email(db, "b@example.com")["organisation_id"] == other
    # logged in with that very address, the page says why at once (not "log out, then open
    # the link again", which would only lead to the same refusal)
    accounts.login("b@example.com")
    page = accounts.client.get(path).get_data(as_text=True)
    assert told in page and "请先退出登录" not in page
    # logged in with another address: log out first
    accounts.login(accounts.user("enterprise", organisation_id=other, email="c@example.com"))
    page = accounts.client.get(path).get_data(as_text=True)
    assert "请先退出登录" in page and "其他企业" not in page


def test_a_consultants_address_invited_to_a_team_is_told_it_cannot_join(
    app, db, accounts, enterprise
):
    accounts.user("consultant", email="d@example.com")
    invite(enterprise["client"], "d@example.com")
    path = join_path(mails(db, "team_invitation")[-1]["text"])
    opened = app.test_client().get(path).get_data(as_text=True)
    assert "d@example.com 已有的账号不是企业账号" in opened and 'type="password"' not in opened


def test_sections_assigned_are_mailed_to_the_contributor(db, team):
    [li_mail] = [m for m in mails(db, "section_assigned") if m["to_address"] == "li@example.com"]
    assert "组织战略" in li_mail["text"] and "数据" not in li_mail["text"]
    # saving the same assignment again mails nobody
    before = len(mails(db))
    team["owner"].post(
        "/team/sections",
        data={
            "s:org_strategy": team["ids"]["li@example.com"],
            "s:data": team["ids"]["zhao@example.com"],
        },
    )
    assert len(mails(db)) == before
    # a viewer cannot be given a section; nothing changes
    refused = team["owner"].post(
        "/team/sections", data={"s:data": team["ids"]["sun@example.com"]}, follow_redirects=True
    )
    assert team_store.assignments(db, team["org"])["data"] == team["ids"]["zhao@example.com"]
    assert "板块只能分配给本团队的填报人" in refused.get_data(as_text=True)
    for bad in ({"s:nope": ""}, {"s:data": "abc"}, {"s:data": "99999999999999999999"}):
        assert team["owner"].post("/team/sections", data=bad).status_code == 302
    assert team_store.assignments(db, team["org"])["data"] == team["ids"]["zhao@example.com"]


def test_a_contributor_answers_only_its_sections(db, team):
    draft, li = team["draft"], team["li"]
    saved = autosave(li, draft, ("org_strategy.1", "full", 1), ("data.1", "full", 1))
    by_item = {r["item"]: r for r in saved["results"]}
    assert by_item["org_strategy.1"]["status"] == "saved"
    refused = by_item["data.1"]
    assert refused["status"] == "invalid" and refused["code"] == "not_assigned"
    assert "分配给同事" in refused["error"]
    stored = {r["item_id"] for r in db.query("SELECT item_id FROM answers")}
    assert "data.1" not in stored
    # the same answer sent back unchanged (a page re-sent) is no refusal
    zhao_saved = autosave(team["zhao"], draft, ("data.1", "partial", 1))
    assert zhao_saved["results"][0]["status"] == "saved"
    echo = autosave(li, draft, ("data.1", "partial", 2))
    assert echo["results"][0]["status"] == "unchanged"
    # a page post outside its sections changes nothing and says why
    response = li.post(
        f"/assessments/{draft}/pages/cmmm-technology",
        data={"data-1": "none", "data-1--rev": "2", "go": "stay"},
    )
    assert response.status_code == 422
    value = db.execute("SELECT value FROM answers WHERE item_id = 'data.1'").fetchone()[0]
    assert value == "partial"


def test_the_wizard_shows_a_contributor_its_sections_first_and_the_rest_read_only(team):
    draft, li = team["draft"], team["li"]
    resume = li.get(f"/assessments/{draft}")
    assert "/pages/cmmm-personnel" in resume.headers["Location"]
    page = li.get(f"/assessments/{draft}/pages/cmmm-personnel").get_data(as_text=True)
    nav = page[page.index('class="sections"') :]
    assert nav.index("cmmm-personnel") < nav.index('value="profile"')
    assert "is-locked" not in question_class(page, "org_strategy-1")
    assert "is-locked" in question_class(page, "staff_skills-1")
    other = page[page.index('id="item-staff_skills-1"') :]
    assert '<fieldset class="locked" disabled>' in other[:3000]
    tech = li.get(f"/assessments/{draft}/pages/cmmm-technology").get_data(as_text=True)
    assert "data-contributor" in tech and tech.count("is-locked") >= 3


def test_two_contributors_on_different_pages_at_once_lose_nothing(db, team):
    draft, li, zhao = team["draft"], team["li"], team["zhao"]
    li_items = ["org_strategy.1", "org_strategy.2", "org_strategy.3"]
    zhao_items = ["data.1", "data.2", "data.3"]
    for mine, theirs in zip(li_items, zhao_items, strict=True):
        assert autosave(li, draft, (mine, "full", 1))["results"][0]["status"] == "saved"
        assert autosave(zhao, draft, (theirs, "most", 1))["results"][0]["status"] == "saved"
    # and the page posts, interleaved with autosaves
    li.post(
        f"/assessments/{draft}/pages/cmmm-personnel",
        data={"org_strategy-1": "partial", "org_strategy-1--rev": "2", "go": "stay"},
    )
    autosave(zhao, draft, ("data.1", "none", 2))
    stored = {r["item_id"]: r["value"] for r in db.query("SELECT item_id, value FROM answers")}
    assert stored["org_strategy.1"] == "partial" and stored["data.1"] == "none"
    assert all(stored[i] == "full" for i in li_items[1:])
    assert all(stored[i] == "most" for i in zhao_items[1:])
    # each answer is its author's
    by = {r["item_id"]: r["updated_by"] for r in db.query("SELECT * FROM answers")}
    assert by["data.1"] == team["ids"]["zhao@example.com"]
    assert by["org_strategy.1"] == team["ids"]["li@example.com"]


def test_the_same_item_from_owner_and_contributor_keeps_the_newer_answer(db, team):
    draft, owner, li = team["draft"], team["owner"], team["li"]
    assert autosave(li, draft, ("org_strategy.1", "full", 1))["results"][0]["status"] == "saved"
    late = autosave(owner, draft, ("org_strategy.1", "none", 1))["results"][0]
    assert late["status"] == "stale" and late["value"] == "full"
    assert autosave(owner, draft, ("org_strategy.1", "none", 2))["results"][0]["status"] == "saved"


def test_a_contributor_whose_answer_the_owner_replaced_is_told_who_and_when(db, team):
    """李工 rated org_strategy.1 "fully met" and keeps the page open; the owner saves "not met"
    over it. 李工's next change of that answer is refused as stale: the page is told by whom
    and when (not "another window"), the owner's answer is shown, and 李工's own is handed
    back to give again; given again (a newer revision), it is saved."""
    draft, owner, li = team["draft"], team["owner"], team["li"]
    assert autosave(li, draft, ("org_strategy.1", "full", 1))["results"][0]["status"] == "saved"
    assert autosave(owner, draft, ("org_strategy.1", "none", 2))["results"][0]["status"] == "saved"
    at = db.execute("SELECT updated_at FROM answers WHERE item_id = 'org_strategy.1'").fetchone()
    # coming back to the page, 李工 sees who changed the answer of their section last
    page = li.get(f"/assessments/{draft}/pages/cmmm-personnel").get_data(as_text=True)
    mark = page[page.index('id="item-org_strategy-1"') :].split('id="item-org_strategy-2"')[0]
    assert "最近由测试用户于" in mark and "data-changed-by" in mark
    other = page[page.index('id="item-org_strategy-2"') :]
    assert "data-changed-by" not in other[: other.index("</fieldset>")]
    late = autosave(li, draft, ("org_strategy.1", "most", 2))["results"][0]
    assert {k: late[k] for k in ("status", "value", "revision", "changed_by")} == {
        "status": "stale",
        "value": "none",
        "revision": 2,
        "changed_by": "测试用户",  # the owner's name (tests/support.py Accounts.user)
    }
    assert late["changed_at"] and late["changed_at"][:4] == at[0][:4]
    # the same user's other window is still "another window": no name is given
    again = autosave(owner, draft, ("org_strategy.1", "partial", 2))["results"][0]
    assert again["status"] == "stale" and "changed_by" not in again
    assert autosave(li, draft, ("org_strategy.1", "most", 3))["results"][0]["status"] == "saved"

    # a page post (without JavaScript) says the same under the question, with 李工's answer
    assert autosave(owner, draft, ("org_strategy.2", "none", 1))["results"][0]["status"] == "saved"
    posted = li.post(
        f"/assessments/{draft}/pages/cmmm-personnel",
        data={"org_strategy-2": "full", "org_strategy-2--rev": "1", "go": "stay"},
    )
    body = posted.get_data(as_text=True)
    assert "测试用户在您打开本页后于" in body and "修改了此答案" in body
    assert "您的答案是：全部满足。如确认无误，请重新选择。" in body
    assert "被同事或在其他窗口中修改" in body
    stored = {r["item_id"]: r["value"] for r in db.query("SELECT item_id, value FROM answers")}
    assert stored["org_strategy.2"] == "none"


def test_the_owner_is_warned_on_a_page_whose_sections_a_colleague_answers(team):
    draft, owner, li = team["draft"], team["owner"], team["li"]
    personnel = owner.get(f"/assessments/{draft}/pages/cmmm-personnel").get_data(as_text=True)
    assert "本页以下部分已分配给同事：组织战略（李工）" in personnel
    technology = owner.get(f"/assessments/{draft}/pages/cmmm-technology").get_data(as_text=True)
    assert "数据（赵工）" in technology
    assert "data-assigned-elsewhere" not in owner.get(f"/assessments/{draft}/pages/gate").get_data(
        as_text=True
    )
    # the contributor answers its own sections: no warning
    page = li.get(f"/assessments/{draft}/pages/cmmm-personnel").get_data(as_text=True)
    assert "data-assigned-elsewhere" not in page


def test_the_owner_sees_who_answered_each_section(team):
    autosave(team["zhao"], team["draft"], ("data.1", "full", 1))
    page = team["owner"].get("/team").get_data(as_text=True)
    cells = page[page.index('name="s:data"') :].split("</tr>")[0]
    last_answer = cells.split("</select>")[1]
    assert "赵工" in last_answer
    strategy = page[page.index('name="s:org_strategy"') :].split("</tr>")[0]
    assert "赵工" not in strategy.split("</select>")[1]


def test_only_the_owner_submits_and_manages(app, team):
    draft = team["draft"]
    for who in ("li", "viewer"):
        client = team[who]
        assert client.get("/team").status_code == 403
        assert client.post("/team/invitations", data={"email": "x@example.com"}).status_code == 403
        assert client.post("/assessments/new", data={"prefill": "empty"}).status_code == 403
        assert client.post(f"/assessments/{draft}/submit").status_code == 403
        assert client.get("/organisation/profile").status_code == 403
        assert client.get("/consultants").status_code == 403
        assert client.get("/organisation/data").status_code == 403
        assert client.get("/assessments").status_code == 200
        assert client.get("/history").status_code == 200
    assert team["li"].get(f"/assessments/{draft}/submit").status_code == 200
    listing = team["viewer"].get("/assessments").get_data(as_text=True)
    assert f'/assessments/{draft}"' not in listing  # no way into the wizard for a viewer
    assert f'/assessments/{draft}"' in team["li"].get("/assessments").get_data(as_text=True)
    viewer = team["viewer"]
    assert viewer.get(f"/assessments/{draft}/pages/profile").status_code == 403
    assert autosave(viewer, draft, ("data.1", "full", 1))["status"] == 403
    nav = team["li"].get("/assessments").get_data(as_text=True)
    assert 'href="/team"' not in nav and 'href="/consultants"' not in nav
    assert 'href="/team"' in team["owner"].get("/assessments").get_data(as_text=True)


def test_ownership_is_handed_over_with_the_password(db, team):
    owner, org = team["owner"], team["org"]
    zhao = team["ids"]["zhao@example.com"]
    refused = owner.post(
        "/team/transfer", data={"to": zhao, "old_role": "viewer", "password": "wrong-pass-1"}
    )
    assert refused.status_code == 302
    assert users.owner_of(db, org)["email"] == "a@example.com"
    owner.post("/team/transfer", data={"to": zhao, "old_role": "viewer", "password": PASSWORD})
    assert users.owner_of(db, org)["id"] == zhao
    assert users.get_by_email(db, "a@example.com")["member_role"] == "viewer"
    assert "data" not in team_store.sections_of(db, org, zhao)  # the owner answers all
    assert owner.get("/team").status_code == 403
    assert team["zhao"].get("/team").status_code == 200
    entry = audit.search(db, action="team_ownership_transferred")[0]
    assert entry["target_id"] == str(org)


def test_roles_change_and_a_viewer_keeps_no_section(db, team):
    li = team["ids"]["li@example.com"]
    team["owner"].post(f"/team/members/{li}/role", data={"member_role": "viewer"})
    assert users.get(db, li)["member_role"] == "viewer"
    assert "org_strategy" not in team_store.assignments(db, team["org"])
    for bad in ({"member_role": "owner"}, {"member_role": ""}, {}):
        team["owner"].post(f"/team/members/{li}/role", data=bad)
        assert users.get(db, li)["member_role"] == "viewer"
    me = users.get_by_email(db, "a@example.com")["id"]
    team["owner"].post(f"/team/members/{me}/role", data={"member_role": "viewer"})
    team["owner"].post(f"/team/members/{me}/remove")
    assert users.get(db, me)["member_role"] == "owner" and users.get(db, me)["active"]


def test_the_owner_edits_the_company_profile_and_the_audit_keeps_the_old_values(db, enterprise):
    owner = enterprise["client"]
    page = owner.get("/organisation/profile").get_data(as_text=True)
    assert "甲企业机械有限公司" in page and '<option selected value="320505">' in page
    data = {k: GOOD[k] for k in ("province", "city", "county", "sector", "size")}
    data.update(name="甲企业智能装备有限公司", contact_name="王经理", contact_phone="0512-1")
    # validated as at registration: a county outside the city changes nothing
    bad = owner.post("/organisation/profile", data={**data, "county": "330106"})
    assert bad.status_code == 422
    assert db.execute("SELECT name FROM organisations").fetchone()[0] == "甲企业机械有限公司"
    assert owner.post("/organisation/profile", data={**data, "name": ""}).status_code == 422
    assert owner.post("/organisation/profile", data=data).status_code == 302
    row = dict(db.query("SELECT * FROM organisations").__next__())
    assert row["name"] == "甲企业智能装备有限公司" and row["contact_name"] == "王经理"
    [entry] = audit.search(db, action="organisation_profile_edited")
    assert "甲企业机械有限公司" in entry["detail"] and "甲企业智能装备有限公司" in entry["detail"]


def test_a_taken_credit_code_at_registration_names_the_way_in(client, accounts):
    accounts.organisation(credit_code=GOOD["credit_code"])
    page = client.post("/register", data=GOOD).get_data(as_text=True)
    assert "open access" not in page
    assert "“团队”页面" in page


def test_an_invitation_mail_is_queued_in_the_owners_transaction(db, enterprise):
    invite(enterprise["client"], "bad\naddress@example.com")
    assert mails(db) == []
    assert callable(outbox.queue)


def test_closing_the_enterprise_removes_its_team(db, team):
    response = team["owner"].post(
        "/organisation/close", data={"password": PASSWORD, "understood": "y"}
    )
    assert response.status_code == 302
    assert db.execute("SELECT count(*) FROM users WHERE role = 'enterprise'").fetchone()[0] == 0
    assert db["team_invitations"].count == 0 and db["section_assignments"].count == 0
