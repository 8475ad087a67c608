"""The wizard's pages and its progress: scenarios in the seed's numbering, and an item total
that stays put while the user rates (assess/questionnaire/pages.py)."""

from __future__ import annotations

import random

from assess.demo.synthetic import answers_for_outcome
from assess.questionnaire import pages
from assess.questionnaire.loader import load_file
from assess.scoring import Answer, explain, missing_items, skipped_items
from tests.domain import NEW, REAL


def test_scenario_pages_follow_the_seed_numbering():
    for path, spans in ((NEW, ["1-4", "5-8", "9-12"]), (REAL, ["1-4", "5-8", "9-10"])):
        q = load_file(path)
        found = [p for p in pages.pages(q) if p.kind == "scenarios"]
        assert [p.id for p in found] == [f"scenarios-{span}" for span in spans]
        numbers = [q.scenario_map[s].number for p in found for s in p.scenarios]
        assert numbers == sorted(numbers) == list(range(1, len(q.scenarios.items) + 1))


def _progress(q, given):
    skipped = skipped_items(q, given)
    missing = missing_items(q, given, skipped)
    waiting = frozenset(i for i, s in skipped.items() if explain.waiting(q, s, given))
    return pages.progress(q, missing, skipped, waiting)


def test_the_total_stays_put_while_ratings_are_given_and_ends_at_100_percent():
    """Answering a whole 2026.1 assessment item by item in page order: once the profile and the
    scenarios' applicability are answered, the total never moves, whatever the ratings fold."""
    q = load_file(NEW)
    full = answers_for_outcome(q, random.Random(5), None, sector="machine_tools")
    shaping = {i for i in full if i.startswith("profile.") or i.endswith(".applies")}
    given = {i: full[i] for i in shaping}
    totals = set()
    for item_id in [i for p in pages.pages(q) for i in p.item_ids if i in full]:
        given[item_id] = full[item_id]
        totals.add(_progress(q, given).asked)
    assert len(totals) == 1
    final = _progress(q, given)
    assert (final.answered, final.percent) == (final.asked, 100)


def test_what_is_not_done_is_either_to_answer_or_decided_by_the_levels_below():
    """The page said "142 / 168" while 10 questions remained: the rest wait for the answers to
    the levels below them. By hand on 2026.1, with the profile and the scenarios' applicability
    answered: rating org_strategy.1 "fully met" answers one question and opens level 2, whose
    org_strategy.2 moves from "decided by the levels below" to "to answer"."""
    q = load_file(NEW)
    full = answers_for_outcome(q, random.Random(5), None, sector="machine_tools")
    given = {i: full[i] for i in full if i.startswith("profile.") or i.endswith(".applies")}
    before = _progress(q, given)
    after = _progress(q, {**given, "org_strategy.1": Answer("full")})
    assert before.to_answer == len(missing_items(q, given, skipped_items(q, given)))
    for found in (before, after):
        assert found.answered + found.to_answer + found.waiting == found.asked
    assert (after.answered, after.to_answer, after.waiting) == (
        before.answered + 1,
        before.to_answer,  # org_strategy.1 answered, org_strategy.2 now to answer
        before.waiting - 1,
    )
    assert after.figures() == {
        "answered": after.answered,
        "asked": after.asked,
        "to_answer": after.to_answer,
        "waiting": after.waiting,
        "percent": after.percent,
    }
