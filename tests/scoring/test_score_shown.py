"""S (and a level's score) as every page, JSON document and PDF shows it: one rounding (down, to
two decimals, from the stored six-decimal value), worked by hand, and the property that the shown
figure never crosses a band boundary or the 0.8 bar that the stored score did not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.scoring.cmmm import band_level
from assess.scoring.words import score_text, score_value


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (1.796, "1.79"),  # level 1 (its band ends at 1.8): half up showed 1.80 beside "level 1"
        (0.799999, "0.79"),  # a level's score just under the 0.8 bar is not shown reaching it
        (2.799, "2.79"),
        (1.79, "1.79"),  # 1.79 is 1.78999… as a float: the stored decimal decides, not the float
        (3.175, "3.17"),
        (1.8, "1.80"),
        (2.0, "2.00"),
        (0.0, "0.00"),
        (4.999999, "4.99"),
        (5.0, "5.00"),
    ],
)
def test_s_is_shown_to_two_decimals_rounded_down_from_its_stored_value(stored, shown):
    assert score_text(stored) == shown
    assert score_value(stored) == float(shown)


SIX_DECIMALS = st.integers(min_value=0, max_value=5_000_000).map(lambda n: round(n / 1e6, 6))


@given(stored=SIX_DECIMALS)
def test_the_shown_s_is_in_the_band_of_the_stored_s(new, stored):
    assert band_level(new, score_value(stored)) == band_level(new, stored)
    assert (score_value(stored) >= 0.8) == (stored >= 0.8)
    assert 0 <= stored - score_value(stored) < 0.01
