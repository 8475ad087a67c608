"""S as every page, JSON document and PDF shows it: one rounding (half up, to two decimals,
from the stored six-decimal value), worked by hand."""

from __future__ import annotations

import pytest

from assess.scoring.words import score_text, score_value


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (3.175, "3.18"),  # the card said 3.18, "%.2f" said 3.17 (3.175 is 3.17499… as a float)
        (2.665, "2.67"),  # half up, not half even (Babel's format_decimal said 2.66)
        (2.6555, "2.66"),
        (1.005, "1.01"),  # "%.2f" says 1.00
        (2.0, "2.00"),
        (0.0, "0.00"),
        (4.994999, "4.99"),
    ],
)
def test_s_is_shown_to_two_decimals_half_up_from_its_stored_value(stored, shown):
    assert score_text(stored) == shown
    assert score_value(stored) == float(shown)
