"""2025.1 assessments re-score exactly as they did before 2026.1 existed (issue 13).

tests/fixtures/rescoring-2025.1.json holds 57 answer sets (complete enterprises of every
outcome, partial sets with per-item "not applicable" and holes that leave staircase levels
undecided, and the two exploits of issue 13) with the result the 2025.1 engine gave them,
frozen before any 2026.1 change. Never regenerate it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from assess.questionnaire.loader import load_file
from assess.scoring import Answer, score
from tests.domain import REAL
from tests.scoring.legacy_view import legacy_view

FIXTURE = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "rescoring-2025.1.json").read_text("utf-8")
)
Q = load_file(REAL)


def _answer(raw) -> Answer:
    """A value, a list (multiple choice) or {"value", "reason"}."""
    if isinstance(raw, dict):
        return Answer(raw["value"], raw["reason"])
    return Answer(tuple(raw) if isinstance(raw, list) else raw)


@pytest.mark.parametrize(
    "case", FIXTURE["cases"], ids=[f"{i}-{c['kind']}" for i, c in enumerate(FIXTURE["cases"])]
)
def test_a_2025_1_answer_set_re_scores_exactly_as_frozen(case):
    result = score(Q, {item: _answer(raw) for item, raw in case["answers"].items()})
    expected = case["expected"]
    assert (
        result.gradient_level,
        result.cmmm.level,
        result.cmmm.total_score,
        {str(k): v for k, v in result.cmmm.level_scores.items()},
        {k: v.rank for k, v in result.scenarios.items()},
    ) == (
        expected["gradient_level"],
        expected["cmmm_level"],
        expected["total_score"],
        expected["level_scores"],
        expected["scenario_ranks"],
    )
    view = json.dumps(legacy_view(result), sort_keys=True, ensure_ascii=False)
    assert hashlib.sha256(view.encode()).hexdigest() == expected["digest"]


def test_the_fixture_covers_every_outcome_and_the_exploits_of_issue_13():
    outcomes = {case["expected"]["gradient_level"] for case in FIXTURE["cases"]}
    assert outcomes == {None, "basic", "advanced", "excellent", "leading"}
    kinds = {case["kind"] for case in FIXTURE["cases"]}
    assert {"partial", "all_manufacturing_na", "all_largely_met"} <= kinds
