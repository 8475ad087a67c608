"""The smart-factory gradient levels: each rule type evaluated, with the numbers behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assess.questionnaire.definition import Questionnaire, Rule
from assess.scoring.answers import Answers
from assess.scoring.result import CmmmResult, LevelResult, RuleOutcome, ScenarioResult


@dataclass(frozen=True)
class Facts:
    """What the rules look at."""

    q: Questionnaire
    answers: Answers
    cmmm: CmmmResult
    scenarios: dict[str, ScenarioResult]

    def applicable(self) -> list[ScenarioResult]:
        return [s for s in self.scenarios.values() if s.applicable]

    def at_least(self, level_id: str) -> list[ScenarioResult]:
        rank = self.q.level_rank[level_id]
        return [s for s in self.applicable() if s.rank >= rank]

    def link_of(self, scenario: ScenarioResult) -> str:
        return self.q.scenario_map[scenario.id].link


Evaluator = Callable[[Rule, Facts], tuple[bool, dict, dict]]


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


RULES: dict[str, Evaluator] = {
    "answer_equals": answer_equals,
    "all_yes": all_yes,
    "cmmm_min": cmmm_min,
    "scenario_count": scenario_count,
    "scenario_share": scenario_share,
    "links_covered": links_covered,
    "links_count": links_count,
}


def evaluate(facts: Facts) -> tuple[tuple[LevelResult, ...], int]:
    """Every level's rules, and the rank of the highest level reached (0 for none)."""
    results, rank, below = [], 0, False
    for i, level in enumerate(facts.q.gradient.levels, start=1):
        outcomes = []
        for rule in level.rules:
            passed, actual, needed = RULES[rule.type](rule, facts)
            outcomes.append(RuleOutcome(rule.id, level.id, rule.type, passed, actual, needed))
        rules_pass = all(outcome.passed for outcome in outcomes)
        below = below or not rules_pass
        if not below:
            rank = i
        results.append(LevelResult(level.id, rules_pass, not below, tuple(outcomes)))
    return tuple(results), rank
