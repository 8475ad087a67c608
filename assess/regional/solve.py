"""Deciding which entries a region and its sub-regions hide (rules 1 to 9 of
docs/suppression.md): one solve of a region alone (the country), or of a region's sub-regions
with the region's own pattern fixed. Pure: counts in, hidden entry names out.

Entries are numbered once per solve (the parent's, then each sub-region's in turn), and the
lines of a sub-region come from a template shared by every sub-region with the same entries,
so that a solve of 34 provinces' 400 entries each is a few list operations per line."""

from __future__ import annotations

from collections.abc import Iterable, Set
from functools import cache

from assess.regional.entries import KEEP, _lines, group_entry, groups
from assess.regional.suppression import SMALL, Solver
from assess.store.regional import RANKS

ROOT = "^"  # the parent's key in a solve of its sub-regions


def _bounded(found: Set[str], counts: dict[str, int], bounds: dict[str, str]) -> set[str]:
    """Gap entries shown while the level they are counted among is hidden: shown, a gap of 6
    beside a hidden Basic would say that Basic is 6 or more, and so narrow it down."""
    return {
        gap for gap, rank in bounds.items() if gap in counts and gap not in found and rank in found
    }


def _blocks(found: Set[str], counts: dict[str, int], public: dict[str, int]) -> set[str]:
    """Cells of a sector or size table to hide so that no block of hidden cells adds up to a
    small count. The whole table less one level's column and less one group's row outside that
    column is a block of cells whose sum is known when the region's total, the level's total,
    the group's total and the group's cell at that level are shown (52 - 38 - (23 - 12) = 3):
    its hidden cells must then add up to SMALL or more, not counting known enterprises (rule
    4), else the group's cell at that level is hidden too."""
    more: set[str] = set()
    if "n" in found:
        return more
    levels = LEVELS
    shown_levels = [v for v in range(len(levels)) if levels[v] not in found]
    for cells, totals in _tables(tuple(counts)):
        # per hidden cell: 1 and its rest; a block's sums are then the table's less a row's
        # and a column's, the pivot's put back (it is shown, so it adds nothing)
        hid = [[name in found for name in row] for row in cells]
        if not any(map(any, hid)):
            continue
        rest = [
            [
                counts[name] - public.get(name, 0) if h else 0
                for name, h in zip(row, flags, strict=True)
            ]
            for row, flags in zip(cells, hid, strict=True)
        ]
        all_hid, all_rest = sum(map(sum, hid)), sum(map(sum, rest))
        col_hid = [sum(row[v] for row in hid) for v in range(len(levels))]
        col_rest = [sum(row[v] for row in rest) for v in range(len(levels))]
        for k, total in enumerate(totals):
            if total in found:
                continue
            row_hid, row_rest = sum(hid[k]), sum(rest[k])
            for v in shown_levels:
                if hid[k][v]:
                    continue
                hidden = all_hid - row_hid - col_hid[v]
                if hidden and all_rest - row_rest - col_rest[v] < SMALL:
                    more.add(cells[k][v])
    return more


LEVELS = tuple(f"rank_{r}" for r in RANKS)


@cache
def _tables(names: tuple[str, ...]) -> tuple[tuple, ...]:
    """The sector and size tables of a region with these entries: each group's cells (one per
    level) and each group's total."""
    found = []
    for dimension in ("sector", "size"):
        keys = groups(names, dimension)
        cells = [[group_entry(dimension, key, level) for level in LEVELS] for key in keys]
        found.append((cells, [group_entry(dimension, key, "n") for key in keys]))
    return tuple(found)


def _template(names: tuple[str, ...]) -> list[list[int]]:
    """The lines of a region with these entries, as positions in `names`."""
    position = {name: i for i, name in enumerate(names)}
    return [[position[name] for name in line] for line in _lines(names)]


_TEMPLATES: dict[tuple[str, ...], list[list[int]]] = {}


def template(names: tuple[str, ...]) -> list[list[int]]:
    found = _TEMPLATES.get(names)
    if found is None:
        if len(_TEMPLATES) > 64:
            _TEMPLATES.clear()
        found = _TEMPLATES[names] = _template(names)
    return found


class _Problem:
    """The entries of one solve, numbered: (owner, name) per number, with counts, what is
    known of each (public), which are fixed, and the lines."""

    def __init__(self) -> None:
        self.owner: list[str] = []
        self.names: list[str] = []
        self.values: list[int] = []
        self.public: list[int] = []
        self.fixed: dict[int, bool] = {}
        self.soft: list[int] = []
        self.lines: list[list[int]] = []
        self.where: dict[str, tuple[int, dict[str, int]]] = {}  # owner: (base, position)

    def add(
        self, owner: str, counts: dict[str, int], public: dict[str, int], own_lines: bool = True
    ) -> None:
        """A region's entries, and its lines unless its entries are all fixed anyway."""
        names = tuple(counts)
        base = len(self.values)
        self.where[owner] = (base, {name: base + i for i, name in enumerate(names)})
        self.owner += [owner] * len(names)
        self.names += names
        self.values += counts.values()
        self.public += [public.get(name, 0) for name in names] if public else [0] * len(names)
        if own_lines:
            self.lines += [[base + i for i in line] for line in template(names)]

    def positions(self, owner: str, names: Iterable[str]) -> list[int]:
        position = self.where[owner][1]
        return [position[name] for name in names if name in position]

    def fix(self, owner: str, names: Iterable[str], hidden: bool) -> None:
        position = self.where[owner][1]
        self.fixed.update((position[name], hidden) for name in names if name in position)

    def soften(self, owner: str, names: Iterable[str]) -> None:
        position = self.where[owner][1]
        self.soft += [position[name] for name in names if name in position]

    def solver(self) -> Solver:
        return Solver(
            self.values,
            self.lines,
            self.fixed,
            self.public,
            self.soft,
            order=lambda i: ((True, self.owner[i]), (True, self.names[i])),
            distinct=True,
            keep=[KEEP.get(name, 0) for name in self.names],
        )

    def decided(self, solver: Solver) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {owner: set() for owner in self.where}
        for i in solver.hidden_entries():
            found[self.owner[i]].add(self.names[i])
        return {owner: frozenset(names) for owner, names in found.items()}


def solve_alone(
    counts: dict[str, int],
    forced: Iterable[str] = frozenset(),
    public: dict[str, int] | None = None,
    bounds: dict[str, str] | None = None,
    shown: Iterable[str] = frozenset(),
) -> frozenset[str]:
    """The hidden entries of a region decided on its own (the whole country). `forced`:
    entries hidden unless shown anyway (rule 6); `public`: what is known anyway (rule 4);
    `bounds`: gap entries hidden with the level they are counted among (gap_bounds);
    `shown`: entries always shown (headline figures, exact counts)."""
    problem = _Problem()
    problem.add(ROOT, counts, public or {})
    problem.fix(ROOT, shown, False)
    problem.soften(ROOT, forced)
    solver = problem.solver()
    while True:
        found = problem.decided(solver)[ROOT]
        extra = _bounded(found, counts, bounds or {}) | _blocks(found, counts, public or {})
        if not extra:
            return found
        solver.hide_more(problem.positions(ROOT, extra))


def solve_children(
    counts: dict[str, int],
    hidden: frozenset[str],
    children: dict[str, dict[str, int]],
    forced: dict[str, Iterable[str]] | None = None,
    public: dict[str, dict[str, int]] | None = None,
    bounds: dict[str, str] | None = None,
    shown: dict[str, Iterable[str]] | None = None,
) -> dict[str, frozenset[str]]:
    """The hidden entries of each sub-region, the parent's (counts, hidden) being fixed: every
    line inside a sub-region, and every parent entry with the sub-regions' same entries.
    `forced`: per sub-region, entries hidden unless shown anyway (rule 6); `public`: per
    sub-region, what is known anyway; `bounds`: gap entries hidden with the level they are
    counted among (gap_bounds); `shown`: per sub-region, entries always shown. When rules 8
    and 9 find more to hide, it is hidden for good and the solve goes on from there."""
    public = public or {}
    problem = _Problem()
    problem.add(ROOT, counts, {}, own_lines=False)  # fixed: its own lines decide nothing
    problem.fix(ROOT, counts, False)
    problem.fix(ROOT, hidden, True)
    for child, child_counts in children.items():
        problem.add(child, child_counts, public.get(child, {}))
    positions = {child: problem.where[child][1] for child in children}
    for name, parent in problem.where[ROOT][1].items():
        line = [positions[child][name] for child in children if name in positions[child]]
        problem.lines.append([*line, parent])
    for child in children:
        problem.fix(child, (shown or {}).get(child, ()), False)
        problem.soften(child, (forced or {}).get(child, ()))
    solver = problem.solver()
    while True:
        decided = problem.decided(solver)
        extra = []
        for child, child_counts in children.items():
            found = _bounded(decided[child], child_counts, bounds or {}) | _blocks(
                decided[child], child_counts, public.get(child, {})
            )
            extra += problem.positions(child, found)
        if not extra:
            return {child: decided[child] for child in children}
        solver.hide_more(extra)
