"""Merging duplicate enterprises (assess/declaration/merging.py), without the app: a worked
example of what moves where, the refusals (nothing changed), and a property (the answers,
evidence files and assessments of the two are the kept one's afterwards)."""

from __future__ import annotations

import json
import random
from contextlib import closing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.declaration import merging
from assess.declaration.contests import folder_of
from assess.demo.synthetic import answers_for_outcome
from assess.integrity import problems
from assess.organisation import mail
from assess.questionnaire.versions import Versions
from assess.store import (
    answer_comments,
    assessments,
    contests,
    evidence,
    grants,
    organisations,
    parks,
    regional,
    roadmap_plans,
    team,
)
from assess.store import declarations as declaration_store
from assess.store.audit import Actor
from assess.store.database import connect, write_transaction
from assess.store.migrations import migrations
from assess.store.regional import Scope
from tests.fuzz.world import changed_tables, snapshot
from tests.programme import account, organisation, submitted, suzhou_round
from tests.support import PDF

VERSIONS = Versions.load(None, "machinery-smart-factory")
Q = VERSIONS.latest()
SECTION_X, SECTION_Y = list(Q.sub_domains)[:2]
ANSWERS = list(answers_for_outcome(Q, random.Random(9), "basic", sector="machine_tools").items())
(ITEM_1, VALUE_1), (ITEM_2, VALUE_2) = ANSWERS[:2]


@pytest.fixture
def db(tmp_path):
    with closing(connect(str(tmp_path / "assess.sqlite"))) as db:
        migrations.apply(db)
        mail.configure("https://assess.example", "secret", db)
        yield db


def _stand_in(db, name: str, region: str) -> int:
    """An enterprise registered under a contest's stand-in code."""
    org = organisation(db, name, region)
    organisations.set_credit_code(db, org, f"pending:{org}")
    return org


def _world(db) -> dict:
    """Kept: 甲机械 in a park of 苏州高新区, its owner and a contributor answering section X, a
    submitted self-assessment, a plan for item 1. Other: the same company under a stand-in code
    in 昆山, its owner and a contributor answering X and Y, a submitted assessment (newer), a
    draft with two answers, an evidence file and a comment, plans for items 1 and 2, a target,
    a consultant's grant, a team invitation and a declaration in Suzhou's 2026 round."""
    w = {}
    with write_transaction(db):
        park = parks.create(db, "320505", "测试园", "Test park")
        w["kept"] = kept = organisation(db, "甲机械有限公司", "320505", park)
        w["other"] = other = _stand_in(db, "甲机械有限公司（新）", "320583")
        w["admin"] = account(db, "admin@example.com", "管理员", "admin")
        for org, key in ((kept, "k"), (other, "o")):
            w[f"{key}_owner"] = account(
                db,
                f"{key}owner@example.com",
                f"{key}主",
                "enterprise",
                organisation_id=org,
                member_role="owner",
            )
            w[f"{key}_c"] = account(
                db,
                f"{key}c@example.com",
                f"{key}员",
                "enterprise",
                organisation_id=org,
                member_role="contributor",
            )
        team.assign(db, kept, SECTION_X, w["k_c"], w["k_owner"])
        team.assign(db, other, SECTION_X, w["o_c"], w["o_owner"])
        team.assign(db, other, SECTION_Y, w["o_c"], w["o_owner"])
        w["k1"] = submitted(db, Q, kept, "basic")
        roadmap_plans.set_entry(db, kept, ITEM_1, "王工", None, w["k1"], w["k_owner"])
    with write_transaction(db):  # a later submission: the other's is the newest of the two
        w["o1"] = submitted(db, Q, other, "advanced", seed=2)
        db.execute(
            "UPDATE result_facts SET submitted_at = '2099-01-01T00:00:00Z' WHERE assessment_id = ?",
            [w["o1"]],
        )
        w["o2"] = assessments.create(db, organisation_id=other, questionnaire=Q, created_by=None)
        assessments.put_answers(db, w["o2"], [(ITEM_1, VALUE_1), (ITEM_2, VALUE_2)], w["o_c"])
        evidence.add_file(
            db, w["o2"], ITEM_1, "a" * 64, "记录.pdf", "application/pdf", 10, "a" * 64, w["o_c"]
        )
        answer_comments.put(db, w["o2"], ITEM_1, "MES 上线计划 2027Q2", w["o_c"])
        roadmap_plans.set_entry(db, other, ITEM_1, "李工", None, w["o1"], w["o_owner"])
        roadmap_plans.set_entry(db, other, ITEM_2, "李工", "2027-03-31", w["o1"], w["o_owner"])
        roadmap_plans.set_target(db, other, "advanced", 3, w["o_owner"])
        w["consultant"] = account(db, "c@example.com", "王顾问", "consultant")
        grants.grant_registered(db, other, w["consultant"])
        team.invite(db, other, "new@example.com", "viewer", "x", w["o_owner"], "2099-01-01")
        w["round"] = suzhou_round(db)
        w["declaration"] = declaration_store.create(
            db, w["round"], other, w["o1"], "basic", w["o_owner"]
        )
        w["contest"] = contests.create(  # begun, never sent: the licence uploaded only
            db,
            credit_code=organisations.get(db, kept)["credit_code"],
            organisation_id=kept,
            claimant_id=w["o_owner"],
            claimant_organisation_id=other,
        )
        contests.set_licence(
            db,
            w["contest"],
            licence_stored="b" * 64,
            licence_name="执照.pdf",
            licence_type="application/pdf",
            licence_size=10,
            licence_sha256="b" * 64,
        )
    return w


def _merge(db, w, name="甲机械有限公司", kept=None, other=None):
    return merging.merge(
        db, VERSIONS, kept or w["kept"], other or w["other"], name, Actor(w["admin"])
    )


def test_everything_of_the_duplicate_moves_to_the_enterprise_kept(db, tmp_path):
    w = _world(db)
    kept, other = w["kept"], w["other"]
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / ("a" * 64)).write_bytes(PDF)
    licence = folder_of(tmp_path / "evidence") / ("b" * 64)
    licence.parent.mkdir()
    licence.write_bytes(PDF)
    assert _registered(db) == 2
    done = merging.merge(
        db, VERSIONS, kept, other, " 甲机械有限公司 ", Actor(w["admin"]), tmp_path / "evidence"
    )
    # the contest the company began against itself is gone, with its licence
    assert contests.get(db, w["contest"]) is None and not licence.exists()
    assert done == merging.Merged(
        kept,
        other,
        {
            "accounts": 2,
            "assessments": 2,
            "answers": len(assessments.answers(db, w["o1"])) + 2,
            "evidence_files": 1,
            "comments": 1,
            "declarations": 1,
            "recognitions": 0,
            "grants": 1,
            "invitations": 1,
            "roadmap_plans": 2,
        },
        "contributor",
    )
    members = {u["email"]: (u["member_role"], u["active"]) for u in team.members(db, kept)}
    assert members == {
        "kowner@example.com": ("owner", 1),
        "kc@example.com": ("contributor", 1),
        "oowner@example.com": ("contributor", 1),
        "oc@example.com": ("contributor", 1),
    }
    assert {a["id"] for a in assessments.for_organisation(db, kept)} == {w["k1"], w["o1"], w["o2"]}
    assert [
        r["item_id"]
        for r in db.query(
            "SELECT item_id FROM answers WHERE assessment_id = ? ORDER BY item_id", [w["o2"]]
        )
    ] == sorted([ITEM_1, ITEM_2])
    # where both had one, the kept one's stays
    assert team.assignments(db, kept) == {SECTION_X: w["k_c"], SECTION_Y: w["o_c"]}
    plans = roadmap_plans.entries(db, kept)
    assert (plans[ITEM_1]["owner"], plans[ITEM_2]["owner"]) == ("王工", "李工")
    assert roadmap_plans.target(db, kept) == ("advanced", 3)  # the kept one had none
    assert grants.active(db, w["consultant"], kept) is not None
    assert declaration_store.get(db, w["declaration"])["organisation_id"] == kept
    assert [i["email"] for i in team.open_invitations(db, kept)] == ["new@example.com"]
    # the duplicate: closed, pointing to the kept one, empty, counted nowhere
    gone = organisations.get(db, other)
    assert (gone["merged_into"], gone["credit_code"], gone["park_id"]) == (
        kept,
        f"merged:{other}",
        None,
    )
    assert gone["closed_at"]
    facts = list(
        db.query(
            "SELECT assessment_id, organisation_id, region_code, is_latest FROM result_facts"
            " ORDER BY assessment_id"
        )
    )
    park = organisations.get(db, kept)["park_id"]
    assert [
        (f["assessment_id"], f["organisation_id"], f["region_code"], f["is_latest"]) for f in facts
    ] == [(w["k1"], kept, "320505", 0), (w["o1"], kept, "320505", 1)]
    assert {f["region_code"] for f in db.query("SELECT * FROM result_facts")} == {"320505"}
    assert _registered(db) == 1
    summed = db.execute(
        "SELECT region_code, park_id, enterprises FROM region_summary WHERE period = ''"
        " AND enterprises > 0"
    ).fetchall()
    assert summed == [("320505", park, 1)]  # the two count as one, in the kept one's park
    (entry,) = db.query("SELECT * FROM audit_log WHERE action = 'organisations_merged'")
    detail = json.loads(entry["detail"])
    assert (detail["kept"]["id"], detail["merged"]["id"], detail["owner_became"]) == (
        kept,
        other,
        "contributor",
    )
    assert detail["moved"] == done.moved
    mails = sorted(
        r["to_address"]
        for r in db.query("SELECT * FROM outbox WHERE kind = 'organisations_merged'")
    )
    assert mails == ["kowner@example.com", "oowner@example.com"]
    assert problems(db, VERSIONS, tmp_path / "evidence") == []


def _registered(db) -> int:
    return regional.participation(db, Scope("32"))["registered"]


def test_a_third_enterprises_unsent_contest_of_the_duplicates_code_follows_the_kept_one(db):
    """Only the contests the duplicate began, or between the two, are dropped: a third
    enterprise's draft against the duplicate's code was deleted with its licence, unannounced."""
    w = _world(db)
    with write_transaction(db):
        third = _stand_in(db, "乙机械有限公司", "320505")
        claimant = account(
            db, "t@example.com", "乙主", "enterprise", organisation_id=third, member_role="owner"
        )
        organisations.set_credit_code(db, w["other"], "91320500MA1TEST00X")
        drafted = contests.create(
            db,
            credit_code="91320500MA1TEST00X",
            organisation_id=w["other"],
            claimant_id=claimant,
            claimant_organisation_id=third,
        )
    assert isinstance(_merge(db, w), merging.Merged)
    kept_contest = contests.get(db, drafted)
    assert kept_contest is not None and kept_contest["organisation_id"] == w["kept"]
    assert contests.get(db, w["contest"]) is None  # the one between the two is gone


def test_the_enterprise_kept_takes_the_credit_code_when_its_own_is_a_stand_in(db):
    w = _world(db)
    code = organisations.get(db, w["kept"])["credit_code"]
    assert isinstance(_merge(db, w, "甲机械有限公司（新）", w["other"], w["kept"]), merging.Merged)
    assert organisations.get(db, w["other"])["credit_code"] == code
    assert organisations.get(db, w["kept"])["credit_code"] == f"merged:{w['kept']}"


def test_a_merge_is_refused_with_nothing_changed(db):
    w = _world(db)
    with write_transaction(db):
        third = organisation(db, "丙机械有限公司", "320505")
        closed = organisation(db, "丁机械有限公司", "320505")
        db.execute("UPDATE organisations SET closed_at = '2026-01-01' WHERE id = ?", [closed])
        twice = organisation(db, "戊机械有限公司", "320505")
        d = submitted(db, Q, twice, "basic", seed=4)
        declaration_store.create(db, w["round"], twice, d, "basic", w["admin"])
    cases = [
        ((w["kept"], w["kept"], "甲机械有限公司"), "same"),
        ((w["kept"], 9999, "甲机械有限公司"), "unknown"),
        ((w["kept"], closed, "甲机械有限公司"), "not_enterprise"),
        ((w["kept"], w["other"], "乙机械有限公司"), "name"),
        ((w["other"], twice, "甲机械有限公司（新）"), "declared_twice"),
    ]
    for (kept, other, name), reason in cases:
        before = snapshot(db)
        refused = merging.merge(db, VERSIONS, kept, other, name, Actor(w["admin"]))
        assert isinstance(refused, merging.Refused) and refused.reason == reason
        assert changed_tables(before, snapshot(db)) == [], reason
    # an open contest of a code one of the two holds or contests
    with write_transaction(db):
        db.execute(
            "INSERT INTO contests (credit_code, organisation_id, claimant_id,"
            " claimant_organisation_id, status) VALUES ('X', ?, ?, ?, 'open')",
            [third, w["k_owner"], w["kept"]],
        )
    before = snapshot(db)
    assert _merge(db, w) == merging.Refused("contest")
    assert changed_tables(before, snapshot(db)) == []


def test_a_duplicate_merged_already_cannot_be_merged_again(db):
    w = _world(db)
    assert isinstance(_merge(db, w), merging.Merged)
    before = snapshot(db)
    assert _merge(db, w) == merging.Refused("merged")
    assert _merge(db, w, "甲机械有限公司（新）", w["other"], w["kept"]) == merging.Refused("merged")
    assert changed_tables(before, snapshot(db)) == []


SHAPES = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 2), st.booleans()), max_size=3
)  # per assessment: answers, evidence files, submitted


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kept_shape=SHAPES, other_shape=SHAPES)
def test_the_two_enterprises_work_is_the_kept_ones_after_merging(db, kept_shape, other_shape):
    with write_transaction(db):
        admin = account(db, f"admin{organisations.count(db)}@example.com", "管理员", "admin")
        orgs = [organisation(db, "合并机械有限公司", "320505") for _ in range(2)]
        for org, shape in zip(orgs, (kept_shape, other_shape), strict=True):
            for answers, files, submit in shape:
                if submit and answers:
                    submitted(db, Q, org, "basic", seed=answers)
                    continue
                made = assessments.create(db, organisation_id=org, questionnaire=Q, created_by=None)
                assessments.put_answers(db, made, ANSWERS[:answers], None)
                items = [item for item, _value in ANSWERS[:answers]]
                for n in range(files):
                    name = f"{made:08d}{n:056d}"
                    evidence.add_file(
                        db,
                        made,
                        items[0] if items else ITEM_1,
                        name,
                        "a.pdf",
                        "application/pdf",
                        1,
                        name,
                        admin,
                    )

    def counts(org):
        held = merging.merges.holdings(db, org)
        return held["assessments"], held["answers"], held["evidence_files"]

    before = [counts(org) for org in orgs]
    done = merging.merge(db, VERSIONS, *orgs, "合并机械有限公司", Actor(admin))
    assert isinstance(done, merging.Merged)
    assert counts(orgs[0]) == tuple(map(sum, zip(*before, strict=True)))
    assert counts(orgs[1]) == (0, 0, 0)
    latest = db.execute(
        "SELECT count(*) FROM result_facts WHERE organisation_id = ? AND is_latest", [orgs[0]]
    ).fetchone()[0]
    assert latest == (
        1
        if db.execute(
            "SELECT count(*) FROM result_facts WHERE organisation_id = ?", [orgs[0]]
        ).fetchone()[0]
        else 0
    )


def test_the_duplicates_owner_owns_a_kept_enterprise_that_had_no_accounts(db, tmp_path):
    w = _world(db)
    with write_transaction(db):  # registered by a consultant, never claimed: no accounts
        empty = organisation(db, "甲机械有限公司", "320505")
    done = _merge(db, w, kept=empty, other=w["other"])
    assert done.owner_became == "owner"
    roles = {u["email"]: u["member_role"] for u in team.members(db, empty)}
    assert roles == {"oowner@example.com": "owner", "oc@example.com": "contributor"}
    (message,) = db.query("SELECT * FROM outbox WHERE kind = 'organisations_merged'")
    assert message["to_address"] == "oowner@example.com"
    assert "现为其负责人" in message["text"]
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / ("a" * 64)).write_bytes(PDF)
    assert problems(db, VERSIONS, tmp_path / "evidence") == []
