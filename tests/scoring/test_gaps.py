"""Gaps and roadmap, from worked examples on the tiny questionnaire."""

from __future__ import annotations

from assess.scoring import score
from assess.scoring.gaps import GapItem, analyse
from tests.scoring.conftest import answers

BASIC_ENTERPRISE = {
    "p.design": "no",
    "g.sound": "yes",
    "a1.1": "full",
    "a1.2": "most",
    "a1.3": "partial",
    "b1.1": "full",
    "b1.2a": "most",
    "b1.2b": "most",
    "b1.3": "none",
    "s1.basic": "full",
    "s1.advanced": "partial",
    "s3.basic": "most",
    "s3.advanced": "full",
}


def test_roadmap_of_a_basic_enterprise_to_advanced_and_cmmm_3(tiny):
    """Advanced fails only on links: s1 (make) is the one scenario to raise: impact 1/1.

    CMMM target 3: L3 = .214286, deficit .585714; applicable weights a1 .3/.7, b1 .4/.7.
    a1.3: .428571 x (.8 - .5) / .585714 = .2195   b1.3: .571429 x .8 / .585714 = .7805
    Median impact .7805: s1.advanced quick win, b1.3 major project, a1.3 deprioritise.
    CMMM items are effort 3: later; s1.advanced is its scenario's next rung, effort 2: near term.
    """
    analysis = analyse(tiny, score(tiny, answers(**BASIC_ENTERPRISE)))
    assert (analysis.target_level, analysis.target_cmmm) == ("advanced", 3)
    assert [(g.outcome.rule_id, g.items) for g in analysis.rule_gaps] == [
        ("advanced.links", ("s1.advanced",))
    ]
    assert list(analysis.items) == [
        GapItem(
            "s1.advanced",
            "step",
            "s1",
            "advanced",
            2,
            0.5,
            "answered",
            0.8,
            2,
            1.0,
            ("advanced.links",),
            "make",
            ("s1",),
            "near_term",
            "quick_win",
        ),
        GapItem(
            "b1.3",
            "cmmm",
            "b1",
            3,
            3,
            0.0,
            "answered",
            0.8,
            3,
            0.7805,
            ("cmmm_target",),
            "sell",
            (),
            "later",
            "major_project",
        ),
        GapItem(
            "a1.3",
            "cmmm",
            "a1",
            3,
            3,
            0.5,
            "answered",
            0.8,
            3,
            0.2195,
            ("cmmm_target",),
            "make",
            (),
            "later",
            "deprioritise",
        ),
    ]


def test_a_failed_gate_is_the_first_near_term_action(tiny):
    given = {**BASIC_ENTERPRISE, "g.sound": "no"}
    analysis = analyse(tiny, score(tiny, answers(**given)))
    assert analysis.target_level == "basic"
    assert [(g.outcome.rule_id, g.items) for g in analysis.rule_gaps] == [
        ("basic.gate", ("g.sound",))
    ]
    first = analysis.items[0]
    assert (first.item_id, first.kind, first.phase, first.impact, first.status) == (
        "g.sound",
        "gate",
        "near_term",
        1.0,
        "answered",
    )


def test_scenario_count_raises_the_nearest_scenarios(tiny):
    """Nothing at basic: basic.count needs 2. s1, s2 and s3 each need one step of effort 1;
    ties go by number: s1, s2. basic.make needs the nearest make scenario: s1."""
    given = {
        "p.design": "yes",
        "g.sound": "yes",
        "s1.basic": "partial",
        "s2.basic": "none",
        "s3.basic": "partial",
    }
    analysis = analyse(tiny, score(tiny, answers(**given)), target_cmmm=None)
    gaps = {g.outcome.rule_id: g.items for g in analysis.rule_gaps}
    assert gaps["basic.count"] == ("s1.basic", "s2.basic")
    assert gaps["basic.make"] == ("s1.basic",)
    step = next(i for i in analysis.items if i.item_id == "s1.basic")
    assert step.rules == ("basic.count", "basic.make")


def test_top_level_reached_leaves_only_the_cmmm_target(tiny):
    every = {item: "full" for item in (*tiny.requirements, *tiny.steps)}
    result = score(tiny, answers(**every, **{"p.design": "yes", "g.sound": "yes"}))
    analysis = analyse(tiny, result)
    assert (result.gradient_level, analysis.target_level, analysis.target_cmmm) == (
        "advanced",
        None,
        None,
    )
    assert analysis.items == () and analysis.rule_gaps == ()
