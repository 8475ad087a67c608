"""The rules of docs/suppression.md that make figures an official can use: headline figures
always shown for the country, a province and a city (rule 11), declared enterprises known and
the programme counted exactly (rules 4 and 10), categories merged and kept before their parts
(rule 12); worked examples computed by hand, and a property: no figure published for a county
or a park, and no difference of published figures, counts one to four enterprises that did not
declare."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.regional.entries import (
    EXACT,
    HEADLINE,
    Shape,
    entries,
    funnel,
    lines,
    public_entries,
)
from assess.regional.publication import _always
from assess.regional.solve import solve_alone, solve_children
from assess.regional.suppression import SMALL
from assess.regional.targets import Point, outlook, pace
from tests.domain import BOUNDS, region_row

RULES = ["r1", "r2"]


SHAPE = Shape(sectors=("rail", "tools"))  # every sector is a row, even empty (rule 7)


def counts_of(row: dict) -> dict[str, int]:
    return entries(row, RULES, 1, SHAPE)[0]


def known(row: dict) -> dict[str, int]:
    return public_entries(row, RULES, 1)


def always(counts: dict, headline: bool) -> frozenset[str]:
    """What the dashboards always show: a city's (3205) headline figures, a county's (320505)
    declared and recognised counts only."""
    return _always(counts, "3205" if headline else "320505")


def add_up(parts: list[dict]) -> dict:
    total: dict = {}
    for part in parts:
        for name, value in part.items():
            total[name] = total.get(name, 0) + value
    return total


def city_and_counties(rows: dict[str, dict]) -> tuple[dict, frozenset, dict, dict]:
    """A city (headline: always shown) solved alone, then its counties with it fixed."""
    counties = {key: counts_of(row) for key, row in rows.items()}
    public = {key: known(row) for key, row in rows.items()}
    city = add_up(list(counties.values()))
    city_hidden = solve_alone(city, (), add_up(list(public.values())), BOUNDS, always(city, True))
    hidden = solve_children(
        city,
        city_hidden,
        counties,
        public=public,
        bounds=BOUNDS,
        shown={key: always(c, False) for key, c in counties.items()},
    )
    return city, city_hidden, counties, hidden | {"^": city_hidden}


def E(rank=0, level=1, declared=False, sector="rail"):  # reads as a table
    return ("x", sector, rank, level, False, frozenset(), declared)


def test_a_city_shows_its_headline_figures_however_few_its_enterprises():
    """Three enterprises, two at level 2 or above, none Excellent: shown, as the plan's tracking
    figures; their levels, sectors and the rest are hidden."""
    row = region_row([E(0, 1), E(1, 2), E(1, 2)])
    city, city_hidden, _counties, _hidden = city_and_counties({"320505": row})
    shown = {name: city[name] for name in ("n", "cmmm_high", "cmmm_low", "excellent_plus")}
    assert shown == {"n": 3, "cmmm_high": 2, "cmmm_low": 1, "excellent_plus": 0}
    assert not set(shown) & city_hidden
    assert {"rank_0", "rank_1", "basic_plus", "sector:rail|n"} <= city_hidden


def test_a_county_of_three_undeclared_among_five_declared_is_hidden_and_a_sibling_with_it():
    """County A: 8 enterprises, 5 declared (Basic), 3 not (below Basic). B: 20, C: 12, nobody
    declared. A's 8 tells 3 that did not declare: hidden. The city's 40 is always shown, so
    with A hidden another county is: C, the smaller. A's declared 5 is shown, exactly."""
    a = [E(1, 2, declared=True)] * 5 + [E(0, 1)] * 3
    rows = {
        "a": region_row(a, {"registered": 8, "started": 8, "declared": 5, "recognised": 0}),
        "b": region_row([E(0, 1)] * 12 + [E(1, 2)] * 8, {"registered": 20, "started": 20}),
        "c": region_row([E(0, 1)] * 7 + [E(1, 2)] * 5, {"registered": 12, "started": 12}),
    }
    city, city_hidden, counties, hidden = city_and_counties(rows)
    assert city["n"] == 40 and "n" not in city_hidden
    assert "n" in hidden["a"] and "n" in hidden["c"] and "n" not in hidden["b"]
    assert counties["a"]["declared"] == 5 and "declared" not in hidden["a"]
    assert "undeclared" in hidden["a"]  # 8 - 5 = 3
    # the five declared at Basic are known: A's Basic (5, all declared) is no small count
    assert known(rows["a"])["rank_1"] == 5


def test_a_park_shows_its_enterprises_when_a_small_sibling_hides_a_stage_of_its_funnel():
    """A county: its park (40 assessed, 44 started, 48 registered) and outside any park (36
    assessed, 39 started, 44 registered: 3 started and did not submit). The 3 are hidden, so
    one of the outside's "started" and "assessed" is: "started" (rule 12 keeps the enterprises
    assessed); the county's line then hides the park's "started" too. Both show their
    enterprises assessed."""
    park = [E(0, 1)] * 25 + [E(1, 2)] * 15
    outside = [E(0, 1)] * 20 + [E(1, 2)] * 16
    rows = {
        "1": region_row(park, {"registered": 48, "started": 44, "declared": 0}),
        "0": region_row(outside, {"registered": 44, "started": 39, "declared": 0}),
    }
    county = add_up([counts_of(r) for r in rows.values()])
    hidden = solve_children(
        county,
        frozenset(),
        {key: counts_of(row) for key, row in rows.items()},
        public={key: known(row) for key, row in rows.items()},
        shown={key: EXACT for key in rows},
    )
    assert "unfinished" in hidden["0"] and "started" in hidden["0"] and "n" not in hidden["0"]
    assert "started" in hidden["1"] and "n" not in hidden["1"]
    assert "registered" not in hidden["1"]


def test_merged_categories_are_kept_and_their_small_parts_hidden():
    """43 below Basic, 9 at Basic, 3 Advanced, 1 Excellent, 1 Leading: the three small levels
    are hidden (their sum, 5, is no small count); Basic stays, and so do Advanced or above (5)
    and Basic or above (14)."""
    row = region_row([E(0)] * 43 + [E(1)] * 9 + [E(2)] * 3 + [E(3)] + [E(4)])
    counts = counts_of(row)
    hidden = solve_alone(counts, bounds=BOUNDS)
    assert {"rank_2", "rank_3", "rank_4"} <= hidden
    assert not {"rank_0", "rank_1", "basic_plus", "advanced_plus", "n"} & hidden
    assert (counts["basic_plus"], counts["advanced_plus"]) == (14, 5)


def test_the_outlook_projects_the_pace_of_the_last_year():
    """30 % a year ago, 34 % now, a quarter end each: +1 point a quarter. The end of 2027 is
    four quarters after 2026-12-31: 38 %, 12 points short of 50 %; 50 % would take 16
    quarters, beyond the eight a year of data supports (AHEAD_PER_SPAN): no quarter is named;
    the end of 2030 is sixteen quarters on: not projected, nor is 60 % (26 quarters on)."""
    from datetime import date

    days = [date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)]
    points = [Point(day, 0.30 + 0.01 * i) for i, day in enumerate([*days, date(2026, 12, 31)])]
    assert round(pace(points), 3) == 0.01
    found = outlook(points, {2027: 0.5, 2030: 0.6})
    rounded = [round(o.projected, 2) if o.projected is not None else None for o in found]
    assert [
        (o.year, r, o.reached_in, o.on_track, o.met) for o, r in zip(found, rounded, strict=True)
    ] == [
        (2027, 0.38, None, False, False),
        (2030, None, None, False, False),
    ]
    # 55 % now against 50 %: met already (the dashboard says so, not "reached in" a quarter)
    flat = [Point(day, 0.55) for day in days]
    assert [(o.reached_in, o.on_track, o.met) for o in outlook(flat, {2027: 0.5, 2030: 0.6})] == [
        ("2026-Q3", True, True),
        (None, False, False),
    ]


def test_a_projection_is_never_capped_at_100_percent_nor_said_of_the_quarter_under_way():
    """+10 points a quarter from 60 %: the end of 2027 (four quarters on) would be 100 %+:
    no projection rather than a silent 100 %. 58 % on 2026-12-06 at about +2 points a
    quarter: 58.5 % is reached in the quarter under way (2026-Q4), which the outlook calls
    this_quarter, not a quarter the target is reached in; 60 % in 2027-Q1."""
    from datetime import date

    days = [date(2025, 12, 31), date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)]
    steep = [Point(day, 0.30 + 0.10 * i) for i, day in enumerate([*days, date(2026, 12, 31)])]
    (far,) = outlook(steep, {2027: 0.99})
    assert far.projected is None and not far.met
    close = [Point(day, 0.50 + 0.02 * i) for i, day in enumerate([*days, date(2026, 12, 6)])]
    (soon,) = outlook(close, {2030: 0.585})
    assert (soon.reached_in, soon.this_quarter, soon.met) == ("2026-Q4", True, False)
    (ahead,) = outlook(close, {2030: 0.6})
    assert ahead.reached_in == "2027-Q1" and not ahead.this_quarter


def test_the_funnel_holds_each_stage_in_the_one_before():
    """Dates on record can disagree (an enterprise registered after its first assessment): each
    stage counts those that reached it or a later one."""
    assert funnel({"registered": 5, "started": 9, "declared": 4, "recognised": 6}, 7) == {
        "registered": 9,
        "started": 9,
        "declared": 4,
        "recognised": 4,
        "not_started": 0,
        "unfinished": 2,
        "undeclared": 3,
    }


# --- the property -------------------------------------------------------------------------

ENTERPRISE = st.tuples(
    st.sampled_from(["a", "b", "c"]),  # its county
    st.sampled_from(["rail", "tools"]),
    st.integers(0, 4),
    st.integers(0, 5),
    st.booleans(),
    st.sets(st.sampled_from(RULES)),
    st.booleans() | st.just(False),  # declared
)
PARTICIPATION = st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(0, 3))


@settings(max_examples=120, deadline=None)
@given(
    st.lists(ENTERPRISE, min_size=1, max_size=45), st.lists(PARTICIPATION, min_size=3, max_size=3)
)
def test_no_county_figure_nor_difference_counts_one_to_four_that_did_not_declare(population, extra):
    """A city (headline figures always shown) and its counties. For every county figure shown,
    what it counts of enterprises that did not declare is 0 or at least 5 (the declared and
    recognised counts excepted: they count declared ones only). For every line (a county's
    distributions, merged categories and funnel, and a city figure as the sum of its counties'),
    never exactly one figure hidden; and when its total is shown, the hidden figures count 0 or
    at least 5 enterprises that did not declare, unless that total is a city's headline figure
    (rule 11: the accepted disclosure)."""
    rows = {}
    for key, (not_started, unfinished, recognised) in zip("abc", extra, strict=True):
        members = [e for e in population if e[0] == key]
        declared = sum(1 for e in members if e[6])
        started = len(members) + unfinished
        participation = {
            "registered": started + not_started,
            "started": started,
            "declared": declared,
            "recognised": min(recognised, declared),
        }
        rows[key] = region_row(members, participation)
    city, _city_hidden, counties, hidden = city_and_counties(rows)
    publics = {key: known(row) for key, row in rows.items()}
    publics["^"] = add_up(list(publics.values()))
    everything = {**counties, "^": city}
    for key, counts in counties.items():
        for name, count in counts.items():
            rest = count - publics[key].get(name, 0)
            if name not in hidden[key] and name not in EXACT:
                assert rest == 0 or rest >= SMALL, (key, name, count, rest)
    checked = [(key, line) for key, counts in everything.items() for line in lines(counts)]
    checked += [(None, name) for name in city]
    for key, line in checked:
        if key is None:  # the city's figure and its counties'
            members = [(k, line) for k in counties] + [("^", line)]
        else:
            members = [(key, name) for name in line]
        states = [name in hidden[k] for k, name in members]
        assert sum(states) != 1, (key, line)
        total_key, total = members[-1]
        if total in hidden[total_key] or (total_key == "^" and total in HEADLINE):
            continue
        mass = sum(
            everything[k][name] - publics[k].get(name, 0)
            for (k, name), state in zip(members[:-1], states[:-1], strict=True)
            if state
        )
        assert mass == 0 or mass >= SMALL or not any(states), (key, line, mass)
