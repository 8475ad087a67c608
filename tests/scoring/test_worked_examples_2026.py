"""Worked examples on machinery-smart-factory 2026.1, computed by hand: one per outcome, with
and without benchmarks, and the cases issue 13 asks for.

Every requirement of a CMMM level gets the same rating, so every weighted mean is that rating
whatever the weights: a level's score is the rating value, and S is the sum of the level
scores up to and including the first one below 0.8. Steps follow a pattern per gradient level;
at Excellent and Leading a step is met only when fully met (1.0), below only largely met (0.8).
The enterprise designs its own products, has products in the field and operates all 5 links.

Benchmarks: every indicator's benchmark is 10; an indicator "better" is 20 where higher is
better and 5 where lower is; "not better" the other way round (5 / 20). Indicator order:
labour productivity, defect rate, cost per CNY 100 of revenue, development cycle, energy use.
"""

from __future__ import annotations

import pytest

from assess.scoring import Answer, Benchmark, score
from assess.scoring.gaps import analyse
from tests.domain import enterprise

NOTHING = {"basic": "none", "advanced": "none", "excellent": "none", "leading": "none"}
BASIC = {"basic": "full", "advanced": "none", "excellent": "none", "leading": "none"}
ADVANCED = {"basic": "full", "advanced": "full", "excellent": "most", "leading": "none"}
EXCELLENT = {"basic": "full", "advanced": "full", "excellent": "full", "leading": "none"}
LEADING = {"basic": "full", "advanced": "full", "excellent": "full", "leading": "full"}
LARGELY = {"basic": "most", "advanced": "most", "excellent": "most", "leading": "most"}

S01, S02, S03 = "s01_digital_product_design", "s02_digital_process_design", "s03_data_driven_rnd"
S04, S05, S06 = "s04_intelligent_scheduling", "s05_flexible_lines", "s06_human_robot_work"
S07, S08, S09 = "s07_online_inspection", "s08_equipment_om", "s09_networked_manufacturing"
S10, S11, S12 = "s10_resilient_supply_chain", "s11_smart_warehousing", "s12_digital_factory"


def figures(q, better: int) -> dict[str, Answer]:
    """The results year and indicators, the first `better` of them better than 10."""
    out = {"results.year": Answer("2025")}
    for i, indicator in enumerate(q.indicators.values()):
        good = i < better
        high = indicator.better == "higher"
        out[indicator.id] = Answer("20" if good == high else "5")
    return out


def benchmarks(q) -> dict[str, Benchmark]:
    return {indicator_id: Benchmark(10.0, 2025, "test") for indicator_id in q.indicators}


# name: (CMMM rating per level, step pattern per scenario, other scenarios, indicators better,
#        expected (level, confirmed level with benchmarks, CMMM level, S), failing rules of
#        the first level not reached (with benchmarks))
CASES = {
    # L1 1, L2 .5 -> S = 1.5 -> maturity level 1 < 2: basic.cmmm fails. Three operations
    # scenarios at Basic would be enough otherwise.
    "below_basic": (
        {1: "full", 2: "partial", 3: "none", 4: "none", 5: "none"},
        {S05: BASIC, S07: BASIC, S11: BASIC},
        NOTHING,
        1,
        (None, None, 1, 1.5),
        ["basic.cmmm"],
    ),
    # L1 1, L2 .8, L3 .5, L4 0 (L5 not asked: L4 mean 0 < .5) -> S = 2.3 -> level 2.
    # s05, s07, s11 at Basic: 3 scenarios, all in production operations. 1 indicator better.
    # Advanced: 0 scenarios at Advanced (5 needed), 0 links (3), factory/R&D/production and
    # business management have no Basic scenario, 1 indicator better (2 needed).
    "basic": (
        {1: "full", 2: "most", 3: "partial", 4: "none", 5: "none"},
        {S05: BASIC, S07: BASIC, S11: BASIC},
        NOTHING,
        1,
        ("basic", "basic", 2, 2.3),
        ["advanced.scenarios", "advanced.links", "advanced.operated", "advanced.results"],
    ),
    # L1 1, L2 1, L3 .5, L4 0 -> S = 2.5 -> level 2. s04, s05, s07, s10, s12 at Advanced (5;
    # production management, operations, business management, factory: 4 links), s02 at Basic
    # for R&D, so every operated link has a Basic scenario. 2 indicators better.
    # Excellent: S 2.5 < 2.8; no scenario at Excellent (5); 6 at Advanced (8); no link at
    # Excellent (each operated link, and 4 links); no supply chain or life cycle; 2 better (3).
    "advanced": (
        {1: "full", 2: "full", 3: "partial", 4: "none", 5: "none"},
        {S02: BASIC, S04: ADVANCED, S05: ADVANCED, S07: ADVANCED, S10: ADVANCED, S12: ADVANCED},
        NOTHING,
        2,
        ("advanced", "advanced", 2, 2.5),
        [
            "excellent.cmmm",
            "excellent.scenarios",
            "excellent.advanced",
            "excellent.operated",
            "excellent.links",
            "excellent.supply_chain",
            "excellent.life_cycle",
            "excellent.results",
        ],
    ),
    # L1-L3 1, L4 .5, L5 0 -> S = 3.5 -> level 3. At Excellent: s01 (R&D), s04 (production
    # management), s05 (operations), s10 (business management), s12 (factory): 5, 5 links,
    # supply chain s10, life cycle s01. At Advanced also s02, s03, s06, s07: 9 >= 8. 3 better.
    # Leading: S 3.5 < 3.8, no scenario at Leading (3), 5 at Excellent (8), 3 better (4).
    "excellent": (
        {1: "full", 2: "full", 3: "full", 4: "partial", 5: "none"},
        {
            S01: EXCELLENT,
            S04: EXCELLENT,
            S05: EXCELLENT,
            S10: EXCELLENT,
            S12: EXCELLENT,
            S02: ADVANCED,
            S03: ADVANCED,
            S06: ADVANCED,
            S07: ADVANCED,
        },
        BASIC,
        3,
        ("excellent", "excellent", 3, 3.5),
        ["leading.cmmm", "leading.scenarios", "leading.excellent", "leading.results"],
    ),
    # L1-L4 1, L5 .5 -> S = 4.5 -> level 4. s04, s05, s10 at Leading (3); s01, s02, s07, s11,
    # s12 at Excellent: 8 at Excellent or above, every link covered; 4 indicators better.
    "leading": (
        {1: "full", 2: "full", 3: "full", 4: "full", 5: "partial"},
        {
            S04: LEADING,
            S05: LEADING,
            S10: LEADING,
            S01: EXCELLENT,
            S02: EXCELLENT,
            S07: EXCELLENT,
            S11: EXCELLENT,
            S12: EXCELLENT,
        },
        ADVANCED,
        4,
        ("leading", "leading", 4, 4.5),
        [],
    ),
    # The "leading" enterprise with only 1 indicator better than the benchmark: Basic needs 1,
    # Advanced 2 -> with benchmarks it is Basic; without, Leading subject to results.
    "leading_but_results_behind": (
        {1: "full", 2: "full", 3: "full", 4: "full", 5: "partial"},
        {
            S04: LEADING,
            S05: LEADING,
            S10: LEADING,
            S01: EXCELLENT,
            S02: EXCELLENT,
            S07: EXCELLENT,
            S11: EXCELLENT,
            S12: EXCELLENT,
        },
        ADVANCED,
        1,
        ("leading", "basic", 4, 4.5),
        ["advanced.results"],
    ),
}


def _answers(new, case):
    cmmm, steps, default, better, _, _ = CASES[case]
    return {**enterprise(new, cmmm, steps, default), **figures(new, better)}


@pytest.mark.parametrize("case", CASES)
def test_one_worked_example_per_outcome(new, case):
    """Without benchmarks every results rule is not assessed: the level is the same, reached
    subject to results, and nothing is confirmed. With them, the confirmed level is as worked
    out, and the first level not reached fails on exactly the rules listed."""
    level, confirmed, cmmm_level, total = CASES[case][4]
    given = _answers(new, case)
    without = score(new, given)
    assert (without.gradient_level, without.cmmm.level, without.cmmm.total_score) == (
        level,
        cmmm_level,
        total,
    )
    assert without.confirmed_level is None
    assert without.subject_to_results == (level is not None)
    assert all(
        o.state == "not_assessed"
        for lv in without.levels
        for o in lv.rules
        if o.type == "results_better"
    )
    with_benchmarks = score(new, given, benchmarks(new))
    assert (with_benchmarks.gradient_level, with_benchmarks.confirmed_level) == (
        confirmed,
        confirmed,
    )
    assert not with_benchmarks.subject_to_results
    failing = CASES[case][5]
    if with_benchmarks.gradient_rank < len(new.gradient.levels):
        first_missed = with_benchmarks.levels[with_benchmarks.gradient_rank]
        assert [o.rule_id for o in first_missed.rules if not o.passed] == failing


def test_level_scores_of_the_basic_example(new):
    """L4 scores 0 and folds L5 (not asked, counted 0): the staircase skips exactly L5."""
    result = score(new, _answers(new, "basic"))
    assert result.cmmm.level_scores == {1: 1.0, 2: 0.8, 3: 0.5, 4: 0.0, 5: 0.0}
    folded = {i for i, s in result.skipped.items() if s.kind == "sub_domain_below"}
    assert folded == {r.id for r in new.requirements.values() if r.level == 5}


def test_all_largely_met_reaches_advanced_not_excellent_nor_leading(new):
    """Every rating 大部分满足: L1-L5 .8 -> S = 4.0 -> maturity level 4; every step .8, which
    meets Basic and Advanced steps but not Excellent ones (1.0 needed): every scenario at
    Advanced, none at Excellent. With all five indicators better: Advanced, confirmed."""
    given = {**enterprise(new, dict.fromkeys(range(1, 6), "most"), {}, LARGELY)}
    given.update(figures(new, 5))
    result = score(new, given, benchmarks(new))
    assert (result.gradient_level, result.confirmed_level, result.cmmm.level) == (
        "advanced",
        "advanced",
        4,
    )
    assert result.cmmm.total_score == 4.0
    assert {s.rank for s in result.scenarios.values()} == {2}
    excellent = result.level_result("excellent")
    assert not excellent.reached and not result.level_result("leading").reached


def test_every_tailorable_sub_domain_tailored_and_the_rest_not_met_reaches_nothing(new):
    """A contract shop (no own design, no own processes, no products in the field) tailors out
    product design, process design and product service, with reasons, and rates everything
    else 不满足: every level score 0, S = 0, no maturity level, no scenario level, no level."""
    given = enterprise(
        new,
        dict.fromkeys(range(1, 6), "none"),
        {},
        NOTHING,
        **{
            "profile.own_design": "no",
            "profile.own_process_planning": "no",
            "profile.products_in_field": "no",
            "tailoring.product_design": Answer("yes", "按客户图纸加工"),
            "tailoring.process_design": Answer("yes", "按客户工艺文件加工"),
            "tailoring.product_service": Answer("yes", "不提供售后运维"),
        },
    )
    given.update(figures(new, 5))
    result = score(new, given, benchmarks(new))
    assert result.tailored == ("product_design", "process_design", "product_service")
    assert result.cmmm.level_scores == dict.fromkeys(range(1, 6), 0.0)
    assert (result.cmmm.total_score, result.cmmm.level, result.gradient_level) == (0.0, None, None)
    assert {s.rank for s in result.scenarios.values()} == {0}
    assert not result.cmmm.sub_domains["product_design"].applicable


def test_not_applicable_on_a_requirement_is_refused_and_never_lifts(new):
    """2026.1 takes no per-requirement N/A: the answer check refuses it; and an "na" that got
    in anyway counts 0. Every manufacturing requirement "na", the rest fully met: personnel,
    technology and resources (weights .15 + .2 + .15 = .5) score 1, manufacturing (.5) 0, so
    every level scores .5 -> S = .5 -> no maturity level (2025.1 gave S = 5, level 5)."""
    from assess.scoring.answers import AnswerError, check

    with pytest.raises(AnswerError) as refused:
        check(new, "product_design.1", "na", "不适用")
    assert refused.value.code == "invalid_value"
    given = enterprise(new, dict.fromkeys(range(1, 6), "full"), {}, LEADING)
    manufacturing = new.cmmm.elements[3]
    for sub in manufacturing.sub_domains:
        given.update({r.id: Answer("na", "不适用") for r in sub.requirements})
    result = score(new, given)
    assert result.cmmm.level_scores[1] == 0.5
    assert (result.cmmm.total_score, result.cmmm.level) == (0.5, None)


def test_a_scenario_marked_not_applicable_never_lifts_a_level(new):
    """The "excellent" example with s03 marked not applicable instead of rated: 9 -> 8
    scenarios at Advanced, still enough; with s02 and s06 marked too, 6 < 8 and Excellent is
    lost. A not-applicable scenario counts as reaching no level."""
    given = _answers(new, "excellent")
    one = score(new, {**given, "s03_data_driven_rnd.applies": Answer("no", "不涉及")})
    assert one.gradient_level == "excellent"
    three = score(
        new,
        {
            **given,
            **{f"{s}.applies": Answer("no", "不涉及") for s in (S02, S03, S06)},
        },
    )
    assert three.gradient_level == "advanced"
    assert not three.level_result("excellent").rules[2].passed  # excellent.advanced


def test_a_build_to_print_supplier_is_not_asked_product_design_nor_shown_its_gaps(new):
    """No own design, own processes, no products in the field, tailoring product design and
    product service: the product-design requirements, the two product-design scenarios, the
    development cycle and the field steps of equipment O&M are not asked, and none of them is
    a gap or missing; process design stays (the supplier writes its processes)."""
    from assess.scoring import missing_items

    given = enterprise(
        new,
        {1: "full", 2: "most", 3: "partial", 4: "none", 5: "none"},
        {S05: BASIC, S07: BASIC, S11: BASIC},
        NOTHING,
        **{
            "profile.own_design": "no",
            "profile.own_process_planning": "yes",
            "profile.products_in_field": "no",
            "tailoring.product_design": Answer("yes", "按客户图纸加工"),
            "tailoring.product_service": Answer("yes", "只供应零部件"),
        },
    )
    given.update(figures(new, 1))
    result = score(new, given)
    not_asked = {
        *(r.id for r in new.sub_domains["product_design"].requirements),
        *(r.id for r in new.sub_domains["product_service"].requirements),
        *(s.id for s in new.scenario_map[S01].steps),
        *(s.id for s in new.scenario_map[S03].steps),
        "results.development_cycle",
        "s08.advanced",
        "s08.excellent",
        "s08.field.leading",
        "s08.unmanned.leading",
        "tailoring.process_design",
    }
    assert not_asked <= set(result.skipped)
    process_design = new.sub_domains["process_design"].requirements
    assert result.cmmm.sub_domains["process_design"].applicable
    assert {result.skipped[r.id].kind for r in process_design if r.id in result.skipped} == {
        "sub_domain_below"  # level 5 only: level 4 is 不满足
    }
    analysis = analyse(new, result, target_level="leading", target_cmmm=5)
    assert not {item.item_id for item in analysis.items} & not_asked
    assert not set(missing_items(new, given, result.skipped)) & not_asked
    assert (result.scenarios[S01].applicable, result.scenarios[S03].applicable) == (False, False)
    assert result.gradient_level == "basic"


def test_a_reviewer_rejecting_a_tailoring_puts_the_sub_domain_back_in_the_score(new):
    """Tailored: product design is out of every denominator. Rejected by a reviewer (an answer
    to tailoring.product_design.review): it is scored, and unanswered counts 0, so its level 1
    is asked and its higher levels wait for level 1 (the staircase). With everything else full,
    L1 = 1 - .5 x .09 = .955 (product design's weight in the model is .045)."""
    base = enterprise(
        new,
        dict.fromkeys(range(1, 6), "full"),
        {},
        LEADING,
        **{"profile.own_design": "no", "profile.own_process_planning": "yes"},
    )
    for r in new.sub_domains["product_design"].requirements:
        del base[r.id]
    tailored = {**base, "tailoring.product_design": Answer("yes", "按客户图纸加工")}
    assert score(new, tailored).cmmm.level_scores[1] == 1.0
    rejected = {**tailored, "tailoring.product_design.review": Answer("rejected", "有自主产品")}
    result = score(new, rejected)
    assert result.tailoring[0].review == "rejected" and not result.tailoring[0].applied
    assert result.cmmm.level_scores[1] == 0.955
    by_level = new.requirements_by_level["product_design"]
    assert not any(r.id in result.skipped for r in by_level[1])
    assert {result.skipped[r.id].kind for lv in (2, 3, 4, 5) for r in by_level[lv]} == {
        "sub_domain_below"
    }
