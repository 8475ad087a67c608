"""Synthetic 2026.1 answers for the demo and the benchmark: valid, complete, per outcome."""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from assess.demo.synthetic import answers_for_outcome, example_benchmarks, synthetic_answers
from assess.scoring import missing_items, score, skipped_items
from assess.scoring.answers import check

OUTCOMES = [None, "basic", "advanced", "excellent", "leading"]


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_answers_for_each_outcome_are_valid_complete_and_reach_it(new, outcome):
    benchmarks = example_benchmarks(new)
    given = answers_for_outcome(new, random.Random(5), outcome, benchmarks=benchmarks)
    for item_id, answer in given.items():
        assert check(new, item_id, answer.value, answer.reason) == answer, item_id
    assert missing_items(new, given, skipped_items(new, given)) == []
    result = score(new, given, benchmarks)
    assert (result.gradient_level, result.confirmed_level) == (outcome, outcome)


def test_a_build_to_print_supplier_tailors_what_its_profile_allows(new):
    given = answers_for_outcome(
        new,
        random.Random(2),
        "basic",
        sector="other",
        own_design=False,
        in_field=False,
        own_process_planning=True,
    )
    result = score(new, given)
    assert result.tailored == ("product_design", "product_service")
    assert given["tailoring.product_design"].reason == "企业按客户图纸加工，不自主研发设计产品"
    assert "results.development_cycle" not in given


def _digest(answers) -> str:
    plain = {
        k: [list(v.value) if isinstance(v.value, tuple) else v.value, v.reason]
        for k, v in sorted(answers.items())
    }
    return hashlib.sha256(json.dumps(plain, ensure_ascii=False).encode()).hexdigest()[:16]


def test_2025_answers_are_drawn_exactly_as_before(real):
    """Under 2025.1 (no tailoring, no results) the random draws are those of before 2026.1:
    the digests are of what the synthetic module of commit e7a1dc4 produced, so the demo data
    of 2025.1 do not move."""
    assert _digest(synthetic_answers(real, random.Random(9), 3.0)) == "e359401f2fc73820"
    given = answers_for_outcome(real, random.Random(7), "excellent", sector="machine_tools")
    assert _digest(given) == "8d27fac7a03b0fed"
