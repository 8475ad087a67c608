"""A regional dashboard as plain data, suppressed: the page, its JSON twin, the exports and
the regional PDF all come from `build`. No Flask; texts in the language asked for."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date

from sqlite_utils import Database

from assess.organisation.sizes import SIZES, size_name
from assess.questionnaire.definition import Questionnaire
from assess.regional import publication, regions, targets
from assess.regional.entries import HEADLINE_PREFIX
from assess.regional.publication import Figures, group_entry, groups
from assess.regional.suppression import mean
from assess.scoring import explain
from assess.scoring.words import score_value
from assess.store import parks, recognitions, regional
from assess.store.database import database_file, read_snapshot
from assess.store.declarations import declaration_counts
from assess.store.regional import CMMM_LEVELS, RANKS, Scope
from assess.translation import today_in_china, translator

HIDDEN = "×"  # not published: small, or a figure that would give a small one away
TARGETS = {"2027": 0.5, "2030": 0.6}  # share of enterprises at CMMM level 2 or above (the plan)
# Excellent factories built, nationally (the plan): a count of recognitions, never of results.
EXCELLENT_TARGETS = {str(year): n for year, n in targets.EXCELLENT_TARGETS.items()}


RECOGNISED_SHOWN = 10  # newest names on the dashboard; the recognised list has them all
EXCELLENT_RANK = 3  # 卓越级: the third level
HIDDEN_DERIVED = "—"  # a share or a mean not shown: one side of it has fewer than five


def shown(value):
    """A suppressed count as the dashboard shows it."""
    return HIDDEN if value is None else value


def shown_derived(value):
    """A suppressed share or mean as the dashboard shows it ("×" is for counts)."""
    return HIDDEN_DERIVED if value is None else value


def build(
    db: Database, q: Questionnaire, scope: Scope, lang: str, today: date | None = None
) -> dict:
    """Every figure of the dashboard for a scope, small cells suppressed, from one snapshot.

    today: the day of the latest view (its last completed quarter ends the progress table)."""
    t = translator(lang)
    with read_snapshot(db):  # the pattern and every figure from the same data
        pub = publication.published(db, q, scope, today)
        own = pub.own
        level_names = [explain.gradient_name(q, None, lang)] + [
            lv.name.get(lang) for lv in q.gradient.levels
        ]
        cmmm_names = [explain.cmmm_name(q, None, lang)] + [
            lv.name.get(lang) for lv in q.cmmm.levels
        ]
        data = {
            "enterprises": shown(own.shown("n")),
            "self_assessed": shown(own.shown("self")),
            "verified": shown(own.shown("verified")),
            "levels": [
                {"name": name, "count": shown(own.shown(f"rank_{r}"))}
                for name, r in zip(level_names, RANKS, strict=True)
            ],
            "levels_merged": [
                {
                    "name": t.gettext("%(level)s or above", level=level_names[r]),
                    "count": shown(own.shown(name)),
                }
                for r, name in ((1, "basic_plus"), (2, "advanced_plus"), (3, "excellent_plus"))
            ],
            "cmmm_levels": [
                {"name": name, "count": shown(own.shown(f"cmmm_{c}"))}
                for name, c in zip(cmmm_names, CMMM_LEVELS, strict=True)
            ],
            "cmmm_merged": [
                {
                    "name": t.gettext("%(level)s or above", level=cmmm_names[c]),
                    "count": shown(own.shown(name)),
                }
                for c, name in ((2, "cmmm_high"), (3, "cmmm_3_plus"))
            ],
            "cmmm_2_plus_share": shown_derived(_share(own, "cmmm_high", "n")),
            "targets": TARGETS,
            "excellent_targets": EXCELLENT_TARGETS,
            # assessed (self-assessed or verified on site) at Excellent or above: never set
            # beside the plan's target, which counts factories recognised as such
            "excellent_plus": shown(own.shown("excellent_plus")),
            "mean_score": shown_derived(_round(_mean(own, "score_sum", "n"))),
            "level_names": level_names,
            "headline_always": _headline_scope(scope),
        }
        data["funnel"] = _funnel(db, scope, own, lang)
        data["trend"], data["outlook"] = _trend(db, scope, lang, today)
        data["programme"] = programme(db, q, scope, lang)
        data["excellent_recognised"] = data["programme"]["excellent_recognised"]
        data["breakdowns"] = _breakdowns(db, q, scope, pub, lang)
        data["scenarios"] = _scenarios(q, own, lang)
        data["weakest"] = _weakest(db, q, scope, own, lang)
        data["gaps"], data["one_step"] = _gaps(q, own, lang)
        data["progress"] = _progress(own)
    return data


def _headline_scope(scope: Scope) -> bool:
    """The country, a province or a city: its headline figures are always shown."""
    return scope.park_id is None and len(scope.prefix) <= HEADLINE_PREFIX


def _funnel(db: Database, scope: Scope, own: Figures, lang: str) -> list[dict]:
    """Registered → started → submitted → declared → recognised, as they may be published."""
    _ = translator(lang).gettext
    found = publication.scope_funnel(db, scope, own)
    labels = {
        "registered": _("registered"),
        "started": _("started an assessment"),
        "submitted": _("submitted"),
        "declared": _("declared in a round"),
        "recognised": _("recognised"),
    }
    values = {**found, "submitted": own.shown("n")}
    return [
        {"stage": stage, "label": label, "count": shown(values[stage])}
        for stage, label in labels.items()
    ]


def _trend(db: Database, scope: Scope, lang: str, today: date | None) -> tuple[list, list]:
    """The share at capability maturity level 2 or above at each quarter end kept and now, and
    the outlook against the plan's targets at the current pace: for the country, a province
    or a city (always shown there); a county's or a park's quarter-to-quarter figures would
    tell apart the few enterprises that came in between."""
    if not _headline_scope(scope) or scope.as_of is not None:
        return [], []
    today = today or today_in_china()
    rows = [r for r in regional.by_period(db, Scope(scope.prefix)) if r["enterprises"]]
    trend = [
        {
            "period": r["period"] or today.isoformat(),
            "now": not r["period"],
            "enterprises": r["enterprises"],
            "share": r["cmmm_2_plus"] / r["enterprises"],
            "excellent_plus": r["excellent_plus"],
        }
        for r in sorted(rows, key=lambda r: r["period"] or "9999")
    ]
    points = [targets.Point(date.fromisoformat(r["period"]), r["share"]) for r in trend]
    found = [
        {
            "year": o.year,
            "target": o.target,
            "projected": o.projected,
            "reached_in": o.reached_in,
            "on_track": o.on_track,
            "met": o.met,
            "this_quarter": o.this_quarter,
            "now": points[-1].value,
            "pace": targets.pace(points),
        }
        for o in targets.outlook(points, targets.SHARE_TARGETS)
    ]
    return trend, found


def programme(db: Database, q: Questionnaire, scope: Scope, lang: str) -> dict:
    """The programme in the scope: declarations by level and status, and the recognised
    factories by name; exact, since every enterprise in them declared. Each level's declared
    add up: in review + recognised + recommended to the ministry + rejected + withdrawn (by the
    enterprise before a decision, or a recognition withdrawn by an authority). recommended is
    None for a level no round of it recommends to the ministry (基础级, 先进级 by default).
    excellent_recognised: the factories recognised at 卓越级 or above, or recommended to the
    ministry by their province (the ministry's selection is not made in this product): what
    the plan's 200 / 500 count, exactly (every one of them declared)."""
    levels = {lv.id: lv.name.get(lang) for lv in q.gradient.levels}
    made: dict[str, dict[str, int]] = {}
    to_ministry: set[str] = set()
    for row in declaration_counts(db, scope):
        made.setdefault(row["level"], {})[row["status"]] = row["n"]
        if row["to_ministry"]:
            to_ministry.add(row["level"])
    every = recognitions.listing(db, scope.prefix, scope.park_id, withdrawn=True)
    current = [row for row in every if not row["withdrawn_at"]]
    given: dict[tuple[str, str], int] = {}
    for row in every:
        key = (row["level"], "withdrawn" if row["withdrawn_at"] else row["kind"])
        given[key] = given.get(key, 0) + 1
    order = list(levels)
    excellent_up = set(order[EXCELLENT_RANK - 1 :])
    return {
        "levels": [
            {
                "level": level,
                "name": levels.get(level, level),
                "declared": sum(by_status.values()),
                "in_review": by_status.get("in_review", 0) + by_status.get("returned", 0),
                "recognised": given.get((level, "recognised"), 0),
                "recommended": given.get((level, "recommended"), 0)
                if level in to_ministry or given.get((level, "recommended"))
                else None,
                "rejected": by_status.get("rejected", 0),
                "withdrawn": by_status.get("withdrawn", 0) + given.get((level, "withdrawn"), 0),
            }
            for level, by_status in sorted(
                made.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99
            )
        ],
        "recognised": [
            {
                "name": row["organisation_name"],
                "region": regions.label(row["region_code"], lang),
                "level": levels.get(row["level"], row["level"]),
                "kind": row["kind"],
                "year": row["year"],
            }
            for row in current[:RECOGNISED_SHOWN]
        ],
        "recognised_total": len(current),
        "excellent_recognised": sum(row["level"] in excellent_up for row in current),
    }


def _share(figures: Figures, part: str, whole: str) -> float | None:
    """part / whole, published only when both are (so both sides of the split are >= 5)."""
    if figures.shown(part) is None or not figures.shown(whole):
        return None
    return figures.counts[part] / figures.counts[whole]


def _mean(figures: Figures, total: str, count: str) -> float | None:
    """A mean, published only when its count is."""
    if not figures.shown(count):
        return None
    return figures.sums[total] / figures.counts[count]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _rows(pub_children: dict[str, Figures]) -> list[dict]:
    return [
        {
            "key": key,
            "counts": [shown(child.shown(f"rank_{r}")) for r in RANKS],
            "basic_plus": shown(child.shown("basic_plus")),
            "total": shown(child.shown("n")),
            "cmmm_2_plus_share": shown_derived(_share(child, "cmmm_high", "n")),
        }
        for key, child in sorted(pub_children.items())
    ]


def _group_table(own: Figures, dimension: str, keys: list[str]) -> dict:
    """A sector or size table: per group its enterprises at each level, and the totals (the
    scope's own distribution), as the region tree's suppression decided them."""
    return {
        "rows": [
            {
                "key": key,
                "counts": [
                    shown(own.shown(group_entry(dimension, key, f"rank_{r}"))) for r in RANKS
                ],
                "basic_plus": shown(own.shown(group_entry(dimension, key, "basic_plus"))),
                "total": shown(own.shown(group_entry(dimension, key, "n"))),
            }
            for key in keys
        ],
        "column_totals": [shown(own.shown(f"rank_{r}")) for r in RANKS],
        "basic_plus": shown(own.shown("basic_plus")),
        "total": shown(own.shown("n")),
    }


def _breakdowns(db: Database, q: Questionnaire, scope: Scope, pub, lang: str) -> dict:
    breakdowns = {}
    own = pub.own
    totals = {
        "column_totals": [shown(own.shown(f"rank_{r}")) for r in RANKS],
        "basic_plus": shown(own.shown("basic_plus")),
        "total": shown(own.shown("n")),
    }
    if scope.park_id is None and len(scope.prefix) < 6:
        rows = _rows(pub.children)
        for row in rows:
            code = row["key"].ljust(6, "0")
            row["name"] = regions.label(code, lang).split(" " if lang == "zh" else ", ")[
                -1 if lang == "zh" else 0
            ]
            row["code"] = code
        breakdowns["regions"] = {"rows": rows, **totals}
    elif scope.park_id is None:
        named = {p["id"]: p for p in parks.parks_in(db, scope.prefix)}
        rows = sorted(_rows(pub.children), key=lambda row: int(row["key"]))
        for row in rows:
            row["key"] = int(row["key"])
            park = named.get(row["key"])
            row["name"] = (
                park[f"name_{lang}"] if park else translator(lang).gettext("outside any park")
            )
            row["park_id"] = row["key"] or None
        breakdowns["parks"] = {"rows": rows, **totals}
    sectors = {o.id: o.label.get(lang) for o in q.items["profile.sector"].options}
    breakdowns["sectors"] = _group_table(own, "sector", sorted(groups(own.counts, "sector")))
    for row in breakdowns["sectors"]["rows"]:
        row["name"] = sectors.get(row["key"], row["key"])
    present = groups(own.counts, "size")
    breakdowns["sizes"] = _group_table(own, "size", [size for size in SIZES if size in present])
    for row in breakdowns["sizes"]["rows"]:
        row["name"] = size_name(row["key"], lang)
    return breakdowns


def _scenarios(q: Questionnaire, own: Figures, lang: str) -> list[dict]:
    return [
        {
            "number": scenario.number,
            "name": scenario.name.get(lang),
            "not_applicable": shown(own.shown(f"s{i}_na")),
            "counts": [shown(own.shown(f"s{i}_{r}")) for r in RANKS],
            "basic_plus": shown(own.shown(f"s{i}_plus")),
        }
        for i, scenario in enumerate(q.scenarios.items, start=1)
    ]


def _weakest(db: Database, q: Questionnaire, scope: Scope, own: Figures, lang: str) -> list[dict]:
    sums = regional.sub_domain_means(db, scope, len(q.sub_domains))
    rows = []
    for i, sub in enumerate(q.sub_domains.values(), start=1):
        value = mean(sums[f"d{i}_sum"] or 0.0, sums[f"d{i}_n"] or 0)
        if own.shown("n") is None:
            value = None
        rows.append(
            {
                "id": sub.id,
                "name": sub.name.get(lang),
                "mean": None if value is None else round(value, 2),
            }
        )
    rows.sort(key=lambda r: (r["mean"] is None, r["mean"] if r["mean"] is not None else 0))
    return [{**r, "mean": shown_derived(r["mean"])} for r in rows]


def _gaps(q: Questionnaire, own: Figures, lang: str) -> tuple[list[dict], object]:
    """Every rule with how many fail it: a rule no one fails is hidden like a small count,
    since leaving its row out would tell a zero apart from 1 to 4."""
    rows = []
    for rule_id in q.rules:
        level = next(lv for lv in q.gradient.levels if any(r.id == rule_id for r in lv.rules))
        rows.append(
            {
                "rule": rule_id,
                "level": level.name.get(lang),
                "text": q.rules[rule_id].text.get(lang),
                "count": own.shown(f"gap_{rule_id}"),
            }
        )
    rows.sort(key=lambda r: -(r["count"] or 0))
    return [{**r, "count": shown(r["count"])} for r in rows], shown(own.shown("one_step"))


def _progress(own: Figures) -> list[dict]:
    """Per completed quarter, the re-assessments and how they moved: a quarter's row is the
    same in every later period, so comparing periods tells nothing new."""
    rows = []
    for name in sorted(n for n in own.counts if n.endswith("/assessments")):
        quarter = name.split("/")[0]
        rows.append(
            {
                "quarter": quarter,
                "assessments": shown(own.shown(name)),
                "up": shown(own.shown(f"{quarter}/up")),
                "same": shown(own.shown(f"{quarter}/same")),
                "down": shown(own.shown(f"{quarter}/down")),
                "cmmm_2_plus_share": shown_derived(_share(own, f"{quarter}/high", name)),
                "mean_score": shown_derived(_round(_mean(own, f"{quarter}/score_sum", name))),
            }
        )
    return rows


def candidate_list(db: Database, q: Questionnaire, scope: Scope, lang: str) -> list[dict]:
    """Enterprises that agreed to be listed: reached a level, or one rule from the next."""
    out = []
    for row in regional.candidates(db, scope):
        rank = row["gradient_rank"]
        next_level = q.gradient.levels[rank].name.get(lang) if rank < len(q.gradient.levels) else ""
        missing = [
            q.rules[r].text.get(lang)
            for r in row["next_gaps"].strip(",").split(",")
            if r in q.rules
        ]
        out.append(
            {
                "name": row["name"],
                "region": regions.label(row["region_code"], lang),
                "level": explain.gradient_name(
                    q, q.gradient.levels[rank - 1].id if rank else None, lang
                ),
                "cmmm_score": score_value(row["cmmm_score"]),
                "verified": bool(row["verified"]),
                "next_level": next_level if row["next_gap_count"] == 1 else "",
                "missing": missing if row["next_gap_count"] == 1 else [],
            }
        )
    return out


def scope_name(db: Database, scope: Scope, lang: str) -> str:
    """The area a dashboard shows: a park, a region, or the whole country."""
    if scope.park_id is not None:
        park = parks.park(db, scope.park_id)
        return f"{regions.label(park['county_code'], lang)} · {park[f'name_{lang}']}"
    if not scope.prefix:
        return translator(lang).gettext("China")
    return regions.label(scope.prefix.ljust(6, "0"), lang)


_made: OrderedDict[tuple, dict] = OrderedDict()
_made_lock = threading.Lock()
MADE_SIZE = 64


def dashboard_data(
    db: Database, q: Questionnaire, scope: Scope, lang: str, today: date | None = None
) -> dict:
    """The dashboard of a scope with its candidates and what the scope is: the page, its JSON
    twin, the exports and the regional PDF all show this. Kept per data version (a dashboard
    viewed again, or its export, is not made again until the figures change)."""
    today = today or today_in_china()
    key = (database_file(db), regional.data_version(db), scope, lang, today, q.id, q.version)
    with _made_lock:
        if key in _made:
            _made.move_to_end(key)
            return dict(_made[key])
    data = build(db, q, scope, lang, today)
    data["candidates"] = candidate_list(db, q, scope, lang)
    data["scope"] = {
        "name": scope_name(db, scope, lang),
        "prefix": scope.prefix,
        "park_id": scope.park_id,
        "as_of": scope.as_of,
    }
    with _made_lock:
        _made[key] = data
        while len(_made) > MADE_SIZE:
            _made.popitem(last=False)
    return dict(data)
