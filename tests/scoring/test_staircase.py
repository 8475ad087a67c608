"""The staircase: which items are still asked, and why the others are not."""

from __future__ import annotations

import pytest

from assess.scoring import missing_items, skipped_items
from tests.domain import answers

CASES = [
    # (answers, expected skipped item -> (kind, container, level))
    (
        {"a1.1": "none"},
        {"a1.2": ("sub_domain_below", "a1", 1), "a1.3": ("sub_domain_below", "a1", 1)},
    ),
    ({"a1.1": "partial"}, {}),  # .5 is not below .5
    ({"a1.1": "full", "a1.2": "none"}, {"a1.3": ("sub_domain_below", "a1", 2)}),
    ({"b1.1": "full", "b1.2a": "none"}, {}),  # b1.2b unanswered: not decided yet
    (
        {"b1.1": "full", "b1.2a": "none", "b1.2b": "partial"},
        {"b1.3": ("sub_domain_below", "b1", 2)},
    ),
    (
        {"b1.1": "full", "b1.2a": ("na", "x"), "b1.2b": "none"},
        {"b1.3": ("sub_domain_below", "b1", 2)},
    ),
    ({"b1.1": "full", "b1.2a": ("na", "x"), "b1.2b": ("na", "y")}, {}),  # nothing to judge
    ({"s1.basic": "partial"}, {"s1.advanced": ("step_not_met", "s1", "basic")}),
    ({"s1.basic": "most"}, {}),
    (
        {"s3.applies": ("no", "不销售")},
        {
            "s3.basic": ("scenario_not_applicable", "s3", None),
            "s3.advanced": ("scenario_not_applicable", "s3", None),
        },
    ),
    (
        {"p.design": "no"},
        {
            "a2.1": ("sub_domain_not_applicable", "a2", None),
            "a2.2": ("sub_domain_not_applicable", "a2", None),
            "a2.3": ("sub_domain_not_applicable", "a2", None),
            "s2.applies": ("scenario_not_applicable", "s2", None),
            "s2.basic": ("scenario_not_applicable", "s2", None),
            "s2.advanced": ("scenario_not_applicable", "s2", None),
        },
    ),
    ({"p.design": "yes", "s2.applies": "yes"}, {}),
]


@pytest.mark.parametrize(("given", "expected"), CASES)
def test_skipped_items(tiny, given, expected):
    skipped = skipped_items(tiny, answers(**given))
    assert {item: (s.kind, s.container, s.level) for item, s in skipped.items()} == expected


def test_missing_items_are_the_relevant_unanswered_ones_in_order(tiny):
    given = answers(
        **{"p.design": "no", "g.sound": "yes", "a1.1": "none", "s3.applies": ("no", "")}
    )
    missing = missing_items(tiny, given, skipped_items(tiny, given))
    assert missing == [
        "b1.1",
        "b1.2a",
        "b1.2b",
        "b1.3",
        "s1.applies",
        "s1.basic",
        "s1.advanced",
        "s3.applies",
    ]


def test_not_applicable_without_reason_is_missing(tiny):
    given = answers(**{"a1.1": ("na", "")})
    assert "a1.1" in missing_items(tiny, given, skipped_items(tiny, given))
    given = answers(**{"a1.1": ("na", "仅外协")})
    assert "a1.1" not in missing_items(tiny, given, skipped_items(tiny, given))
