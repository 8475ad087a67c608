"""Gaps and roadmap, from worked examples on the tiny questionnaire."""

from __future__ import annotations

from assess.scoring import score
from assess.scoring.gaps import GapItem, analyse
from tests.domain import BASIC_ENTERPRISE, answers


def test_roadmap_of_a_basic_enterprise_to_advanced_and_cmmm_3(tiny):
    """Advanced fails only on links: s1 (make) is the one scenario to raise: impact 1/1.

    CMMM target 3 needs S >= 2.8. Now L1 1.0, L2 .8, L3 .214286, S 2.014286; applicable
    weights a1 .3/.7 = .428571, b1 .4/.7 = .571429 (b1 has two items at level 2).
    First every item below .8 up to level 3: a1.3 (.5 -> .8), b1.3 (0 -> .8): L3 .8, S 2.6,
    still .2 short of 2.8. Impact against the deficit .585714 (= .8 - L3):
    a1.3 .428571 x .3 / .585714 = .2195; b1.3 .571429 x .8 / .585714 = .7805.
    Then raise to fully met, best gain per effort first (gain = share x (1 - now)):
    b1.2a .285714 x .2 = .057143 / 1; a1.2 .428571 x .2 = .085714 / 2 = .042857;
    b1.3 .571429 x .2 = .114286 / 3 = .038095; (b1.2b .057143 / 2 and a1.3 .085714 / 3 less).
    S: 2.657143, 2.742857, 2.857143 >= 2.8: done. Impact against the .2 short: b1.2a .2857,
    a1.2 .4286, b1.3 (.457143 + .114286) / .2, capped at 1.
    Median impact .4286: quick wins s1.advanced and a1.2; b1.2a fill-in (effort 1); b1.3 major
    project; a1.3 deprioritise. Near term: the next rung of each sub-domain and scenario (its
    lowest level with a gap: 2 for a1, b1 and s1) with effort <= 2; the rest later.
    """
    analysis = analyse(tiny, score(tiny, answers(**BASIC_ENTERPRISE)))
    assert (analysis.target_level, analysis.target_cmmm) == ("advanced", 3)
    assert [(g.outcome.rule_id, g.items) for g in analysis.rule_gaps] == [
        ("advanced.links", ("s1.advanced",))
    ]
    target = ("cmmm_target",)
    assert list(analysis.items) == [
        GapItem(
            "s1.advanced", "step", "s1", "advanced", 2, 0.5, "answered", 0.8, 2, 1.0,
            ("advanced.links",), "make", ("s1",), "near_term", "quick_win",
        ),
        GapItem(
            "a1.2", "cmmm", "a1", 2, 2, 0.8, "answered", 1.0, 2, 0.4286,
            target, "make", (), "near_term", "quick_win",
        ),
        GapItem(
            "b1.2a", "cmmm", "b1", 2, 2, 0.8, "answered", 1.0, 1, 0.2857,
            target, "sell", (), "near_term", "fill_in",
        ),
        GapItem(
            "b1.3", "cmmm", "b1", 3, 3, 0.0, "answered", 1.0, 3, 1.0,
            target, "sell", (), "later", "major_project",
        ),
        GapItem(
            "a1.3", "cmmm", "a1", 3, 3, 0.5, "answered", 0.8, 3, 0.2195,
            target, "make", (), "later", "deprioritise",
        ),
    ]  # fmt: skip


def test_following_the_roadmap_reaches_the_target_cmmm_level(tiny):
    """Rated as each item's needed score, the enterprise above re-scores at S 2.857143: 三级."""
    analysis = analyse(tiny, score(tiny, answers(**BASIC_ENTERPRISE)))
    option = {0.8: "most", 1.0: "full"}
    followed = {**BASIC_ENTERPRISE, **{g.item_id: option[g.needed] for g in analysis.items}}
    result = score(tiny, answers(**followed))
    assert (result.cmmm.total_score, result.cmmm.level) == (2.857143, 3)


def test_levels_at_exactly_the_threshold_still_need_more_for_the_band(tiny):
    """Every item largely met: L1 = L2 = L3 = .8, S 2.4: 二级 (the band of 三级 starts at 2.8)
    though every level scores .8. Target 三级: nothing is below .8, yet the roadmap is not empty:
    it raises items to fully met until S reaches 2.8."""
    every = {item: "most" for item in (*tiny.requirements, *tiny.steps)}
    given = {**every, "p.design": "yes", "g.sound": "yes"}
    result = score(tiny, answers(**given))
    assert (result.cmmm.total_score, result.cmmm.level) == (2.4, 2)
    analysis = analyse(tiny, result)
    cmmm_items = [g for g in analysis.items if g.kind == "cmmm"]
    assert cmmm_items and all(g.needed == 1.0 for g in cmmm_items)
    followed = {**given, **{g.item_id: "full" for g in cmmm_items}}
    assert score(tiny, answers(**followed)).cmmm.level == 3


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


def test_near_term_is_the_next_rung_of_each_sub_domain_and_at_most_ten_actions(real):
    """Nothing rated: every sub-domain's and scenario's lowest rung is the next one. Near term
    holds at most ten of them (never a higher level of the same sub-domain or scenario), and
    within each phase a sub-domain's lower levels come first."""
    from assess.scoring.gaps import NEAR_TERM_MAX

    analysis = analyse(real, score(real, {}))
    near = analysis.phase("near_term")
    assert 0 < len(near) <= NEAR_TERM_MAX
    lowest = {}
    for item in analysis.items:
        lowest[item.container] = min(lowest.get(item.container, item.rank), item.rank)
    assert all(item.rank == lowest[item.container] for item in near if item.kind != "gate")
    for phase in ("near_term", "later"):
        seen = {}
        for item in analysis.phase(phase):
            assert item.rank >= seen.get(item.container, 0), item.item_id
            seen[item.container] = item.rank


def test_the_cmmm_target_is_the_level_a_failing_rule_needs(tiny):
    """Below basic with no CMMM level: the next level would be 1, but basic.cmmm needs level 1
    too here; advanced.cmmm needs 2 and the target follows the first failing level's rules."""
    given = {**BASIC_ENTERPRISE, "a1.1": "none", "b1.1": "none"}
    result = score(tiny, answers(**given))
    assert (result.gradient_level, result.cmmm.level) == (None, None)
    assert analyse(tiny, result).target_cmmm == 1
    assert analyse(tiny, result, target_level="advanced").target_cmmm == 2


def test_an_enterprise_with_no_cmmm_level_aims_at_level_2_which_basic_needs(real):
    """The next CMMM level would be 1, but Basic needs level 2: the target, the radar's ring and
    the roadmap all aim at level 2."""
    result = score(real, {})
    assert (result.gradient_level, result.cmmm.level) == (None, None)
    analysis = analyse(real, result)
    assert (analysis.target_level, analysis.target_cmmm) == ("basic", 2)
    assert {item.rank for item in analysis.items if item.kind == "cmmm"} == {1, 2}


def _item(item_id: str, container: str, rank: int, effort: int, impact: float) -> GapItem:
    return GapItem(
        item_id=item_id,
        kind="step",
        container=container,
        level=rank,
        rank=rank,
        current=0.0,
        status="none",
        needed=1.0,
        effort=effort,
        impact=impact,
        rules=("r",),
        link=None,
        scenarios=(container,),
    )


def test_when_every_next_rung_is_a_large_project_the_best_three_start_now():
    """An Excellent enterprise aiming at Leading: every action left is of high effort (3). Four
    scenarios' next rungs (rank 4) and one higher rung of s1 (rank 5). Impacts 0.9, 0.6, 0.3,
    0.2, 0.8: the median is 0.6, so s1 (0.9) and s2 (0.6) are major projects, s3 and s4 (0.3,
    0.2) deprioritised, and the rank-5 step of s1 waits for s1's rank 4. The near term takes the
    three best next rungs, s1, s2 and s3; s4 and s1's rank 5 come later."""
    from assess.scoring.gaps import _prioritise

    items = [
        _item("s1.4", "s1", 4, 3, 0.9),
        _item("s2.4", "s2", 4, 3, 0.6),
        _item("s3.4", "s3", 4, 3, 0.3),
        _item("s4.4", "s4", 4, 3, 0.2),
        _item("s1.5", "s1", 5, 3, 0.8),
    ]
    plan = _prioritise(items)
    near = [g.item_id for g in plan if g.phase == "near_term"]
    later = [g.item_id for g in plan if g.phase == "later"]
    assert near == ["s1.4", "s2.4", "s3.4"]
    assert later == ["s1.5", "s4.4"]
    assert [g.quadrant for g in plan[:3]] == ["major_project", "major_project", "deprioritise"]


def test_the_three_most_important_gaps_are_the_roadmaps_first_three_actions(real):
    """Whatever the enterprise, the summary's three gaps are where its plan starts."""
    import random

    from assess.demo.synthetic import answers_for_outcome
    from assess.report import view as result_view

    for outcome in (None, "basic", "advanced", "excellent"):
        given = answers_for_outcome(real, random.Random(7), outcome, sector="machine_tools")
        result = score(real, given)
        analysis = analyse(real, result)
        view = result_view.build(real, result, analysis, "zh")
        assert (
            view.top_gaps
            == view.roadmap["near_term"][:3]
            + (view.roadmap["later"][: max(0, 3 - len(view.roadmap["near_term"]))])
        ), outcome
        assert view.roadmap["near_term"], outcome


def test_the_table_by_link_counts_every_action_once(real):
    """Requirements of no one link (strategy, staff, data...) have a row of their own, so that
    the table's near-term and later columns add up to the roadmap's."""
    import random

    from assess.demo.synthetic import answers_for_outcome
    from assess.report.content import by_link

    for outcome in (None, "basic", "advanced"):
        given = answers_for_outcome(real, random.Random(11), outcome, sector="machine_tools")
        result = score(real, given)
        analysis = analyse(real, result)
        rows = by_link(real, result, analysis, "zh")
        for phase in ("near_term", "later"):
            assert sum(row[phase] for row in rows) == len(analysis.phase(phase)), outcome
        assert rows[-1]["link"] is None and "组织战略" in "".join(rows[-1]["sub_domains"])


def test_at_the_highest_level_the_roadmap_raises_the_scenarios_still_below_it(real):
    """Every rule of Leading is met; the plan lists exactly the unmet steps, up to Leading, of
    each applicable scenario below Leading, and nothing for the others."""
    import random

    from assess.demo.synthetic import answers_for_outcome

    given = answers_for_outcome(real, random.Random(5), "leading", sector="machine_tools")
    result = score(real, given)
    assert result.gradient_level == "leading"
    analysis = analyse(real, result)
    assert analysis.target_level is None
    met = real.scenarios.met_threshold
    expected = {
        step.id
        for scenario in real.scenarios.items
        for outcome in (result.scenarios[scenario.id],)
        if outcome.applicable and outcome.rank < len(real.gradient.levels)
        for step in scenario.steps
        if outcome.step_values[step.id] < met
    }
    steps = {item.item_id for item in analysis.items if item.rules == ("sustain",)}
    assert steps == expected and steps
    assert analysis.phase("near_term")
