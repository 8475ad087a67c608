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
    soft: Iterable[Key] = (),
    keep: Mapping[Key, int] | None = None,
) -> set[Key]:
    """The entries to hide so that no line has exactly one hidden entry, and that the hidden
    parts of a line whose total is shown add up to at least SMALL.

    values: every entry's count; lines: groups of entries bound by a sum, the total last;
    fixed: entries already decided (True: hidden), never changed. public: how much of each
    entry is known anyway (enterprises that declared, or are listed by name with that figure,
    by their own choice): the rest is what is protected, so an entry whose rest is 1 to
    SMALL - 1 is hidden too, and hidden parts are counted by their rest. soft: entries to hide
    unless the same figure is fixed shown elsewhere (a line of two). keep: per entry, a
    priority: a complement is chosen among the entries of the lowest (merged categories are
    kept before their parts). Deterministic: the same input in the same order gives the same answer in every
    process (no iteration over sets).
    """
    keys = list(values)
    index = {key: i for i, key in enumerate(keys)}
    solver = Solver(
        [values[k] for k in keys],
        [[index[k] for k in line] for line in lines],
        {index[k]: v for k, v in (fixed or {}).items() if k in index},
        [(public or {}).get(k, 0) for k in keys] if public else None,
        [index[k] for k in soft if k in index],
        order=lambda i: _order(keys[i]),
        keep=[keep.get(k, 0) for k in keys] if keep else None,
    )
    return {keys[i] for i in solver.hidden_entries()}


class Solver:
    """hide() over entries numbered 0..n-1: lines of numbers, counts in a list.

    A line's hidden members and the rest they add up to are counted as entries get hidden, so
    that checking a line costs nothing and only the lines of a newly hidden entry are looked
    at again. `order(i)` breaks ties between equal entries (as _order does for keys);
    `distinct`: no line names an entry twice (the caller made them so). `hide_more` hides
    further entries and solves again from there."""

    def __init__(
        self, values, lines, fixed=None, public=None, soft=(), order=None, distinct=False, keep=None
    ):
        self.values = values
        n = len(values)
        fixed = fixed or {}
        parent = list(range(n))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        order = order or (lambda i: (i,))
        if not distinct:
            lines = [list(dict.fromkeys(line)) for line in lines]
        unions = False
        for line in lines:
            if len(line) == 2:  # the same figure twice: one state
                a, b = root(line[0]), root(line[1])
                if a != b:
                    low, high = sorted((a, b), key=order)
                    parent[high] = low
                    unions = True
        roots = [root(i) for i in range(n)] if unions else parent
        hidden, free = [False] * n, [True] * n
        rest = [v - k for v, k in zip(values, public, strict=True)] if public else list(values)
        if unions:  # a group's rest is its members' least
            for i in range(n):
                if roots[i] != i:
                    rest[roots[i]] = min(rest[roots[i]], rest[i])
        small = [
            count < SMALL or 0 < count - (public[i] if public else 0) < SMALL
            for i, count in enumerate(values)
        ]
        fixed_group: dict[int, bool] = {}
        for i, state in fixed.items():
            group = roots[i]
            if fixed_group.get(group, state) != state:
                raise ValueError(f"{i!r} is fixed both hidden and shown")
            fixed_group[group] = state
        for i in range(n):  # a free group is hidden when any of its members is small
            group = roots[i]
            if small[i]:
                hidden[group] = True
        for group, state in fixed_group.items():
            hidden[group], free[group] = state, False
        for i in soft:
            group = roots[i]
            if free[group]:
                hidden[group], free[group] = True, False
        groups, total_of, totals = [], [], [0] * n
        for line in lines:
            members = list(dict.fromkeys(roots[i] for i in line)) if unions else line
            total = roots[line[-1]]
            totals[total] += 1
            if len(members) > 1:
                for m in members:
                    if free[m]:
                        groups.append(members)
                        total_of.append(total)
                        break
        self.keep = keep or [0] * n  # shown rather than others when a complement is chosen
        self.roots, self.hidden, self.free, self.rest = roots, hidden, free, rest
        self.groups, self.total_of, self.totals, self.order = groups, total_of, totals, order
        lines_of: list[list[int]] = [[] for _ in range(n)]
        count, mass = [0] * len(groups), [0] * len(groups)  # hidden members of a line, their rest
        for j, members in enumerate(groups):
            for m in members:
                lines_of[m].append(j)
                if hidden[m]:
                    count[j] += 1
                    mass[j] += rest[m]
        self.lines_of, self.count, self.mass = lines_of, count, mass
        self._propagate(deque(range(len(groups))))

    def _propagate(self, queue: deque) -> None:
        groups, total_of, hidden, free, rest = (
            self.groups,
            self.total_of,
            self.hidden,
            self.free,
            self.rest,
        )
        queued = [False] * len(groups)
        for j in queue:
            queued[j] = True
        while queue:
            j = queue.popleft()
            queued[j] = False
            total = total_of[j]
            total_hidden = hidden[total]
            parts = self.count[j] - total_hidden
            alone = self.count[j] == 1
            small_mass = (
                parts > 0
                and not total_hidden
                and self.mass[j] - (rest[total] if total_hidden else 0) < SMALL
            )
            if not alone and not small_mass:
                continue
            choices = [m for m in groups[j] if free[m] and not hidden[m]]
            if not choices:
                if alone:
                    raise ValueError(f"no entry left to hide in line {groups[j]!r}")
                continue
            chosen = self._smallest(choices)
            for k in self._hide(chosen):
                if not queued[k]:
                    queued[k] = True
                    queue.append(k)

    def _smallest(self, choices: list[int]) -> int:
        """The smallest visible entry (it hides the least information), those to keep (merged
        categories, headline figures) last; of equal ones, the one that totals fewer lines (a
        total says more than its parts), then by order."""
        values, totals, keep = self.values, self.totals, self.keep
        best = min((keep[m], values[m], totals[m]) for m in choices)
        tied = [m for m in choices if (keep[m], values[m], totals[m]) == best]
        return tied[0] if len(tied) == 1 else min(tied, key=self.order)

    def hide_more(self, entries: Iterable[int]) -> None:
        """Hide these entries for good (as if fixed hidden) and solve again from there."""
        queue: deque = deque()
        for i in entries:
            group = self.roots[i]
            if not self.free[group] and not self.hidden[group]:
                continue  # the same figure is fixed shown (its region's parent decided it)
            self.free[group] = False
            if not self.hidden[group]:
                queue.extend(self._hide(group))
        self._propagate(deque(dict.fromkeys(queue)))

    def _hide(self, group: int) -> list[int]:
        self.hidden[group] = True
        lines = self.lines_of[group]
        for k in lines:
            self.count[k] += 1
            self.mass[k] += self.rest[group]
        return lines

    def hidden_entries(self) -> list[int]:
        return [i for i, group in enumerate(self.roots) if self.hidden[group]]


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
