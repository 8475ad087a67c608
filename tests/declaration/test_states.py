"""The state of declarations and recognitions as data (the API's): an enterprise's own, drafts
included; an authority's region, never a draft and never outside its region or park."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.declaration import chain, declaring, listing, review, states
from assess.organisation.permissions import can_see_declaration
from assess.organisation.tiers import covers
from assess.store import declarations as store
from assess.store import organisations
from assess.store import recognitions as recognition_store
from assess.store import rounds as round_store
from tests.programme import DAY, actor, authority, decide, declared, organisation


def test_an_enterprise_follows_its_declaration_to_recognition(world, evidence):
    q, db = world["q"], world["db"]
    declaration_id = declared(world)
    assert decide(world, "park", declaration_id, "recommend", "材料真实完整")
    [mine] = states.own_declarations(db, q, world["org"], "zh")
    assert mine == {
        "id": declaration_id,
        "level": "basic",
        "level_name": "基础级",
        "status": "in_review",
        "status_label": "审核中",
        "round": {
            "id": world["round"],
            "title": "苏州市2026年度基础级",
            "year": 2026,
            "region_scope": "3205",
            "deadline": "2026-09-30",
        },
        "assessment_id": world["basic"],
        "created_at": mine["created_at"],
        "submitted_at": mine["submitted_at"],
        "resubmitted_at": None,
        "decided_at": None,
        "waiting_for": "city",
        "waiting_for_label": "市",
        "recognition": None,
    }
    assert mine["submitted_at"] is not None
    assert decide(world, "suzhou", declaration_id, "recognise")
    [mine] = states.own_declarations(db, q, world["org"], "en")
    assert (mine["status"], mine["status_label"], mine["waiting_for"]) == (
        "recognised",
        "recognised",
        None,
    )
    recognition = mine["recognition"]
    assert recognition == {
        "id": recognition["id"],
        "declaration_id": declaration_id,
        "level": "basic",
        "level_name": "Basic",
        "kind": "recognised",
        "status_label": "recognised",
        "year": 2026,
        "by": recognition["by"],
        "recognised_at": recognition["recognised_at"],
        "withdrawn_at": None,
        "withdrawal_reason": None,
    }
    assert "Suzhou" in recognition["by"]
    assert states.own_recognitions(db, q, world["org"], "en") == [recognition]


def test_a_withdrawn_recognition_stays_in_the_enterprises_list_marked(world, evidence):
    q, db = world["q"], world["db"]
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    decide(world, "suzhou", declaration_id, "recognise")
    [found] = states.own_recognitions(db, q, world["org"], "zh")
    assert (
        review.withdraw_recognition(
            db, world["suzhou"], found["id"], "现场复核发现数据不实", actor(world["suzhou"])
        )
        is True
    )
    [after] = states.own_recognitions(db, q, world["org"], "zh")
    assert (after["status_label"], after["withdrawal_reason"]) == (
        listing.status_label("revoked", "zh"),
        "现场复核发现数据不实",
    )
    assert after["withdrawn_at"] is not None
    # the region's list shows current ones unless withdrawn ones are asked for
    assert states.region_recognitions(db, q, world["suzhou"], "zh") == []
    [listed] = states.region_recognitions(db, q, world["suzhou"], "zh", withdrawn=True)
    assert listed["withdrawal_reason"] == "现场复核发现数据不实"


def test_an_authority_sees_declarations_of_its_region_never_a_draft(world, evidence):
    q, db = world["q"], world["db"]
    declaration_id = declared(world)  # 甲, in the park
    other = organisations.get(db, world["other"])
    declaring.start(
        db, world["versions"], other, world["round"], world["other_basic"], world["by"], DAY
    )
    listed = {
        who: [row["id"] for row in states.region_declarations(db, q, world[who], "zh")]
        for who in ("park", "suzhou", "jiangsu", "zhejiang")
    }
    assert listed == {
        "park": [declaration_id],
        "suzhou": [declaration_id],
        "jiangsu": [declaration_id],
        "zhejiang": [],
    }
    [row] = states.region_declarations(db, q, world["park"], "en")
    enterprise = organisations.get(db, world["org"])
    assert row["enterprise"] == {
        "id": world["org"],
        "name": "甲机械有限公司",
        "credit_code": enterprise["credit_code"],
        "identity": "verified",
        "region_code": "320505",
        "region": row["enterprise"]["region"],
        "park_id": world["park_id"],
        "sector": "machine_tools",
        "sector_label": "Machine tools",
        "size": "medium",
        "size_label": row["enterprise"]["size_label"],
    }
    assert row["assessment"] == {
        "id": world["basic"],
        "mode": "self",
        "verified_on_site": False,
        "level": "basic",
        "level_name": "Basic",
        "cmmm_level": row["assessment"]["cmmm_level"],
        "cmmm_score": row["assessment"]["cmmm_score"],
    }
    assert row["assessment"]["cmmm_level"] >= 2
    assert (row["status"], row["waiting_for"], row["my_turn"]) == ("in_review", "county", True)
    assert row["contact"] == {"name": "李工", "phone": "0512-87654321"}
    assert row["round"]["title"] == "Suzhou 2026 round for Basic"
    [seen_by_city] = states.region_declarations(db, q, world["suzhou"], "en")
    assert seen_by_city["my_turn"] is False
    # filters: by status and by round
    assert states.region_declarations(db, q, world["suzhou"], "en", status="recognised") == []
    assert (
        states.region_declarations(db, q, world["suzhou"], "en", round_id=world["round"] + 1) == []
    )


def test_the_recognised_factories_of_a_region_and_their_summary_table(world, evidence):
    q, db = world["q"], world["db"]
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    decide(world, "suzhou", declaration_id, "recognise")
    [row] = states.region_recognitions(db, q, world["jiangsu"], "zh")
    assert (row["declaration_id"], row["enterprise"]["name"], row["level"], row["year"]) == (
        declaration_id,
        "甲机械有限公司",
        "basic",
        2026,
    )
    assert states.region_recognitions(db, q, world["zhejiang"], "zh") == []
    assert states.region_recognitions(db, q, world["jiangsu"], "zh", level="advanced") == []
    assert states.region_recognitions(db, q, world["jiangsu"], "zh", year=2025) == []
    headers, table = states.recognised_table(db, world["versions"], world["jiangsu"], "zh")
    assert (headers[1], headers[2]) == ("企业", "统一社会信用代码")
    [line] = table
    assert line[1:3] == ["甲机械有限公司", row["enterprise"]["credit_code"]]
    assert line[13] == "已认定"
    assert states.recognised_table(db, world["versions"], world["zhejiang"], "zh")[1] == []


@pytest.mark.parametrize(
    ("check", "value", "valid"),
    [
        (states.valid_status, None, True),
        (states.valid_status, "in_review", True),
        (states.valid_status, "draft", False),  # an authority never sees a draft
        (states.valid_status, "in review", False),
        (states.valid_level, "basic", True),
        (states.valid_level, "leading", False),  # applied for by other means, no round
        (states.valid_year, 2026, True),
        (states.valid_year, 1999, False),
        (states.valid_year, 2101, False),
    ],
)
def test_filters_take_only_what_the_lists_know(check, value, valid):
    assert check(value) is valid


ORGANISATIONS = st.tuples(
    st.sampled_from(["320505", "320583", "320106", "330106"]),  # 虎丘, 昆山, 南京, 杭州
    st.booleans(),  # in the park, if in 虎丘
)
DECLARATIONS = st.tuples(
    st.sampled_from(["draft", "in_review", "returned", "rejected", "recognised", "withdrawn"]),
    st.integers(0, 2),  # revision: 0 is never submitted
    st.booleans(),  # recognised, then withdrawn
)


def test_an_authoritys_lists_hold_exactly_what_it_may_see_one_by_one(world):
    """Whatever the enterprises and their declarations, the region's list of an authority is
    the declarations `can_see_declaration` lets it open (the web's rule), and its recognised
    factories those of its region (and park) that are not withdrawn."""
    db, q = world["db"], world["q"]
    authorities = {who: authority(world, who) for who in ("park", "suzhou", "jiangsu", "zhejiang")}

    @settings(max_examples=40, deadline=None)
    @given(st.lists(st.tuples(ORGANISATIONS, st.lists(DECLARATIONS, max_size=2)), max_size=5))
    def example(made):
        db.execute("SAVEPOINT example")
        try:
            declared, current = [], []
            for i, ((region, in_park), theirs) in enumerate(made):
                in_park = in_park and region == "320505"  # the park is 虎丘's
                org = organisation(db, f"企业{i}", region, world["park_id"] if in_park else None)
                for j, (status, revision, withdrawn) in enumerate(theirs):
                    round_id = round_store.create(
                        db,
                        level="basic",
                        year=2030 + 2 * i + j,  # a round of its own: one declaration a round
                        region_scope="3205",
                        chain=chain.DEFAULT_CHAINS["basic"],
                        opens_on="2030-01-01",
                        deadline="2030-12-31",
                        opened_by=None,
                    )
                    found = store.create(db, round_id, org, world["basic"], "basic", None)
                    store.update(db, found, status=status, revision=revision)
                    declared.append(store.get(db, found))
                    if status == "recognised":
                        recognition = recognition_store.add(
                            db,
                            declaration_id=found,
                            organisation_id=org,
                            level="basic",
                            kind="recognised",
                            year=2030,
                            region_code=region,
                            park_id=world["park_id"] if in_park else None,
                            by_scope="3205",
                        )
                        if withdrawn:
                            recognition_store.withdraw(db, recognition, world["suzhou"]["id"], "x")
                        else:
                            current.append((recognition, organisations.get(db, org)))
            for who, user in authorities.items():
                listed = {row["id"] for row in states.region_declarations(db, q, world[who], "zh")}
                assert listed == {d["id"] for d in declared if can_see_declaration(db, user, d)}, (
                    who
                )
                recognised = {r["id"] for r in states.region_recognitions(db, q, world[who], "zh")}
                assert recognised == {r for r, org in current if covers(world[who], org)}, who
        finally:
            db.execute("ROLLBACK TO example")
            db.execute("RELEASE example")

    example()
