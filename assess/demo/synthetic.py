"""Synthetic answers for demo data and benchmarks: plausible, varied, reproducible.

An enterprise is drawn from one number, its maturity (about 0.5 .. 5): requirements at CMMM
levels well below it are met, those above it are not, with noise per sub-domain and per item
so that strong and weak capabilities differ. Scenarios follow the same maturity. Items the
staircase would not ask are left unanswered, as a real wizard would leave them.

Under a questionnaire with tailoring and results (2026.1), an enterprise tailors out the
sub-domains its profile allows (with the questionnaire's suggested reason), and enters its
key indicators, better with maturity, around the reference values below. Under one without
them (2025.1), the answers and the random draws are exactly those of before.
"""

from __future__ import annotations

import random

from assess.questionnaire.definition import Question, Questionnaire, applicability_id, tailoring_id
from assess.scoring import Answer, score, skipped_items
from assess.scoring.answers import number_text
from assess.scoring.result import Benchmark

NOT_APPLICABLE_REASONS = [
    "企业不涉及该业务环节",
    "该业务全部外包",
    "当前产品结构不需要",
]
# National self-diagnosis spread (CESI, 2022): share of enterprises by CMMM level <=1 / 2 / 3 / >=4.
NATIONAL_SPREAD = ((0.63, (0.5, 2.0)), (0.21, (2.1, 2.9)), (0.12, (3.0, 3.9)), (0.04, (4.0, 5.2)))
# Typical figures of a machinery enterprise for the results indicators (illustrative, not
# statistics): what the synthetic figures scatter around and the example benchmarks use.
REFERENCE_FIGURES = {
    "results.labour_productivity": 35.0,  # CNY 10k per employee per year
    "results.defect_rate": 1.5,  # %
    "results.cost_per_revenue": 85.0,  # CNY per CNY 100 of revenue
    "results.development_cycle": 12.0,  # months
    "results.energy_intensity": 0.05,  # tonnes of coal equivalent per CNY 10k
}
RESULTS_YEAR = "2025"


def draw_maturity(rng: random.Random) -> float:
    """A maturity drawn so that CMMM levels follow the national spread."""
    pick = rng.random()
    for share, (low, high) in NATIONAL_SPREAD:
        if pick < share:
            return rng.uniform(low, high)
        pick -= share
    return rng.uniform(*NATIONAL_SPREAD[-1][1])


# Maturity ranges from which each gradient outcome is usually drawn (None: below Basic).
OUTCOME_MATURITY = {
    None: (0.5, 1.9),
    "basic": (2.0, 2.8),
    "advanced": (2.8, 3.7),
    "excellent": (4.0, 4.8),
    "leading": (5.0, 5.6),
}


def example_benchmarks(q: Questionnaire, source: str = "示例基准值") -> dict[str, Benchmark]:
    """A benchmark per indicator at the reference figure: for demos and tests, not statistics."""
    return {
        indicator_id: Benchmark(REFERENCE_FIGURES[indicator_id], int(RESULTS_YEAR), source)
        for indicator_id in q.indicators
        if indicator_id in REFERENCE_FIGURES
    }


def answers_for_outcome(
    q: Questionnaire,
    rng: random.Random,
    outcome: str | None,
    tries: int = 400,
    benchmarks=None,
    **profile,
) -> dict[str, Answer]:
    """Synthetic answers that score exactly the given gradient outcome (with `benchmarks`,
    if given; without, a level is reached subject to results under 2026.1)."""
    low, high = OUTCOME_MATURITY[outcome]
    for _ in range(tries):
        answers = synthetic_answers(q, rng, rng.uniform(low, high), **profile)
        if score(q, answers, benchmarks).gradient_level == outcome:
            return answers
    raise RuntimeError(f"no synthetic enterprise reached {outcome!r} in {tries} tries")


def _rating(x: float) -> str:
    if x >= 1.0:
        return "full"
    if x >= 0.75:
        return "most"
    if x >= 0.35:
        return "partial"
    return "none"


def synthetic_answers(
    q: Questionnaire,
    rng: random.Random,
    maturity: float,
    *,
    sector: str = "other",
    above_scale: bool = True,
    own_design: bool | None = None,
    in_field: bool | None = None,
    own_process_planning: bool | None = None,
    tailor: bool = True,
) -> dict[str, Answer]:
    """A complete, valid set of answers for an enterprise of the given maturity.

    tailor: tailor out every sub-domain the profile allows (a build-to-print supplier leaves
    product design out, with the questionnaire's reason).
    """
    answers: dict[str, Answer] = {}
    # makers of machines design them and serve them in the field; "other machinery" includes
    # parts suppliers and contract shops, which more often do neither
    maker = sector != "other"
    designs = rng.random() < (0.92 if maker else 0.6)
    serves = rng.random() < (0.85 if maker else 0.4)
    own_design = designs if own_design is None else own_design
    in_field = serves if in_field is None else in_field
    profile = {
        "profile.sector": sector,
        "profile.above_scale": "yes" if above_scale else "no",
        "profile.production_mode": rng.choice(["mass", "small_batch", "mixed"]),
        "profile.own_design": "yes" if own_design else "no",
        "profile.products_in_field": "yes" if in_field else "no",
    }
    if "profile.own_process_planning" in q.items and not own_design:
        plans = rng.random() < 0.85 if own_process_planning is None else own_process_planning
        profile["profile.own_process_planning"] = "yes" if plans else "no"
    for question in q.profile.questions:
        if question.id in profile:
            answers[question.id] = Answer(profile[question.id])
        elif question.type == "multi_choice":
            answers[question.id] = Answer(tuple(o.id for o in q.options_of(question)))
        elif not question.applies_when:
            answers[question.id] = Answer(_first_option(q, question))
    if tailor:
        _tailor(q, answers)
    for question in q.gate.questions:
        answers[question.id] = Answer("yes" if rng.random() < 0.94 else "no")
    for sub in q.sub_domains.values():
        offset = rng.gauss(0, 0.45)
        for requirement in sub.requirements:
            x = maturity - requirement.level + 1 + offset + rng.gauss(0, 0.25)
            answers[requirement.id] = Answer(_rating(x))
    for scenario in q.scenarios.items:
        if rng.random() < 0.06:
            answers[applicability_id(scenario.id)] = Answer(
                "no", rng.choice(NOT_APPLICABLE_REASONS)
            )
            continue
        answers[applicability_id(scenario.id)] = Answer("yes")
        # scenarios trail capability in the middle: many more Basic than Advanced factories
        capability = maturity * 0.8 - 0.8 + rng.gauss(0, 0.45)
        for step in scenario.steps:
            x = capability - q.level_rank[step.level] + 1.0 + rng.gauss(0, 0.2)
            answers[step.id] = Answer(_rating(x))
    if q.results is not None:
        answers.update(_figures(q, rng, maturity))
    skipped = skipped_items(q, answers)
    return {item: answer for item, answer in answers.items() if item not in skipped}


def _tailor(q: Questionnaire, answers: dict[str, Answer]) -> None:
    """Tailor out what the profile allows, with the questionnaire's suggested reason."""
    for sub in q.tailorable.values():
        holds = all(
            c.allows(getattr(answers.get(c.question), "value", None)) for c in sub.tailorable.when
        )
        if holds:
            answers[tailoring_id(sub.id)] = Answer("yes", sub.tailorable.reason.zh)


def _figures(q: Questionnaire, rng: random.Random, maturity: float) -> dict[str, Answer]:
    """The results year and indicators: better than the reference the more mature the
    enterprise, with noise."""
    figures = {q.results.year.id: Answer(RESULTS_YEAR)}
    for indicator in q.indicators.values():
        reference = REFERENCE_FIGURES.get(indicator.id)
        if reference is None:
            continue
        edge = (maturity - 2.5) * 0.12 + rng.gauss(0, 0.15)  # > 0: better than the reference
        factor = 1 + edge if indicator.better == "higher" else 1 - edge
        value = max(indicator.minimum, reference * max(0.2, factor))
        if indicator.maximum is not None:
            value = min(value, indicator.maximum)
        figures[indicator.id] = Answer(number_text(round(value, 3)))
    return figures


def _first_option(q: Questionnaire, question: Question) -> str:
    return q.options_of(question)[0].id
