"""Small-cell suppression: primary, complementary, and a differencing attack that fails."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.suppression import SMALL, share, suppress_table, suppress_vector


def test_a_distribution_hides_small_cells_and_a_complement():
    """Levels 12 / 3 / 8 / 6 / 0: 3 and 0 are primary; the row then has 2 hidden: no complement."""
    masked = suppress_vector([12, 3, 8, 6, 0])
    assert masked.cells == ((12, None, 8, 6, None),)
    assert masked.total == 29


def test_a_single_small_cell_gets_a_complement_so_it_cannot_be_subtracted():
    """20 / 3 / 9 / 7: only 3 is small; total 39 - 20 - 9 - 7 would give it away: hide 7 too."""
    masked = suppress_vector([20, 3, 9, 7])
    assert masked.cells == ((20, None, 9, None),)


def test_a_group_of_fewer_than_five_is_hidden_whole():
    masked = suppress_vector([1, 2, 1])
    assert masked.cells == ((None, None, None),) and masked.total is None


def test_a_table_with_a_small_row():
    """City C has 4 enterprises: its row total and cells are hidden; its column cells then need
    complements in the other cities, and the row totals a second hidden entry."""
    counts = [[10, 6, 5], [7, 8, 9], [2, 1, 1]]
    masked = suppress_table(counts)
    assert masked.row_totals[2] is None
    assert masked.total == 49
    for line in _lines(masked):
        assert sum(1 for v in line if v is None) != 1


def _lines(masked):
    rows = [[*row, total] for row, total in zip(masked.cells, masked.row_totals, strict=True)]
    columns = [
        [row[c] for row in masked.cells] + [masked.column_totals[c]]
        for c in range(len(masked.column_totals))
    ]
    return [
        *rows,
        *columns,
        [*masked.row_totals, masked.total],
        [*masked.column_totals, masked.total],
    ]


def _possible_values(masked, counts, limit=12):
    """Brute force: every assignment of the hidden cells consistent with what is shown."""
    rows, columns = len(counts), len(counts[0])
    hidden = [(r, c) for r in range(rows) for c in range(columns) if masked.cells[r][c] is None]
    found = {cell: set() for cell in hidden}
    for guess in itertools.product(range(limit), repeat=len(hidden)):
        table = [list(row) for row in masked.cells]
        for (r, c), value in zip(hidden, guess, strict=True):
            table[r][c] = value
        ok = (
            all(
                masked.row_totals[r] is None or sum(table[r]) == masked.row_totals[r]
                for r in range(rows)
            )
            and all(
                masked.column_totals[c] is None
                or sum(table[r][c] for r in range(rows)) == masked.column_totals[c]
                for c in range(columns)
            )
            and (masked.total is None or sum(map(sum, table)) == masked.total)
        )
        # what an attacker also knows: a hidden cell is below 5 or was hidden as a complement
        if ok:
            for cell, value in zip(hidden, guess, strict=True):
                found[cell].add(value)
    return found


def test_a_differencing_attack_cannot_recover_any_hidden_cell():
    counts = [[9, 3, 6], [5, 7, 2]]
    masked = suppress_table(counts)
    possible = _possible_values(masked, counts)
    assert possible, "something must be hidden here"
    assert all(len(values) >= 2 for values in possible.values()), possible


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=5), min_size=1, max_size=5).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    )
)
def test_no_line_ever_has_exactly_one_hidden_entry(counts):
    masked = suppress_table(counts)
    for line in _lines(masked):
        assert sum(1 for v in line if v is None) != 1
    for r, row in enumerate(counts):
        for c, count in enumerate(row):
            if count < SMALL:
                assert masked.cells[r][c] is None


def test_shares_need_five_on_both_sides_of_the_split():
    assert share(12, 20) == 0.6
    assert share(3, 20) is None  # 3 enterprises at level 2+
    assert share(17, 20) is None  # 3 below: the complement is small
    assert share(3, 4) is None
