"""Near misses before submitting: a level within reach, and the answers that would reach it.

Two kinds, both from the answers as they stand:

* cmmm: the total score S is within `CMMM_MARGIN` (0.1) below the next CMMM band;
* gradient: the next gradient level fails on exactly one rule (a rule not assessed does not
  count: it does not fail).

For each, a short list of lifts (raise item X from one option to another) found greedily by
scoring the answers with each candidate lift applied: the scoring engine itself is the judge,
so applying the lifts named (`apply`) reaches the level whenever `reached` is true. A rule that
no answer can close (a fact such as size, a results benchmark) is named without lifts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assess.questionnaire.definition import Questionnaire, Rule
from assess.scoring import Answer, Answers, score
from assess.scoring.indicators import Benchmarks
from assess.scoring.result import FAILED, Result, RuleOutcome

CMMM_MARGIN = 0.1  # S this close below the next band is a near miss
MAX_LIFTS = 8  # a near miss that needs more answers changed is not named item by item
SCENARIO_RULES = frozenset(
    {"scenario_count", "scenario_share", "links_covered", "links_count", "scenarios_reached"}
)


@dataclass(frozen=True)
class Lift:
    """Raise one item's answer: from_option None when it is not answered (not asked yet)."""

    item_id: str
    from_option: str | None
    to_option: str


@dataclass(frozen=True)
class NearMiss:
    kind: str  # cmmm | gradient
    target: int | str  # the CMMM level, or the gradient level id
    short_by: float | None  # cmmm: how far S is below the band
    rule: RuleOutcome | None  # gradient: the one rule that fails
    lifts: tuple[Lift, ...]
    reached: bool  # applying the lifts reaches the target


def apply(answers: Answers, lifts) -> dict[str, Answer]:
    """The answers with the lifts applied."""
    out = dict(answers)
    for lift in lifts:
        out[lift.item_id] = Answer(lift.to_option)
    return out


def near_misses(
    q: Questionnaire, answers: Answers, benchmarks: Benchmarks | None = None
) -> tuple[NearMiss, ...]:
    """The near misses of these answers: the CMMM one first, then the gradient one."""
    result = score(q, answers, benchmarks)
    found = []
    cmmm = _cmmm_near_miss(q, answers, benchmarks, result)
    if cmmm is not None:
        found.append(cmmm)
    gradient = _gradient_near_miss(q, answers, benchmarks, result)
    if gradient is not None:
        found.append(gradient)
    return tuple(found)


def _band(q: Questionnaire, level: int) -> float:
    return next(b.min_score for b in q.cmmm.bands if b.level == level)


def _cmmm_near_miss(q, answers, benchmarks, result: Result) -> NearMiss | None:
    target = (result.cmmm.level or 0) + 1
    if target > max(b.level for b in q.cmmm.bands):
        return None
    short = round(_band(q, target) - result.cmmm.total_score, 6)
    if not 0 < short <= CMMM_MARGIN + 1e-9:
        return None
    lifts, reached = _cmmm_lifts(q, answers, benchmarks, target)
    return NearMiss("cmmm", target, short, None, lifts, reached)


def _cmmm_lifts(q, answers, benchmarks, target: int) -> tuple[tuple[Lift, ...], bool]:
    return _search(
        q,
        answers,
        benchmarks,
        goal=lambda r: (r.cmmm.level or 0) >= target,
        progress=lambda r: r.cmmm.total_score,
        moves=lambda current, r: [(lift,) for lift in _requirement_lifts(q, current, r)],
    )


def _gradient_near_miss(q, answers, benchmarks, result: Result) -> NearMiss | None:
    rank = result.gradient_rank
    if rank >= len(q.gradient.levels):
        return None
    level = result.levels[rank]
    failing = [o for o in level.rules if o.state == FAILED]
    if len(failing) != 1:
        return None
    outcome = failing[0]
    rule = next(r for r in q.gradient.levels[rank].rules if r.id == outcome.rule_id)
    goal = lambda r: r.gradient_rank > rank  # noqa: E731
    if outcome.type == "cmmm_min":
        lifts, reached = _search(
            q,
            answers,
            benchmarks,
            goal=goal,
            progress=lambda r: r.cmmm.total_score,
            moves=lambda current, r: [(lift,) for lift in _requirement_lifts(q, current, r)],
        )
    elif outcome.type == "all_yes":
        lifts = tuple(
            Lift(item_id, _option(answers, item_id), "yes") for item_id in outcome.actual["not_yes"]
        )
        reached = goal(score(q, apply(answers, lifts), benchmarks))
    elif outcome.type in SCENARIO_RULES:
        lifts, reached = _search(
            q,
            answers,
            benchmarks,
            goal=goal,
            progress=lambda r: _scenario_progress(q, rule, r),
            moves=lambda current, r: _scenario_moves(q, rule, current, r),
        )
    else:  # a fact of the enterprise or a results benchmark: no answer of a rating closes it
        lifts, reached = (), False
    return NearMiss("gradient", level.id, None, outcome, lifts, reached)


def _option(answers: Answers, item_id: str) -> str | None:
    answer = answers.get(item_id)
    return answer.value if answer is not None and isinstance(answer.value, str) else None


def _search(
    q: Questionnaire,
    answers: Answers,
    benchmarks,
    *,
    goal: Callable[[Result], bool],
    progress: Callable[[Result], object],
    moves: Callable[[Mapping, Result], list[tuple[Lift, ...]]],
) -> tuple[tuple[Lift, ...], bool]:
    """Greedy: each time the move that reaches the goal with the fewest lifts, else the one that
    progresses most per lift (ties: fewer lifts, lower effort, questionnaire order); stops at
    the goal, at MAX_LIFTS, or when no move progresses."""
    current, chosen = dict(answers), []
    result = score(q, current, benchmarks)
    while not goal(result) and len(chosen) < MAX_LIFTS:
        base = progress(result)
        best, best_key = None, None
        for move in moves(current, result):
            if len(chosen) + len(move) > MAX_LIFTS:
                continue
            trial = score(q, apply(current, move), benchmarks)
            reaches = goal(trial)
            gain = _gain(progress(trial), base)
            if not reaches and gain <= 0:
                continue
            key = (reaches, -len(move) if reaches else gain / len(move), -_effort(q, move))
            if best_key is None or key > best_key:
                best, best_key, best_result = move, key, trial
        if best is None:
            break
        chosen.extend(best)
        current = apply(current, best)
        result = best_result
    return _merged(chosen), goal(result)


def _merged(lifts: list[Lift]) -> tuple[Lift, ...]:
    """One lift per item, from its answer as it stands to the last option chosen: the greedy
    search may raise an item one option at a time, a reader is told the whole change once."""
    merged: dict[str, Lift] = {}
    for lift in lifts:
        first = merged.get(lift.item_id)
        merged[lift.item_id] = (
            lift if first is None else Lift(lift.item_id, first.from_option, lift.to_option)
        )
    return tuple(merged.values())


def _gain(after, before) -> float:
    if isinstance(after, tuple):
        # lexicographic progress: the first measure that moved decides, scaled to stay ordered
        for i, (a, b) in enumerate(zip(after, before, strict=True)):
            if a != b:
                return (a - b) * 1000.0 ** (len(after) - i - 1)
        return 0.0
    return round(after - before, 6)


def _effort(q: Questionnaire, move) -> int:
    return sum(getattr(q.items[lift.item_id], "effort", 1) for lift in move)


def _requirement_lifts(q: Questionnaire, current: Mapping, result: Result) -> list[Lift]:
    """Each answered requirement raised one option, at the levels that can still move S: the
    first level below the reach threshold and the one above it."""
    threshold = q.cmmm.reach_threshold
    scores = result.cmmm.level_scores
    failing = [level for level in sorted(scores) if scores[level] < threshold]
    if not failing:
        return []
    levels = {failing[0], failing[0] + 1}
    options = q.scales[q.cmmm.scale].options  # best first
    ranked = sorted(options, key=lambda o: o.value or 0.0)
    lifts = []
    for item_id, requirement in q.requirements.items():
        item = result.items[item_id]
        if requirement.level not in levels or item.status != "answered" or item.value is None:
            continue
        higher = [o for o in ranked if (o.value or 0.0) > item.value]
        if higher:
            lifts.append(Lift(item_id, _option(current, item_id), higher[0].id))
    return lifts


def _scenario_progress(q: Questionnaire, rule: Rule, result: Result) -> tuple:
    """The failing rule's own count, then how far the applicable scenarios climbed."""
    needed = q.level_rank[rule.params["at_least"]]
    outcome = next(o for level in result.levels for o in level.rules if o.rule_id == rule.id)
    actual = outcome.actual
    own = actual.get("count", len(actual.get("covered", ())))
    climbed = sum(min(s.rank, needed) for s in result.scenarios.values() if s.applicable)
    return (own, climbed)


def _scenario_moves(q: Questionnaire, rule: Rule, current: Mapping, result: Result):
    """Per applicable scenario below the level the rule asks for: its steps up to that level
    raised to the lowest option that meets them."""
    needed = q.level_rank[rule.params["at_least"]]
    ranked = sorted(q.scales[q.scenarios.scale].options, key=lambda o: o.value or 0.0)
    moves = []
    for scenario in q.scenarios.items:
        outcome = result.scenarios[scenario.id]
        if not outcome.applicable or outcome.rank >= needed:
            continue
        move = []
        for level in q.gradient.levels[:needed]:
            met = q.scenarios.met(level.id)
            for step in q.steps_by_level[scenario.id][level.id]:
                item = result.items[step.id]
                if item.status == "not_applicable" or (item.value or 0.0) >= met:
                    continue
                option = next(o for o in ranked if (o.value or 0.0) >= met)
                move.append(Lift(step.id, _option(current, step.id), option.id))
        if move:
            moves.append(tuple(move))
    return moves
