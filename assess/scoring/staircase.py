"""Which items are still relevant given the answers so far: applicability, tailoring and the
staircase.

Two staircases, chosen by the questionnaire data (`cmmm.staircase`, `scenarios.staircase`):

* decided (2025.1): higher levels of a sub-domain are skipped once a lower level clearly fails
  (every item there answered and the sub-domain's score below `cmmm.skip_below`); higher steps
  of a scenario are skipped once a step is rated below `scenarios.met_threshold`.
* progressive (2026.1): a level is asked only while every level below it, counting unanswered
  items as 0, is not failing (score at least `skip_below`; every step met). Answering an item
  or raising a rating can only open levels, never fold them, so it never lowers a score.

Skipped items count as not met; items that do not apply, and tailored sub-domains, leave the
denominators.
"""

from __future__ import annotations

from assess.questionnaire.definition import (
    NOT_APPLICABLE,
    Questionnaire,
    Scenario,
    SubDomain,
    applicability_id,
)
from assess.scoring.answers import Answers, needs_reason
from assess.scoring.conditions import condition_fails, conditions_fail
from assess.scoring.result import TAILORED, Skip
from assess.scoring.tailoring import tailoring_outcomes

__all__ = ["condition_fails", "missing_items", "scenario_skip", "skipped_items", "sub_domain_skip"]


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


def _value(answers: Answers, item_id: str, values: dict) -> float:
    """An item's rating value; 0 when unanswered (or answered with no rating)."""
    answer = answers.get(item_id)
    return (values.get(answer.value) or 0.0) if answer is not None else 0.0


def _fold_cmmm_decided(q: Questionnaire, sub: SubDomain, answers: Answers, skipped: dict) -> None:
    values_of = q.scales[q.cmmm.scale].values
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


def _fold_cmmm_progressive(
    q: Questionnaire, sub: SubDomain, answers: Answers, skipped: dict
) -> None:
    values, get = q.scales[q.cmmm.scale].values, answers.get
    levels = q.requirement_ids_by_level[sub.id]
    for i, (level, ids) in enumerate(levels):
        total, count = 0.0, 0
        for item_id in ids:
            if item_id in skipped:
                continue  # does not apply to the enterprise
            count += 1
            answer = get(item_id)
            if answer is not None:
                total += values.get(answer.value) or 0.0
        if not count:
            continue  # nothing applies at this level: it neither opens nor folds
        mean = total / count
        if mean < q.cmmm.skip_below - 1e-9:
            failed = Skip("sub_domain_below", sub.id, level, round(mean, 4))
            for _, higher in levels[i + 1 :]:
                for item_id in higher:
                    if item_id not in skipped:
                        skipped[item_id] = failed
            break


def _fold_steps_decided(q: Questionnaire, scenario: Scenario, answers: Answers, skipped) -> None:
    step_values = q.scales[q.scenarios.scale].values
    met = q.scenarios.met_threshold
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


def _fold_steps_progressive(
    q: Questionnaire, scenario: Scenario, answers: Answers, skipped
) -> None:
    values, get = q.scales[q.scenarios.scale].values, answers.get
    levels = q.step_ids_by_level[scenario.id]
    for i, (level_id, ids, met) in enumerate(levels):
        for item_id in ids:
            if item_id in skipped:
                continue  # does not apply to the enterprise
            answer = get(item_id)
            if answer is None or (values.get(answer.value) or 0.0) < met:
                failed = Skip("step_not_met", scenario.id, level_id)
                for _, higher, _ in levels[i + 1 :]:
                    for step_id in higher:
                        if step_id not in skipped:
                            skipped[step_id] = failed
                return


FOLD_CMMM = {"decided": _fold_cmmm_decided, "progressive": _fold_cmmm_progressive}
FOLD_STEPS = {"decided": _fold_steps_decided, "progressive": _fold_steps_progressive}


def _item_skip(kind: str, item, container: str, answers: Answers) -> Skip | None:
    """An item that is asked only under profile conditions, when one fails."""
    if item.applies_when and conditions_fail(item.applies_when, answers):
        return Skip(kind, container, reason=item.not_applicable_reason)
    return None


def _tailoring_skips(outcomes, q: Questionnaire, skipped: dict) -> dict[str, Skip]:
    """Skip the tailoring questions that are not asked; return the sub-domains tailored out."""
    tailored = {}
    for outcome in outcomes:
        claim, review = q.tailoring_questions[outcome.sub_domain]
        if not outcome.eligible:
            skipped[claim.id] = Skip("tailoring_not_offered", outcome.sub_domain)
        if not (outcome.eligible and outcome.claimed):
            skipped[review.id] = Skip("review_not_needed", outcome.sub_domain)
        if outcome.applied:
            tailored[outcome.sub_domain] = Skip(TAILORED, outcome.sub_domain, reason=outcome.reason)
    return tailored


def skipped_items(q: Questionnaire, answers: Answers, tailoring=None) -> dict[str, Skip]:
    """Every item that is not asked, with the reason (tailoring: the tailoring outcomes, when
    the caller has them already)."""
    skipped: dict[str, Skip] = {}
    for question in q.profile.questions:
        skip = _item_skip("question_not_applicable", question, question.id, answers)
        if skip is not None:
            skipped[question.id] = skip
    if tailoring is None:
        tailoring = tailoring_outcomes(q, answers)
    tailored = _tailoring_skips(tailoring, q, skipped)
    fold_cmmm = FOLD_CMMM[q.cmmm.staircase]
    for sub in q.sub_domains.values():
        skip = tailored.get(sub.id) or sub_domain_skip(sub, answers)
        if skip is not None:
            skipped.update(dict.fromkeys((r.id for r in sub.requirements), skip))
            continue
        for requirement in q.conditional_items[sub.id]:
            skip = _item_skip("requirement_not_applicable", requirement, sub.id, answers)
            if skip is not None:
                skipped[requirement.id] = skip
        fold_cmmm(q, sub, answers, skipped)
    fold_steps = FOLD_STEPS[q.scenarios.staircase]
    for scenario in q.scenarios.items:
        skip = scenario_skip(scenario, answers)
        if skip is not None:
            if condition_fails(scenario.applies_when, answers):
                skipped[applicability_id(scenario.id)] = skip
            skipped.update(dict.fromkeys((step.id for step in scenario.steps), skip))
            continue
        for step in q.conditional_items[scenario.id]:
            skip = _item_skip("step_not_applicable", step, scenario.id, answers)
            if skip is not None:
                skipped[step.id] = skip
        fold_steps(q, scenario, answers, skipped)
    for indicator in q.indicators.values():
        skip = _item_skip("question_not_applicable", indicator, indicator.id, answers)
        if skip is not None:
            skipped[indicator.id] = skip
    return skipped


def missing_items(q: Questionnaire, answers: Answers, skipped: dict[str, Skip]) -> list[str]:
    """Relevant items without a complete answer, in questionnaire order. A reviewer's verdict
    on a tailoring is not the enterprise's to give: it is never missing."""
    missing = []
    for item_id, item in q.items.items():
        if item_id in skipped:
            continue
        answer = answers.get(item_id)
        incomplete = answer is None or answer.value is None or answer.value == ()
        if incomplete and getattr(item, "section", "") == "tailoring" and item.type == "choice":
            continue
        if incomplete or (needs_reason(item, answer.value) and not answer.reason):
            missing.append(item_id)
    return missing
