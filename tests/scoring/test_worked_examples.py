"""Worked examples on the tiny questionnaire, computed by hand (see each docstring).

Weights: a1 = 0.6 x 0.5 = 0.3, a2 = 0.6 x 0.5 = 0.3, b1 = 0.4 x 1.0 = 0.4.
"""

from __future__ import annotations

from assess.scoring import Answer, score
from tests.domain import answers


def test_weighted_level_scores_and_total_score_below_level_one(tiny):
    """a1 = 1 / .8 / .5; a2 = .5 / 0 / (skipped: L2 mean 0 < .5); b1 = .8 / (1+.5)/2=.75 / 0.

    L1 = .3x1 + .3x.5 + .4x.8 = .77   L2 = .3x.8 + .3x0 + .4x.75 = .54   L3 = .3x.5 = .15
    S stops at the first level below .8, L1 itself: S = .77 -> no CMMM level.
    """
    result = score(
        tiny,
        answers(
            **{
                "p.design": "yes",
                "g.sound": "yes",
                "a1.1": "full",
                "a1.2": "most",
                "a1.3": "partial",
                "a2.1": "partial",
                "a2.2": "none",
                "a2.3": "full",
                "b1.1": "most",
                "b1.2a": "full",
                "b1.2b": "partial",
                "b1.3": "none",
                "s1.basic": "full",
                "s1.advanced": "most",
                "s2.basic": "partial",
                "s2.advanced": "full",
                "s3.basic": "most",
                "s3.advanced": "none",
            }
        ),
    )
    assert result.cmmm.level_scores == {1: 0.77, 2: 0.54, 3: 0.15}
    assert result.cmmm.reached == {1: False, 2: False, 3: False}
    assert result.cmmm.total_score == 0.77
    assert result.cmmm.level is None
    assert {s: r.total for s, r in result.cmmm.sub_domains.items()} == {
        "a1": 2.3,
        "a2": 0.5,
        "b1": 1.55,
    }
    assert result.items["a2.3"].status == "skipped"
    assert result.skipped["s2.advanced"].kind == "step_not_met"
    assert {s: r.level for s, r in result.scenarios.items()} == {
        "s1": "advanced",
        "s2": None,
        "s3": "basic",
    }
    assert result.gradient_level is None
    basic = result.level_result("basic")
    assert [(o.rule_id, o.passed) for o in basic.rules] == [
        ("basic.gate", True),
        ("basic.cmmm", False),
        ("basic.count", True),
        ("basic.make", True),
    ]


def test_not_applicable_sub_domain_and_scenario_leave_the_denominators(tiny):
    """Without own design a2 and s2 do not apply; weights renormalise over a1 (.3), b1 (.4).

    L1 = (.3x1 + .4x1)/.7 = 1   L2 = (.3x.8 + .4x.8)/.7 = .8   L3 = (.3x.5 + .4x0)/.7 = .214286
    S = 1 + .8 + .214286 = 2.014286 -> band 1.8 -> level 2.
    Scenarios: s1 basic, s2 n/a, s3 advanced. Basic: 2 scenarios at basic, make covered by s1.
    Advanced: share 1/2 = .5 holds; but advanced scenarios cover 1 link, not 2 -> Basic.
    """
    result = score(
        tiny,
        answers(
            **{
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
        ),
    )
    assert result.cmmm.level_scores == {1: 1.0, 2: 0.8, 3: 0.214286}
    assert result.cmmm.total_score == 2.014286
    assert result.cmmm.level == 2
    assert result.cmmm.sub_domains["a2"].applicable is False
    assert result.items["a2.1"].status == "not_applicable"
    assert result.scenarios["s2"].applicable is False
    assert result.scenarios["s2"].not_applicable_reason.zh == "不设计"
    assert result.skipped["s2.applies"].kind == "scenario_not_applicable"
    assert result.gradient_level == "basic"
    advanced = result.level_result("advanced")
    assert [(o.rule_id, o.passed, o.actual) for o in advanced.rules] == [
        ("advanced.cmmm", True, {"level": 2, "score": 2.014286}),
        ("advanced.share", True, {"count": 1, "applicable": 2, "share": 0.5}),
        ("advanced.links", False, {"count": 1, "links": ["sell"]}),
    ]


def test_advanced_when_every_rule_holds(tiny):
    """L1 = 1, L2 = 1, L3 = .3x1 + .3x0 + .4x.5 = .5 -> S = 2.5 -> level 2.

    s1, s2, s3 all advanced: share 3/3, links make and sell -> Advanced.
    """
    result = score(
        tiny,
        answers(
            **{
                "p.design": "yes",
                "g.sound": "yes",
                "a1.1": "full",
                "a1.2": "full",
                "a1.3": "full",
                "a2.1": "full",
                "a2.2": "full",
                "a2.3": "none",
                "b1.1": "full",
                "b1.2a": "full",
                "b1.2b": "full",
                "b1.3": "partial",
                "s1.basic": "full",
                "s1.advanced": "full",
                "s2.basic": "full",
                "s2.advanced": "most",
                "s3.basic": "most",
                "s3.advanced": "most",
            }
        ),
    )
    assert result.cmmm.level_scores == {1: 1.0, 2: 1.0, 3: 0.5}
    assert (result.cmmm.total_score, result.cmmm.level) == (2.5, 2)
    assert (result.gradient_level, result.gradient_rank) == ("advanced", 2)
    assert all(level.reached for level in result.levels)


def test_an_enterprise_saying_a_scenario_does_not_apply_keeps_its_reason(tiny):
    """s3 marked not applicable by the enterprise: share over s1, s2 only (1 of 2 advanced)."""
    result = score(
        tiny,
        answers(
            **{
                "p.design": "yes",
                "g.sound": "yes",
                "s1.basic": "full",
                "s1.advanced": "full",
                "s2.basic": "most",
                "s2.advanced": "partial",
                "s3.applies": ("no", "不对外销售"),
            }
        ),
    )
    s3 = result.scenarios["s3"]
    assert (s3.applicable, s3.not_applicable_reason, s3.level) == (False, "不对外销售", None)
    share = result.level_result("advanced").rules[1]
    assert share.actual == {"count": 1, "applicable": 2, "share": 0.5}
    assert share.passed


def test_failed_gate_despite_top_scores(tiny):
    """Everything fully met but the gate answered no: no level at all, CMMM still 3 (S = 3)."""
    every = {item: "full" for item in tiny.requirements} | {s: "full" for s in tiny.steps}
    result = score(tiny, answers(**every, **{"p.design": "yes", "g.sound": "no"}))
    assert (result.cmmm.total_score, result.cmmm.level) == (3.0, 3)
    assert result.gradient_level is None
    gate = result.level_result("basic").rules[0]
    assert gate.actual == {"yes": 0, "total": 1, "not_yes": ["g.sound"], "unanswered": []}
    assert result.level_result("advanced").rules_pass
    assert not result.level_result("advanced").reached


def test_unanswered_items_count_zero_and_nothing_is_skipped(tiny):
    result = score(tiny, {})
    assert result.cmmm.level_scores == {1: 0.0, 2: 0.0, 3: 0.0}
    assert result.cmmm.level is None
    assert result.skipped == {}
    assert {item.status for item in result.items.values()} == {"unanswered"}
    assert result.gradient_level is None


def test_rated_answers_are_those_answered_not_applicable_included_but_not_those_not_asked(
    real, new
):
    """What a consultant can mark verified (the submit page and the report count the same):
    under 2025.1 a requirement answered "not applicable" is one; under 2026.1 a tailored
    sub-domain's requirements are not asked, so they are none."""
    from assess.scoring.result import rated_items

    old = score(
        real,
        answers(**{"energy.1": "na", "data.1": "full", "profile.own_design": "no"}),
    )
    assert old.items["energy.1"].status == "not_applicable"
    assert {"energy.1", "data.1"} <= rated_items(old)
    assert "product_design.1" not in rated_items(old)  # not asked: no own design
    tailored = answers(**{"data.1": "full", "profile.own_design": "no", "product_design.1": "full"})
    tailored["tailoring.product_design"] = Answer("yes", "按图加工")
    result = score(new, tailored)
    assert result.tailored == ("product_design",)
    assert "data.1" in rated_items(result) and "product_design.1" not in rated_items(result)
