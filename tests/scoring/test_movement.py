"""What moved between two assessments (assess/scoring/movement.py): worked examples on the tiny
questionnaire, and across the two versions of the real one."""

from __future__ import annotations

import random

from assess.demo.synthetic import answers_for_outcome
from assess.questionnaire.loader import load_file
from assess.scoring import Answer, score
from assess.scoring.carry import carry_over
from assess.scoring.movement import (
    APPLICABLE_NOW,
    DOWN,
    NOT_APPLICABLE_NOW,
    NOT_COMPARED,
    SAME,
    UP,
    AnswerChange,
    Moved,
    what_moved,
)
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


def test_an_area_that_went_to_or_came_back_from_not_applicable_is_marked(tiny):
    """By hand: the enterprise designed its products (a2 and scenario s2 apply: a2 level 1 = 1,
    level 2 = 0 -> S 1.0; s2 basic full -> basic), then says it does not (both not applicable).
    The move to N/A takes them out of the score: it is marked, not shown as unchanged."""
    designing = {
        **BELOW_BASIC,
        "p.design": Answer("yes"),
        "a2.1": Answer("full"),
        "a2.2": Answer("none"),
        "a2.3": Answer("none"),
        "s2.basic": Answer("full"),
        "s2.advanced": Answer("none"),
    }
    before, after = score(tiny, designing), score(tiny, BELOW_BASIC)
    found = what_moved(tiny, before, designing, tiny, after, BELOW_BASIC)
    assert found.sub_domains[1] == Moved("a2", 1.0, None)
    assert found.scenarios[1] == Moved("s2", 1, None)
    assert [m.change for m in found.sub_domains] == [SAME, NOT_APPLICABLE_NOW, SAME]
    assert [m.change for m in found.scenarios] == [SAME, NOT_APPLICABLE_NOW, SAME]
    back = what_moved(tiny, after, BELOW_BASIC, tiny, before, designing)
    assert [m.change for m in back.sub_domains] == [SAME, APPLICABLE_NOW, SAME]


def test_a_change_in_words():
    assert [
        Moved("x", 1.0, 1.8).change,
        Moved("x", 1.8, 1.0).change,
        Moved("x", None, None).change,
        Moved("x", 0, None).change,  # from "not reached" (rank 0) to N/A is a move, not nothing
        Moved("x", None, 0).change,
        Moved("x", None, 1.0, compared=False).change,
    ] == [UP, DOWN, SAME, NOT_APPLICABLE_NOW, APPLICABLE_NOW, NOT_COMPARED]
