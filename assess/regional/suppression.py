"""Small-cell suppression for regional aggregates. Pure: counts in, what may be shown out.

A published figure is an *entry*; a *line* is a group of entries one of which is the sum of the
others (a row with its total, a column with its total, a region with its sub-regions, a
distribution with a partial sum such as "level 2 or above"). Every entry below SMALL is hidden
(shown "×"), then complements: while a line has exactly one hidden entry, that entry would be
its total minus the others; and while the hidden parts of a line whose total is shown add up to
less than SMALL, their sum is itself a small count (a sum of 0 says that every hidden part is 0,
and so that every enterprise is in the parts shown). Either way the smallest visible entry of
the line is hidden too (of equal ones, the one that totals fewer lines: a total says more than
its parts). A line's last entry is its total. A line of two entries says that they are the same
figure: they are hidden together.

Entries decided earlier (in another table, or in a region's parent) can be passed as fixed:
they keep their state and complements are found among the other entries.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

SMALL = 5

Key = Hashable


def hide(
    values: Mapping[Key, int],
    lines: Iterable[Sequence[Key]],
    fixed: Mapping[Key, bool] | None = None,
    public: Mapping[Key, int] | None = None,
) -> set[Key]:
    """The entries to hide so that no line has exactly one hidden entry, and that the hidden
    parts of a line whose total is shown add up to at least SMALL.

    values: every entry's count; lines: groups of entries bound by a sum, the total last;
    fixed: entries already decided (True: hidden), never changed. public: how much of each
    entry is known anyway (enterprises listed by name with that figure, by their own choice):
    the rest is what is protected, so an entry whose rest is 1 to SMALL - 1 is hidden too, and
    hidden parts are counted by their rest. Deterministic: the same input in the same order
    gives the same answer in every process (no iteration over sets).
    """
    fixed = fixed or {}
    public = public or {}
    lines = [tuple(dict.fromkeys(line)) for line in lines]
    # Entries that are the same figure (a line of two) share one state: union them.
    parent: dict[Key, Key] = {key: key for key in values}

    def root(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for line in lines:
        if len(line) == 2:
            a, b = root(line[0]), root(line[1])
            if a != b:
                parent[max(a, b, key=_order)] = min(a, b, key=_order)
    hidden: dict[Key, bool] = {}
    free: dict[Key, bool] = {}
    rest: dict[Key, int] = {}  # per group: the count less what is known anyway

    def small(key: Key, count: int) -> bool:
        return count < SMALL or 0 < count - public.get(key, 0) < SMALL

    for key, count in values.items():
        group = root(key)
        rest[group] = min(rest.get(group, count), count - public.get(key, 0))
        if key in fixed:
            if group in hidden and not free[group] and hidden[group] != fixed[key]:
                raise ValueError(f"{key!r} is fixed both hidden and shown")
            hidden[group], free[group] = fixed[key], False
        elif group not in hidden:
            hidden[group], free[group] = small(key, count), True
        elif free[group]:
            hidden[group] = hidden[group] or small(key, count)
    groups: list[tuple[Key, ...]] = []
    total_of: list[Key] = []  # each group's total
    for line in lines:
        members = tuple(dict.fromkeys(root(key) for key in line))
        if len(members) > 1 and any(free[m] for m in members):
            groups.append(members)
            total_of.append(root(line[-1]))
    totals: dict[Key, int] = {}  # how many lines each entry is the total of
    for line in lines:
        totals[root(line[-1])] = totals.get(root(line[-1]), 0) + 1
    lines_of: dict[Key, list[int]] = {}
    for i, members in enumerate(groups):
        for member in members:
            lines_of.setdefault(member, []).append(i)
    queue, queued = deque(range(len(groups))), [True] * len(groups)
    while queue:
        i = queue.popleft()
        queued[i] = False
        members, total = groups[i], total_of[i]
        hidden_parts = [m for m in members if hidden[m] and m != total]
        alone = sum(1 for m in members if hidden[m]) == 1
        # With the total shown, the hidden parts add up to a known figure: it must not be a
        # small count either (0 would say that each hidden part is 0).
        small_mass = (
            bool(hidden_parts) and not hidden[total] and sum(rest[m] for m in hidden_parts) < SMALL
        )
        if not alone and not small_mass:
            continue
        choices = [m for m in members if free[m] and not hidden[m]]
        if not choices:
            if alone:
                raise ValueError(f"no entry left to hide in line {members!r}")
            continue
        # the smallest visible entry: it hides the least information
        chosen = min(choices, key=lambda m: (values[m], totals.get(m, 0), _order(m)))
        hidden[chosen] = True
        for j in lines_of[chosen]:
            if not queued[j]:
                queued[j] = True
                queue.append(j)
    return {key for key in values if hidden[root(key)]}


def _order(key: Key) -> tuple:
    """A total order on keys of mixed shapes (tuples of str and int), for tie-breaking."""
    return (
        tuple((isinstance(part, str), part) for part in key) if isinstance(key, tuple) else (key,)
    )


@dataclass(frozen=True)
class Masked:
    """A table of counts with row, column and grand totals; None marks a hidden entry."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    total: int | None


def table_lines(rows: int, columns: int) -> list[list[tuple]]:
    """The lines of a rows x columns table with its totals, in keys ("c", r, c) for cells,
    ("r", r) row totals, ("k", c) column totals and ("t",) the grand total."""
    lines = [[("c", r, c) for c in range(columns)] + [("r", r)] for r in range(rows)]
    lines += [[("c", r, c) for r in range(rows)] + [("k", c)] for c in range(columns)]
    lines.append([("r", r) for r in range(rows)] + [("t",)])
    lines.append([("k", c) for c in range(columns)] + [("t",)])
    return lines


def table_values(counts: list[list[int]]) -> dict[tuple, int]:
    """The entries of a table with its totals, in the keys of table_lines."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    value = {("c", r, c): counts[r][c] for r in range(rows) for c in range(columns)}
    value.update({("r", r): sum(counts[r]) for r in range(rows)})
    value.update({("k", c): sum(counts[r][c] for r in range(rows)) for c in range(columns)})
    value[("t",)] = sum(map(sum, counts))
    return value


def mask(counts: list[list[int]], hidden: set) -> Masked:
    """A table with its totals, the entries in `hidden` (table_lines keys) as None."""
    value = table_values(counts)

    def shown(key):
        return None if key in hidden else value[key]

    rows, columns = len(counts), len(counts[0]) if counts else 0
    return Masked(
        cells=tuple(tuple(shown(("c", r, c)) for c in range(columns)) for r in range(rows)),
        row_totals=tuple(shown(("r", r)) for r in range(rows)),
        column_totals=tuple(shown(("k", c)) for c in range(columns)),
        total=shown(("t",)),
    )


def suppress_table(counts: list[list[int]], fixed: dict | None = None) -> Masked:
    """Hide small counts, then complements, in a rows x columns table with its totals.

    fixed: totals already decided elsewhere (table_lines keys, True: hidden), e.g. the column
    totals of a breakdown, which are the region's own distribution."""
    rows, columns = len(counts), len(counts[0]) if counts else 0
    return mask(counts, hide(table_values(counts), table_lines(rows, columns), fixed))


def suppress_vector(counts: list[int]) -> Masked:
    """One distribution (a single row) with its total."""
    return suppress_table([counts])


def mean(total: float, count: int) -> float | None:
    return total / count if count >= SMALL else None
