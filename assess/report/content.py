"""The gap report's content: peers, history, the appendix of answers, links and quadrants,
built from the result. No Flask (the document: assess/report/document.py; its PDF:
assess/report/pdf.py)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from sqlite_utils import Database

from assess.assessment.answering import review_items
from assess.questionnaire import pages
from assess.questionnaire.definition import Question, Questionnaire, Requirement, Step
from assess.regional import peer_figures, regions
from assess.report import charts
from assess.report.view import QUADRANT_ORDER, GapRow, ResultView
from assess.scoring import explain
from assess.scoring.gaps import GapAnalysis
from assess.scoring.result import Result
from assess.store import assessments, peers
from assess.store.assessments import StoredAnswer
from assess.translation import translator


@dataclass(frozen=True)
class PeerView:
    group: str  # sector | province
    label: str
    count: int
    percentile: int | None  # share of peers with a lower total score S; None: not shown
    own_level: str
    chart: Markup
    as_of: str  # the quarter end the figures are of


@dataclass(frozen=True)
class HistoryRow:
    date: str
    gradient: str
    cmmm: str
    score: float
    is_this: bool
    kind: str = ""  # self-assessment or verified on site


@dataclass(frozen=True)
class Change:
    name: str
    before: str
    after: str
    # None: neither better nor worse (a scenario that now applies, or no longer does)
    better: bool | None


@dataclass(frozen=True)
class AppendixRow:
    label: str
    answer: str
    reason: str
    note: str
    comment: str = ""  # the enterprise's own comment on its answer


@dataclass(frozen=True)
class AppendixSection:
    title: str
    rows: tuple[AppendixRow, ...]


def peer_views(
    db: Database, q: Questionnaire, organisation: dict, result: Result, lang: str, today: str
) -> list[PeerView]:
    """Where the enterprise sits among its sector and its province, from the quarterly peer
    snapshots, as much as may be shown (assess/regional/peer_figures.py)."""
    t = translator(lang)
    peer_titles = {
        "sector": t.gettext("Gradient levels of enterprises in the same sector"),
        "province": t.gettext("Gradient levels of enterprises in the same province"),
    }
    levels = [explain.gradient_name(q, None, lang)] + [
        level.name.get(lang) for level in q.gradient.levels
    ]
    views = []
    for group, key, label in (
        ("sector", organisation["sector"], sector_label(q, organisation["sector"], lang)),
        (
            "province",
            organisation["region_code"][:2],
            regions.label(organisation["region_code"][:2] + "0000", lang),
        ),
    ):
        history = peers.snapshots(db, group, key, until=today)
        figures = peer_figures.shown(history, result.cmmm.total_score)
        if figures is None:
            continue
        chart = charts.distribution(
            levels,
            figures.shares,
            result.gradient_rank,
            peer_titles[group],
            t.gettext("this enterprise"),
        )
        views.append(
            PeerView(
                group,
                label,
                figures.enterprises,
                None if figures.lower is None else round(100 * figures.lower / figures.enterprises),
                explain.gradient_name(q, result.gradient_level, lang),
                chart,
                figures.as_of,
            )
        )
    return views


def sector_label(q: Questionnaire, sector: str, lang: str) -> str:
    for option in q.items["profile.sector"].options:
        if option.id == sector:
            return option.label.get(lang)
    return sector


def history(db: Database, q_of, row: dict, result: Result, lang: str, format_date) -> tuple:
    """Earlier assessments (oldest first, then this one), and what moved since the last one of
    the same kind: a verification is compared with a verification, a self-assessment with a
    self-assessment (self vs verified is the comparison section's job)."""
    earlier = peers.earlier_submitted(db, row["organisation_id"], row["id"])
    if not earlier:
        return (), (), (), ""
    rows = []
    for before in earlier:
        bq = q_of(before)
        rows.append(
            HistoryRow(
                format_date(before["submitted_at"]),
                explain.pending_level_name(
                    bq, before["gradient_level"], assessments.subject_to_results(before), lang
                ),
                explain.cmmm_name(bq, before["cmmm_level"] or None, lang),
                before["cmmm_score"],
                False,
                _kind(before["mode"], lang),
            )
        )
    q = q_of(row)
    rows.append(
        HistoryRow(
            format_date(row["submitted_at"]),
            explain.level_label(q, result, lang),
            explain.cmmm_name(q, result.cmmm.level, lang),
            result.cmmm.total_score,
            True,
            _kind(row["mode"], lang),
        )
    )
    same_kind = [before for before in earlier if before["mode"] == row["mode"]]
    if not same_kind:
        return tuple(rows), (), (), ""
    last = same_kind[-1]
    t = translator(lang)
    since = (
        t.gettext(
            "Since the last on-site verification (%(date)s):",
            date=format_date(last["submitted_at"]),
        )
        if last["mode"] == "consultant"
        else t.gettext(
            "Since the last self-assessment (%(date)s):", date=format_date(last["submitted_at"])
        )
    )
    scenario_changes = []
    before_ranks = peers.scenario_ranks(db, last["id"])
    for scenario in q.scenarios.items:
        was = before_ranks.get(scenario.id)
        now = result.scenarios[scenario.id]
        if was is None or (was[0] and was[1]) == (now.applicable and now.rank):
            continue
        scenario_changes.append(
            Change(
                scenario.name.get(lang),
                _rank_name(q, was[1] if was[0] else None, lang),
                _rank_name(q, now.rank if now.applicable else None, lang),
                now.rank > was[1] if now.applicable and was[0] else None,
            )
        )
    before_scores = peers.sub_domain_scores(db, last["id"])
    movers = []
    for sub in q.sub_domains.values():
        if sub.id in before_scores and result.cmmm.sub_domains[sub.id].applicable:
            delta = result.cmmm.sub_domains[sub.id].total - before_scores[sub.id]
            if abs(delta) >= 0.05:
                movers.append(
                    (
                        abs(delta),
                        Change(
                            sub.name.get(lang),
                            f"{before_scores[sub.id]:.2f}",
                            f"{result.cmmm.sub_domains[sub.id].total:.2f}",
                            delta > 0,
                        ),
                    )
                )
    movers.sort(key=lambda pair: -pair[0])
    return tuple(rows), tuple(scenario_changes), tuple(change for _, change in movers[:8]), since


def _kind(mode: str, lang: str) -> str:
    t = translator(lang)
    return t.gettext("verified on site") if mode == "consultant" else t.gettext("self-assessment")


def _rank_name(q: Questionnaire, rank: int | None, lang: str) -> str:
    if rank is None:
        return translator(lang).gettext("not applicable")
    return explain.gradient_name(q, q.gradient.levels[rank - 1].id if rank else None, lang)


def appendix(
    q: Questionnaire,
    stored: dict[str, StoredAnswer],
    result: Result,
    lang: str,
    notes: dict | None = None,
    on_site: bool = False,
    comments: dict[str, str] | None = None,
) -> tuple[AppendixSection, ...]:
    """Every item with its answer, reason and evidence note, page by page; a reviewer's
    items only in an on-site assessment (a self-assessment has none).

    Items not asked for one and the same reason share one row that gives the reason once.
    """
    t = translator(lang)
    notes = notes or {}
    sections = []
    for page in pages.pages(q):
        rows: list[AppendixRow] = []
        last_skip = None
        for item_id in page.item_ids:
            if not on_site and item_id in review_items(q):
                continue
            item = q.items[item_id]
            skip = result.skipped.get(item_id)
            if skip is not None:
                if skip != last_skip:
                    label = _skipped_label(q, skip, page.item_ids, result, lang)
                    if skip.not_applicable:  # "not applicable · <the reason given>"
                        shown = t.gettext("not applicable")
                        why = explain.given_reason(skip, lang)
                    else:
                        shown = t.gettext("not asked (counts as not met)")
                        why = explain.skip_reason(q, skip, lang)
                    rows.append(AppendixRow(label, shown, why, ""))
            else:
                answer = stored.get(item_id)
                shown, reason = t.gettext("not answered"), ""
                if item_id in review_items(q):  # a reviewer's, on site, not the enterprise's
                    shown = t.gettext("not yet reviewed")
                if answer is not None:
                    shown = answer_label(q, item, answer.answer.value, lang)
                    reason = answer.answer.reason
                label = explain.item_label(q, item_id, lang)
                rows.append(
                    AppendixRow(
                        label,
                        shown,
                        reason,
                        notes.get(item_id, ""),
                        (comments or {}).get(item_id, ""),
                    )
                )
            last_skip = skip
        sections.append(AppendixSection(page.title.get(lang), tuple(rows)))
    return tuple(sections)


def _skipped_label(q: Questionnaire, skip, item_ids, result: Result, lang: str) -> str:
    """The items one skip covers: '[数据] 三级（集成级）、四级（优化级）'."""
    covered = [i for i in item_ids if result.skipped.get(i) == skip]
    if len(covered) == 1:
        return explain.item_label(q, covered[0], lang)
    container = q.sub_domains.get(skip.container) or q.scenario_map.get(skip.container)
    levels = []
    for item_id in covered:
        node = q.items[item_id]
        if isinstance(node, Requirement):
            levels.append(explain.cmmm_name(q, node.level, lang))
        elif isinstance(node, Step):
            levels.append(explain.gradient_name(q, node.level, lang))
        else:
            levels.append(node.text.get(lang))
    return f"[{container.name.get(lang)}] {translator(lang).listing(levels)}"


def answer_label(q: Questionnaire, item, value, lang: str) -> str:
    """The option label(s) of an answer value, in one language."""
    if isinstance(item, Question):
        options = {o.id: o.label.get(lang) for o in q.options_of(item)}
    else:
        scale = q.cmmm.scale if isinstance(item, Requirement) else q.scenarios.scale
        options = {o.id: o.label.get(lang) for o in q.scales[scale].options}
        options["na"] = translator(lang).gettext("not applicable")
    values = value if isinstance(value, tuple) else (value,)
    return translator(lang).listing(options.get(v, str(v)) for v in values)


def quadrants(view: ResultView) -> dict[str, list[GapRow]]:
    """The impact x effort view: gap rows by quadrant."""
    grid: dict[str, list] = {name: [] for name in QUADRANT_ORDER}
    for phase_rows in view.roadmap.values():
        for row in phase_rows:
            grid[row.quadrant].append(row)
    return grid


def by_link(q: Questionnaire, result: Result, analysis: GapAnalysis, lang: str) -> list[dict]:
    """Per link: its scenarios with their level, and the gap items that belong to it."""
    rows = []
    for link in q.links:
        items = [item for item in analysis.items if item.link == link.id]
        rows.append(
            {
                "link": link.name.get(lang),
                "scenarios": [
                    (
                        s.name.get(lang),
                        _rank_name(
                            q,
                            result.scenarios[s.id].rank
                            if result.scenarios[s.id].applicable
                            else None,
                            lang,
                        ),
                    )
                    for s in q.scenarios.items
                    if s.link == link.id
                ],
                "near_term": sum(1 for i in items if i.phase == "near_term"),
                "later": sum(1 for i in items if i.phase == "later"),
            }
        )
    across = [item for item in analysis.items if item.link is None]
    if across:  # requirements of no one link (strategy, staff, data, ...): the table adds up
        containers = dict.fromkeys(item.container for item in across)
        rows.append(
            {
                "link": None,
                "scenarios": [],
                "sub_domains": [
                    q.sub_domains[c].name.get(lang) if c in q.sub_domains else c for c in containers
                ],
                "near_term": sum(1 for i in across if i.phase == "near_term"),
                "later": sum(1 for i in across if i.phase == "later"),
            }
        )
    return rows
