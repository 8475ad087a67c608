"""On-site answering by a consultant: evidence notes, quality, verification, uploads, visits,
answers kept over an expired session, a page open in another window, removal of a file."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from assess.assessment import evidence_files as evidence
from assess.store import assessments, grants, users
from assess.store import evidence as evidence_store
from tests.support import (
    PASSWORD,
    PDF,
    PNG,
    VISIT,
    VISIT_ZH,
    autosave,
    owner_token,
    post_with_files,
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


def test_a_visit_recorded_by_mistake_is_removed_while_the_assessment_is_a_draft(
    app, accounts, on_site, db
):
    client = accounts.client
    visits_url = f"/assessments/{on_site['id']}/visits"
    client.post(visits_url, data={"visit_date": VISIT.isoformat(), "site": "一号\n车间\x07"})
    client.post(visits_url, data={"visit_date": VISIT.isoformat(), "site": "总装车间"})
    wrong, right = evidence_store.visits(db, on_site["id"])
    assert wrong["site"] == "一号 车间"  # pasted over two lines, stored as one
    page = client.get(
        f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"}
    ).get_data(as_text=True)
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

    assert (
        client.post(
            f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"}
        ).status_code
        == 302
    )
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    assert client.post(f"{visits_url}/{right['id']}/delete").status_code == 404
    assert len(evidence_store.visits(db, on_site["id"])) == 1


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


def test_a_late_note_too_long_beside_the_one_saved_since_is_refused_and_kept_in_its_box(
    accounts, on_site, db
):
    """Without JavaScript: window B saved a long note; window A, opened before, posts its own.
    Both together would be longer than a note may be: B's stays whole, A's is refused with a
    message, B's is shown beside (422, nothing else lost), and A's stays in its box; sent again
    from the page as now shown (combined), it replaces B's."""
    import html

    from assess.assessment.answering import MAX_NOTE, evidence_shown

    client, page = accounts.client, f"/assessments/{on_site['id']}/pages/cmmm-personnel"
    shown = evidence_shown("", None, False)
    one = "org_strategy-1"
    first, late = "甲" * (MAX_NOTE - 100), "乙" * 200
    assert client.post(page, data={f"{one}--was": shown, f"{one}--note": first}).status_code == 302
    response = client.post(
        page,
        data={f"{one}--was": shown, f"{one}--note": late, "org_strategy-2--quality": "documented"},
    )
    assert response.status_code == 422
    body = html.unescape(response.get_data(as_text=True))
    assert "两处的说明合在一起超过了长度上限" in body and "仍保留在上面的输入框中" in body
    other = re.search(
        r'class="note-elsewhere">别处保存的说明\s*<textarea readonly[^>]*>([^<]*)<', body
    )
    assert other.group(1) == first  # the note saved elsewhere, to combine with
    box = re.search(r'id="org_strategy-1--note"[^>]*>\s*([^<]*)</textarea>', body)
    assert box.group(1) == late  # A's note, kept in its box
    now = evidence_shown(first, None, False)
    assert f'value="{now}"' in body  # the box now changes B's note: sent, it replaces it
    stored = evidence_store.for_assessment(db, on_site["id"])
    assert stored["org_strategy.1"]["note"] == first
    assert stored["org_strategy.2"]["evidence_quality"] == "documented"  # the rest is saved
    combined = "甲" * 100 + "乙" * 200
    sent = client.post(page, data={f"{one}--was": now, f"{one}--note": combined})
    assert sent.status_code == 302
    assert evidence_store.for_assessment(db, on_site["id"])["org_strategy.1"]["note"] == combined


def test_a_late_note_kept_over_an_expired_session_and_refused_is_said_after_login(
    app, accounts, on_site, db
):
    """The same refusal when the page was posted after the session expired: the note saved
    since stays whole, and after login the consultant is told which note was not saved."""
    from assess.assessment.answering import MAX_NOTE, evidence_shown

    page_url = f"/assessments/{on_site['id']}/pages/cmmm-personnel"
    token = owner_token(accounts.client.get(page_url).get_data(as_text=True))
    shown = evidence_shown("", None, False)
    first = "甲" * (MAX_NOTE - 100)
    saved = accounts.client.post(
        page_url, data={"org_strategy-1--was": shown, "org_strategy-1--note": first}
    )
    assert saved.status_code == 302
    expired = app.test_client()
    response = expired.post(
        page_url,
        data={"owner": token, "org_strategy-1--was": shown, "org_strategy-1--note": "乙" * 200},
    )
    login = expired.post(
        response.headers["Location"], data={"email": "c@example.com", "password": PASSWORD}
    )
    page = expired.get(login.headers["Location"]).get_data(as_text=True)
    assert "登录已过期：您当时为" in page and "提交的证据说明未保存" in page
    assert evidence_store.for_assessment(db, on_site["id"])["org_strategy.1"]["note"] == first


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


def test_evidence_files_per_item_are_limited(accounts, on_site, db):
    """Item 8: 300 files for one item in one post: the first MAX_FILES_PER_ITEM are kept, the
    rest refused with the reason; a later post cannot go past the limit either."""
    files = [(f"照片{n}.png", PNG) for n in range(300)]
    response = post_with_files(accounts.client, on_site["id"], files, **{"org_strategy-1": "most"})
    assert response.status_code == 422
    assert "最多" in response.get_data(as_text=True)
    kept = [f for f in evidence_store.files(db, on_site["id"]) if f["item_id"] == "org_strategy.1"]
    assert len(kept) == evidence.MAX_FILES_PER_ITEM
    post_with_files(accounts.client, on_site["id"], [("再一张.png", PNG)])
    assert len(evidence_store.files(db, on_site["id"])) == evidence.MAX_FILES_PER_ITEM


def test_every_file_refused_in_one_post_says_why(accounts, on_site, db):
    """Item 8: several files refused in one post: each is named with its reason, not only
    the last."""
    response = post_with_files(
        accounts.client,
        on_site["id"],
        [("空的.pdf", b""), ("笔记.txt", b"plain text"), ("好的.png", PNG)],
        **{"org_strategy-1": "most"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "空的.pdf" in page and "文件为空" in page
    assert "笔记.txt" in page and "只接受" in page
    assert [f["original_name"] for f in evidence_store.files(db, on_site["id"])] == ["好的.png"]


def build_to_print_client(app, accounts, db, version="2026.1"):
    """A build-to-print supplier that tailored product design out in a submitted
    self-assessment, and its consultant 王顾问 (logged in) with access."""
    import random

    from assess.assessment import submission
    from assess.demo.synthetic import answers_for_outcome
    from assess.store.database import write_transaction
    from assess.web import questionnaires
    from tests.support import start_assessment_under

    org = accounts.organisation(name="配套机械有限公司")
    owner = accounts.user("enterprise", organisation_id=org, email="owner@example.com")
    with app.app_context():
        q = questionnaires.versions().get("machinery-smart-factory", version)
    answers = answers_for_outcome(
        q,
        random.Random(8),
        "basic",
        sector="machine_tools",
        own_design=False,
        in_field=True,
        own_process_planning=True,
    )
    own = start_assessment_under(app, db, org, version)
    with write_transaction(db):
        assessments.put_answers(db, own, answers.items(), None)
        submission.submit(db, q, own, answers, submitted_by=None)
    consultant = accounts.user("consultant", email="c@example.com", name="王顾问")
    with db.conn:
        grants.grant_registered(db, org, users.get_by_email(db, consultant)["id"])
    accounts.login(consultant)
    return {"org": org, "own": own, "owner": owner, "answers": answers}


def test_a_consultant_starting_from_a_2025_self_assessment_is_told_what_is_new(app, accounts, db):
    client_org = build_to_print_client(app, accounts, db, version="2025.1")
    response = accounts.client.post(
        f"/consultant/clients/{client_org['org']}/assessments", data={"prefill": "self"}
    )
    on_site = int(response.headers["Location"].split("/")[2])
    assert assessments.get(db, on_site)["questionnaire_version"] == "2026.1"
    with accounts.client.session_transaction() as session:
        messages = [message for _, message in session["_flashes"]]
    assert messages[0].startswith("本次复评使用问卷 2026.1 版：30 道题为新增，已标注“新增”。")
    page = accounts.client.get(f"/assessments/{on_site}/pages/tailoring").get_data(as_text=True)
    assert 'class="badge badge-new"' in page


def test_a_consultant_rejects_a_tailoring_on_site_and_the_sub_domain_is_scored(app, accounts, db):
    """The enterprise tailored product design out; on site the consultant finds that it does
    design some products and rejects the tailoring, with a reason: product design is asked,
    rated and scored, and the result says so first. A re-assessment by the enterprise starts
    from its claim again, not from the consultant's verdict."""
    client_org = build_to_print_client(app, accounts, db)
    client = accounts.client
    response = client.post(
        f"/consultant/clients/{client_org['org']}/assessments", data={"prefill": "self"}
    )
    on_site = int(response.headers["Location"].split("/")[2])
    page = client.get(f"/assessments/{on_site}/pages/tailoring").get_data(as_text=True)
    assert 'name="tailoring-product_design-review"' in page and "评审" in page
    refused = autosave(client, on_site, ("tailoring.product_design.review", "rejected", 1))
    assert refused["results"][0]["error"] == "请说明不认可该裁剪的理由。"
    saved = autosave(
        client,
        on_site,
        ("tailoring.product_design.review", "rejected", 1, "企业为部分产品自行设计图纸"),
    )
    assert saved["results"][0]["status"] == "saved"
    assert "product_design.1" not in saved["skipped"]
    missing = client.get(f"/assessments/{on_site}/submit", data={"confirm_submit": "1"}).get_data(
        as_text=True
    )
    assert f"/assessments/{on_site}/pages/cmmm-manufacturing-1#item-product_design-1" in missing
    autosave(client, on_site, ("product_design.1", "none", 1))  # level 2 stays closed
    client.post(
        f"/assessments/{on_site}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "总装车间", "participants": "厂长"},
    )
    client.post(f"/assessments/{on_site}/submit", data={"confirm_submit": "1"})
    assert assessments.get(db, on_site)["status"] == "submitted"
    body = client.get(f"/assessments/{on_site}/results").get_data(as_text=True)
    first = body.index("能力子域裁剪")
    assert first < body.index("智能工厂梯度等级")  # tailoring comes first
    assert "产品设计：评审者不认可裁剪（企业为部分产品自行设计图纸），照常评分。" in body[first:]
    accounts.logout()
    accounts.login(client_org["owner"])
    response = client.post("/assessments/new", data={"prefill": "last"})
    again = int(response.headers["Location"].split("/")[2])
    carried = assessments.answers(db, again)
    assert carried["tailoring.product_design"].answer.value == "yes"
    assert "tailoring.product_design.review" not in carried
