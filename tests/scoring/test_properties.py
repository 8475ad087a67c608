"""Properties of the scoring engine on the real questionnaire (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.questionnaire.loader import load_file
from assess.scoring import Answer, score
from assess.scoring.gaps import analyse
from tests.domain import REAL, enterprise

Q = load_file(REAL)
RATINGS = ["none", "partial", "most", "full"]
RATED = [*Q.requirements, *Q.steps]


def _profile_and_gate(draw) -> dict[str, Answer]:
    out = {}
    for question in Q.profile.questions:
        options = [o.id for o in Q.options_of(question)]
        if question.type == "multi_choice":
            out[question.id] = Answer(tuple(draw(st.sets(st.sampled_from(options)))))
        else:
            out[question.id] = Answer(draw(st.sampled_from(options)))
    for question in Q.gate.questions:
        out[question.id] = Answer(draw(st.sampled_from(["yes", "no"])))
    for scenario in Q.scenarios.items:
        out[f"{scenario.id}.applies"] = Answer(
            draw(st.sampled_from(["yes", "yes", "yes", "no"])), "不适用的原因"
        )
    return out


@st.composite
def assessments(draw):
    out = _profile_and_gate(draw)
    for item in RATED:
        choice = draw(st.sampled_from([*RATINGS, None]))
        if choice is not None:
            out[item] = Answer(choice)
    return out


def _snapshot(result):
    return {
        "levels": dict(result.cmmm.level_scores),
        "total": result.cmmm.total_score,
        "cmmm": result.cmmm.level or 0,
        "subs": {k: v.total for k, v in result.cmmm.sub_domains.items()},
        "elements": {k: dict(v) for k, v in result.cmmm.element_scores.items()},
        "scenarios": {k: v.rank for k, v in result.scenarios.items()},
        "gradient": result.gradient_rank,
    }


def _not_lower(after, before, path="") -> list[str]:
    if isinstance(before, dict):
        return [p for key in before for p in _not_lower(after[key], before[key], f"{path}.{key}")]
    return [] if after >= before - 1e-9 else [f"{path}: {before} -> {after}"]


@settings(max_examples=200, deadline=None)
@given(assessments(), st.data())
def test_raising_any_rating_never_lowers_any_score_or_level(answers, data):
    """A rating, not an unanswered item: answering one can decide a staircase step, which then
    skips (and zeroes) higher answers given before; that is the staircase's documented rule."""
    raisable = [i for i in RATED if i in answers and answers[i].value != RATINGS[-1]]
    if not raisable:
        return
    item = data.draw(st.sampled_from(raisable))
    rank = RATINGS.index(answers[item].value)
    higher = data.draw(st.sampled_from(RATINGS[rank + 1 :]))
    before = _snapshot(score(Q, answers))
    after = _snapshot(score(Q, {**answers, item: Answer(higher)}))
    assert _not_lower(after, before) == []


@settings(max_examples=60, deadline=None)
@given(assessments(), st.sampled_from([q.id for q in Q.gate.questions]))
def test_a_gate_answer_turning_yes_never_lowers_the_level(answers, question):
    before = score(Q, {**answers, question: Answer("no")}).gradient_rank
    assert score(Q, {**answers, question: Answer("yes")}).gradient_rank >= before


def test_all_top_answers_give_leading_and_cmmm_level_5():
    answers = enterprise(
        Q,
        {i: "full" for i in range(1, 6)},
        {},
        {"basic": "full", "advanced": "full", "excellent": "full", "leading": "full"},
    )
    result = score(Q, answers)
    assert (result.gradient_level, result.cmmm.level, result.cmmm.total_score) == (
        "leading",
        5,
        5.0,
    )


def test_all_zero_answers_give_no_level_at_all():
    """The gate met and the enterprise above designated size: the ratings alone decide."""
    answers = enterprise(
        Q,
        {i: "none" for i in range(1, 6)},
        {},
        {"basic": "none", "advanced": "none", "excellent": "none", "leading": "none"},
    )
    result = score(Q, answers)
    assert (result.gradient_level, result.cmmm.level, result.cmmm.total_score) == (None, None, 0.0)
    basic = {o.rule_id: o.passed for o in result.level_result("basic").rules}
    assert basic["basic.gate"] and basic["basic.above_scale"]
    assert not basic["basic.cmmm"] and not basic["basic.scenarios"]


NEEDED = {0.8: "most", 1.0: "full"}


@settings(max_examples=150, deadline=None)
@given(assessments())
def test_following_the_roadmap_reaches_the_target_cmmm_level(answers):
    """Every CMMM item of the roadmap rated as it needs: the CMMM level is the target."""
    analysis = analyse(Q, score(Q, answers))
    if analysis.target_cmmm is None:
        return
    followed = {**answers}
    followed.update(
        (item.item_id, Answer(NEEDED[item.needed]))
        for item in analysis.items
        if item.kind == "cmmm"
    )
    assert (score(Q, followed).cmmm.level or 0) >= analysis.target_cmmm
