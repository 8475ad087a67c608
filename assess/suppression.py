"""Small-cell suppression for regional aggregates. Pure: counts in, what may be shown out.

Every cell, total and share built from fewer than SMALL enterprises is hidden (shown "<5"), and
then enough further cells are hidden (complementary suppression) that no hidden cell can be got
back by subtracting visible cells from a visible total: in every row and column, with their
totals, either nothing is hidden or at least two entries are.
"""

from __future__ import annotations

from dataclasses import dataclass

SMALL = 5


@dataclass(frozen=True)
class Masked:
    """A table of counts with row, column and grand totals; None marks a hidden entry."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None


def suppress_table(counts: list[list[int]]) -> Masked:
    """Hide small counts, then complements, in a rows x columns table with its totals."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    row_totals = [sum(row) for row in counts]
    column_totals = [sum(counts[r][c] for r in range(rows)) for c in range(columns)]
    total = sum(row_totals)
    # Entries: ("c", r, c) cells, ("r", r) row totals, ("k", c) column totals, ("t",) the total.
    value = {("c", r, c): counts[r][c] for r in range(rows) for c in range(columns)}
    value.update({("r", r): row_totals[r] for r in range(rows)})
    value.update({("k", c): column_totals[c] for c in range(columns)})
    value[("t",)] = total
    hidden = {key for key, count in value.items() if count < SMALL}
    lines = [[("c", r, c) for c in range(columns)] + [("r", r)] for r in range(rows)]
    lines += [[("c", r, c) for r in range(rows)] + [("k", c)] for c in range(columns)]
    lines.append([("r", r) for r in range(rows)] + [("t",)])
    lines.append([("k", c) for c in range(columns)] + [("t",)])
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in hidden) == 1:
                visible = [key for key in line if key not in hidden]
                # the smallest visible entry: it hides the least information
                hidden.add(min(visible, key=lambda key: (value[key], key)))
                changed = True

    def shown(key):
        return None if key in hidden else value[key]

    return Masked(
        cells=tuple(tuple(shown(("c", r, c)) for c in range(columns)) for r in range(rows)),
        row_totals=tuple(shown(("r", r)) for r in range(rows)),
        column_totals=tuple(shown(("k", c)) for c in range(columns)),
        total=shown(("t",)),
    )


def suppress_vector(counts: list[int]) -> Masked:
    """One distribution (a single row) with its total."""
    return suppress_table([counts])


def share(part: int, whole: int) -> float | None:
    """part / whole, hidden when either side of the split is built from fewer than SMALL."""
    if whole < SMALL or part < SMALL or whole - part < SMALL:
        return None
    return part / whole


def mean(total: float, count: int) -> float | None:
    return total / count if count >= SMALL else None
