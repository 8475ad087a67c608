"""The level each typical scenario reaches on its staircase."""

from __future__ import annotations

from assess.questionnaire.definition import Questionnaire, applicability_id
from assess.scoring.result import ScenarioResult
from assess.scoring.staircase import scenario_skip


def score_scenarios(q: Questionnaire, answers, items) -> dict[str, ScenarioResult]:
    """Per scenario: applicability and the highest level whose steps (and all below) are met.

    A step that does not apply to the enterprise (by a profile condition) is left out; every
    level keeps at least one step that applies to all.
    """
    results = {}
    for scenario in q.scenarios.items:
        skip = scenario_skip(scenario, answers)
        answer = answers.get(applicability_id(scenario.id))
        rank, level = 0, None
        if skip is None:
            for gradient_level in q.gradient.levels:
                met = q.scenarios.met(gradient_level.id)
                steps = q.steps_by_level[scenario.id][gradient_level.id]
                if not all(
                    (items[step.id].value or 0.0) >= met
                    for step in steps
                    if not (step.applies_when and items[step.id].status == "not_applicable")
                ):
                    break
                rank, level = rank + 1, gradient_level.id
        results[scenario.id] = ScenarioResult(
            id=scenario.id,
            applicable=skip is None,
            applicability_answered=answer is not None and answer.value is not None,
            not_applicable_reason=None if skip is None else skip.reason,
            level=level,
            rank=rank,
            step_values={step.id: items[step.id].value or 0.0 for step in scenario.steps},
        )
    return results
