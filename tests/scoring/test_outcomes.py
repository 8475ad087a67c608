"""One enterprise per outcome on the real questionnaire, with uniform ratings per level so that
every weighted mean equals that rating and the numbers can be worked out by hand."""

from __future__ import annotations

import pytest

from assess.scoring import Answer, explain, score
from tests.domain import enterprise

NONE5 = {1: "none", 2: "none", 3: "none", 4: "none", 5: "none"}
BASIC_ONLY = {"basic": "full", "advanced": "none", "excellent": "none", "leading": "none"}
NOTHING = {"basic": "none", "advanced": "none", "excellent": "none", "leading": "none"}
ADVANCED = {"basic": "full", "advanced": "most", "excellent": "none", "leading": "none"}
EXCELLENT = {"basic": "full", "advanced": "full", "excellent": "most", "leading": "partial"}
LEADING = {"basic": "full", "advanced": "full", "excellent": "full", "leading": "full"}

CASES = {
    # L1 1, L2 .5, L3 0 (L4, L5 skipped: L3 mean 0 < .5) -> S = 1 + .5 = 1.5 -> level 1.
    "below_basic": (
        {1: "full", 2: "partial", 3: "none", 4: "none", 5: "none"},
        {},
        BASIC_ONLY,
        None,
        1,
        1.5,
    ),
    # L1 1, L2 .8, L3 .5 -> S = 2.3 -> level 2; 3 scenarios at basic incl. operations (s06, s07).
    "basic": (
        {1: "full", 2: "most", 3: "partial", 4: "none", 5: "none"},
        {
            "s04_intelligent_scheduling": BASIC_ONLY,
            "s06_human_robot_work": BASIC_ONLY,
            "s07_online_inspection": BASIC_ONLY,
        },
        NOTHING,
        "basic",
        2,
        2.3,
    ),
    # L1 1, L2 1, L3 .5 -> S = 2.5 -> level 2; 5 of 10 advanced (share .5) over 3 links.
    "advanced": (
        {1: "full", 2: "full", 3: "partial", 4: "none", 5: "none"},
        {
            s: ADVANCED
            for s in (
                "s04_intelligent_scheduling",
                "s05_flexible_lines",
                "s06_human_robot_work",
                "s07_online_inspection",
                "s08_equipment_maintenance",
            )
        },
        BASIC_ONLY,
        "advanced",
        2,
        2.5,
    ),
    # L1-L3 1, L4 .5 -> S = 3.5 -> level 3; all advanced, 5 excellent covering the four links
    # that have scenarios (factory construction has none of the ten).
    "excellent": (
        {1: "full", 2: "full", 3: "full", 4: "partial", 5: "none"},
        {
            s: EXCELLENT
            for s in (
                "s01_digital_product_design",
                "s04_intelligent_scheduling",
                "s05_flexible_lines",
                "s07_online_inspection",
                "s10_resilient_supply_chain",
            )
        },
        ADVANCED,
        "excellent",
        3,
        3.5,
    ),
    # L1-L4 1, L5 .5 -> S = 4.5 -> level 4; all excellent, 3 leading.
    "leading": (
        {1: "full", 2: "full", 3: "full", 4: "full", 5: "partial"},
        {
            s: LEADING
            for s in (
                "s04_intelligent_scheduling",
                "s07_online_inspection",
                "s08_equipment_maintenance",
            )
        },
        EXCELLENT,
        "leading",
        4,
        4.5,
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_outcome(real, case):
    cmmm, steps, default, gradient, cmmm_level, total = CASES[case]
    result = score(real, enterprise(real, cmmm, steps, default))
    assert (result.gradient_level, result.cmmm.level, result.cmmm.total_score) == (
        gradient,
        cmmm_level,
        total,
    )


def test_one_step_short_of_the_next_level_says_which_rule_fails(real):
    """The excellent enterprise with only CMMM level 3.5: leading fails on CMMM and scenarios."""
    cmmm, steps, default, *_ = CASES["excellent"]
    result = score(real, enterprise(real, cmmm, steps, default))
    leading = result.level_result("leading")
    assert [(o.rule_id, o.passed) for o in leading.rules] == [
        ("leading.cmmm", False),
        ("leading.scenarios", False),
        ("leading.all_excellent", False),
    ]


def test_failed_gate_despite_top_scores(real):
    answers = enterprise(
        real, {i: "full" for i in range(1, 6)}, {}, LEADING, gate__secure_controllable="no"
    )
    result = score(real, answers)
    assert (result.cmmm.level, result.cmmm.total_score) == (5, 5.0)
    assert all(s.level == "leading" for s in result.scenarios.values())
    assert result.gradient_level is None
    assert result.level_result("basic").rules[1].actual["not_yes"] == ["gate.secure_controllable"]


def test_below_designated_size_is_not_basic(real):
    answers = enterprise(
        real, {i: "full" for i in range(1, 6)}, {}, LEADING, profile__above_scale="no"
    )
    result = score(real, answers)
    assert result.gradient_level is None
    assert result.level_result("basic").rules[0].actual == {"answer": "no"}


def test_job_shop_without_design_is_scored_on_what_applies(real):
    """No own design: product_design and s01, s03 leave the denominators; the rest is leading."""
    answers = enterprise(
        real,
        {1: "full", 2: "full", 3: "full", 4: "full", 5: "partial"},
        {
            s: LEADING
            for s in (
                "s04_intelligent_scheduling",
                "s07_online_inspection",
                "s08_equipment_maintenance",
            )
        },
        EXCELLENT,
        profile__own_design="no",
    )
    for step in ("s01.basic", "s03.basic"):
        answers[step] = Answer("none")  # stale answers from before the profile changed
    result = score(real, answers)
    assert result.cmmm.sub_domains["product_design"].applicable is False
    assert [s for s, r in result.scenarios.items() if not r.applicable] == [
        "s01_digital_product_design",
        "s03_data_driven_rnd",
    ]
    share = result.level_result("leading").rules[2].actual
    assert share == {"count": 8, "applicable": 8, "share": 1.0}
    assert (result.gradient_level, result.cmmm.total_score) == ("leading", 4.5)


def test_requirement_marked_not_applicable_leaves_its_sub_domain_mean(real):
    """One of energy's items N/A: energy's level-1 mean is over nothing else -> None there."""
    answers = enterprise(
        real,
        {1: "full", 2: "full", 3: "partial", 4: "none", 5: "none"},
        {},
        BASIC_ONLY,
        **{"energy.1": Answer("na", "厂区仅一台变压器")},
    )
    result = score(real, answers)
    assert result.cmmm.sub_domains["energy"].level_scores[1] is None
    assert result.cmmm.level_scores[1] == 1.0
    assert result.items["energy.1"].status == "not_applicable"


def test_production_operations_all_not_applicable_fails_basic_and_says_why(real):
    """Basic needs a production-operations scenario at Basic: with its three scenarios marked not
    applicable, no rating can close the rule, and the trace says the N/A answers are the cause."""
    answers = enterprise(
        real,
        {i: "full" for i in range(1, 6)},
        {},
        LEADING,
        **{
            f"{s}__applies": Answer("no", "外协加工")
            for s in ("s05_flexible_lines", "s06_human_robot_work", "s07_online_inspection")
        },
    )
    result = score(real, answers)
    links = next(o for o in result.level_result("basic").rules if o.rule_id == "basic.links")
    assert (result.gradient_level, links.passed) == (None, False)
    assert links.actual == {
        "covered": [],
        "missing": ["operations"],
        "without_applicable": ["operations"],
    }
    assert explain.rule_detail(real, links, "zh") == (
        "已覆盖：无；未覆盖：生产作业。其中生产作业没有适用的场景（均为不适用）：请核实不适用的判断是否成立。"
    )
