"""The smart-factory gradient levels: each rule type evaluated, with the numbers behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from assess.questionnaire.definition import Questionnaire, Rule
from assess.scoring.answers import Answers
from assess.scoring.result import (
    FAILED,
    NOT_ASSESSED,
    PASSED,
    CmmmResult,
    IndicatorResult,
    LevelResult,
    RuleOutcome,
    ScenarioResult,
)


@dataclass(frozen=True)
class Facts:
    """What the rules look at."""

    q: Questionnaire
    answers: Answers
    cmmm: CmmmResult
    scenarios: dict[str, ScenarioResult]
    indicators: dict[str, IndicatorResult] | None = None

    @cached_property
    def _applicable(self) -> list[ScenarioResult]:
        return [s for s in self.scenarios.values() if s.applicable]

    @cached_property
    def _at_least(self) -> dict[str, list[ScenarioResult]]:
        ranks = self.q.level_rank
        return {
            level_id: [s for s in self._applicable if s.rank >= rank]
            for level_id, rank in ranks.items()
        }

    def applicable(self) -> list[ScenarioResult]:
        return self._applicable

    def at_least(self, level_id: str) -> list[ScenarioResult]:
        return self._at_least[level_id]

    def link_of(self, scenario: ScenarioResult) -> str:
        return self.q.scenario_map[scenario.id].link

    def operated_links(self) -> set[str]:
        """The links the enterprise says it operates; every link until it says (an empty
        answer does not make every link rule hold)."""
        question = self.q.links_question
        answer = self.answers.get(question.id) if question is not None else None
        if answer is None or not isinstance(answer.value, tuple) or not answer.value:
            return {link.id for link in self.q.links}
        return set(answer.value)


# An evaluator returns (outcome, what the enterprise has, what the rule needs); the outcome is
# True or False, or NOT_ASSESSED when the rule cannot be judged yet (results without benchmark).
Evaluator = Callable[[Rule, Facts], tuple[bool | str, dict, dict]]


def answer_equals(rule: Rule, facts: Facts):
    answer = facts.answers.get(rule.params["question"])
    value = None if answer is None else answer.value
    return value == rule.params["equals"], {"answer": value}, {"equals": rule.params["equals"]}


def all_yes(rule: Rule, facts: Facts):
    questions = facts.q.gate.questions
    values = {q.id: getattr(facts.answers.get(q.id), "value", None) for q in questions}
    not_yes = [item_id for item_id, value in values.items() if value != "yes"]
    actual = {
        "yes": len(questions) - len(not_yes),
        "total": len(questions),
        "not_yes": not_yes,
        "unanswered": [item_id for item_id, value in values.items() if value is None],
    }
    return not not_yes, actual, {"total": len(questions)}


def cmmm_min(rule: Rule, facts: Facts):
    level = rule.params["level"]
    band = next(b.min_score for b in facts.q.cmmm.bands if b.level == level)
    actual = {"level": facts.cmmm.level or 0, "score": facts.cmmm.total_score}
    return (facts.cmmm.level or 0) >= level, actual, {"level": level, "score": band}


def scenario_count(rule: Rule, facts: Facts):
    at_least = rule.params["at_least"]
    reached = [s.id for s in facts.at_least(at_least)]
    needed = {"min": rule.params["min"], "at_least": at_least}
    return len(reached) >= rule.params["min"], {"count": len(reached), "scenarios": reached}, needed


def scenario_share(rule: Rule, facts: Facts):
    at_least = rule.params["at_least"]
    applicable = len(facts.applicable())
    count = len(facts.at_least(at_least))
    share = round(count / applicable, 4) if applicable else 0.0
    needed = {"min_share": rule.params["min_share"], "at_least": at_least}
    passed = applicable > 0 and share >= rule.params["min_share"] - 1e-9
    return passed, {"count": count, "applicable": applicable, "share": share}, needed


def _covered(facts: Facts, at_least: str) -> list[str]:
    links = {facts.link_of(s) for s in facts.at_least(at_least)}
    return [link.id for link in facts.q.links if link.id in links]


def links_covered(rule: Rule, facts: Facts):
    at_least = rule.params["at_least"]
    if rule.params["links"] == "all_applicable":
        wanted = {facts.link_of(s) for s in facts.applicable()}
    elif rule.params["links"] == "operated":
        wanted = facts.operated_links()
    else:
        wanted = set(rule.params["links"])
    wanted_ordered = [link.id for link in facts.q.links if link.id in wanted]
    covered = _covered(facts, at_least)
    missing = [link for link in wanted_ordered if link not in covered]
    with_applicable = {facts.link_of(s) for s in facts.applicable()}
    actual = {
        "covered": [link for link in covered if link in wanted],
        "missing": missing,
        # a link required but without any applicable scenario: only a changed N/A can close it
        "without_applicable": [link for link in missing if link not in with_applicable],
    }
    return not missing, actual, {"links": wanted_ordered, "at_least": at_least}


def links_count(rule: Rule, facts: Facts):
    covered = _covered(facts, rule.params["at_least"])
    needed = {"min": rule.params["min"], "at_least": rule.params["at_least"]}
    return len(covered) >= rule.params["min"], {"count": len(covered), "links": covered}, needed


def scenarios_reached(rule: Rule, facts: Facts):
    """Named scenarios (e.g. the supply chain) at a level; one not applicable reaches none."""
    at_least, listed = rule.params["at_least"], list(rule.params["scenarios"])
    rank = facts.q.level_rank[at_least]
    reached = [
        s for s in listed if facts.scenarios[s].applicable and facts.scenarios[s].rank >= rank
    ]
    actual = {
        "count": len(reached),
        "scenarios": reached,
        "not_applicable": [s for s in listed if not facts.scenarios[s].applicable],
    }
    needed = {"min": rule.params["min"], "at_least": at_least, "scenarios": listed}
    return len(reached) >= rule.params["min"], actual, needed


def results_better(rule: Rule, facts: Facts):
    """At least `min` applicable indicators better than their benchmark. Not assessed while
    the benchmarks set cannot decide it: none set, or too few better but enough without one."""
    applicable = [r for r in (facts.indicators or {}).values() if r.applicable]
    compared = [r for r in applicable if r.benchmark is not None]
    better = [r.id for r in compared if r.better]
    without = [r.id for r in applicable if r.benchmark is None]
    needed = {"min": rule.params["min"]}
    actual = {
        "count": len(better),
        "better": better,
        "not_better": [r.id for r in compared if not r.better],
        "without_benchmark": without,
        "unanswered": [r.id for r in applicable if r.value is None],
        "applicable": len(applicable),
    }
    if len(better) >= needed["min"]:
        return True, actual, needed
    if not compared or len(better) + len(without) >= needed["min"]:
        return NOT_ASSESSED, actual, needed
    return False, actual, needed


RULES: dict[str, Evaluator] = {
    "answer_equals": answer_equals,
    "all_yes": all_yes,
    "cmmm_min": cmmm_min,
    "scenario_count": scenario_count,
    "scenario_share": scenario_share,
    "links_covered": links_covered,
    "links_count": links_count,
    "scenarios_reached": scenarios_reached,
    "results_better": results_better,
}


def _state(outcome: bool | str) -> str:
    if isinstance(outcome, str):
        return outcome
    return PASSED if outcome else FAILED


def evaluate(facts: Facts) -> tuple[tuple[LevelResult, ...], int]:
    """Every level's rules, and the rank of the highest level reached (0 for none).

    A level is reached when none of its rules fails and the level below is reached; a rule
    not assessed does not fail, and the level records it as pending (subject to results).
    """
    results, rank, below = [], 0, False
    for i, level in enumerate(facts.q.gradient.levels, start=1):
        outcomes = []
        for rule in level.rules:
            outcome, actual, needed = RULES[rule.type](rule, facts)
            state = _state(outcome)
            outcomes.append(
                RuleOutcome(rule.id, level.id, rule.type, state == PASSED, actual, needed, state)
            )
        rules_pass = all(outcome.state != FAILED for outcome in outcomes)
        pending = tuple(o.rule_id for o in outcomes if o.state == NOT_ASSESSED)
        below = below or not rules_pass
        if not below:
            rank = i
        results.append(LevelResult(level.id, rules_pass, not below, tuple(outcomes), pending))
    return tuple(results), rank
