"""The progressive staircase of 2026.1 against the decided one of 2025.1."""

from __future__ import annotations

from assess.scoring import Answer, score, skipped_items
from tests.domain import enterprise

LEADING = {"basic": "full", "advanced": "full", "excellent": "full", "leading": "full"}


def test_an_empty_assessment_asks_level_1_and_the_basic_steps_first(new):
    """Unanswered counts 0, so every level 1 and every Basic step fails until answered: the
    higher ones are asked as the lower ones are met."""
    skipped = skipped_items(new, {})
    asked_requirements = {r for r in new.requirements if r not in skipped}
    assert asked_requirements == {r.id for r in new.requirements.values() if r.level == 1}
    asked_steps = {s for s in new.steps if s not in skipped}
    assert asked_steps == {s.id for s in new.steps.values() if s.level == "basic"}


def test_level_2_opens_once_level_1_is_at_least_partly_met(new):
    opened = skipped_items(new, {"data.1": Answer("partial")})
    assert "data.2" not in opened and "data.3" in opened
    assert opened["data.3"].kind == "sub_domain_below" and opened["data.3"].level == 2


def test_answering_a_lower_item_cannot_lower_the_result_any_more(real, new):
    """Issue 13's constructed case: everything fully met except data.1, unanswered.

    2025.1 (decided): data's level 1 is undecided, so its levels 2-5 count (1 each); L1 =
    1 - .2 x .4 = .92 (data weighs .08), L2-L5 = 1 -> S = 4.92 -> level 5. Answering data.1
    不满足 decides level 1 at 0 < .5 and folds data 2-5: L1-L5 = .92 -> S = 4.6 -> level 4.
    One more answer, one level lower.

    2026.1 (progressive): the unanswered data.1 already counts 0 and folds data 2-5, so the
    result is 4.6 / level 4 before and after; answering it 全部满足 opens data 2-5 again."""
    for q, before, after in ((real, (4.92, 5), (4.6, 4)), (new, (4.6, 4), (4.6, 4))):
        given = enterprise(q, dict.fromkeys(range(1, 6), "full"), {}, LEADING)
        del given["data.1"]
        unanswered = score(q, given).cmmm
        answered = score(q, {**given, "data.1": Answer("none")}).cmmm
        assert (unanswered.total_score, unanswered.level) == before
        assert (answered.total_score, answered.level) == after
    full = score(new, {**given, "data.1": Answer("full")}).cmmm
    assert (full.total_score, full.level) == (5.0, 5)


def test_a_step_at_excellent_needs_full_and_folds_the_leading_steps_otherwise(new):
    given = {
        "s10.basic": Answer("most"),
        "s10.advanced": Answer("most"),
        "s10.excellent": Answer("most"),
        "s10.leading": Answer("full"),
    }
    skipped = skipped_items(new, given)
    assert skipped["s10.leading"].kind == "step_not_met"
    assert skipped["s10.leading"].level == "excellent"
    assert score(new, given).scenarios["s10_resilient_supply_chain"].level == "advanced"


def test_steps_that_do_not_apply_leave_their_level_to_the_steps_that_do(new):
    """Without products in the field, equipment O&M reaches Excellent on its own-equipment
    steps alone; with them, the field step at Excellent is needed too."""
    steps = {s: Answer("full") for s in ("s08.own.basic", "s08.own.advanced", "s08.own.excellent")}
    steps["s08.advanced"] = Answer("full")
    no_field = score(new, {"profile.products_in_field": Answer("no"), **steps})
    field = score(new, {"profile.products_in_field": Answer("yes"), **steps})
    assert no_field.scenarios["s08_equipment_om"].level == "excellent"
    assert field.scenarios["s08_equipment_om"].level == "advanced"
    assert no_field.items["s08.excellent"].status == "not_applicable"
