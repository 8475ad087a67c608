"""On-site pages (issue 16): the enterprise's self-answer beside each item, "verify all on
this page", "same evidence as the item above", Word/Excel/phone photos through the page with
their limits, and locked means locked: an upload racing the submit changes nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assess.assessment import answering
from assess.assessment import evidence_files as evidence
from assess.questionnaire import pages
from assess.store import answer_comments, assessments
from assess.store import evidence as evidence_store
from assess.web import questionnaires
from tests.assessment.test_evidence_files import docx, phone_photo, xlsx
from tests.support import PASSWORD, PDF, PNG, VISIT, autosave, post_with_files

PAGE = "cmmm-personnel"


def page_of(client, on_site) -> str:
    return client.get(f"/assessments/{on_site['id']}/pages/{PAGE}").get_data(as_text=True)


def files_on_disk(app, assessment_id: int) -> set[Path]:
    folder = Path(app.config["EVIDENCE_DIR"]) / str(assessment_id)
    return set(folder.iterdir()) if folder.exists() else set()


def test_word_excel_and_a_phone_photo_are_kept_and_lies_refused_through_the_page(
    app, accounts, on_site, db
):
    photo, _ = phone_photo()
    response = post_with_files(
        accounts.client,
        on_site["id"],
        [
            ("设备点检台账.xlsx", xlsx()),
            ("管理制度.docx", docx()),
            ("IMG_0412.JPG", photo),
            ("假的.docx", b"just text, renamed"),
            ("带宏.xlsx", docx(main="application/vnd.ms-word.document.macroEnabled.main+xml")),
            ("旧版.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ],
        **{"org_strategy-1": "most"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "假的.docx: 只接受 PDF、照片" in page
    assert "带宏.xlsx: 不接受含宏的文档" in page and "旧版.xls: 不接受旧版 Word" in page
    kept = evidence_store.files(db, on_site["id"])
    assert [(f["original_name"], f["mime_type"]) for f in kept] == [
        ("设备点检台账.xlsx", evidence.XLSX),
        ("管理制度.docx", evidence.DOCX),
        ("IMG_0412.JPG", "image/jpeg"),
    ]
    stored_photo = (Path(app.config["EVIDENCE_DIR"]) / kept[2]["stored_name"]).read_bytes()
    assert b"GPS" not in stored_photo and b"iPhone" not in stored_photo
    assert kept[2]["size"] == len(stored_photo)  # what is stored, not what was sent
    assert len(files_on_disk(app, on_site["id"])) == 3  # nothing refused left behind
    download = accounts.client.get(f"/evidence/{kept[0]['id']}")
    assert download.headers["Content-Type"].startswith(evidence.XLSX)
    assert "attachment" in download.headers["Content-Disposition"]
    download.close()
    # the limits are stated on the page
    assert "每个不超过 10 MB，每道题最多 20 个，每次评估共 300 MB" in page_of(
        accounts.client, on_site
    )


def test_the_evidence_of_one_assessment_is_limited_in_all(app, accounts, on_site, db, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_ASSESSMENT_BYTES", len(PDF) + 10)
    response = post_with_files(accounts.client, on_site["id"], [("a.pdf", PDF), ("b.pdf", PDF)])
    assert "b.pdf: 本次评估的证据文件已接近" in response.get_data(as_text=True)
    assert [f["original_name"] for f in evidence_store.files(db, on_site["id"])] == ["a.pdf"]
    assert len(files_on_disk(app, on_site["id"])) == 1


def test_the_self_answer_and_its_reason_are_beside_the_rating_also_once_changed(
    app, accounts, on_site, db
):
    own = assessments.answers(db, on_site["self"])["org_strategy.1"].answer.value
    with app.app_context():
        q = questionnaires.latest()
    labels = {o.id: o.label.get("zh") for o in q.scales[q.cmmm.scale].options}
    page = page_of(accounts.client, on_site)
    assert "企业自评：" in page and labels[own] in page
    block = page[page.index('data-self-answer="org_strategy.1"') :][:700]
    assert "data-self-changed hidden" in block  # the mark is there for the page to show
    other = next(option for option in labels if option not in (own, "na"))
    revision = assessments.answers(db, on_site["id"])["org_strategy.1"].revision
    autosave(accounts.client, on_site["id"], ("org_strategy.1", other, revision + 1))
    page = page_of(accounts.client, on_site)
    block = page[page.index('data-self-answer="org_strategy.1"') :][:700]
    assert labels[own] in block and "现场已修改" in block  # still the enterprise's answer
    assert "data-self-changed hidden" not in block and "is-different" in page


def test_the_enterprises_comments_are_beside_its_items_on_the_on_site_page(accounts, on_site, db):
    """A comment the enterprise wrote on its self-answer (「MES 上线计划 2027Q2」) is shown to
    the consultant beside the item, a rating's and any other's; an item without one shows
    none."""
    with db.conn:
        answer_comments.put(db, on_site["self"], "org_strategy.1", "战略文件 2026 年修订中", None)
        answer_comments.put(db, on_site["self"], "profile.sector", "主营数控机床", None)
    page = page_of(accounts.client, on_site)
    block = page[page.index('data-self-answer="org_strategy.1"') :][:1500]
    assert block.index("企业备注：战略文件 2026 年修订中") < block.index("</div>")
    assert page.count("data-self-comment=") == 1  # only the item commented on this page
    profile = accounts.client.get(f"/assessments/{on_site['id']}/pages/profile")
    text = profile.get_data(as_text=True)
    assert 'data-self-comment="profile.sector"' in text and "企业备注：主营数控机床" in text


def test_verify_all_on_this_page_verifies_the_answered_items_through_the_saving_path(
    app, accounts, on_site, db
):
    with app.app_context():
        q = questionnaires.latest()
    current = answering.state(db, q, on_site["id"])
    rated = [
        item
        for item in pages.page(q, PAGE).item_ids
        if q.items[item].type == "rating"
        and item in current.answers
        and item not in current.skipped
    ]
    assert rated
    html = page_of(accounts.client, on_site)
    assert f"核实本页全部（{len(rated)} 项已作答、尚未核实）" in html
    response = accounts.client.post(
        f"/assessments/{on_site['id']}/pages/{PAGE}",
        data={"verify_page": "1", "org_strategy-1--note": "现场核对了战略文件", "go": "next"},
    )
    assert response.headers["Location"].endswith(f"/pages/{PAGE}")  # stays to show the count
    with accounts.client.session_transaction() as session:
        assert (f"本页已将 {len(rated)} 项答案标记为已核实。") in [
            m for _, m in session["_flashes"]
        ]
    verified = evidence_store.verified_items(db, on_site["id"])
    assert set(rated) <= verified and not (set(current.skipped) & verified)
    stored = evidence_store.for_assessment(db, on_site["id"])
    assert stored["org_strategy.1"]["note"] == "现场核对了战略文件"  # the page was saved too
    logged = db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'answer_verified' AND target_id = ?",
        [on_site["id"]],
    ).fetchone()[0]
    bulk = db.execute(
        "SELECT detail FROM audit_log WHERE action = 'page_verified' AND target_id = ?",
        [on_site["id"]],
    ).fetchall()
    assert logged == len(rated) and len(bulk) == 1 and f'"count": {len(rated)}' in bulk[0][0]
    again = accounts.client.post(
        f"/assessments/{on_site['id']}/pages/{PAGE}", data={"verify_page": "1"}
    )
    assert again.status_code == 302
    assert "核实本页全部" not in page_of(accounts.client, on_site)


def test_same_evidence_as_the_item_above_refers_to_the_same_file(app, accounts, on_site, db):
    client = accounts.client
    post_with_files(client, on_site["id"], [("培训记录.pdf", PDF), ("现场.png", PNG)])
    html = page_of(client, on_site)
    assert 'name="same_as_above" value="org_strategy.2"' in html
    assert 'name="same_as_above" value="org_strategy.1"' not in html  # nothing above the first
    url = f"/assessments/{on_site['id']}/pages/{PAGE}"
    assert client.post(url, data={"same_as_above": "org_strategy.2"}).status_code == 302
    client.post(url, data={"same_as_above": "org_strategy.2"})  # twice: nothing more
    rows = evidence_store.files(db, on_site["id"])
    first = [r for r in rows if r["item_id"] == "org_strategy.1"]
    second = [r for r in rows if r["item_id"] == "org_strategy.2"]
    assert [r["stored_name"] for r in second] == [r["stored_name"] for r in first]
    assert len(files_on_disk(app, on_site["id"])) == 2  # no copy
    client.post(url, data={"same_as_above": "data.1"})  # not on this page: nothing
    assert len(evidence_store.files(db, on_site["id"])) == 4
    # removing one reference keeps the file for the other item; the last one deletes it
    client.post(url, data={"remove_file": str(first[0]["id"])})
    assert len(files_on_disk(app, on_site["id"])) == 2
    download = client.get(f"/evidence/{second[0]['id']}")
    assert download.status_code == 200
    download.close()
    client.post(url, data={"remove_file": str(second[0]["id"])})
    assert len(files_on_disk(app, on_site["id"])) == 1
    # the shared file counts once against the assessment's limit
    assert evidence_store.total_bytes(db, on_site["id"]) == len(PNG)


def submit_on_site(app, on_site) -> int:
    """The consultant's submit, from a second browser (a colleague's tab): the real endpoint."""
    other = app.test_client()
    other.post("/login", data={"email": "c@example.com", "password": PASSWORD})
    return other.post(
        f"/assessments/{on_site['id']}/submit", data={"confirm_carried": "1", "confirm_submit": "1"}
    ).status_code


@pytest.fixture
def visited(accounts, on_site):
    accounts.client.post(
        f"/assessments/{on_site['id']}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "总装车间", "participants": "厂长"},
    )
    return on_site


def test_an_upload_interleaved_with_the_submit_changes_nothing(
    app, accounts, visited, db, monkeypatch
):
    """The submit lands after the file passed its checks and was written to the folder, before
    its row is: the upload's write transaction sees the submitted status and keeps nothing."""
    write = evidence.store
    submitted = []

    def store_then_submit(directory, assessment_id, data):
        stored = write(directory, assessment_id, data)
        if not submitted:
            submitted.append(submit_on_site(app, visited))
        return stored

    monkeypatch.setattr(evidence, "store", store_then_submit)
    response = post_with_files(accounts.client, visited["id"], [("迟到的.pdf", PDF)])
    assert submitted == [302] and assessments.get(db, visited["id"])["status"] == "submitted"
    assert response.status_code == 302 and "/results" in response.headers["Location"]
    assert evidence_store.files(db, visited["id"]) == []
    assert files_on_disk(app, visited["id"]) == set()


def test_uploads_racing_the_submit_in_threads_land_before_it_or_not_at_all(
    app, accounts, visited, db
):
    """Uploads, one request each, from one thread for as long as another thread submits and
    three more after (the race the issue timed: 6 of 7 files landed after the submit). Every
    file kept was kept before the submit (its audit entry comes first), every later one is
    refused, and no stray file is left in the folder."""
    start, done, posted = threading.Barrier(2), threading.Event(), []

    def upload():
        client = app.test_client()
        client.post("/login", data={"email": "c@example.com", "password": PASSWORD})
        start.wait()
        after = 0
        while after < 3:
            after += done.is_set()
            posted.append(post_with_files(client, visited["id"], [("证据.pdf", PDF)]).status_code)

    def submit():
        start.wait()
        submit_on_site(app, visited)
        done.set()

    threads = [threading.Thread(target=upload), threading.Thread(target=submit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert assessments.get(db, visited["id"])["status"] == "submitted"
    submitted_entry = db.execute(
        "SELECT id FROM audit_log WHERE action = 'submit' AND target_id = ?", [visited["id"]]
    ).fetchone()[0]
    uploads = db.execute(
        "SELECT id FROM audit_log WHERE action = 'evidence_uploaded'"
        " AND json_extract(detail, '$.assessment_id') = ?",
        [visited["id"]],
    ).fetchall()
    assert all(entry < submitted_entry for (entry,) in uploads)
    kept = evidence_store.files(db, visited["id"])
    assert len(kept) == len(uploads) <= len(posted) - 3  # the last three came after
    assert {Path(app.config["EVIDENCE_DIR"]) / f["stored_name"] for f in kept} == files_on_disk(
        app, visited["id"]
    )


def test_a_refused_file_says_the_file_was_not_attached_not_that_answers_were_lost(
    app, accounts, on_site, db
):
    """Every answer and the note saved, only the file refused: the page says the file was not
    attached, never that answers were not saved."""
    response = post_with_files(
        accounts.client,
        on_site["id"],
        [("假的.docx", b"just text, renamed")],
        **{"org_strategy-1": "most", "org_strategy-1--note": "看过战略文件"},
    )
    page = response.get_data(as_text=True)
    assert "假的.docx: 只接受 PDF、照片" in page
    assert "部分答案未能保存" not in page
    assert "文件未能附上，请查看下方提示；所有答案和说明均已保存。" in page
    with app.app_context():
        q = questionnaires.latest()
    stored = answering.state(db, q, on_site["id"])
    assert stored.answers["org_strategy.1"].value == "most"
    assert evidence_store.for_assessment(db, on_site["id"])["org_strategy.1"]["note"] == (
        "看过战略文件"
    )
    assert evidence_store.files(db, on_site["id"]) == []


def test_an_answer_refused_beside_a_refused_file_still_says_answers_were_not_saved(
    accounts, on_site
):
    response = post_with_files(
        accounts.client,
        on_site["id"],
        [("假的.docx", b"just text, renamed")],
        **{"org_strategy-1": "no-such-option"},
    )
    page = response.get_data(as_text=True)
    assert "部分答案未能保存" in page and "假的.docx: 只接受 PDF、照片" in page
