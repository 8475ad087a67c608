"""Gaps to the target levels and the prioritised roadmap that closes them.

Target gradient level: by default the next one. Every failing rule up to it is a gap; each gap
lists the items that close it: gate questions not answered yes, CMMM requirements below
大部分满足 at the levels the CMMM target needs, and the unmet steps of the scenarios nearest to
the level a scenario rule asks for. Items are ranked by impact on the failing rules and by
effort, and put into near-term and later actions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from assess.questionnaire.definition import Questionnaire, Text
from assess.scoring.advice import next_step
from assess.scoring.cmmm import total_score
from assess.scoring.result import Result, RuleOutcome, ScenarioResult

NEAR_TERM, LATER = "near_term", "later"
SUSTAIN = "sustain"  # the rule id of the items that keep an enterprise at the top improving
QUADRANTS = ("quick_win", "major_project", "fill_in", "deprioritise")


@dataclass(frozen=True)
class GapItem:
    item_id: str
    kind: str  # gate | cmmm | step | indicator
    container: str  # the sub-domain or scenario the item belongs to ("gate" for the gate)
    level: int | str  # CMMM level, or gradient level id of a step
    rank: int  # the level as a number (CMMM level, or gradient rank of a step; 0 for the gate)
    current: float  # the item's score now (0 when unanswered or skipped)
    status: str
    needed: float  # the score that closes it
    effort: int
    impact: float  # 0..1: how much closing it moves the failing rules
    rules: tuple[str, ...]  # the rule ids it serves
    link: str | None
    scenarios: tuple[str, ...]
    phase: str = NEAR_TERM
    quadrant: str = "quick_win"
    advice: Text | None = None  # the next step the profile chose instead of the item's own
    shaped_by: tuple[str, ...] = ()  # the profile questions that chose it

    @property
    def priority(self) -> float:
        return self.impact / self.effort


@dataclass(frozen=True)
class RuleGap:
    outcome: RuleOutcome
    items: tuple[str, ...]  # gap item ids that close it (empty: closed by the rule's own step)


@dataclass(frozen=True)
class GapAnalysis:
    target_level: str | None  # None when the top level is reached
    target_cmmm: int | None
    rule_gaps: tuple[RuleGap, ...]
    items: tuple[GapItem, ...]  # the roadmap, in priority order
    cmmm_gap_levels: tuple[int, ...] = field(default=())

    def phase(self, phase: str) -> list[GapItem]:
        return [item for item in self.items if item.phase == phase]


def analyse(
    q: Questionnaire,
    result: Result,
    target_level: str | None = None,
    target_cmmm: int | None = None,
) -> GapAnalysis:
    """Gaps and roadmap for the target levels (default: the next gradient and CMMM levels)."""
    ranks = q.level_rank
    if target_level is None and result.gradient_rank < len(q.gradient.levels):
        target_level = q.gradient.levels[result.gradient_rank].id
    top_cmmm = len(q.cmmm.levels)
    default_cmmm = target_cmmm is None
    if target_cmmm is None and (result.cmmm.level or 0) < top_cmmm:
        target_cmmm = (result.cmmm.level or 0) + 1
    failing = [
        outcome
        for level in result.levels
        if target_level and ranks[level.id] <= ranks[target_level]
        for outcome in level.rules
        if not outcome.passed
    ]
    cmmm_needed = max(
        [target_cmmm or 0] + [o.needed["level"] for o in failing if o.type == "cmmm_min"]
    )
    if default_cmmm and target_cmmm is not None:
        # the next CMMM level, or the one a failing level rule needs when that is higher
        target_cmmm = cmmm_needed
    builder = _Builder(q, result)
    rule_gaps = []
    for outcome in failing:
        rule_gaps.append(RuleGap(outcome, tuple(builder.close(outcome))))
    if target_cmmm is not None:
        builder.cmmm_items(cmmm_needed, "cmmm_target")
    if target_level is None and result.gradient_rank == len(q.gradient.levels):
        builder.keep_improving()
    items = _prioritise(builder.items())
    cmmm_levels = tuple(range(1, cmmm_needed + 1)) if cmmm_needed else ()
    return GapAnalysis(target_level, target_cmmm, tuple(rule_gaps), items, cmmm_levels)


class _Builder:
    """Collects gap items across rules, keeping for each the rules it serves."""

    def __init__(self, q: Questionnaire, result: Result):
        self.q, self.result = q, result
        self._items: dict[str, dict] = {}

    def items(self) -> list[GapItem]:
        return [GapItem(**fields) for fields in self._items.values()]

    def _add(self, item_id: str, rule_id: str, impact: float, **fields) -> None:
        entry = self._items.get(item_id)
        if entry is None:
            step, shaped_by = next_step(self.q, item_id, self.result.profile)
            self._items[item_id] = {
                "item_id": item_id,
                "rules": (rule_id,),
                "impact": impact,
                "advice": step if shaped_by else None,
                "shaped_by": shaped_by,
                **fields,
            }
        else:
            if rule_id not in entry["rules"]:
                entry["rules"] = (*entry["rules"], rule_id)
            entry["impact"] = max(entry["impact"], impact)

    def close(self, outcome: RuleOutcome) -> list[str]:
        """Add the items that close a failing rule; return their ids."""
        closer = getattr(self, f"_close_{outcome.type}")
        return closer(outcome)

    def _close_answer_equals(self, outcome: RuleOutcome) -> list[str]:
        return []  # a fact of the enterprise (e.g. size): the rule's own next step says what to do

    def _close_all_yes(self, outcome: RuleOutcome) -> list[str]:
        for question_id in outcome.actual["not_yes"]:
            unanswered = question_id in outcome.actual["unanswered"]
            self._add(
                question_id,
                outcome.rule_id,
                1.0,
                kind="gate",
                container="gate",
                level=0,
                rank=0,
                current=0.0,
                status="unanswered" if unanswered else "answered",
                needed=1.0,
                effort=2,
                link=None,
                scenarios=(),
            )
        return list(outcome.actual["not_yes"])

    def _close_cmmm_min(self, outcome: RuleOutcome) -> list[str]:
        return self.cmmm_items(outcome.needed["level"], outcome.rule_id)

    def cmmm_items(self, up_to: int, rule_id: str) -> list[str]:
        """The requirements whose raising brings the CMMM level up to `up_to`.

        The level's band needs the total score S, not only levels at 0.8: first every
        requirement below the reach threshold at levels 1..up_to (each level must reach it),
        then, while S would still fall short of the band, the requirements that add most to S
        per effort, raised to the top of the scale. Planned on the level scores, which are
        linear in the requirement scores (see assess/scoring/cmmm.py).
        """
        q, cmmm = self.q, self.result.cmmm
        threshold = q.cmmm.reach_threshold
        top = max(option.value or 0.0 for option in q.scales[q.cmmm.scale].options)
        band = next(b.min_score for b in q.cmmm.bands if b.level == up_to)
        scores = dict(cmmm.level_scores)
        raised: dict[str, float] = {}  # requirement id -> the score it is raised to
        coefficient: dict[str, float] = {}  # what one point on the requirement adds to its level
        for level in range(1, up_to + 1):
            weights = self._level_weights(level)
            for sub in q.sub_domains.values():
                requirements = q.requirements_by_level[sub.id].get(level, ())
                scored = [r for r in requirements if self.result.items[r.id].value is not None]
                for requirement in scored:
                    coefficient[requirement.id] = weights.get(sub.id, 0.0) / len(scored)
                    if self.result.items[requirement.id].value < threshold:
                        raised[requirement.id] = threshold
        for item_id, value in raised.items():
            scores[q.requirements[item_id].level] += coefficient[item_id] * (
                value - self.result.items[item_id].value
            )
        deficit = max(0.0, threshold - min(cmmm.level_scores[lv] for lv in range(1, up_to + 1)))
        impacts = {
            item_id: coefficient[item_id] * (value - self.result.items[item_id].value)
            for item_id, value in raised.items()
        }
        short = band - total_score([scores[lv] for lv in sorted(scores)], threshold)
        if short > 1e-9:

            def gain(item_id: str) -> float:
                now = raised.get(item_id, self.result.items[item_id].value)
                return coefficient[item_id] * (top - now)

            candidates = sorted(
                (i for i in coefficient if gain(i) > 1e-12),
                key=lambda i: (-gain(i) / q.requirements[i].effort, i),
            )
            for item_id in candidates:
                if band - total_score([scores[lv] for lv in sorted(scores)], threshold) <= 1e-9:
                    break
                added = gain(item_id)
                scores[q.requirements[item_id].level] += added
                impacts[item_id] = impacts.get(item_id, 0.0) + added
                raised[item_id] = top
        added_ids = []
        for item_id, needed in raised.items():
            requirement, item = q.requirements[item_id], self.result.items[item_id]
            sub = q.sub_domains[requirement.sub_domain]
            base = deficit if needed <= threshold else max(short, 1e-9)
            self._add(
                item_id,
                rule_id,
                round(min(1.0, impacts[item_id] / base) if base > 0 else impacts[item_id], 4),
                kind="cmmm",
                container=sub.id,
                level=requirement.level,
                rank=requirement.level,
                current=item.value,
                status=item.status,
                needed=needed,
                effort=requirement.effort,
                link=sub.link,
                scenarios=sub.scenarios,
            )
            entry = self._items[item_id]
            entry["needed"] = max(entry["needed"], needed)
            added_ids.append(item_id)
        return added_ids

    def _level_weights(self, level: int) -> dict[str, float]:
        """Each applicable sub-domain's share of the level score."""
        weights = {}
        for element in self.q.cmmm.elements:
            for sub in element.sub_domains:
                if self.result.cmmm.sub_domains[sub.id].level_scores.get(level) is not None:
                    weights[sub.id] = element.weight * sub.weight
        total = sum(weights.values()) or 1.0
        return {key: value / total for key, value in weights.items()}

    # ---- scenario rules: raise the scenarios nearest to the level the rule asks for ----

    def _unmet_steps(self, scenario: ScenarioResult, level_id: str) -> list:
        """The steps up to a level below the value their own level needs (steps that do not
        apply to the enterprise left out)."""
        rank, q, items = self.q.level_rank[level_id], self.q, self.result.items
        return [
            step
            for step in q.scenario_map[scenario.id].steps
            if q.level_rank[step.level] <= rank
            and scenario.step_values[step.id] < q.scenarios.met(step.level)
            and not (step.applies_when and items[step.id].status == "not_applicable")
        ]

    def _nearest(self, candidates: list[ScenarioResult], level_id: str) -> list[ScenarioResult]:
        def distance(s: ScenarioResult):
            steps = self._unmet_steps(s, level_id)
            return (
                len(steps),
                sum(step.effort for step in steps),
                self.q.scenario_map[s.id].number,
            )

        rank = self.q.level_rank[level_id]
        return sorted((s for s in candidates if s.applicable and s.rank < rank), key=distance)

    def _raise(self, scenarios: list[ScenarioResult], level_id: str, rule_id: str) -> list[str]:
        added = []
        for scenario in scenarios:
            steps = self._unmet_steps(scenario, level_id)
            for step in steps:
                item = self.result.items[step.id]
                self._add(
                    step.id,
                    rule_id,
                    round(1.0 / len(steps), 4),
                    kind="step",
                    container=scenario.id,
                    level=step.level,
                    rank=self.q.level_rank[step.level],
                    current=item.value or 0.0,
                    status=item.status,
                    needed=self.q.scenarios.met(step.level),
                    effort=step.effort,
                    link=self.q.scenario_map[scenario.id].link,
                    scenarios=(scenario.id,),
                )
                added.append(step.id)
        return added

    def keep_improving(self) -> list[str]:
        """At the highest level every rule is met: what is left is each applicable scenario not
        yet at that level, raised to it (the nearest first)."""
        top = self.q.gradient.levels[-1].id
        below = self._nearest(list(self.result.scenarios.values()), top)
        return self._raise(below, top, SUSTAIN)

    def _close_scenario_count(self, outcome: RuleOutcome) -> list[str]:
        level_id = outcome.needed["at_least"]
        short = outcome.needed["min"] - outcome.actual["count"]
        chosen = self._nearest(list(self.result.scenarios.values()), level_id)[:short]
        return self._raise(chosen, level_id, outcome.rule_id)

    def _close_scenario_share(self, outcome: RuleOutcome) -> list[str]:
        level_id = outcome.needed["at_least"]
        needed = math.ceil(outcome.needed["min_share"] * outcome.actual["applicable"] - 1e-9)
        short = max(1, needed - outcome.actual["count"])
        chosen = self._nearest(list(self.result.scenarios.values()), level_id)[:short]
        return self._raise(chosen, level_id, outcome.rule_id)

    def _close_scenarios_reached(self, outcome: RuleOutcome) -> list[str]:
        level_id = outcome.needed["at_least"]
        listed = [self.result.scenarios[s] for s in outcome.needed["scenarios"]]
        short = outcome.needed["min"] - outcome.actual["count"]
        return self._raise(self._nearest(listed, level_id)[:short], level_id, outcome.rule_id)

    def _close_results_better(self, outcome: RuleOutcome) -> list[str]:
        """The indicators to enter, and those to bring past their benchmark."""
        a = outcome.actual
        ids = [i for i in self.q.indicators if i in a["unanswered"] or i in a["not_better"]]
        for item_id in ids:
            indicator, found = self.q.indicators[item_id], self.result.indicators[item_id]
            self._add(
                item_id,
                outcome.rule_id,
                round(1.0 / len(ids), 4),
                kind="indicator",
                container="results",
                level=0,
                rank=0,
                current=found.value if found.value is not None else 0.0,
                status="unanswered" if found.value is None else "answered",
                needed=found.benchmark.value if found.benchmark is not None else 0.0,
                effort=indicator.effort,
                link=None,
                scenarios=(),
            )
        return ids

    def _in_link(self, link: str) -> list[ScenarioResult]:
        return [s for s in self.result.scenarios.values() if self.q.scenario_map[s.id].link == link]

    def _close_links_covered(self, outcome: RuleOutcome) -> list[str]:
        level_id = outcome.needed["at_least"]
        added = []
        for link in outcome.actual["missing"]:
            added += self._raise(
                self._nearest(self._in_link(link), level_id)[:1], level_id, outcome.rule_id
            )
        return added

    def _close_links_count(self, outcome: RuleOutcome) -> list[str]:
        level_id = outcome.needed["at_least"]
        short = outcome.needed["min"] - outcome.actual["count"]
        best = []
        for link in self.q.links:
            if link.id in outcome.actual["links"]:
                continue
            nearest = self._nearest(self._in_link(link.id), level_id)[:1]
            if nearest:
                best.append(nearest[0])
        chosen = self._nearest(best, level_id)[:short]
        return self._raise(chosen, level_id, outcome.rule_id)


NEAR_TERM_MAX = 10  # a near-term plan a management team can act on; the rest comes later
NEAR_TERM_MIN = 3  # when every next rung is a large project, the best of them start now


def _prioritise(items: list[GapItem]) -> tuple[GapItem, ...]:
    """Near-term: the gate, and the next rung of each sub-domain and scenario (its lowest level
    with a gap) when the effort is low or medium, the best NEAR_TERM_MAX of them by quadrant and
    impact per effort; when fewer than NEAR_TERM_MIN are, the best next rungs of high effort
    fill up to it (a plan whose every action is "later" starts nothing). Everything else later.
    Within each phase, quick wins first, by impact per effort; a sub-domain's or scenario's
    lower levels always come before its higher ones.
    """
    if not items:
        return ()
    lowest: dict[str, int] = {}
    for item in items:
        lowest[item.container] = min(lowest.get(item.container, item.rank), item.rank)
    impacts = sorted(item.impact for item in items)
    median = impacts[len(impacts) // 2]

    def order(g: GapItem) -> tuple:
        return (QUADRANTS.index(g.quadrant), -g.priority, g.rank, g.item_id)

    ranked = []
    for item in items:
        quadrant = QUADRANTS[(0 if item.impact >= median else 2) + (0 if item.effort <= 2 else 1)]
        ranked.append(replace(item, quadrant=quadrant, phase=LATER))
    rungs = sorted(
        (g for g in ranked if g.kind != "gate" and g.rank == lowest[g.container]), key=order
    )
    candidates = [g for g in rungs if g.effort <= 2]
    near = {g.item_id for g in ranked if g.kind == "gate"}
    near.update(g.item_id for g in candidates[: max(0, NEAR_TERM_MAX - len(near))])
    large = [g for g in rungs if g.effort > 2]
    near.update(g.item_id for g in large[: max(0, NEAR_TERM_MIN - len(near))])
    phased = [replace(g, phase=NEAR_TERM) if g.item_id in near else g for g in ranked]
    out: list[GapItem] = []
    for phase in (NEAR_TERM, LATER):
        out += _lower_levels_first(sorted((g for g in phased if g.phase == phase), key=order))
    return tuple(out)


def _lower_levels_first(items: list[GapItem]) -> list[GapItem]:
    """The same places in the list, but each container's items in the order of their levels."""
    by_container: dict[str, list[GapItem]] = {}
    for item in items:
        by_container.setdefault(item.container, []).append(item)
    queues = {
        container: sorted(group, key=lambda g: (g.rank, g.item_id))
        for container, group in by_container.items()
    }
    return [queues[item.container].pop(0) for item in items]
