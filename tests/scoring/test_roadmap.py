"""The roadmap in phases (assess/scoring/roadmap.py): worked examples computed by hand on the
tiny questionnaire, the real 2026.1 questionnaire, and properties (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from assess.questionnaire.guide import COST_BANDS, TIME_BANDS, guide_of
from assess.questionnaire.loader import load_file
from assess.scoring import Answer, score
from assess.scoring.roadmap import apply, plan, target_choices
from tests.domain import NEW, REAL, answers, enterprise
from tests.scoring.test_properties_2026 import assessments

# Below basic on the tiny questionnaire (tests/fixtures/tiny-1.0.yaml); no own design, so a2
# and s2 do not apply. By hand: level weights a1 0.3/0.7 = 3/7, b1 0.4/0.7 = 4/7; level 1 =
# 3/7·1 + 4/7·1 = 1.0, level 2 = 3/7·0 + 4/7·(0.5 + 0)/2 = 1/7 ≈ 0.143; S = 1.143: CMMM level 1.
# Basic fails the gate (g.sound no) and the count (2 scenarios at basic: only s1, s3 partly).
BELOW_BASIC = answers(
    **{
        "p.design": "no",
        "g.sound": "no",
        "a1.1": "full",
        "a1.2": "none",
        "a1.3": "none",
        "b1.1": "full",
        "b1.2a": "partial",
        "b1.2b": "none",
        "b1.3": "none",
        "s1.basic": "full",
        "s1.advanced": "none",
        "s3.basic": "partial",
        "s3.advanced": "none",
    }
)


def _phases(roadmap):
    return [
        (
            phase.number,
            phase.level_id,
            phase.cmmm_level,
            [rule.rule_id for rule in phase.rules],
            {action.item_id: action.item.rules for action in phase.actions},
        )
        for phase in roadmap.phases
    ]


def test_below_basic_with_target_advanced_gets_both_phases_in_order_with_the_rules_moved(tiny):
    """Phase 1 (basic): the gate answer and s3's basic step (the only applicable scenario not at
    basic; CMMM level 1 already holds). Phase 2 (advanced), planned once phase 1 is done:
    CMMM level 2 needs every level-1/2 requirement at 0.8 (a1.2, b1.2a, b1.2b: level 2 then
    3/7·0.8 + 4/7·0.8 = 0.8, S = 1.0 + 0.8 = 1.8, the band of level 2, which is also the
    default CMMM target, one above today's); half of the 2 applicable scenarios at advanced
    needs 1: s1 and s3 are equally near (one step of effort 2), s1 comes first by number; two
    links at advanced need s1 (making) and s3 (selling)."""
    result = score(tiny, BELOW_BASIC)
    assert (result.gradient_level, result.cmmm.level) == (None, 1)
    roadmap = plan(tiny, BELOW_BASIC, target_level="advanced", result=result)
    assert (roadmap.target_level, roadmap.target_cmmm) == ("advanced", 2)
    assert _phases(roadmap) == [
        (
            1,
            "basic",
            None,
            ["basic.gate", "basic.count"],
            {"s3.basic": ("basic.count",), "g.sound": ("basic.gate",)},
        ),
        (
            2,
            "advanced",
            2,
            ["advanced.cmmm", "advanced.share", "advanced.links"],
            {
                "s1.advanced": ("advanced.share", "advanced.links"),
                "s3.advanced": ("advanced.links",),
                "a1.2": ("advanced.cmmm", "cmmm_target"),
                "b1.2a": ("advanced.cmmm", "cmmm_target"),
                "b1.2b": ("advanced.cmmm", "cmmm_target"),
            },
        ),
    ]
    done = apply(tiny, BELOW_BASIC, [a.item for a in roadmap.phases[0].actions])
    assert score(tiny, done).gradient_level == "basic"
    done = apply(tiny, done, [a.item for a in roadmap.phases[1].actions])
    assert (score(tiny, done).gradient_level, score(tiny, done).cmmm.level) == ("advanced", 2)


def test_the_default_target_is_the_next_level_in_one_phase(tiny):
    roadmap = plan(tiny, BELOW_BASIC)
    assert [(p.number, p.level_id, p.cmmm_level) for p in roadmap.phases] == [(1, "basic", 2)]
    # the CMMM target of the only phase adds level 2's requirements to basic's two actions
    assert set(roadmap.phases[0].actions[i].item_id for i in range(5)) == {
        "g.sound",
        "s3.basic",
        "a1.2",
        "b1.2a",
        "b1.2b",
    }


def test_a_target_at_or_below_the_level_reached_falls_back_to_the_default(tiny):
    assert plan(tiny, BELOW_BASIC, target_level="nonsense", target_cmmm=1).target_cmmm == 2
    assert plan(tiny, BELOW_BASIC, target_level="nonsense").target_level == "basic"
    assert target_choices(tiny, score(tiny, BELOW_BASIC)) == (["basic", "advanced"], [2, 3])


def test_a_further_cmmm_target_is_in_the_last_phase_only(tiny):
    roadmap = plan(tiny, BELOW_BASIC, target_level="advanced", target_cmmm=3)
    assert [p.cmmm_level for p in roadmap.phases] == [None, 3]
    first = {a.item_id for a in roadmap.phases[0].actions}
    assert first == {"g.sound", "s3.basic"}
    assert {"a1.3", "b1.3"} <= {a.item_id for a in roadmap.phases[1].actions}


@pytest.fixture(scope="module")
def below_basic_2026():
    q = load_file(NEW)
    return q, enterprise(
        q,
        {1: "full", 2: "partial", 3: "none", 4: "none", 5: "none"},
        {},
        {"basic": "partial", "advanced": "none", "excellent": "none", "leading": "none"},
    )


def test_2026_below_basic_toward_advanced_phase_by_phase(below_basic_2026):
    q, given_answers = below_basic_2026
    roadmap = plan(q, given_answers, target_level="advanced", guide=guide_of(q))
    assert [p.level_id for p in roadmap.phases] == ["basic", "advanced"]
    first, second = roadmap.phases
    assert {r.rule_id for r in first.rules} >= {"basic.cmmm", "basic.scenarios"}
    # every step of phase 1 is a basic step, every rule an action moves is basic's
    assert {a.item.level for a in first.actions if a.item.kind == "step"} == {"basic"}
    assert all(
        rule.startswith("basic.") or rule == "cmmm_target"
        for a in first.actions
        for rule in a.item.rules
    )
    assert any(a.item.level == "advanced" for a in second.actions if a.item.kind == "step")
    ids = [a.item_id for a in roadmap.actions()]
    assert len(ids) == len(set(ids))
    # the guidance: bands and indicators from questionnaires/guide/machinery-smart-factory.yaml
    org = next(a for a in first.actions if a.item_id == "org_strategy.2")
    assert (org.time_band, org.cost_band, org.indicators) == (
        "up_to_3_months",
        "low",
        ("results.labour_productivity", "results.cost_per_revenue"),
    )
    once = apply(q, given_answers, [a.item for a in first.actions])
    assert score(q, once).gradient_level == "basic"
    twice = apply(q, once, [a.item for a in second.actions])
    assert score(q, twice).gradient_level == "advanced"


@pytest.mark.parametrize("path", [REAL, NEW])
def test_the_guidance_covers_every_sub_domain_and_scenario_with_known_bands(path):
    q = load_file(path)
    guide = guide_of(q)
    assert set(guide.indicators) >= set(q.sub_domains) | {s.id for s in q.scenarios.items}
    assert set(guide.time_bands.values()) == set(TIME_BANDS)
    assert set(guide.cost_bands.values()) == set(COST_BANDS)
    assert all(i in q.indicators for ids in guide.indicators.values() for i in ids)


Q = load_file(NEW)


@settings(max_examples=40, deadline=None)
@given(assessments())
def test_applying_phase_one_reaches_the_next_level(case):
    """Above designated size and every benchmark set (so the results rule can be closed), the
    enterprise with phase 1 done reaches the next gradient level, whatever its answers."""
    given_answers, _ = case
    given_answers = {**given_answers, "profile.above_scale": Answer("yes")}
    benchmarks = {indicator: 10.0 for indicator in Q.indicators}
    result = score(Q, given_answers, benchmarks)
    if result.gradient_rank == len(Q.gradient.levels):
        return
    roadmap = plan(Q, given_answers, benchmarks, result=result)
    done = apply(Q, given_answers, [a.item for a in roadmap.phases[0].actions], benchmarks)
    assert score(Q, done, benchmarks).gradient_rank > result.gradient_rank
