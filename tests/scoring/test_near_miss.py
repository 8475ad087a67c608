"""Near misses before submitting: worked examples on the tiny questionnaire, computed by hand,
and a property on the real one (applying the lifts named reaches the level).

Weights: a1 = 0.6 x 0.5 = 0.3, a2 = 0.3, b1 = 0.4. With p.design "no", a2 does not apply and
the weights renormalise over 0.7.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.questionnaire.loader import load_file
from assess.scoring import Answer, score
from assess.scoring.near_miss import CMMM_MARGIN, Lift, NearMiss, apply, near_misses
from assess.scoring.result import FAILED
from tests.domain import BASIC_ENTERPRISE, NEW, answers


def _outcome(q, values, rule_id):
    result = score(q, answers(**values))
    return next(o for level in result.levels for o in level.rules if o.rule_id == rule_id)


def test_cmmm_within_a_tenth_of_level_two_names_the_one_lift_that_reaches_it(tiny):
    """a1 = 1 / .8 / .5, b1 = 1 / (.8 + .5)/2 = .65 / 0.

    L1 = (.3 + .4)/.7 = 1; L2 = (.3x.8 + .4x.65)/.7 = .5/.7 = .714286 < .8, so S stops there:
    S = 1.714286, 0.085714 below the band of level 2 (1.8). Raising a1.2 to 全部满足 makes
    L2 = (.3 + .26)/.7 = .8, then S = 1 + .8 + L3 (.15/.7 = .214286) = 2.014286: level 2.
    b1.2b 部分 -> 大部分 would do as well (L2 = .8); same effort, a1.2 comes first.
    """
    values = {**BASIC_ENTERPRISE, "b1.2b": "partial"}
    misses = near_misses(tiny, answers(**values))
    assert misses[0] == NearMiss(
        kind="cmmm",
        target=2,
        short_by=0.085714,
        rule=None,
        lifts=(Lift("a1.2", "most", "full"),),
        reached=True,
    )
    lifted = score(tiny, apply(answers(**values), misses[0].lifts))
    assert (lifted.cmmm.total_score, lifted.cmmm.level) == (2.014286, 2)


def test_one_rule_from_advanced_names_the_scenario_step_that_closes_it(tiny):
    """BASIC_ENTERPRISE: S = 1 + .8 + .214286 = 2.014286 (level 2, 0.79 from level 3: no CMMM
    near miss). Basic is reached; advanced fails only on two links at advanced: s3 (selling)
    is advanced, s1 (making) only basic because s1.advanced is 部分满足. Raising it to 大部分满足
    covers making too: advanced."""
    misses = near_misses(tiny, answers(**BASIC_ENTERPRISE))
    assert misses == (
        NearMiss(
            kind="gradient",
            target="advanced",
            short_by=None,
            rule=_outcome(tiny, BASIC_ENTERPRISE, "advanced.links"),
            lifts=(Lift("s1.advanced", "partial", "most"),),
            reached=True,
        ),
    )
    assert score(tiny, apply(answers(**BASIC_ENTERPRISE), misses[0].lifts)).gradient_level == (
        "advanced"
    )


def test_the_gate_alone_keeps_basic_out_of_reach(tiny):
    """With g.sound "no" the basic level fails only on the gate (CMMM 2, two scenarios at
    basic, making covered): answering it "yes" reaches basic (and advanced stays one rule
    away, but the next level is basic)."""
    values = {**BASIC_ENTERPRISE, "g.sound": "no"}
    misses = near_misses(tiny, answers(**values))
    assert [(m.kind, m.target, m.lifts, m.reached) for m in misses] == [
        ("gradient", "basic", (Lift("g.sound", "no", "yes"),), True)
    ]


def test_no_near_miss_when_two_rules_fail_and_s_is_more_than_a_tenth_below(tiny):
    """b1.2a and b1.2b 部分满足: b1 L2 = .5, L2 = (.24 + .2)/.7 = .628571, S = 1.628571,
    0.171429 below 1.8 (more than 0.1); advanced fails on CMMM level 2 and on two links."""
    values = {**BASIC_ENTERPRISE, "b1.2a": "partial", "b1.2b": "partial"}
    assert score(tiny, answers(**values)).cmmm.total_score == 1.628571
    assert near_misses(tiny, answers(**values)) == ()


Q = load_file(NEW)
RATINGS = ["none", "partial", "most", "full"]


@st.composite
def enterprises(draw):
    """A 2026.1 enterprise that is asked everything, rated at random level by level."""
    from tests.domain import enterprise

    cmmm = {level: draw(st.sampled_from(RATINGS)) for level in range(1, 6)}
    steps = {level.id: draw(st.sampled_from(RATINGS)) for level in Q.gradient.levels}
    out = enterprise(Q, cmmm, {}, steps)
    for item_id in draw(st.lists(st.sampled_from(sorted(Q.requirements)), max_size=12)):
        out[item_id] = Answer(draw(st.sampled_from(RATINGS)))
    for item_id in draw(st.lists(st.sampled_from(sorted(Q.steps)), max_size=8)):
        out[item_id] = Answer(draw(st.sampled_from(RATINGS)))
    return out


@settings(max_examples=60, deadline=None)
@given(enterprises())
def test_applying_the_lifts_named_reaches_the_level_and_only_raises_answers(values):
    result = score(Q, values)
    for miss in near_misses(Q, values):
        scale = Q.scales[Q.cmmm.scale].values
        # each item named once, from the answer it has now
        assert len({lift.item_id for lift in miss.lifts}) == len(miss.lifts)
        for lift in miss.lifts:
            now = values.get(lift.item_id)
            assert lift.from_option == (now.value if now is not None else None)
            before = scale.get(lift.from_option) if lift.from_option else None
            assert before is None or scale[lift.to_option] > before
        lifted = score(Q, apply(values, miss.lifts))
        if miss.kind == "cmmm":
            assert miss.target == (result.cmmm.level or 0) + 1
            assert 0 < miss.short_by <= CMMM_MARGIN + 1e-9
            assert miss.reached == ((lifted.cmmm.level or 0) >= miss.target)
        else:
            level = result.level_result(miss.target)
            assert [o.rule_id for o in level.rules if o.state == FAILED] == [miss.rule.rule_id]
            assert miss.reached == (lifted.gradient_rank > result.gradient_rank)
        if miss.reached:
            assert miss.lifts or miss.kind == "gradient"
