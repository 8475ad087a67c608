"""Small-cell suppression that holds across the region tree: country, province, city, county,
park. What one dashboard hides, no other dashboard shows.

Every figure of a region that adds up over its sub-regions is an entry: the enterprises (n),
per smart-factory level, per capability maturity level, level 2 or above and below it,
Excellent or Leading, self-assessed and verified, each scenario's adoption, each rule gap, the
enterprises one rule from the next level, per sector and per size the enterprises at each level,
and per completed quarter the re-assessments (how many, level 2 or above and below, moved up,
stayed, moved down). Lines bind them: a distribution with its total and its partial sums, the
rows and columns of the sector and size tables, and a region with its sub-regions, entry by
entry.

A region's entries are decided once, with its siblings', when its parent is solved, the parent's
own entries being fixed by then (the country is solved alone first). So the cells hidden for a
city in its province's table are hidden in the city's own dashboard, and in the column totals of
the city's own tables, which are the same figures. A solve depends only on the data, so every
process finds the same pattern; solves are cached by data version.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Set
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from assess.organisation.sizes import SIZES
from assess.questionnaire.definition import Questionnaire
from assess.regional import regions
from assess.regional.periods import last_complete_quarter, quarter_ends
from assess.regional.suppression import SMALL, hide
from assess.store import parks, patterns, regional
from assess.store.database import database_file
from assess.store.regional import CMMM_LEVELS, RANKS, Scope

ROOT = "^"  # the parent's key in a solve of its sub-regions


@dataclass(frozen=True)
class Figures:
    """A region's entries (counts), its score sums, and which entries are hidden."""

    counts: dict[str, int]
    sums: dict[str, float]
    hidden: frozenset[str]

    def shown(self, name: str) -> int | None:
        """An entry as it may be published: None when hidden."""
        return None if name in self.hidden else self.counts.get(name, 0)


@dataclass(frozen=True)
class Published:
    """A scope's own figures and its sub-regions' (code prefix or park id as key)."""

    own: Figures
    children: dict[str, Figures]


PLAN_START = "2025-Q1"  # the plan's first quarter: where the re-assessment table starts
GROUP_COUNTS = ("enterprises", *(f"rank_{r}" for r in RANKS))
QUARTER_COUNTS = ("assessments", "cmmm_2_plus", "up", "same", "down", "score_sum")


@dataclass(frozen=True)
class Shape:
    """The rows every region's tables have, whatever its data: every sector and size, every
    quarter since the plan began. A row left out when it is empty would say it is 0."""

    sectors: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    quarters: tuple[str, ...] = ()


def shape(q: Questionnaire, last_quarter: str) -> Shape:
    """The rows of the tables for a questionnaire, up to a period's last completed quarter."""
    return Shape(
        sectors=tuple(o.id for o in q.items["profile.sector"].options),
        sizes=SIZES,
        quarters=quarters_between(PLAN_START, last_quarter),
    )


def quarters_between(first: str, last: str) -> tuple[str, ...]:
    """The quarters from first to last, both included: 2025-Q4, 2026-Q1 -> both."""
    out = []
    year, quarter = int(first[:4]), int(first[-1])
    while f"{year}-Q{quarter}" <= last:
        out.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return tuple(out)


def entries(
    row: dict, rule_ids: list[str], scenario_count: int, rows: Shape = Shape()
) -> tuple[dict, dict]:
    """A region's entries and score sums from a store row (regional.sub_regions); `rows`:
    the sectors, sizes and quarters that have entries even when they are 0 (a quarter before
    the first is left out)."""
    c = row["counts"]
    n = c["enterprises"]
    counts = {"n": n, **{f"rank_{r}": c[f"rank_{r}"] for r in RANKS}}
    counts.update({f"cmmm_{level}": c[f"cmmm_{level}"] for level in CMMM_LEVELS})
    counts.update(
        cmmm_low=n - c["cmmm_2_plus"],
        cmmm_high=c["cmmm_2_plus"],
        excellent_plus=c["excellent_plus"],
        self=n - c["verified"],
        verified=c["verified"],
        one_step=c["one_step"],
    )
    for i in range(1, scenario_count + 1):
        counts.update({f"s{i}_{r}": c[f"s{i}_{r}"] for r in ("na", *RANKS)})
    counts.update({f"gap_{rule}": row["gaps"].get(rule, 0) for rule in rule_ids})
    found = row.get("groups", {})
    every = [("sector", key) for key in rows.sectors] + [("size", key) for key in rows.sizes]
    empty = dict.fromkeys(GROUP_COUNTS, 0)
    for (dimension, key), group in {**{g: empty for g in every}, **found}.items():
        counts[group_entry(dimension, key, "n")] = group["enterprises"]
        counts.update({group_entry(dimension, key, f"rank_{r}"): group[f"rank_{r}"] for r in RANKS})
    sums = {"score_sum": c["score_sum"]}
    quarters = {quarter: dict.fromkeys(QUARTER_COUNTS, 0) for quarter in rows.quarters}
    first = rows.quarters[0] if rows.quarters else ""
    quarters.update({k: v for k, v in row["quarters"].items() if k >= first})
    for quarter, q in sorted(quarters.items()):
        counts.update(
            {
                f"{quarter}/assessments": q["assessments"],
                f"{quarter}/high": q["cmmm_2_plus"],
                f"{quarter}/low": q["assessments"] - q["cmmm_2_plus"],
                f"{quarter}/up": q["up"],
                f"{quarter}/same": q["same"],
                f"{quarter}/down": q["down"],
            }
        )
        sums[f"{quarter}/score_sum"] = q["score_sum"]
    return counts, sums


def public_entries(row: dict) -> dict[str, int]:
    """How much of each entry the candidate list makes public: the enterprises it names (they
    agreed to be listed), by what it shows of them and by their sector and size."""
    public: dict[str, int] = {}
    for listed in row.get("listed", ()):
        n, rank, level = listed["n"], listed["rank"], listed["cmmm_level"]
        names = ["n", f"rank_{rank}", f"cmmm_{level}", "cmmm_high" if level >= 2 else "cmmm_low"]
        names.append("verified" if listed["mode"] == "consultant" else "self")
        names += ["excellent_plus"] if rank >= 3 else []
        if listed["one_step_gaps"]:  # the list names the one rule missing
            names.append("one_step")
            names += [f"gap_{rule}" for rule in listed["one_step_gaps"].strip(",").split(",")]
        for dimension in ("sector", "size"):
            names += [
                group_entry(dimension, listed[dimension], "n"),
                group_entry(dimension, listed[dimension], f"rank_{rank}"),
            ]
        for name in names:
            public[name] = public.get(name, 0) + n
    return public


def group_entry(dimension: str, key: str, name: str) -> str:
    """The entry of a sector's or a size's count: "sector:rail|rank_2", "size:small|n"."""
    return f"{dimension}:{key}|{name}"


def groups(counts: dict[str, int], dimension: str) -> list[str]:
    """The keys of a dimension's groups that a region has (sectors or sizes), sorted."""
    prefix = f"{dimension}:"
    return sorted({name[len(prefix) :].split("|")[0] for name in counts if name.startswith(prefix)})


def lines(counts: dict[str, int]) -> list[tuple[str, ...]]:
    """The lines inside one region's entries: each distribution with its total, each
    published partial sum with what it adds up and with its complement, and the sector and
    size tables (a group's ranks with its total; a rank over the groups; the groups' totals)."""
    ranks = tuple(f"rank_{r}" for r in RANKS)
    cmmm = tuple(f"cmmm_{level}" for level in CMMM_LEVELS)
    out = [
        (*ranks, "n"),
        (*ranks[3:], "excellent_plus"),
        (*ranks[:3], "excellent_plus", "n"),
        (*cmmm, "n"),
        (*cmmm[:2], "cmmm_low"),
        (*cmmm[2:], "cmmm_high"),
        ("cmmm_low", "cmmm_high", "n"),
        ("self", "verified", "n"),
    ]
    i = 1
    while f"s{i}_na" in counts:
        out.append((f"s{i}_na", *(f"s{i}_{r}" for r in RANKS), "n"))
        i += 1
    for dimension in ("sector", "size"):
        keys = groups(counts, dimension)
        if not keys:
            continue
        for key in keys:
            out.append(
                (*(group_entry(dimension, key, r) for r in ranks), group_entry(dimension, key, "n"))
            )
        for name in (*ranks, "n"):
            out.append((*(group_entry(dimension, key, name) for key in keys), name))
    for name in counts:
        if name.endswith("/assessments"):
            quarter = name.split("/")[0]
            out.append((f"{quarter}/high", f"{quarter}/low", name))
            out.append((f"{quarter}/up", f"{quarter}/same", f"{quarter}/down", name))
    return out


def gap_bounds(q: Questionnaire) -> dict[str, str]:
    """Each rule's gap entry and the entry it is counted among: a rule of a level is missed by
    enterprises one level below it, so its count is a floor under theirs."""
    return {
        f"gap_{rule.id}": f"rank_{rank - 1}"
        for rank, level in enumerate(q.gradient.levels, start=1)
        for rule in level.rules
    }


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
    its hidden cells must then add up to SMALL or more, not counting listed enterprises (rule 4),
    else the group's cell at that level is hidden too."""
    more = set()
    levels = [f"rank_{r}" for r in RANKS]
    if "n" in found:
        return more
    for dimension in ("sector", "size"):
        keys = groups(counts, dimension)
        # per hidden cell: 1 and its rest; a block's sums are then the table's less a row's
        # and a column's, the pivot's put back (it is shown, so it adds nothing)
        hid = {(k, v): group_entry(dimension, k, v) in found for k in keys for v in levels}
        rest = {
            cell: counts.get(name, 0) - public.get(name, 0) if hid[cell] else 0
            for cell in hid
            for name in (group_entry(dimension, *cell),)
        }
        all_hid, all_rest = sum(hid.values()), sum(rest.values())
        row_hid = {k: sum(hid[k, v] for v in levels) for k in keys}
        row_rest = {k: sum(rest[k, v] for v in levels) for k in keys}
        col_hid = {v: sum(hid[k, v] for k in keys) for v in levels}
        col_rest = {v: sum(rest[k, v] for k in keys) for v in levels}
        for row in keys:
            if group_entry(dimension, row, "n") in found:
                continue
            for level in levels:
                if level in found or hid[row, level]:
                    continue
                hidden = all_hid - row_hid[row] - col_hid[level]
                mass = all_rest - row_rest[row] - col_rest[level]
                if hidden and mass < SMALL:
                    more.add(group_entry(dimension, row, level))
    return more


def solve_alone(
    counts: dict[str, int],
    forced: frozenset[str] = frozenset(),
    public: dict[str, int] | None = None,
    bounds: dict[str, str] | None = None,
) -> frozenset[str]:
    """The hidden entries of a region decided on its own (the whole country); `forced`
    entries are hidden whatever their count; `public`: what the candidate list shows anyway;
    `bounds`: gap entries hidden with the level they are counted among (gap_bounds)."""
    forced = set(forced)
    while True:
        found = hide(counts, lines(counts), dict.fromkeys(forced, True), public)
        more = _bounded(found, counts, bounds or {}) | _blocks(found, counts, public or {})
        if not more:
            return frozenset(found)
        forced |= more


def solve_children(
    counts: dict[str, int],
    hidden: frozenset[str],
    children: dict[str, dict[str, int]],
    forced: dict[str, frozenset[str]] | None = None,
    public: dict[str, dict[str, int]] | None = None,
    bounds: dict[str, str] | None = None,
) -> dict[str, frozenset[str]]:
    """The hidden entries of each sub-region, the parent's (counts, hidden) being fixed: every
    line inside a sub-region, and every parent entry with the sub-regions' same entries.
    `forced`: per sub-region, entries hidden whatever their count; `public`: per sub-region,
    what the candidate list shows anyway; `bounds`: gap entries hidden with the level they are
    counted among (gap_bounds)."""
    values = {(ROOT, name): count for name, count in counts.items()}
    fixed = {(ROOT, name): name in hidden for name in counts}
    for child, names in (forced or {}).items():
        fixed.update(((child, name), True) for name in names)
    known = {
        (child, name): n for child, found in (public or {}).items() for name, n in found.items()
    }
    all_lines = []
    for child, child_counts in children.items():
        values.update({(child, name): count for name, count in child_counts.items()})
        all_lines += [[(child, name) for name in line] for line in lines(child_counts)]
    for name in counts:
        all_lines.append(
            [(child, name) for child in children if name in children[child]] + [(ROOT, name)]
        )
    while True:
        found = hide(values, all_lines, fixed, known)
        decided = {
            child: frozenset(name for name in child_counts if (child, name) in found)
            for child, child_counts in children.items()
        }
        more = {
            (child, name)
            for child, child_counts in children.items()
            for name in _bounded(decided[child], child_counts, bounds or {})
            | _blocks(decided[child], child_counts, (public or {}).get(child, {}))
        }
        if not more:
            return decided
        fixed.update(dict.fromkeys(more, True))


class StaleData(Exception):
    """A cached solve does not add up with what the database holds now."""


_cache: OrderedDict[tuple, tuple[Figures, dict[str, Figures]]] = OrderedDict()
_lock = threading.Lock()
CACHE_SIZE = 256


def published(db: Database, q: Questionnaire, scope: Scope, today: date | None = None) -> Published:
    """The scope's figures and its sub-regions', with the pattern of the whole tree above.

    A past period (a quarter end) is also guarded against the newer periods offered: an entry
    shown in a newer period is hidden here when the two differ by 1 to 4 (the difference would
    be a small count: the few enterprises that came or moved in between)."""
    today = today or date.today()
    newer = [None] if scope.as_of else []
    newer += [end for end in quarter_ends(today) if scope.as_of and end > scope.as_of]
    try:
        return _published(db, q, scope, today, newer, use_cache=True)
    except StaleData:
        return _published(db, q, scope, today, newer, use_cache=False)


def _base(db: Database, q: Questionnaire, as_of: str | None, today: date) -> tuple:
    """What a period's solve depends on: the database, its data, the period, the questionnaire."""
    day = date.fromisoformat(as_of) if as_of else today
    path = database_file(db)
    # the period's own last quarter, and today's (which decides the newer periods it is
    # guarded against)
    quarters = (last_complete_quarter(day), last_complete_quarter(today))
    return (path, regional.data_version(db), as_of, *quarters, q.id, q.version)


def _published(
    db, q, scope: Scope, today: date, newer: list[str | None], use_cache: bool
) -> Published:
    prefixes = [scope.prefix[:length] for length in (0, 2, 4, 6) if length <= len(scope.prefix)]
    base = _base(db, q, scope.as_of, today)
    own, children = None, {}
    for prefix in prefixes:
        if own is not None:  # the region as its parent's solve decided it
            own = children.get(prefix) or _nothing(q, _table_rows(q, base))
        node = Scope(prefix, None, scope.as_of)
        later = [
            _published(db, q, Scope(prefix, None, period), today, newer[:i], use_cache)
            for i, period in enumerate(newer)
        ]
        own, children = _level(db, q, node, own, base, use_cache, later)
    if scope.park_id is not None:
        return Published(children.get(str(scope.park_id)) or _nothing(q, _table_rows(q, base)), {})
    return Published(own, children)


def _table_rows(q: Questionnaire, base: tuple) -> Shape:
    """The rows of a period's tables (base: _base): quarters up to the period's last, and
    none after today's."""
    return shape(q, min(base[3], base[4]))


def _differ_a_little(counts: dict[str, int], later: list[Figures | None]) -> frozenset[str]:
    """Entries that a newer period shows and that differ from it by 1 to SMALL - 1 (a region
    that had no enterprise then shows 0 everywhere)."""
    found = set()
    for figures in later:
        for name, count in counts.items():
            if figures is None:
                then = 0
            elif name in figures.hidden:
                continue
            else:
                then = figures.counts.get(name, 0)
            if 0 < abs(count - then) < SMALL:
                found.add(name)
    return frozenset(found)


def _level(db, q, node: Scope, own: Figures | None, base: tuple, use_cache: bool, later=()):
    """A region's figures (given, or the country's made here) and its sub-regions', solved;
    `later`: the same region as the newer periods published it."""
    key = (*base, node.prefix)
    if use_cache:
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
        found = _shared(key)
        if found is not None:
            _remember(key, found)
            return found
    rule_ids, scenario_count = list(q.rules), len(q.scenarios.items)
    rows = regional.sub_regions(db, node, rule_ids, scenario_count, base[3])
    for child in sub_region_keys(db, node.prefix):  # an empty one is a row of 0s, not a gap
        rows.setdefault(child, _empty_row(q))
    table_rows = _table_rows(q, base)
    bounds = gap_bounds(q)
    made = {
        child: entries(row, rule_ids, scenario_count, table_rows) for child, row in rows.items()
    }
    public = {child: public_entries(row) for child, row in rows.items()}
    counts, sums = _add_up([c for c, _s in made.values()]), _add_up([s for _c, s in made.values()])
    if own is None:  # the country: solved alone (no enterprises at all: every entry hidden)
        if made:
            forced = _differ_a_little(counts, [p.own for p in later])
            own = Figures(
                counts, sums, solve_alone(counts, forced, _add_up(list(public.values())), bounds)
            )
        else:
            own = _nothing(q, table_rows)
    elif {k: v for k, v in own.counts.items() if v} != {k: v for k, v in counts.items() if v}:
        raise StaleData(node.prefix)
    if not made:
        return own, {}
    forced_children = {
        child: _differ_a_little(c, [p.children.get(child) for p in later])
        for child, (c, _s) in made.items()
    }
    hidden = solve_children(
        own.counts,
        own.hidden,
        {child: c for child, (c, _s) in made.items()},
        forced_children,
        public,
        bounds,
    )
    children = {child: Figures(c, s, hidden[child]) for child, (c, s) in made.items()}
    _remember(key, (own, children))
    patterns.put(key[0], json.dumps(key[2:]), json.dumps(key[1]), _dumps(own, children))
    return own, children


def _remember(key: tuple, solved: tuple[Figures, dict[str, Figures]]) -> None:
    with _lock:
        _cache[key] = solved
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _shared(key: tuple) -> tuple[Figures, dict[str, Figures]] | None:
    """A solve another process made for the same data (the database's pattern cache)."""
    value = patterns.get(key[0], json.dumps(key[2:]), json.dumps(key[1]))
    if value is None:
        return None
    own, children = json.loads(value)
    return _figures(own), {child: _figures(f) for child, f in children.items()}


def _dumps(own: Figures, children: dict[str, Figures]) -> bytes:
    def plain(f: Figures) -> dict:
        return {"counts": f.counts, "sums": f.sums, "hidden": sorted(f.hidden)}

    return json.dumps([plain(own), {c: plain(f) for c, f in children.items()}]).encode()


def _figures(plain: dict) -> Figures:
    return Figures(plain["counts"], plain["sums"], frozenset(plain["hidden"]))


def _add_up(parts: list[dict]) -> dict:
    total: dict = {}
    for part in parts:
        for name, value in part.items():
            total[name] = total.get(name, 0) + value
    return total


def sub_region_keys(db: Database, prefix: str) -> list[str]:
    """Every sub-region of a region, whether it has enterprises or not: the code prefixes one
    level down that enterprises can be registered in, or a county's parks and "0" (outside any
    park)."""
    if len(prefix) >= 6:
        return ["0", *(str(park["id"]) for park in parks.parks_in(db, prefix))]
    length = len(prefix) + 2
    return sorted({code[:length] for code in regions.registrable() if code.startswith(prefix)})


def _empty_row(q: Questionnaire) -> dict:
    """A store row of a region without enterprises."""
    return {
        "counts": {
            **dict.fromkeys(regional.COUNTS, 0),
            "score_sum": 0.0,
            **{
                f"s{i}_{r}": 0 for i in range(1, len(q.scenarios.items) + 1) for r in ("na", *RANKS)
            },
        },
        "gaps": {},
        "quarters": {},
        "groups": {},
        "listed": [],
    }


def _nothing(q: Questionnaire, rows: Shape) -> Figures:
    """A region without enterprises: every entry 0, so hidden."""
    counts, sums = entries(_empty_row(q), list(q.rules), len(q.scenarios.items), rows)
    return Figures(counts, sums, frozenset(counts))
