"""The scoring engine: answers in, a result out. Pure: no Flask, no database.

result = score(questionnaire, answers)
analysis = gaps.analyse(questionnaire, result)
"""

from __future__ import annotations

from assess.questionnaire.definition import Questionnaire
from assess.scoring.answers import Answer, Answers
from assess.scoring.cmmm import score_cmmm
from assess.scoring.gradient import Facts, evaluate
from assess.scoring.result import ItemScore, Result
from assess.scoring.scenarios import score_scenarios
from assess.scoring.staircase import missing_items, skipped_items

__all__ = ["Answer", "Answers", "Result", "missing_items", "score", "skipped_items"]


UNANSWERED = ItemScore("unanswered", 0.0)
SKIPPED = ItemScore("skipped", 0.0)
NOT_APPLICABLE = ItemScore("not_applicable", None)


def item_scores(item_ids, values: dict, answers: Answers, skipped) -> dict[str, ItemScore]:
    """Each rated item's score: the rating value; 0 unanswered or skipped; None not applicable."""
    scores = {}
    for item_id in item_ids:
        skip = skipped.get(item_id)
        answer = answers.get(item_id)
        if skip is not None:
            scores[item_id] = NOT_APPLICABLE if skip.not_applicable else SKIPPED
        elif answer is None or answer.value is None:
            scores[item_id] = UNANSWERED
        elif answer.not_applicable:
            scores[item_id] = ItemScore("not_applicable", None, answer.value)
        else:
            scores[item_id] = ItemScore("answered", values.get(answer.value) or 0.0, answer.value)
    return scores


def score(q: Questionnaire, answers: Answers) -> Result:
    """Score a (possibly incomplete) set of answers under one questionnaire version."""
    skipped = skipped_items(q, answers)
    items = item_scores(q.requirements, q.scales[q.cmmm.scale].values, answers, skipped)
    items.update(item_scores(q.steps, q.scales[q.scenarios.scale].values, answers, skipped))
    cmmm = score_cmmm(q, items)
    scenarios = score_scenarios(q, answers, items)
    levels, rank = evaluate(Facts(q, answers, cmmm, scenarios))
    return Result(
        questionnaire_id=q.id,
        questionnaire_version=q.version,
        gradient_level=q.gradient.levels[rank - 1].id if rank else None,
        gradient_rank=rank,
        levels=levels,
        cmmm=cmmm,
        scenarios=scenarios,
        items=items,
        skipped=skipped,
    )
