"""Small-cell suppression: primary, complementary, and a differencing attack that fails."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.regional.publication import (
    entries,
    group_entry,
    groups,
    lines,
    solve_alone,
    solve_children,
)
from assess.regional.solve import _blocks
from assess.regional.suppression import SMALL, hide, suppress_table, suppress_vector
from tests.domain import BOUNDS, region_row


def test_a_distribution_hides_small_cells_and_a_complement():
    """Levels 12 / 3 / 8 / 6 / 0: 3 and 0 are primary. Two hidden, but with the total 29 shown
    they add up to 29 - 12 - 8 - 6 = 3, a small count: the smallest shown, 6, is hidden too."""
    masked = suppress_vector([12, 3, 8, 6, 0])
    assert masked.cells == ((12, None, 8, None, None),)
    assert masked.total == 29


def test_hidden_zeros_do_not_tell_where_everyone_is():
    """Five enterprises, all below Basic: hiding the four zeros alone would say so (the hidden
    levels add up to 5 - 5 = 0). The 5 is hidden with them; the total stays."""
    masked = suppress_vector([5, 0, 0, 0, 0])
    assert masked.cells == ((None, None, None, None, None),)
    assert masked.total == 5


def test_hidden_parts_may_add_up_to_five_or_more():
    """20 / 3 / 9 / 7: 3 is small; a complement is needed and 7 is the smallest; the two hidden
    add up to 10: nothing more is hidden."""
    assert suppress_vector([20, 3, 9, 7]).cells == ((20, None, 9, None),)


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
    # and where a line's total is shown, its hidden parts add up to 0 (none) or at least 5
    values = [[*row, sum(row)] for row in counts]
    for r, row in enumerate(masked.cells):
        if masked.row_totals[r] is not None:
            mass = sum(values[r][c] for c, v in enumerate(row) if v is None)
            assert mass >= SMALL or all(v is not None for v in row)
    for r, row in enumerate(counts):
        for c, count in enumerate(row):
            if count < SMALL:
                assert masked.cells[r][c] is None


def test_fixed_entries_keep_their_state_and_the_complement_comes_from_the_others():
    """a = 3 is small; the total t was published elsewhere: the complement is b, not t."""
    found = hide({"a": 3, "b": 10, "c": 12, "t": 25}, [("a", "b", "c", "t")], {"t": False})
    assert found == {"a", "b"}


def test_a_line_of_two_is_one_figure_hidden_together():
    """t (11) is the same figure as u, hidden in another table: t is hidden, and then a (2)
    and t are the two hidden entries of their line: b stays."""
    values = {"a": 2, "b": 9, "t": 11, "u": 11}
    assert hide(values, [("a", "b", "t"), ("t", "u")], {"u": True}) == {"a", "t", "u"}


def test_of_equal_entries_the_part_is_hidden_rather_than_the_total():
    """No one verified: self-assessed 18 equals the total 18; the total stays published."""
    found = hide({"self": 18, "verified": 0, "n": 18}, [("self", "verified", "n")])
    assert found == {"self", "verified"}


def test_one_figure_fixed_both_hidden_and_shown_is_refused():
    with pytest.raises(ValueError, match="fixed both hidden and shown"):
        hide({"x": 7, "y": 7}, [("x", "y")], {"x": True, "y": False})


# A population for the region tree: (city, sector, gradient rank, cmmm level, verified, gaps).
ENTERPRISE = st.tuples(
    st.sampled_from(["a", "b", "c"]),
    st.sampled_from(["rail", "tools"]),
    st.integers(0, 4),
    st.integers(0, 5),
    st.booleans(),
    st.sets(st.sampled_from(["r1", "r2"])),
)


def _row(enterprises: list[tuple]) -> dict:
    return region_row(enterprises)


def test_a_rule_gap_is_hidden_with_the_level_it_is_counted_among():
    """30 enterprises: 20 below Basic, 8 at Basic, 2 at Advanced; 6 of the 8 miss Advanced's rule
    r2. Advanced (2) is hidden, and with Excellent and Leading (0) it would leave a hidden sum of
    2: Basic (8) goes too. Shown, the gap of 6 would say Basic is 6 or more, so that Basic and
    Advanced together, 10 less what is shown, put Advanced at 4 at most: it is hidden with it."""
    population = [("a", "rail", 0, 1, False, {"r1"})] * 20
    population += [("a", "rail", 1, 2, False, {"r2"})] * 6 + [("a", "rail", 1, 2, False, set())] * 2
    population += [("a", "rail", 2, 3, False, set())] * 2
    counts = entries(_row(population), ["r1", "r2"], 1)[0]
    assert (counts["rank_1"], counts["gap_r2"], counts["gap_r1"]) == (8, 6, 20)
    without = solve_alone(counts)
    assert "rank_1" in without and "gap_r2" not in without  # the floor that gives it away
    hidden = solve_alone(counts, bounds=BOUNDS)
    assert {"rank_1", "gap_r2"} <= hidden
    assert "rank_0" not in hidden and "gap_r1" not in hidden  # 20 and 20: nothing to hide


def small_blocks(hidden, counts) -> list:
    """Rule 9 checked cell by cell: the blocks of a sector table (every group but one, every
    level but one) whose sum the shown totals give away and whose hidden cells add up to 1-4."""
    found = []
    levels = [f"rank_{r}" for r in range(5)]
    keys = groups(counts, "sector")
    for row in keys:
        for level in levels:
            known = ("n", level, group_entry("sector", row, "n"), group_entry("sector", row, level))
            if any(name in hidden for name in known):
                continue
            cells = [
                group_entry("sector", key, other)
                for key in keys
                if key != row
                for other in levels
                if other != level
            ]
            hidden_cells = [cell for cell in cells if cell in hidden]
            if hidden_cells and sum(counts[cell] for cell in hidden_cells) < SMALL:
                found.append((row, level))
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(ENTERPRISE, min_size=1, max_size=40))
def test_a_region_and_its_sub_regions_never_leave_one_hidden_entry_in_a_line(population):
    """The country solved alone, then its cities with the country fixed: every small entry is
    hidden, the country's pattern is kept, and no line inside a city or across the cities
    (the country's figure being their sum) has exactly one hidden entry."""
    cities = {
        city: entries(_row([e for e in population if e[0] == city]), ["r1", "r2"], 1)[0]
        for city in sorted({e[0] for e in population})
    }
    country = entries(_row(population), ["r1", "r2"], 1)[0]
    country_hidden = solve_alone(country, bounds=BOUNDS)
    hidden = solve_children(country, country_hidden, cities, bounds=BOUNDS)
    assert not small_blocks(country_hidden, country)  # no block of hidden cells left small
    assert not any(small_blocks(hidden[c], cities[c]) for c in cities)
    for gap, rank in BOUNDS.items():
        assert rank not in country_hidden or gap in country_hidden
        assert all(rank not in hidden[c] or gap in hidden[c] for c in cities)
    for city, counts in cities.items():
        assert {name for name, n in counts.items() if n < SMALL} <= hidden[city]
        for line in lines(counts):
            assert sum(name in hidden[city] for name in line) != 1, (city, line)
            *parts, total = line
            mass = sum(counts[p] for p in parts if p in hidden[city])
            if total not in hidden[city] and any(p in hidden[city] for p in parts):
                assert mass >= SMALL, (city, line)
    for line in lines(country):
        assert sum(name in country_hidden for name in line) != 1, line
    for name in country:
        line = [name in hidden[c] for c in cities if name in cities[c]]
        line.append(name in country_hidden)
        assert sum(line) != 1, name


def test_a_block_of_hidden_cells_that_two_lines_give_away_is_not_left_small():
    """Zhejiang, as a review found it: 52 enterprises, 38 below Basic; small ones: 23, of which
    12 below Basic. Shown, those four give the block of the other sizes above Basic: 52 - 38 -
    (23 - 12) = 3, twelve hidden cells that add up to 3. The small ones below Basic are hidden
    too, so the block's sum is no longer known."""
    population = [("a", "small", 0, 1, False, set())] * 12
    population += [("a", "small", 1, 2, False, set())] * 4 + [
        ("a", "small", 2, 2, False, set())
    ] * 4
    population += [("a", "small", 3, 3, False, set())] * 3
    population += [("a", "large", 0, 1, False, set())] * 10 + [("a", "large", 2, 2, False, set())]
    population += [("a", "medium", 0, 1, False, set())] * 9 + [
        ("a", "medium", 1, 2, False, set())
    ] * 2
    population += [("a", "micro", 0, 1, False, set())] * 7
    row = _row(population)
    row["groups"] = {
        ("size", size): {
            "enterprises": sum(e[1] == size for e in population),
            **{f"rank_{r}": sum(e[1] == size and e[2] == r for e in population) for r in range(5)},
        }
        for size in ("large", "medium", "small", "micro")
    }
    counts = entries(row, ["r1", "r2"], 1)[0]
    assert (counts["n"], counts["rank_0"], counts["size:small|n"]) == (52, 38, 23)
    pieces = ("n", "rank_0", "size:small|n", "size:small|rank_0")
    block = [f"size:{s}|rank_{r}" for s in ("large", "medium", "micro") for r in range(1, 5)]
    assert sum(counts[c] for c in block) == 3
    # rule 9 on its own: with the four pieces shown and the block hidden, the small ones below
    # Basic are hidden too
    assert "size:small|rank_0" in _blocks(set(block), counts, {})
    # since Basic or above is published per size too, that block is also a line (Basic or
    # above, less the small ones'): the lines alone hide a piece, and the solve does
    assert any(name in hide(counts, lines(counts)) for name in pieces)
    assert any(name in solve_alone(counts) for name in pieces)
