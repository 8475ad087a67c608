"""Small-cell suppression that holds across the region tree: country, province, city, county,
park. What one dashboard hides, no other dashboard shows.

Every figure of a region that adds up over its sub-regions is an entry (assess/regional/
entries.py): the enterprises (n), per smart-factory level and the levels merged (Basic or
above, Advanced or above, Excellent or above), per capability maturity level and merged (level
2 or above, 3 or above), self-assessed and verified, each scenario's adoption, each rule gap,
the enterprises one rule from the next level, per sector and per size the enterprises at each
level, the participation funnel of counties and parks, and per completed quarter the
re-assessments. Lines bind them: a distribution with its total and its partial sums, the rows
and columns of the sector and size tables, and a region with its sub-regions, entry by entry.

A region's entries are decided once, with its siblings', when its parent is solved, the parent's
own entries being fixed by then (the country is solved alone first). So the cells hidden for a
city in its province's table are hidden in the city's own dashboard, and in the column totals of
the city's own tables, which are the same figures. The headline figures of the country, a
province and a city are fixed shown, and so are the declared and recognised counts everywhere;
the rest is solved around them (docs/suppression.md). A solve depends only on the data, so
every process finds the same pattern; solves are cached by data version.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire
from assess.regional import regions
from assess.regional.entries import (
    EXACT,
    FUNNEL,
    HEADLINE,
    HEADLINE_PREFIX,
    Shape,
    entries,
    funnel,
    gap_bounds,
    group_entry,
    groups,
    lines,
    public_entries,
    quarters_between,
    shape,
)
from assess.regional.periods import last_complete_quarter, quarter_ends
from assess.regional.solve import ROOT, solve_alone, solve_children
from assess.regional.suppression import SMALL
from assess.store import parks, patterns, regional
from assess.store.database import database_file
from assess.store.regional import RANKS, Scope
from assess.translation import today_in_china

__all__ = [
    "ROOT",
    "Figures",
    "Published",
    "entries",
    "gap_bounds",
    "group_entry",
    "groups",
    "lines",
    "published",
    "quarters_between",
    "solve_alone",
    "solve_children",
    "sub_region_keys",
]


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
    today = today or today_in_china()
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
    if len(node.prefix) >= HEADLINE_PREFIX:  # counties and parks: the funnel is solved too
        found = regional.participation(db, node, by_child=True)
        for child, row in rows.items():
            row["participation"] = found.get(child, {})
    table_rows = _table_rows(q, base)
    bounds = gap_bounds(q)
    made = {
        child: entries(row, rule_ids, scenario_count, table_rows) for child, row in rows.items()
    }
    public = {child: public_entries(row, rule_ids, scenario_count) for child, row in rows.items()}
    counts, sums = _add_up([c for c, _s in made.values()]), _add_up([s for _c, s in made.values()])
    if own is None:  # the country: solved alone (no enterprises at all: every entry hidden)
        if made:
            forced = _differ_a_little(counts, [p.own for p in later])
            hidden = solve_alone(
                counts, forced, _add_up(list(public.values())), bounds, _always(counts, "")
            )
            own = Figures(counts, sums, hidden)
        else:
            own = _nothing(q, table_rows)
    elif _additive(own.counts) != _additive({k: v for k, v in counts.items() if k in own.counts}):
        raise StaleData(node.prefix)
    elif len(node.prefix) == HEADLINE_PREFIX:  # a city: its funnel, shown, bounds its counties'
        extra = {name: counts[name] for name in counts if name not in own.counts}
        own = Figures({**own.counts, **extra}, own.sums, own.hidden)
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
        {child: _always(c, _child_prefix(node, child)) for child, (c, _s) in made.items()},
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


def _additive(counts: dict[str, int]) -> dict[str, int]:
    """The entries that must add up from sub-regions to a region (not the funnel, made by its
    own queries), without zeros."""
    return {k: v for k, v in counts.items() if v and k not in FUNNEL}


def _child_prefix(node: Scope, child: str) -> str | None:
    """A sub-region's code prefix (None for a park, or outside any park)."""
    return None if len(node.prefix) >= 6 else child


def _always(counts: dict[str, int], prefix: str | None) -> frozenset[str]:
    """What a region always shows: its headline figures if it is the country, a province or a
    city; the declared and recognised counts wherever they are (every enterprise in them
    declared)."""
    names = set(EXACT)
    if prefix is not None and len(prefix) <= HEADLINE_PREFIX:
        names |= HEADLINE
    return frozenset(name for name in names if name in counts)


def _add_up(parts: list[dict]) -> dict:
    total: dict = {}
    for part in parts:
        for name, value in part.items():
            total[name] = total.get(name, 0) + value
    return total


def scope_funnel(db: Database, scope: Scope, own: Figures) -> dict[str, int | None]:
    """A scope's participation funnel as it may be published: a county's or a park's as its
    parent's solve decided it; the country's, a province's or a city's always (headline)."""
    if "registered" in own.counts:
        return {
            name: own.shown(name) for name in ("registered", "started", "declared", "recognised")
        }
    found = funnel(regional.participation(db, scope), own.counts.get("n", 0))
    return {name: found[name] for name in ("registered", "started", "declared", "recognised")}


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
