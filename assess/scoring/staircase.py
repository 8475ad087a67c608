"""Which items are still relevant given the answers so far: applicability and the staircase.

Higher levels of a sub-domain are skipped once a lower level clearly fails (every item there
answered and the sub-domain's score below `cmmm.skip_below`); higher steps of a scenario are
skipped once a step is rated below `scenarios.met_threshold`. Skipped items count as not met.
"""

from __future__ import annotations

from assess.questionnaire.definition import (
    NOT_APPLICABLE,
    Condition,
    Questionnaire,
    Scenario,
    SubDomain,
    applicability_id,
)
from assess.scoring.answers import Answers, needs_reason
from assess.scoring.result import Skip


def condition_fails(condition: Condition | None, answers: Answers) -> bool:
    """A profile condition fails only once its question is answered otherwise."""
    if condition is None:
        return False
    answer = answers.get(condition.question)
    return answer is not None and answer.value is not None and answer.value != condition.equals


def sub_domain_skip(sub: SubDomain, answers: Answers) -> Skip | None:
    if condition_fails(sub.applies_when, answers):
        return Skip("sub_domain_not_applicable", sub.id, reason=sub.not_applicable_reason)
    return None


def scenario_skip(scenario: Scenario, answers: Answers) -> Skip | None:
    """Why a scenario does not apply (from the profile, or the enterprise's own 'no')."""
    if condition_fails(scenario.applies_when, answers):
        return Skip("scenario_not_applicable", scenario.id, reason=scenario.not_applicable_reason)
    answer = answers.get(applicability_id(scenario.id))
    if answer is not None and answer.value == "no":
        return Skip("scenario_not_applicable", scenario.id, reason=answer.reason)
    return None


def _level_mean(requirements, answers: Answers, values: dict) -> tuple[bool, float | None]:
    """(decided, mean) of one level of a sub-domain: undecided while an item is unanswered;
    mean None when every item is not applicable."""
    total, count = 0.0, 0
    for requirement in requirements:
        answer = answers.get(requirement.id)
        if answer is None or answer.value is None:
            return False, None
        if answer.value != NOT_APPLICABLE:
            total += values.get(answer.value) or 0.0
            count += 1
    return True, (total / count if count else None)


def skipped_items(q: Questionnaire, answers: Answers) -> dict[str, Skip]:
    """Every item that is not asked, with the reason."""
    skipped: dict[str, Skip] = {}
    values_of = q.scales[q.cmmm.scale].values
    for sub in q.sub_domains.values():
        skip = sub_domain_skip(sub, answers)
        if skip is not None:
            skipped.update(dict.fromkeys((r.id for r in sub.requirements), skip))
            continue
        by_level = q.requirements_by_level[sub.id]
        for level, at_level in by_level.items():
            decided, mean = _level_mean(at_level, answers, values_of)
            if not decided:
                break  # ask the levels above too until this one is answered
            if mean is not None and mean < q.cmmm.skip_below:
                failed = Skip("sub_domain_below", sub.id, level, round(mean, 4))
                for higher, requirements in by_level.items():
                    if higher > level:
                        skipped.update(dict.fromkeys((r.id for r in requirements), failed))
                break
    step_values = q.scales[q.scenarios.scale].values
    met = q.scenarios.met_threshold
    for scenario in q.scenarios.items:
        skip = scenario_skip(scenario, answers)
        if skip is not None:
            if condition_fails(scenario.applies_when, answers):
                skipped[applicability_id(scenario.id)] = skip
            skipped.update(dict.fromkeys((step.id for step in scenario.steps), skip))
            continue
        for level in q.gradient.levels:
            answered = [answers.get(step.id) for step in q.steps_by_level[scenario.id][level.id]]
            if any(a is None or a.value is None for a in answered):
                break
            if any((step_values.get(a.value) or 0.0) < met for a in answered):
                rank = q.level_rank[level.id]
                failed = Skip("step_not_met", scenario.id, level.id)
                skipped.update(
                    (step.id, failed) for step in scenario.steps if q.level_rank[step.level] > rank
                )
                break
    return skipped


def missing_items(q: Questionnaire, answers: Answers, skipped: dict[str, Skip]) -> list[str]:
    """Relevant items without a complete answer, in questionnaire order."""
    missing = []
    for item_id, item in q.items.items():
        if item_id in skipped:
            continue
        answer = answers.get(item_id)
        incomplete = answer is None or answer.value is None or answer.value == ()
        if incomplete or (needs_reason(item, answer.value) and not answer.reason):
            missing.append(item_id)
    return missing
