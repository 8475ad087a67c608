"""Benchmarks on the results page, in its JSON and in the report: per sub-domain and scenario,
this enterprise against the quartiles of its sector, its province and its size, from the
quarterly snapshots (assess/regional/peer_parts.py), with their date. No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.organisation.sizes import size_name
from assess.questionnaire.definition import Questionnaire
from assess.regional import peer_parts, regions
from assess.regional.peer_figures import MIN_PEERS
from assess.report.content import sector_label
from assess.scoring import explain
from assess.scoring.result import Result
from assess.store import organisations
from assess.translation import today_in_china, translator


@dataclass(frozen=True)
class GroupHead:
    label: str  # e.g. "Sector: 工业母机"
    as_of: str  # the quarter end of its figures ("" when nothing is shown)


@dataclass(frozen=True)
class BenchmarkRow:
    name: str
    own: str
    cells: tuple[str, ...]  # per group: "median (lower–upper quartile)", or "—"
    below: bool  # the enterprise is below the lower quartile of at least one group


@dataclass(frozen=True)
class BenchmarksView:
    groups: tuple[GroupHead, ...]
    sub_domains: tuple[BenchmarkRow, ...]
    scenarios: tuple[BenchmarkRow, ...]
    min_size: int = MIN_PEERS


def build(
    db: Database,
    q: Questionnaire,
    organisation: dict,
    result: Result,
    lang: str,
    today: str,
    format_date=lambda value, *_: value,
) -> BenchmarksView | None:
    """The benchmarks of an organisation's result; None when no group may be shown."""
    t = translator(lang)
    groups = (
        (
            "sector",
            organisation["sector"],
            t.gettext("Sector: %(name)s", name=sector_label(q, organisation["sector"], lang)),
        ),
        (
            "province",
            organisation["region_code"][:2],
            t.gettext(
                "Province: %(name)s",
                name=regions.label(organisation["region_code"][:2] + "0000", lang),
            ),
        ),
        (
            "size",
            organisation["size"],
            t.gettext("Size: %(name)s", name=size_name(organisation["size"], lang)),
        ),
    )
    found = [peer_parts.of_group(db, grouping, key, today) for grouping, key, _ in groups]
    if not any(found):
        return None

    def level(rank: float) -> str:
        rank = int(rank)
        return explain.gradient_name(q, q.gradient.levels[rank - 1].id if rank else None, lang)

    def cells(part: str, own: float | None, shown) -> tuple[tuple[str, ...], bool]:
        out, below = [], False
        for figures in found:
            quartile = figures.get(part)
            if quartile is None:
                out.append("—")
                continue
            below = below or (own is not None and own < quartile.q1)
            out.append(
                f"{shown(quartile.median)} ({shown(quartile.q1)}–{shown(quartile.q3)})"
                if shown is _score
                else t.gettext(
                    "%(median)s (%(lower)s to %(upper)s)",
                    median=shown(quartile.median),
                    lower=shown(quartile.q1),
                    upper=shown(quartile.q3),
                )
            )
        return tuple(out), below

    subs = []
    for sub in q.sub_domains.values():
        score = result.cmmm.sub_domains[sub.id]
        own = score.total if score.applicable else None
        row_cells, below = cells(sub.id, own, _score)
        subs.append(
            BenchmarkRow(sub.name.get(lang), "—" if own is None else _score(own), row_cells, below)
        )
    scenarios = []
    for scenario in sorted(q.scenarios.items, key=lambda s: s.number):
        found_scenario = result.scenarios[scenario.id]
        own = found_scenario.rank if found_scenario.applicable else None
        row_cells, below = cells(scenario.id, own, level)
        scenarios.append(
            BenchmarkRow(
                f"{scenario.number}. {scenario.name.get(lang)}",
                t.gettext("not applicable") if own is None else level(own),
                row_cells,
                below,
            )
        )
    heads = tuple(
        GroupHead(
            label,
            format_date(max((f.as_of for f in figures.values()), default=""), "long")
            if figures
            else "",
        )
        for (_, _, label), figures in zip(groups, found, strict=True)
    )
    return BenchmarksView(heads, tuple(subs), tuple(scenarios))


def _score(value: float) -> str:
    return f"{value:.2f}"


def of_assessment(
    db: Database, q: Questionnaire, row: dict, result: Result, lang: str, format_date=None
) -> BenchmarksView | None:
    """The benchmarks of a submitted assessment's result, as of today's snapshots."""
    organisation = organisations.get(db, row["organisation_id"])
    today = today_in_china().isoformat()
    if format_date is None:
        return build(db, q, organisation, result, lang, today)
    return build(db, q, organisation, result, lang, today, format_date)
