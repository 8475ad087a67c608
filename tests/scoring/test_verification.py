"""What "verified on site" means, from worked examples: on site and at least 80 % of the rated
answers verified (assess/scoring/verification.py)."""

from __future__ import annotations

import pytest

from assess.scoring.verification import MIN_COVERAGE, coverage, verified_on_site


@pytest.mark.parametrize(
    ("mode", "verified", "rated", "expected"),
    [
        ("consultant", 0, 117, False),  # the review's 72 of 73: on site, nothing verified
        ("consultant", 93, 117, False),  # 79.5 %: below the bar
        ("consultant", 94, 117, True),  # 80.3 %
        ("consultant", 80, 100, True),  # at the bar
        ("consultant", 0, 0, False),  # nothing rated is nothing verified
        ("self", 117, 117, False),  # a self-assessment is never verified on site
    ],
)
def test_verified_on_site_needs_on_site_and_enough_answers_verified(
    mode, verified, rated, expected
):
    assert verified_on_site(mode, verified, rated) is expected


def test_the_bar_is_the_level_bar_of_gb_t_39117_and_can_be_set():
    assert (MIN_COVERAGE, coverage(47, 94), coverage(0, 0)) == (0.8, 0.5, 0.0)
    assert verified_on_site("consultant", 47, 94, min_coverage=0.5)
