"""Properties of the scoring engine on machinery-smart-factory 2026.1 (hypothesis).

"Raising" an answer means a rating: from unanswered to any rating, or from a rating to a
higher one, on a CMMM requirement or a scenario step. Profile answers, tailoring, scenario
applicability and the gate are not ratings: they change what is asked rather than how well
it is met. They are held fixed while a rating is raised, and have properties of their own
below (a gate answer turning yes, a scenario kept applicable, an indicator improving never
lower the level).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.questionnaire.loader import load_file
from assess.scoring import Answer, Benchmark, score
from assess.scoring.gaps import analyse
from tests.domain import NEW

Q = load_file(NEW)
RATINGS = ["none", "partial", "most", "full"]
RATED = [*Q.requirements, *Q.steps]
REASON = "理由"


@st.composite
def assessments(draw):
    """A random, possibly partial 2026.1 answer set, and random benchmarks."""
    out = {}
    for question in Q.profile.questions:
        options = [o.id for o in Q.options_of(question)]
        if question.type == "multi_choice":
            out[question.id] = Answer(tuple(draw(st.sets(st.sampled_from(options)))))
        elif draw(st.integers(0, 9)):
            out[question.id] = Answer(draw(st.sampled_from(options)))
    for claim, review in Q.tailoring_questions.values():
        choice = draw(st.sampled_from(["yes", "yes", "no", None]))
        if choice is not None:
            out[claim.id] = Answer(choice, REASON if choice == "yes" else "")
        verdict = draw(st.sampled_from(["accepted", "rejected", None, None]))
        if verdict is not None:
            out[review.id] = Answer(verdict, REASON if verdict == "rejected" else "")
    for question in Q.gate.questions:
        out[question.id] = Answer(draw(st.sampled_from(["yes", "yes", "no"])))
    for scenario in Q.scenarios.items:
        choice = draw(st.sampled_from(["yes", "yes", "yes", "no", None]))
        if choice is not None:
            out[f"{scenario.id}.applies"] = Answer(choice, REASON if choice == "no" else "")
    for item in RATED:
        choice = draw(st.sampled_from([*RATINGS, None, None]))
        if choice is not None:
            out[item] = Answer(choice)
    for indicator in Q.indicators:
        if draw(st.booleans()):
            out[indicator] = Answer(str(draw(st.integers(1, 60))))
    benchmarks = {
        indicator: Benchmark(float(draw(st.integers(1, 60))))
        for indicator in Q.indicators
        if draw(st.booleans())
    }
    return out, benchmarks


def _snapshot(result):
    return {
        "levels": dict(result.cmmm.level_scores),
        "total": result.cmmm.total_score,
        "cmmm": result.cmmm.level or 0,
        "subs": {k: v.total for k, v in result.cmmm.sub_domains.items()},
        "elements": {k: dict(v) for k, v in result.cmmm.element_scores.items()},
        "scenarios": {k: v.rank for k, v in result.scenarios.items()},
        "gradient": result.gradient_rank,
        "confirmed": result.confirmed_rank,
    }


def _not_lower(after, before, path="") -> list[str]:
    if isinstance(before, dict):
        return [p for key in before for p in _not_lower(after[key], before[key], f"{path}.{key}")]
    return [] if after >= before - 1e-9 else [f"{path}: {before} -> {after}"]


@settings(max_examples=300, deadline=None)
@given(assessments(), st.data())
def test_raising_any_single_rating_never_lowers_any_score_or_level(case, data):
    """Unanswered -> any rating, or a rating -> a higher one, on any requirement or step."""
    answers, benchmarks = case
    item = data.draw(st.sampled_from(RATED))
    now = answers.get(item)
    higher = RATINGS if now is None else RATINGS[RATINGS.index(now.value) + 1 :]
    if not higher:
        return
    raised = data.draw(st.sampled_from(higher))
    before = _snapshot(score(Q, answers, benchmarks))
    after = _snapshot(score(Q, {**answers, item: Answer(raised)}, benchmarks))
    assert _not_lower(after, before) == []


@settings(max_examples=100, deadline=None)
@given(assessments())
def test_scoring_is_deterministic_and_independent_of_answer_order(case):
    answers, benchmarks = case
    first = score(Q, answers, benchmarks).to_dict()
    assert score(Q, answers, benchmarks).to_dict() == first
    assert score(Q, dict(reversed(list(answers.items()))), benchmarks).to_dict() == first
    shuffled = dict(sorted(answers.items(), key=lambda kv: hash(kv[0]) % 97))
    assert score(Q, shuffled, dict(reversed(list(benchmarks.items())))).to_dict() == first


@settings(max_examples=100, deadline=None)
@given(assessments(), st.sampled_from([s.id for s in Q.scenarios.items]))
def test_calling_a_scenario_not_applicable_never_lifts_a_level(case, scenario):
    """The same step ratings, the scenario applicable or not: never better when not."""
    answers, benchmarks = case
    applies = score(Q, {**answers, f"{scenario}.applies": Answer("yes")}, benchmarks)
    not_applicable = score(Q, {**answers, f"{scenario}.applies": Answer("no", REASON)}, benchmarks)
    assert not_applicable.gradient_rank <= applies.gradient_rank
    assert not_applicable.confirmed_rank <= applies.confirmed_rank


@settings(max_examples=60, deadline=None)
@given(assessments(), st.sampled_from([q.id for q in Q.gate.questions]))
def test_a_gate_answer_turning_yes_never_lowers_the_level(case, question):
    answers, benchmarks = case
    before = score(Q, {**answers, question: Answer("no")}, benchmarks).gradient_rank
    assert score(Q, {**answers, question: Answer("yes")}, benchmarks).gradient_rank >= before


@settings(max_examples=100, deadline=None)
@given(assessments(), st.sampled_from(list(Q.indicators)), st.integers(1, 30))
def test_an_indicator_improving_never_lowers_the_level(case, indicator, step):
    """Better in the indicator's own direction (higher, or lower for defect rate, cost...)."""
    answers, benchmarks = case
    value = float(answers[indicator].value) if indicator in answers else 30.0
    better = value + step if Q.indicators[indicator].better == "higher" else max(0, value - step)
    before = score(Q, {**answers, indicator: Answer(str(value))}, benchmarks)
    after = score(Q, {**answers, indicator: Answer(str(better))}, benchmarks)
    assert (after.gradient_rank, after.confirmed_rank) >= (
        before.gradient_rank,
        before.confirmed_rank,
    )
    assert after.confirmed_rank >= before.confirmed_rank


NEEDED = {0.8: "most", 1.0: "full"}


@settings(max_examples=100, deadline=None)
@given(assessments())
def test_following_the_roadmap_reaches_the_target_cmmm_level(case):
    """Every CMMM item of the roadmap rated as it needs: the CMMM level is the target."""
    answers, benchmarks = case
    analysis = analyse(Q, score(Q, answers, benchmarks))
    if analysis.target_cmmm is None:
        return
    followed = {**answers}
    followed.update(
        (item.item_id, Answer(NEEDED[item.needed]))
        for item in analysis.items
        if item.kind == "cmmm"
    )
    assert (score(Q, followed, benchmarks).cmmm.level or 0) >= analysis.target_cmmm
