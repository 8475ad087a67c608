"""The roadmap in phases toward a chosen target: phase 1 closes the next gradient level, phase 2
the level after, and so on up to the target level (and the target CMMM level in the last
phase). Pure: no Flask, no database.

Each phase is planned on the enterprise as it would be once the phases before it are done: the
actions of a phase are applied to the answers (each item raised to the answer that closes it),
the answers are scored again, and the next phase is the gap analysis (assess/scoring/gaps.py) of
that projected result toward the next level. So no action appears twice, a phase never repeats
what an earlier one closes, and the rules each action moves are those of its own phase.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assess.questionnaire.definition import Questionnaire, Requirement, Step
from assess.questionnaire.guide import EMPTY, Guide
from assess.scoring import score
from assess.scoring.answers import Answer, number_text
from assess.scoring.gaps import GapItem, analyse
from assess.scoring.indicators import Benchmarks, as_benchmark
from assess.scoring.result import Result, RuleOutcome

CMMM_TARGET = "cmmm_target"  # the rule id gaps.py gives items that only the CMMM target needs


@dataclass(frozen=True)
class Action:
    item: GapItem
    time_band: str  # up_to_3_months | 3_to_12_months | 12_to_24_months (indicative)
    cost_band: str  # low | medium | high (indicative)
    indicators: tuple[str, ...]  # results indicators it is expected to improve (indicative)

    @property
    def item_id(self) -> str:
        return self.item.item_id


@dataclass(frozen=True)
class Phase:
    number: int  # 1, 2, …
    level_id: str | None  # the gradient level it closes (None: only the CMMM target)
    cmmm_level: int | None  # the CMMM target it also reaches (last phase only)
    rules: tuple[RuleOutcome, ...]  # the rules still failing at the start of the phase
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Roadmap:
    target_level: str | None
    target_cmmm: int | None
    phases: tuple[Phase, ...]

    def actions(self) -> list[Action]:
        return [action for phase in self.phases for action in phase.actions]


def target_choices(q: Questionnaire, result: Result) -> tuple[list[str], list[int]]:
    """The gradient levels above the one reached, and the CMMM levels above the one reached."""
    levels = [level.id for level in q.gradient.levels[result.gradient_rank :]]
    cmmm = [level.level for level in q.cmmm.levels if level.level > (result.cmmm.level or 0)]
    return levels, cmmm


def plan(
    q: Questionnaire,
    answers: dict[str, Answer],
    benchmarks: Benchmarks | None = None,
    target_level: str | None = None,
    target_cmmm: int | None = None,
    guide: Guide = EMPTY,
    result: Result | None = None,
) -> Roadmap:
    """The phased roadmap (default target: the next gradient level and the next CMMM level).

    A target level at or below the one reached, or unknown, falls back to the default; so does
    a CMMM target at or below the level reached.
    """
    result = result or score(q, answers, benchmarks)
    levels, cmmm_levels = target_choices(q, result)
    if target_level not in levels:
        target_level = levels[0] if levels else None
    if target_cmmm not in cmmm_levels:  # default: the next CMMM level from where it is now
        target_cmmm = cmmm_levels[0] if cmmm_levels else None
    steps = levels[: levels.index(target_level) + 1] if target_level else [None]
    phases: list[Phase] = []
    seen: set[str] = set()
    current, projected = result, dict(answers)
    for number, level_id in enumerate(steps, start=1):
        last = number == len(steps)
        if level_id is None:
            analysis = analyse(q, current, None, target_cmmm)
        elif last:
            analysis = analyse(q, current, level_id, target_cmmm)
        else:  # only what this level's rules need: no CMMM target of its own
            analysis = analyse(q, current, level_id, max(1, current.cmmm.level or 1))
        # the CMMM target is the last phase's, and only while it is not reached already
        cmmm_open = last and target_cmmm is not None and target_cmmm > (current.cmmm.level or 0)
        items = [
            item
            for item in analysis.items
            if item.item_id not in seen and (cmmm_open or set(item.rules) - {CMMM_TARGET})
        ]
        if not cmmm_open:  # the rules an item moves: this phase's, not a CMMM target's
            items = [
                replace(item, rules=tuple(r for r in item.rules if r != CMMM_TARGET))
                for item in items
            ]
        seen.update(item.item_id for item in items)
        phases.append(
            Phase(
                number,
                level_id,
                target_cmmm if last else None,
                tuple(gap.outcome for gap in analysis.rule_gaps),
                tuple(_action(item, guide) for item in items),
            )
        )
        if not last:
            projected = apply(q, projected, items, benchmarks)
            current = score(q, projected, benchmarks)
    return Roadmap(target_level, target_cmmm, tuple(phases))


def _action(item: GapItem, guide: Guide) -> Action:
    if item.kind == "indicator":
        indicators: tuple[str, ...] = (item.item_id,)
    else:
        indicators = guide.indicators.get(item.container, ())
    return Action(item, guide.time_band(item.effort), guide.cost_band(item.effort), indicators)


def apply(
    q: Questionnaire,
    answers: dict[str, Answer],
    items: list[GapItem],
    benchmarks: Benchmarks | None = None,
) -> dict[str, Answer]:
    """The answers once the given actions are done: each item at the answer that closes it."""
    out = dict(answers)
    for item in items:
        node = q.items[item.item_id]
        if item.kind == "gate":
            out[item.item_id] = Answer("yes")
        elif isinstance(node, Requirement | Step):
            scale = q.cmmm.scale if isinstance(node, Requirement) else q.scenarios.scale
            options = sorted(
                (o for o in q.scales[scale].options if (o.value or 0.0) >= item.needed - 1e-9),
                key=lambda o: o.value or 0.0,
            )
            if options:
                out[item.item_id] = Answer(options[0].id)
        elif item.kind == "indicator" and benchmarks and item.item_id in benchmarks:
            indicator = q.indicators[item.item_id]
            benchmark = as_benchmark(benchmarks[item.item_id]).value
            step = max(abs(benchmark) * 0.1, 0.01)
            value = benchmark + step if indicator.better == "higher" else benchmark - step
            if value >= indicator.minimum and indicator.beats(value, benchmark):
                out[item.item_id] = Answer(number_text(value))
    return out
