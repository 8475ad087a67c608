"""An indicator's figure as pages, the report and the dossier show it: at most two decimals, as
the statistics publish it, worked by hand."""

from __future__ import annotations

import pytest

from assess.scoring.indicators import figure_text


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (12.345, "12.35"),  # the demo's figures showed three decimals: 12.345 万元/人·年
        (1.005, "1.01"),  # half up from the decimal text, not the binary float ("%.2f": 1.00)
        (0.125, "0.13"),
        (3.5, "3.5"),
        (12.0, "12"),
        (0.004, "0"),
        (98765.4321, "98765.43"),
    ],
)
def test_an_indicator_is_shown_to_at_most_two_decimals(stored, shown):
    assert figure_text(stored) == shown
