"""Profile conditions: when an item is asked, and when a sub-domain may be tailored out."""

from __future__ import annotations

from collections.abc import Iterable

from assess.questionnaire.definition import Condition
from assess.scoring.answers import Answers


def _value(condition: Condition, answers: Answers) -> object:
    answer = answers.get(condition.question)
    return None if answer is None else answer.value


def condition_fails(condition: Condition | None, answers: Answers) -> bool:
    """A profile condition fails only once its question is answered otherwise."""
    if condition is None:
        return False
    value = _value(condition, answers)
    return value is not None and not condition.allows(value)


def conditions_fail(conditions: Iterable[Condition], answers: Answers) -> bool:
    """An item is not asked once one of its conditions is answered otherwise."""
    return any(condition_fails(condition, answers) for condition in conditions)


def conditions_hold(conditions: Iterable[Condition], answers: Answers) -> bool:
    """Every condition is answered as it asks (unanswered does not hold)."""
    return all(condition.allows(_value(condition, answers)) for condition in conditions)


def profile_values(profile_questions, answers: Answers) -> dict[str, object]:
    """The values of the profile answers given, by question id."""
    return {
        question.id: answers[question.id].value
        for question in profile_questions
        if question.id in answers and answers[question.id].value is not None
    }
