"""On site, the pages that decide rules without rating anything (the profile: 规模以上, the
basic requirements, the results) are verified like rated pages: a 已核实 box, evidence note and
files per answer, the enterprise's own answer beside it, and "核实本页全部"
(assess/scoring/verification.py: deciding answers)."""

from __future__ import annotations

import pytest

from assess.assessment import answering
from assess.questionnaire import pages
from assess.store import assessments
from assess.store import evidence as evidence_store
from assess.web import questionnaires
from tests.support import autosave


def page_of(client, on_site, page_id: str) -> str:
    return client.get(f"/assessments/{on_site['id']}/pages/{page_id}").get_data(as_text=True)


@pytest.mark.parametrize("page_id", ["profile", "gate", "results"])
def test_every_deciding_answer_has_a_verified_box_and_evidence_on_site(
    app, accounts, on_site, page_id
):
    with app.app_context():
        q = questionnaires.latest()
    html = page_of(accounts.client, on_site, page_id)
    for item_id in pages.page(q, page_id).item_ids:
        block = html[html.index(f'data-item="{item_id}"') :]
        block = block[: block.index('class="question ') if 'class="question ' in block else None]
        assert f'data-evidence="{item_id}"' in block, item_id
        name = item_id.replace(".", "-")
        assert f'name="{name}--verified"' in block and f'name="{name}--note"' in block
        assert f'name="{name}--file"' in block


def test_the_enterprises_size_and_basic_requirements_are_beside_the_consultants(
    app, accounts, on_site, db
):
    own = assessments.answers(db, on_site["self"])
    assert own["profile.above_scale"].answer.value == "yes"
    html = page_of(accounts.client, on_site, "profile")
    block = html[html.index('data-self-answer="profile.above_scale"') :][:700]
    assert "企业自评：" in block and "<strong>是</strong>" in block
    assert "data-self-changed hidden" in block
    # the consultant finds it is not 规模以上: the enterprise's answer stays beside, marked
    revision = assessments.answers(db, on_site["id"])["profile.above_scale"].revision
    autosave(accounts.client, on_site["id"], ("profile.above_scale", "no", revision + 1))
    html = page_of(accounts.client, on_site, "profile")
    block = html[html.index('data-self-answer="profile.above_scale"') :][:700]
    assert "<strong>是</strong>" in block and "data-self-changed hidden" not in block
    gate = page_of(accounts.client, on_site, "gate")
    assert 'data-self-answer="gate.sound_operations"' in gate


def test_verify_all_on_the_gate_page_verifies_the_basic_requirements(app, accounts, on_site, db):
    with app.app_context():
        q = questionnaires.latest()
    current = answering.state(db, q, on_site["id"])
    gate = [x.id for x in q.gate.questions if x.id in current.answers]
    assert len(gate) == 3
    assert "核实本页全部（3 项已作答、尚未核实）" in page_of(accounts.client, on_site, "gate")
    accounts.client.post(
        f"/assessments/{on_site['id']}/pages/gate",
        data={"verify_page": "1", "gate-sound_operations--note": "查阅近三年安全环保记录"},
    )
    assert set(gate) <= evidence_store.verified_items(db, on_site["id"])
    stored = evidence_store.for_assessment(db, on_site["id"])
    assert stored["gate.sound_operations"]["note"] == "查阅近三年安全环保记录"
    assert "核实本页全部" not in page_of(accounts.client, on_site, "gate")


def test_a_changed_size_loses_its_verification_like_a_rating(app, accounts, on_site, db):
    revision = assessments.answers(db, on_site["id"])["profile.above_scale"].revision
    accounts.client.post(
        f"/assessments/{on_site['id']}/answers",
        json={"evidence": [{"item": "profile.above_scale", "verified": True}]},
    )
    assert "profile.above_scale" in evidence_store.verified_items(db, on_site["id"])
    autosave(accounts.client, on_site["id"], ("profile.above_scale", "no", revision + 1))
    assert "profile.above_scale" not in evidence_store.verified_items(db, on_site["id"])


def test_the_submit_page_lists_the_deciding_answers_not_verified(app, accounts, on_site, db):
    page = accounts.client.get(f"/assessments/{on_site['id']}/submit").get_data(as_text=True)
    assert "的报告方称为" not in page  # (the cover's words are the report's)
    found = page[page.index('id="deciding"') :]
    assert "全部核实后，报告方称为已核实。" in found
    listed = found[found.index('class="unverified-deciding"') :][:4000]
    assert "/pages/profile#item-profile-above_scale" in listed
    assert "/pages/gate#item-gate-sound_operations" in listed
