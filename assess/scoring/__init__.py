"""The scoring engine: answers in, a result out. Pure: no Flask, no database.

result = score(questionnaire, answers, benchmarks=None)
analysis = gaps.analyse(questionnaire, result)
"""

from __future__ import annotations

from assess.questionnaire.definition import Questionnaire
from assess.scoring.answers import Answer, Answers
from assess.scoring.cmmm import score_cmmm
from assess.scoring.conditions import profile_values
from assess.scoring.gradient import Facts, evaluate
from assess.scoring.indicators import Benchmarks, score_indicators
from assess.scoring.result import Benchmark, ItemScore, Result
from assess.scoring.scenarios import score_scenarios
from assess.scoring.staircase import missing_items, skipped_items
from assess.scoring.tailoring import tailoring_outcomes

__all__ = [
    "Answer",
    "Answers",
    "Benchmark",
    "Benchmarks",
    "Result",
    "missing_items",
    "score",
    "skipped_items",
]


UNANSWERED = ItemScore("unanswered", 0.0)
SKIPPED = ItemScore("skipped", 0.0)
NOT_APPLICABLE = ItemScore("not_applicable", None)


def item_scores(
    item_ids, values: dict, answers: Answers, skipped, na_counts_zero: bool = False
) -> dict[str, ItemScore]:
    """Each rated item's score: the rating value; 0 unanswered or skipped; None not applicable.

    na_counts_zero: the questionnaire takes no per-item "not applicable" (2026.1), so such an
    answer, however it got in, is not met rather than out of the denominators.
    """
    scores = {}
    get_skip, get_answer = skipped.get, answers.get
    answered = {
        option: ItemScore("answered", value or 0.0, option) for option, value in values.items()
    }
    for item_id in item_ids:
        skip = get_skip(item_id)
        answer = get_answer(item_id)
        if skip is not None:
            scores[item_id] = NOT_APPLICABLE if skip.not_applicable else SKIPPED
        elif answer is None or answer.value is None:
            scores[item_id] = UNANSWERED
        elif answer.not_applicable and not na_counts_zero:
            scores[item_id] = ItemScore("not_applicable", None, answer.value)
        else:
            known = answered.get(answer.value) if isinstance(answer.value, str) else None
            scores[item_id] = known or ItemScore(
                "answered", values.get(answer.value) or 0.0, answer.value
            )
    return scores


def score(q: Questionnaire, answers: Answers, benchmarks: Benchmarks | None = None) -> Result:
    """Score a (possibly incomplete) set of answers under one questionnaire version.

    benchmarks: per indicator id, the provincial sector benchmark (a Benchmark or a number);
    without one, a results rule is not assessed and a level needing it is reached subject to
    results.
    """
    tailoring = tailoring_outcomes(q, answers)
    skipped = skipped_items(q, answers, tailoring)
    strict = not q.cmmm.requirement_not_applicable
    items = item_scores(q.requirements, q.scales[q.cmmm.scale].values, answers, skipped, strict)
    items.update(item_scores(q.steps, q.scales[q.scenarios.scale].values, answers, skipped, strict))
    cmmm = score_cmmm(q, items)
    scenarios = score_scenarios(q, answers, items)
    indicators = score_indicators(q, answers, skipped, benchmarks)
    levels, rank = evaluate(Facts(q, answers, cmmm, scenarios, indicators))
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
        tailoring=tailoring,
        indicators=indicators,
        profile=profile_values(q.profile.questions, answers),
    )
