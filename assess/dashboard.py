"""A regional dashboard as plain data, suppressed: the page, its JSON twin, the exports and
the regional PDF all come from `build`. No Flask; texts in the language asked for."""

from __future__ import annotations

from sqlite_utils import Database

from assess import regions
from assess.model import Questionnaire
from assess.scoring import explain
from assess.store import regional
from assess.store.regional import CMMM_LEVELS, RANKS, Scope
from assess.suppression import SMALL, mean, share, suppress_table, suppress_vector

HIDDEN = "<5"
TARGETS = {"2027": 0.5, "2030": 0.6}  # share of enterprises at CMMM level 2 or above (the plan)
SIZES = ("large", "medium", "small", "micro")


def shown(value):
    """A suppressed value as the dashboard shows it."""
    return HIDDEN if value is None else value


def _vector(counts: list[int]) -> tuple[list, object]:
    masked = suppress_vector(counts)
    return [shown(v) for v in masked.cells[0]], shown(masked.total)


def _table(keys: list, rows: list[list[int]]) -> dict:
    masked = suppress_table(rows) if rows else None
    if masked is None:
        return {"rows": [], "column_totals": [], "total": 0}
    return {
        "rows": [
            {"key": key, "counts": [shown(v) for v in cells], "total": shown(total)}
            for key, cells, total in zip(keys, masked.cells, masked.row_totals, strict=True)
        ],
        "column_totals": [shown(v) for v in masked.column_totals],
        "total": shown(masked.total),
    }


def child_level(scope: Scope) -> tuple[str, int] | None:
    """How the scope breaks down: ("region", prefix length) or ("park", 0) or None."""
    if scope.park_id is not None:
        return None
    if len(scope.prefix) < 2:
        return ("region", 2)
    if len(scope.prefix) == 2:
        return ("region", 4)
    if len(scope.prefix) == 4:
        return ("region", 6)
    return ("park", 0)


def build(db: Database, q: Questionnaire, scope: Scope, lang: str) -> dict:
    """Every figure of the dashboard for a scope, small cells suppressed."""
    level_names = [explain.gradient_name(q, None, lang)] + [
        lv.name.get(lang) for lv in q.gradient.levels
    ]
    cmmm_names = [explain.cmmm_name(q, None, lang)] + [lv.name.get(lang) for lv in q.cmmm.levels]
    top = regional.overview(db, scope)
    n = top["enterprises"]
    levels, total = _vector([top[f"rank_{r}"] or 0 for r in RANKS])
    cmmm, _ = _vector([top[f"cmmm_{c}"] or 0 for c in CMMM_LEVELS])
    modes, _ = _vector([n - top["verified"], top["verified"]])
    data = {
        "enterprises": total,
        "self_assessed": modes[0],
        "verified": modes[1],
        "levels": [
            {"name": name, "count": count} for name, count in zip(level_names, levels, strict=True)
        ],
        "cmmm_levels": [
            {"name": name, "count": count} for name, count in zip(cmmm_names, cmmm, strict=True)
        ],
        "cmmm_2_plus_share": shown(share(top["cmmm_2_plus"], n)),
        "targets": TARGETS,
        "excellent_plus": shown(top["excellent_plus"] if top["excellent_plus"] >= SMALL else None),
        "mean_score": shown(mean(top["score_sum"], n)),
        "level_names": level_names,
    }
    data["breakdowns"] = _breakdowns(db, q, scope, lang)
    data["scenarios"] = _scenarios(db, q, scope, lang, level_names)
    data["weakest"] = _weakest(db, q, scope, lang)
    data["gaps"], data["one_step"] = _gaps(db, q, scope, lang)
    data["progress"], data["movement"] = _progress(db, scope)
    return data


def _breakdowns(db: Database, q: Questionnaire, scope: Scope, lang: str) -> dict:
    breakdowns = {}
    child = child_level(scope)
    if child is not None and child[0] == "region":
        rows = regional.by_group(db, scope, "region", child[1])
        table = _table([r["key"] for r in rows], [[r[f"rank_{k}"] for k in RANKS] for r in rows])
        for row in table["rows"]:
            code = row["key"].ljust(6, "0")
            row["name"] = regions.label(code, lang).split(" " if lang == "zh" else ", ")[
                -1 if lang == "zh" else 0
            ]
            row["code"] = code
        breakdowns["regions"] = table
    elif child is not None:
        rows = regional.by_group(db, scope, "park")
        parks = {p["id"]: p for p in regional.parks_in(db, scope.prefix)}
        table = _table([r["key"] for r in rows], [[r[f"rank_{k}"] for k in RANKS] for r in rows])
        for row in table["rows"]:
            park = parks.get(row["key"])
            row["name"] = (
                park[f"name_{lang}"]
                if park
                else ("未在园区" if lang == "zh" else "outside any park")
            )
            row["park_id"] = row["key"] or None
        breakdowns["parks"] = table
    sectors = {o.id: o.label.get(lang) for o in q.items["profile.sector"].options}
    rows = regional.by_group(db, scope, "sector")
    breakdowns["sectors"] = _table(
        [r["key"] for r in rows], [[r[f"rank_{k}"] for k in RANKS] for r in rows]
    )
    for row in breakdowns["sectors"]["rows"]:
        row["name"] = sectors.get(row["key"], row["key"])
    rows = {r["key"]: r for r in regional.by_group(db, scope, "size")}
    keys = [size for size in SIZES if size in rows]
    breakdowns["sizes"] = _table(keys, [[rows[k][f"rank_{r}"] for r in RANKS] for k in keys])
    return breakdowns


def _scenarios(
    db: Database, q: Questionnaire, scope: Scope, lang: str, level_names: list[str]
) -> list[dict]:
    counts = regional.scenario_adoption(db, scope, len(q.scenarios.items))
    rows = []
    for i, scenario in enumerate(q.scenarios.items, start=1):
        vector = [counts[f"s{i}_na"] or 0] + [counts[f"s{i}_{r}"] or 0 for r in RANKS]
        cells, _ = _vector(vector)
        rows.append(
            {
                "number": scenario.number,
                "name": scenario.name.get(lang),
                "not_applicable": cells[0],
                "counts": cells[1:],
            }
        )
    return rows


def _weakest(db: Database, q: Questionnaire, scope: Scope, lang: str) -> list[dict]:
    sums = regional.sub_domain_means(db, scope, len(q.sub_domains))
    rows = []
    for i, sub in enumerate(q.sub_domains.values(), start=1):
        value = mean(sums[f"d{i}_sum"] or 0.0, sums[f"d{i}_n"] or 0)
        rows.append(
            {
                "id": sub.id,
                "name": sub.name.get(lang),
                "mean": None if value is None else round(value, 2),
            }
        )
    rows.sort(key=lambda r: (r["mean"] is None, r["mean"] if r["mean"] is not None else 0))
    return [{**r, "mean": shown(r["mean"])} for r in rows]


def _gaps(db: Database, q: Questionnaire, scope: Scope, lang: str) -> tuple[list[dict], object]:
    rule_ids = list(q.rules)
    found = regional.rule_gaps(db, scope, rule_ids)
    rows = []
    for i, rule_id in enumerate(rule_ids):
        count = found[f"g{i}"] or 0
        if count:
            level = next(lv for lv in q.gradient.levels if any(r.id == rule_id for r in lv.rules))
            rows.append(
                {
                    "rule": rule_id,
                    "level": level.name.get(lang),
                    "text": q.rules[rule_id].text.get(lang),
                    "count": count if count >= SMALL else None,
                }
            )
    rows.sort(key=lambda r: -(r["count"] or 0))
    one_step = found["one_step"] or 0
    return [{**r, "count": shown(r["count"])} for r in rows], shown(
        one_step if one_step >= SMALL else None
    )


def _progress(db: Database, scope: Scope) -> tuple[list[dict], dict]:
    rows = []
    for row in regional.progress_by_quarter(db, scope):
        small = row["assessments"] < SMALL
        rows.append(
            {
                "quarter": row["quarter"],
                "assessments": shown(None if small else row["assessments"]),
                "cmmm_2_plus_share": shown(
                    None if small else share(row["cmmm_2_plus"], row["assessments"])
                ),
                "mean_score": shown(
                    None if small else round(row["score_sum"] / row["assessments"], 2)
                ),
            }
        )
    moved = regional.movement(db, scope)
    cells, total = _vector([moved["up"], moved["same"], moved["down"]])
    return rows, {"up": cells[0], "same": cells[1], "down": cells[2], "total": total}


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
                "cmmm_score": round(row["cmmm_score"], 2),
                "verified": row["mode"] == "consultant",
                "next_level": next_level if row["next_gap_count"] == 1 else "",
                "missing": missing if row["next_gap_count"] == 1 else [],
            }
        )
    return out
