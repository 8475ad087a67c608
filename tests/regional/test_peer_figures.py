"""What a report may show of a peer group's quarterly snapshots (assess/regional/peer_figures.py):
worked examples, without an app."""

from __future__ import annotations

from datetime import date

from assess.regional.peer_figures import Shown, shown, snapshot_periods


def snapshot(period: str, ranks: tuple[int, ...], below: int = 0, above: int = 0) -> dict:
    """A group's snapshot: counts per gradient rank; `below` enterprises with S = 1.0 and
    `above` with S = 3.0 (the rest have S = 2.0)."""
    scores = [0] * 101
    total = sum(ranks)
    scores[20], scores[60] = below, above
    scores[40] = total - below - above
    return {"period": period, "enterprises": total, "ranks": ranks, "scores": tuple(scores)}


def test_the_latest_quarter_is_shown_with_its_date():
    """45 enterprises: 32 below Basic, 8 Basic, 5 Advanced, none higher (0 and 0 are small; as
    they add up to 0, the smallest shown count, 5, is hidden with them)."""
    history = [snapshot("2026-09-30", (32, 8, 5, 0, 0), below=10, above=10)]
    assert shown(history, own_score=2.0) == Shown("2026-09-30", 45, (32, 8, None, None, None), 10)


def test_a_total_that_moved_by_one_to_four_keeps_the_figures_shown_before():
    """45 then 46: the 46th enterprise's level would show; the report stays on 30 June. At 51
    (6 more than shown, all below Basic) the new quarter is shown."""
    june = snapshot("2026-06-30", (32, 8, 5, 0, 0), below=10, above=10)
    september = snapshot("2026-09-30", (33, 8, 5, 0, 0), below=10, above=10)
    december = snapshot("2026-12-31", (38, 8, 5, 0, 0), below=16, above=10)
    assert shown([june, september], 2.0).as_of == "2026-06-30"
    assert shown([june, september, december], 2.0) == Shown(
        "2026-12-31", 51, (38, 8, None, None, None), 16
    )


def test_a_level_that_moved_by_one_to_four_is_hidden():
    """The same 50 enterprises, one moved from below Basic to Basic: both counts moved by one
    and are hidden (with the zeros, small); hidden, they add up to 41, so 9 may stay. When 8
    came below Basic instead (38, moved by 8), nothing moved by a little."""
    before = snapshot("2026-06-30", (30, 11, 9, 0, 0), below=10, above=10)
    after = snapshot("2026-09-30", (29, 12, 9, 0, 0), below=10, above=10)
    figures = shown([before, after], 2.0)
    assert figures.as_of == "2026-09-30" and figures.ranks == (None, None, 9, None, None)
    grown = snapshot("2026-09-30", (38, 11, 9, 0, 0), below=10, above=10)
    assert shown([before, grown], 2.0).ranks == (38, 11, None, None, None)


def test_where_the_enterprise_stands_needs_five_on_each_side_and_a_move_of_five():
    one = snapshot("2026-06-30", (30, 11, 9, 0, 0), below=4, above=10)
    assert shown([one], 2.0).lower is None  # 4 below: too few
    assert shown([one], 3.5).lower is None  # 50 below, 0 not below
    assert shown([one], 3.0).lower == 50 - 10  # S 3.0: the 40 below 3.0
    two = snapshot("2026-09-30", (33, 11, 9, 2, 0), below=6, above=10)
    assert shown([one, two], 2.0).lower is None  # 4 then 6 below: moved by two
    assert shown([two], 2.0).lower == 6


def test_a_group_of_fewer_than_five_is_not_shown():
    assert shown([snapshot("2026-09-30", (3, 1, 0, 0, 0))], 2.0) is None
    assert shown([], 2.0) is None


def test_snapshots_are_made_for_every_quarter_end_since_the_plan_began():
    assert snapshot_periods(date(2025, 3, 31)) == []  # made once the quarter is over
    assert snapshot_periods(date(2025, 4, 1)) == ["2025-03-31"]
    assert snapshot_periods(date(2026, 12, 6)) == [
        "2025-03-31",
        "2025-06-30",
        "2025-09-30",
        "2025-12-31",
        "2026-03-31",
        "2026-06-30",
        "2026-09-30",
    ]
