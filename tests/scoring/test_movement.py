"""What moved between two assessments (assess/scoring/movement.py): worked examples on the tiny
questionnaire, and across the two versions of the real one."""

from __future__ import annotations

import random

from assess.demo.synthetic import answers_for_outcome
from assess.questionnaire.loader import load_file
from assess.scoring import Answer, score
from assess.scoring.carry import carry_over
from assess.scoring.movement import AnswerChange, Moved, what_moved
from tests.domain import NEW, REAL
from tests.scoring.test_roadmap import BELOW_BASIC


def test_a_year_later_on_the_tiny_questionnaire(tiny):
    """By hand: a1.2 none -> most and b1.2b none -> full. a1 alone: level 1 = 1, level 2 = 0.8
    (reached), level 3 = 0 -> S 1.8 (was 1.0 + 0 = 1.0). b1: level 2 (0.5 + 1)/2 = 0.75 < 0.8
    -> S 1.0 + 0.75 = 1.75 (was 1.0 + 0.25 = 1.25). s3.basic partial -> most: s3 reaches basic
    (rank 1, was 0); s1 stays at basic; s2 does not apply either time."""
    later = {
        **BELOW_BASIC,
        "a1.2": Answer("most"),
        "b1.2b": Answer("full"),
        "s3.basic": Answer("most"),
    }
    found = what_moved(tiny, score(tiny, BELOW_BASIC), BELOW_BASIC, tiny, score(tiny, later), later)
    assert found.sub_domains == (
        Moved("a1", 1.0, 1.8),
        Moved("a2", None, None),
        Moved("b1", 1.25, 1.75),
    )
    assert found.scenarios == (Moved("s1", 1, 1), Moved("s2", None, None), Moved("s3", 0, 1))
    assert found.answers == (
        AnswerChange("a1.2", "a1", "none", "most"),
        AnswerChange("b1.2b", "b1", "none", "full"),
        AnswerChange("s3.basic", "s3", "partial", "most"),
    )
    assert found.lined_up


def test_across_versions_answers_line_up_by_the_carry_over_mapping():
    old_q, new_q = load_file(REAL), load_file(NEW)
    old = answers_for_outcome(old_q, random.Random(3), "basic", sector="machine_tools")
    carried = carry_over(old_q, new_q, old).answers
    new = {**carried, "org_strategy.1": Answer("none")}
    found = what_moved(old_q, score(old_q, old), old, new_q, score(new_q, new), new)
    changed = {c.item_id for c in found.answers}
    # what carried unchanged is not listed; what was changed, and what is new, is
    assert "org_strategy.1" in changed or old.get("org_strategy.1") == Answer("none")
    assert not changed & {i for i in carried if carried[i] == new.get(i)} - {"org_strategy.1"}
    # scenarios line up by the seed's number: 1..12 of the later version, 11 and 12 new
    assert [m.container for m in found.scenarios][:2] == [
        "s01_digital_product_design",
        "s02_digital_process_design",
    ]
    assert len(found.scenarios) == len(new_q.scenarios.items)
