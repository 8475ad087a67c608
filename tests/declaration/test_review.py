"""The review chain: whose turn it is at each step, what each outcome does, amendments, the
on-site re-check, recognitions and their withdrawal, and who sees a declaration."""

from __future__ import annotations

import pytest

from assess.declaration import chain, declaring, recheck, review
from assess.declaration.review import Decided, Refused
from assess.organisation import consultant_access
from assess.organisation.permissions import can_see_declaration, may_see
from assess.store import declarations as store
from assess.store import organisations
from assess.store import recognitions as recognition_store
from assess.store.audit import Actor
from assess.store.database import write_transaction
from tests.programme import (
    DAY,
    User,
    actor,
    authority,
    complete,
    decide,
    declared,
    partly_and_fully_verified,
    submitted,
)


def test_the_default_chains_follow_the_programme():
    assert [(s.tier, s.forward) for s in chain.steps(chain.DEFAULT_CHAINS["basic"])] == [
        ("county", "recommend"),
        ("city", "recognise"),
    ]
    assert [(s.tier, s.forward) for s in chain.steps(chain.DEFAULT_CHAINS["advanced"])] == [
        ("county", "recommend"),
        ("city", "recommend"),
        ("province", "recognise"),
    ]
    last = chain.steps(chain.DEFAULT_CHAINS["excellent"])[-1]
    assert (last.tier, last.act, last.forward) == ("province", "recommend_ministry", "recommend")
    assert [chain.opener(chain.DEFAULT_CHAINS[level]) for level in chain.levels()] == [
        "city",
        "province",
        "province",
    ]


@pytest.mark.parametrize(
    ("step", "present", "tiers"),
    [
        ("county", {"park", "city", "province"}, ("park", "county")),
        ("county", {"county"}, ("park", "county")),
        ("county", {"city", "province"}, ("city",)),  # nobody below the city: it checks
        ("county", {"province"}, ("province",)),
        ("city", {"park", "province"}, ("province",)),
        ("province", set(), ("country",)),
    ],
)
def test_a_step_without_an_account_of_its_tier_goes_to_the_next_tier_up(step, present, tiers):
    assert chain.acting_tiers(chain.Step(step, "check"), present) == tiers


def test_a_chain_must_climb_and_end_on_a_decision():
    with pytest.raises(ValueError, match="above the one before"):
        chain.validate([{"tier": "city", "act": "check"}, {"tier": "county", "act": "recognise"}])
    with pytest.raises(ValueError, match="last step"):
        chain.validate([{"tier": "county", "act": "check"}])


def test_the_park_checks_then_the_city_recognises(world, evidence):
    declaration_id = declared(world)
    # at the first step only the park (the enterprise's park has an account) may act
    assert decide(world, "suzhou", declaration_id, "recommend") == Refused("not_your_step")
    assert decide(world, "jiangsu", declaration_id, "recommend") == Refused("not_your_step")
    assert decide(world, "park", declaration_id, "recognise") == Refused("outcome")
    assert decide(world, "park", declaration_id, "recommend", "材料真实完整") == Decided(
        "recommend", "in_review"
    )
    assert decide(world, "park", declaration_id, "recommend") == Refused("not_your_step")
    assert decide(world, "suzhou", declaration_id, "recognise") == Decided(
        "recognise", "recognised"
    )
    row = store.get(world["db"], declaration_id)
    assert (row["status"], row["stage"]) == ("recognised", 1)
    steps = store.steps(world["db"], declaration_id)
    everything = dict.fromkeys(review.CHECKS, True)
    assert [(s["tier"], s["outcome"], s["checks"]) for s in steps] == [
        ("park", "recommend", everything),
        ("city", "recognise", everything),
    ]
    [recognition] = recognition_store.current(world["db"], world["org"])
    assert (recognition["level"], recognition["kind"], recognition["year"]) == (
        "basic",
        "recognised",
        2026,
    )
    actions = [r[0] for r in world["db"].execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-2:] == ["declaration_recommend", "declaration_recognise"]


def test_without_a_county_or_park_account_the_city_checks(world, evidence):
    """Kunshan (320583) has no county account and the enterprise is in no park."""
    world["by"] = Actor(world["enterprise"])
    declaration_id = declared(world, "other", "other_basic")
    assert decide(world, "park", declaration_id, "recommend") == Refused("not_your_step")
    assert decide(world, "suzhou", declaration_id, "recommend") == Decided("recommend", "in_review")
    assert decide(world, "suzhou", declaration_id, "recognise") == Decided(
        "recognise", "recognised"
    )


def test_a_returned_declaration_is_amended_and_resubmitted_to_the_same_step(world, evidence):
    declaration_id = declared(world)
    assert decide(world, "park", declaration_id, "recommend")
    assert decide(world, "suzhou", declaration_id, "return") == Refused("comments")
    assert decide(world, "suzhou", declaration_id, "return", "请补充场景照片") == Decided(
        "return", "returned"
    )
    assert decide(world, "suzhou", declaration_id, "recognise") == Refused("not_your_step")
    row = store.get(world["db"], declaration_id)
    assert declaring.editable(row)
    fields = declaring.Fields(contact_phone="0512-11112222")
    assert declaring.save(world["db"], world["versions"], declaration_id, fields, world["by"]) == {}
    # after the deadline: it was declared in time, the amendment goes through
    from datetime import date

    resent = declaring.submit(
        world["db"], world["versions"], declaration_id, world["by"], date(2026, 12, 1)
    )
    assert resent == declaring.Submitted(declaration_id, True)
    row = store.get(world["db"], declaration_id)
    assert (row["status"], row["stage"], row["revision"]) == ("in_review", 1, 2)
    # a reviewer who saw the first version decides nothing
    assert decide(world, "suzhou", declaration_id, "recognise", revision=1) == Refused("stale")
    assert decide(world, "suzhou", declaration_id, "recognise") == Decided(
        "recognise", "recognised"
    )


def test_a_rejection_needs_its_reasons_and_is_final(world, evidence):
    declaration_id = declared(world)
    assert decide(world, "park", declaration_id, "reject") == Refused("comments")
    assert decide(world, "park", declaration_id, "reject", "财务报表不全") == Decided(
        "reject", "rejected"
    )
    assert not declaring.editable(store.get(world["db"], declaration_id))
    assert decide(world, "suzhou", declaration_id, "recognise") == Refused("not_your_step")


def test_advanced_needs_a_current_basic_recognition(world, evidence):
    db = world["db"]
    from assess.store import rounds

    with write_transaction(db):
        advanced = submitted(db, world["q"], world["org"], "advanced", seed=4)
        advanced_round = rounds.create(
            db,
            level="advanced",
            year=2026,
            region_scope="32",
            chain=chain.DEFAULT_CHAINS["advanced"],
            opens_on="2026-01-01",
            deadline="2026-12-31",
            opened_by=None,
        )
    organisation = organisations.get(db, world["org"])

    def start():
        return declaring.start(
            db, world["versions"], organisation, advanced_round, advanced, world["by"], DAY
        )

    assert start() == declaring.Refused("requires", "basic")
    basic = declared(world)
    decide(world, "park", basic, "recommend")
    decide(world, "suzhou", basic, "recognise")
    assert isinstance(start(), int)
    # a withdrawn recognition no longer counts
    with db.conn:
        db.execute("DELETE FROM declarations WHERE round_id = ?", [advanced_round])
    [recognition] = recognition_store.current(db, world["org"])
    assert review.withdraw_recognition(
        db, world["suzhou"], recognition["id"], "现场复核发现不符", actor(world["suzhou"])
    )
    assert start() == declaring.Refused("requires", "basic")


def test_a_recognition_is_withdrawn_by_its_tier_or_above_with_a_reason(world, evidence):
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    decide(world, "suzhou", declaration_id, "recognise")
    [recognition] = recognition_store.current(world["db"], world["org"])

    def withdraw(who, reason="不再符合条件"):
        return review.withdraw_recognition(
            world["db"], world[who], recognition["id"], reason, actor(world[who])
        )

    assert withdraw("park") == Refused("not_found")  # the city recognised it
    assert withdraw("park", "") == Refused("not_found")  # not "give a reason": nothing revealed
    assert withdraw("zhejiang") == Refused("not_found")
    assert withdraw("suzhou", "  ") == Refused("comments")
    assert withdraw("jiangsu") is True
    assert withdraw("suzhou") == Refused("stale")
    assert recognition_store.current(world["db"], world["org"]) == []
    found = recognition_store.get(world["db"], recognition["id"])
    assert found["withdrawal_reason"] == "不再符合条件"


def test_an_on_site_recheck_asks_the_enterprise_for_a_grant_and_attaches_the_verified_result(
    world, evidence
):
    db = world["db"]
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    city = world["suzhou"]
    asked = recheck.request(db, city, declaration_id, "nobody@example.com", "", actor(city))
    assert asked == recheck.Refused("not_a_consultant")
    assert recheck.request(
        db, world["park"], declaration_id, "expert@example.com", "", actor(city)
    ) == (recheck.Refused("not_your_step"))
    recheck_id = recheck.request(
        db, city, declaration_id, "EXPERT@example.com", "请核查排产系统", actor(city)
    )
    assert recheck.request(db, city, declaration_id, "expert@example.com", "", actor(city)) == (
        recheck.Refused("asked")
    )
    found = store.recheck(db, recheck_id)
    grant = db["access_grants"].get(found["grant_id"])
    assert (
        grant["direction"],
        grant["consultant_id"],
        grant["accepted_at"],
        grant["created_by"],
    ) == (
        "request",
        world["consultant"],
        None,
        city["id"],
    )
    expert = User("consultant", world["consultant"])
    row = store.get(db, declaration_id)
    assert not can_see_declaration(db, expert, row)  # not before the enterprise grants access
    assert consultant_access.accept_request(db, world["org"], grant["id"], world["by"])
    assert can_see_declaration(db, expert, row)
    # nothing to attach before the expert's own on-site assessment is submitted
    assert recheck.attach(db, world["consultant"], recheck_id, world["basic"], Actor(1)) == (
        recheck.Refused("not_verified")
    )
    partly, verified = partly_and_fully_verified(world)
    # an on-site assessment whose answers were not verified counts as a self-assessment: it
    # cannot stand for the authority's re-check, and the expert is told why
    found = store.recheck(db, recheck_id)
    assert [a["id"] for a in recheck.attachable(db, world["consultant"], found)] == [verified]
    assert [a["id"] for a in recheck.partly_verified(db, world["consultant"], found)] == [partly]
    assert recheck.attach(db, world["consultant"], recheck_id, partly, Actor(1)) == (
        recheck.Refused("partly_verified")
    )
    assert store.recheck(db, recheck_id)["assessment_id"] is None
    assert recheck.attach(db, world["consultant"] + 1, recheck_id, verified, Actor(1)) == (
        recheck.Refused("not_found")
    )
    assert recheck.attach(db, world["consultant"], recheck_id, verified, Actor(1)) is True
    assert store.declared_assessments(db, world["org"]) == {world["basic"], verified}
    # the city sees the verified assessment it asked for; another enterprise's, not
    assert may_see(db, authority(world, "suzhou"), db["assessments"].get(verified))


def test_no_authority_sees_a_declaration_outside_its_region_or_before_it_is_made(world, evidence):
    db = world["db"]
    organisation = organisations.get(db, world["org"])
    declaration_id = declaring.start(
        db, world["versions"], organisation, world["round"], world["basic"], world["by"], DAY
    )
    row = store.get(db, declaration_id)
    everyone = ("park", "suzhou", "jiangsu", "zhejiang")
    assert [can_see_declaration(db, authority(world, w), row) for w in everyone] == [False] * 4
    assessment = db["assessments"].get(world["basic"])
    assert not may_see(db, authority(world, "suzhou"), assessment)  # not declared, not listed
    complete(world, declaration_id)
    declaring.submit(db, world["versions"], declaration_id, world["by"], DAY)
    row = store.get(db, declaration_id)
    assert [can_see_declaration(db, authority(world, w), row) for w in everyone] == [
        True,
        True,
        True,
        False,
    ]
    assert may_see(db, authority(world, "suzhou"), assessment)
    assert not may_see(db, authority(world, "zhejiang"), assessment)
    # a park's authority sees only its park's enterprises
    with db.conn:
        db.execute("UPDATE organisations SET park_id = NULL WHERE id = ?", [world["org"]])
    assert not can_see_declaration(db, authority(world, "park"), row)
    # the enterprise's other assessments stay private
    with write_transaction(db):
        later = submitted(db, world["q"], world["org"], "basic", seed=11)
    assert not may_see(db, authority(world, "suzhou"), db["assessments"].get(later))
    owner = User("enterprise", world["enterprise"], organisation_id=world["org"])
    stranger = User("enterprise", 999, organisation_id=world["other"])
    assert can_see_declaration(db, owner, row) and not can_see_declaration(db, stranger, row)


def _step(revision: int, *ticked: str) -> dict:
    return {"revision": revision, "checks": dict.fromkeys(ticked, True) | {"platform": False}}


def test_the_materials_not_checked_are_those_no_step_of_this_version_ticked():
    """Worked example: the park checked the licence and the statements on version 2 and the
    commitment on version 1 (before the amendment); the city ticks the scenarios now."""
    earlier = [_step(1, "commitment"), _step(2, "licence", "financials")]
    assert review.unchecked(earlier, 2, {"scenarios": True, "platform": False}) == (
        "commitment",
        "platform",
    )
    rest = dict.fromkeys(("commitment", "scenarios", "platform"), True)
    assert review.unchecked(earlier, 2, rest) == ()
    assert review.unchecked([], 1, {}) == review.CHECKS


def test_only_recognising_or_recommending_to_the_ministry_needs_every_material():
    basic = chain.steps(chain.DEFAULT_CHAINS["basic"])
    excellent = chain.steps(chain.DEFAULT_CHAINS["excellent"])
    assert review.deciding(basic[1], "recognise")
    assert review.deciding(excellent[-1], "recommend")
    assert not review.deciding(basic[0], "recommend")  # the park recommends to the city
    assert not review.deciding(basic[1], "return")
    assert not review.deciding(basic[1], "reject")


def test_recognising_without_the_materials_checked_is_refused_and_changes_nothing(world, evidence):
    declaration_id = declared(world)
    assert decide(
        world, "park", declaration_id, "recommend", checks={"licence": True, "financials": True}
    ) == Decided("recommend", "in_review")
    before = store.steps(world["db"], declaration_id)
    assert decide(
        world, "suzhou", declaration_id, "recognise", checks={"scenarios": True}
    ) == Refused("unchecked", ("commitment", "platform"))
    assert store.steps(world["db"], declaration_id) == before
    assert store.get(world["db"], declaration_id)["status"] == "in_review"
    assert recognition_store.current(world["db"], world["org"]) == []
    # the city may still return it without having checked anything
    assert decide(world, "suzhou", declaration_id, "return", "请补充承诺书", checks={}) == Decided(
        "return", "returned"
    )


def test_what_the_city_checks_with_what_the_park_checked_is_enough(world, evidence):
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend", checks={"licence": True, "financials": True})
    rest = {"commitment": True, "scenarios": True, "platform": True}
    assert decide(world, "suzhou", declaration_id, "recognise", checks=rest) == Decided(
        "recognise", "recognised"
    )
