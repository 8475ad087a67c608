"""Results (建设成效): the enterprise's key indicators against provincial sector benchmarks.

Benchmarks are passed in by the caller (the web layer loads them per sector and province), so
the scoring stays pure: `score(q, answers, benchmarks={"results.defect_rate": Benchmark(1.2)})`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from assess.questionnaire.definition import Questionnaire
from assess.scoring.answers import Answers
from assess.scoring.result import Benchmark, IndicatorResult, Skip

Benchmarks = Mapping[str, Benchmark | float]


def as_benchmark(raw: Benchmark | float | None) -> Benchmark | None:
    """A benchmark from a Benchmark or a bare number."""
    if raw is None or isinstance(raw, Benchmark):
        return raw
    return Benchmark(float(raw))


def figure_text(value: float) -> str:
    """An indicator's figure (or a benchmark) as the statistics publish it: at most two
    decimals, half up from its decimal text, no trailing zeros ('12.35' for 12.345, '3.5',
    '12'). The comparison with the benchmark uses the figure as entered."""
    shown = Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{shown:f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _figure(answers: Answers, item_id: str) -> float | None:
    answer = answers.get(item_id)
    if answer is None or not isinstance(answer.value, str):
        return None
    try:
        return float(answer.value)
    except ValueError:
        return None


def score_indicators(
    q: Questionnaire, answers: Answers, skipped: dict[str, Skip], benchmarks: Benchmarks | None
) -> dict[str, IndicatorResult]:
    """Per indicator: applicable, the figure, its benchmark and whether it beats it."""
    benchmarks = benchmarks or {}
    results = {}
    for indicator in q.indicators.values():
        applicable = indicator.id not in skipped
        value = _figure(answers, indicator.id) if applicable else None
        benchmark = as_benchmark(benchmarks.get(indicator.id)) if applicable else None
        better = None
        if value is not None and benchmark is not None:
            better = indicator.beats(value, benchmark.value)
        results[indicator.id] = IndicatorResult(indicator.id, applicable, value, benchmark, better)
    return results
