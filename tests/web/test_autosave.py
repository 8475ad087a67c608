"""The autosave endpoint's body (assess/web/autosave.py): what it refuses with a message, and
how one bad entry of a batch is answered without sinking the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.store import assessments
from assess.store import evidence as evidence_store
from tests.support import autosave, start_assessment


def post_raw(client, assessment_id: int, body: str):
    return client.post(
        f"/assessments/{assessment_id}/answers", data=body, content_type="application/json"
    )


@pytest.mark.parametrize(
    "entry",
    [
        {"item": "profile.sector", "value": "machine_tools", "revision": 2, "reason": "\ud800"},
        {"item": "org_strategy.1", "value": "na", "revision": 1, "reason": "原因\udfff"},
    ],
    ids=["lone surrogate", "lone low surrogate"],
)
def test_a_lone_surrogate_in_a_reason_is_a_400_with_a_message(enterprise, db, entry):
    """Item 5: text that cannot be stored as UTF-8 is refused, not a 500."""
    assessment_id = start_assessment(enterprise["client"])
    before = assessments.answers(db, assessment_id)
    response = enterprise["client"].post(
        f"/assessments/{assessment_id}/answers", json={"answers": [entry]}
    )
    assert response.status_code == 400
    assert response.get_json()["message"]
    assert assessments.answers(db, assessment_id) == before


def test_a_lone_surrogate_in_an_evidence_note_is_a_400(accounts, on_site, db):
    response = accounts.client.post(
        f"/assessments/{on_site['id']}/answers",
        json={"evidence": [{"item": "data.1", "note": "现场\ud800"}]},
    )
    assert response.status_code == 400 and response.get_json()["message"]


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_is_a_400_with_a_message(enterprise, depth):
    """Item 5: JSON nested deeper than any save needs is refused, not a 500 (RecursionError)."""
    assessment_id = start_assessment(enterprise["client"])
    response = post_raw(enterprise["client"], assessment_id, "[" * depth + "]" * depth)
    assert response.status_code == 400 and response.get_json()["message"]
    deep_value = '{"answers": [{"item": "profile.sector", "revision": 2, "value": '
    body = deep_value + "[" * depth + "]" * depth + "}]}"
    response = post_raw(enterprise["client"], assessment_id, body)
    assert response.status_code == 400 and response.get_json()["message"]


def test_an_ordinary_save_still_works(enterprise):
    assessment_id = start_assessment(enterprise["client"])
    result = autosave(enterprise["client"], assessment_id, ("data.1", "full", 2))
    assert result["status"] == 200 and result["results"][0]["status"] == "saved"


def test_a_huge_revision_never_freezes_an_answer(enterprise, db):
    """Item 6: revision 2147483647 was stored, then every later save of the item was stale and
    the page's next one (2^31) invalid. A revision far beyond the stored one is refused for
    its item, with the revision to use; the page's next save goes through."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    autosave(client, assessment_id, ("data.1", "partial", 1))
    huge = autosave(client, assessment_id, ("data.1", "full", 2**31 - 1))["results"][0]
    assert (huge["status"], huge["revision"], huge["value"]) == ("invalid", 1, "partial")
    assert huge["error"]
    following = autosave(client, assessment_id, ("data.1", "full", huge["revision"] + 1))
    assert following["results"][0]["status"] == "saved"
    assert assessments.answers(db, assessment_id)["data.1"].revision == 2


def test_one_bad_revision_never_sinks_the_others_in_a_batch(enterprise, db):
    """Item 6: each entry's revision is checked on its own: the good ones are saved."""
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    bad = [2**31, "7", True, -1, 2**70, 1.5]
    entries = [("data.1", "full", 1)]
    entries += [(f"data.{n}", "full", revision) for n, revision in enumerate(bad[:4], start=2)]
    entries += [
        (f"org_strategy.{n}", "full", revision) for n, revision in ((2, bad[4]), (3, bad[5]))
    ]
    entries += [("org_strategy.1", "full", 1)]
    result = autosave(client, assessment_id, *entries)
    assert result["status"] == 200
    statuses = {r["item"]: r["status"] for r in result["results"]}
    assert statuses == {
        "data.1": "saved",
        **{f"data.{n}": "invalid" for n in range(2, 6)},
        "org_strategy.2": "invalid",
        "org_strategy.3": "invalid",
        "org_strategy.1": "saved",
    }
    assert {r["revision"] for r in result["results"] if r["status"] == "invalid"} == {0}
    stored = assessments.answers(db, assessment_id)
    assert {"data.1", "org_strategy.1"} <= set(stored) and not {"data.2", "data.3"} & set(stored)


def test_an_evidence_note_sent_late_is_kept_beside_the_one_saved_meanwhile(accounts, on_site, db):
    """Issue 16: offline evidence notes are no longer last-write-wins. A note typed offline is
    sent with the evidence as its page showed it; a note saved meanwhile elsewhere (another
    device) is kept, the late one beside it, and the page is told (conflict) with the token for
    its next change; a note changed on one side only replaces the stored one."""
    from assess.assessment.answering import evidence_shown

    client, url = accounts.client, f"/assessments/{on_site['id']}/answers"
    item = "org_strategy.1"
    page = client.get(f"/assessments/{on_site['id']}/pages/cmmm-personnel").get_data(as_text=True)
    opened = evidence_shown("", None, False)
    assert f'value="{opened}"' in page  # what the page sends its changes with

    def send(note: str, shown: str) -> dict:
        body = {"evidence": [{"item": item, "note": note, "quality": "", "shown": shown}]}
        return client.post(url, json=body).get_json()["evidence"][0]

    laptop = send("制度文件已查看", opened)
    assert laptop == {
        "item": item,
        "note": "制度文件已查看",
        "quality": "",
        "verified": False,
        "shown": evidence_shown("制度文件已查看", None, False),
        "conflict": False,
        "refused": False,
    }
    phone = send("车间台账拍照两张", opened)  # typed offline on the page opened before
    assert (phone["conflict"], phone["refused"]) == (True, False)
    assert phone["note"] == "制度文件已查看\n\n车间台账拍照两张"
    assert evidence_store.for_assessment(db, on_site["id"])[item]["note"] == phone["note"]
    # the page edits the merged note with the token it was given: that edit replaces it
    edited = send("制度文件已查看；车间台账拍照两张", phone["shown"])
    assert (edited["conflict"], edited["note"]) == (False, "制度文件已查看；车间台账拍照两张")
    # a quality changed on a page that did not touch the note keeps the note saved since
    body = {"evidence": [{"item": item, "note": "", "quality": "observed", "shown": opened}]}
    kept = client.post(url, json=body).get_json()["evidence"][0]
    assert (kept["note"], kept["quality"], kept["conflict"]) == (edited["note"], "observed", False)
    # a token that is not one is a 400, and changes nothing
    body = {"evidence": [{"item": item, "note": "x", "shown": ["not", "text"]}]}
    assert client.post(url, json=body).status_code == 400
    assert evidence_store.for_assessment(db, on_site["id"])[item]["note"] == edited["note"]


def test_a_late_note_too_long_beside_the_one_saved_meanwhile_is_left_to_the_page(
    accounts, on_site, db
):
    """Both notes together longer than a note may be (MAX_NOTE): the one saved meanwhile stays
    whole, the late one is not cut; the page is told (refused) and keeps it to be combined."""
    from assess.assessment.answering import MAX_NOTE, evidence_shown
    from assess.integrity import problems
    from assess.web import questionnaires

    client, url = accounts.client, f"/assessments/{on_site['id']}/answers"
    item, opened = "org_strategy.1", evidence_shown("", None, False)
    first, late = "甲" * (MAX_NOTE - 100), "乙" * 200
    for note in (first, late):
        body = {"evidence": [{"item": item, "note": note, "shown": opened}]}
        result = client.post(url, json=body).get_json()["evidence"][0]
    assert (result["note"], result["conflict"], result["refused"]) == (first, True, True)
    assert result["shown"] == evidence_shown(first, None, False)
    assert evidence_store.for_assessment(db, on_site["id"])[item]["note"] == first
    app = client.application
    with app.app_context():
        assert problems(db, questionnaires.versions(), Path(app.config["EVIDENCE_DIR"])) == []
