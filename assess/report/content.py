"""The gap report: what it shows (built from the result, peers and history) and its PDF.

One HTML template (templates/report/report.html) serves the HTML preview and the PDF, rendered
by WeasyPrint with a URL fetcher that reads only the app's own static files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from sqlite_utils import Database

from assess.questionnaire import pages as wizard
from assess.questionnaire.definition import Question, Questionnaire, Requirement, Step
from assess.regional import regions
from assess.report import charts
from assess.report import view as result_view
from assess.scoring import explain
from assess.scoring.gaps import GapAnalysis
from assess.scoring.result import Result
from assess.store import peers
from assess.store.assessments import StoredAnswer
from assess.web.i18n import listing

# Bump when the report's content or layout changes, so that cached PDFs are made again.
REPORT_VERSION = "1"
MIN_PEERS = 5
PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = PACKAGE_DIR / "templates" / "report"
STATIC_DIR = PACKAGE_DIR / "static"
log = logging.getLogger(__name__)

TEXT = {
    "zh": {
        "peer_title": "同{group}企业的梯度等级分布",
        "sector": "行业",
        "province": "省份",
        "you": "本企业",
        "unanswered": "未作答",
        "skipped": "未询问（按不满足计）",
        "not_applicable": "不适用",
        "self": "自评估",
        "consultant": "顾问现场核实",
        "changes_since": "与上一次{kind}（{date}）相比：",
        "since_self": "自评估",
        "since_consultant": "顾问现场核实",
    },
    "en": {
        "peer_title": "Gradient levels of enterprises in the same {group}",
        "sector": "sector",
        "province": "province",
        "you": "this enterprise",
        "unanswered": "not answered",
        "skipped": "not asked (counts as not met)",
        "not_applicable": "not applicable",
        "self": "self-assessment",
        "consultant": "verified on site",
        "changes_since": "Since the last {kind} ({date}):",
        "since_self": "self-assessment",
        "since_consultant": "on-site verification",
    },
}


@dataclass(frozen=True)
class PeerView:
    group: str  # sector | province
    label: str
    count: int
    percentile: int  # share of peers with a lower total score S
    own_level: str
    chart: Markup


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


@dataclass(frozen=True)
class AppendixSection:
    title: str
    rows: tuple[AppendixRow, ...]


def peer_views(
    db: Database, q: Questionnaire, organisation: dict, result: Result, lang: str
) -> list[PeerView]:
    """Where the enterprise sits among its sector and its province (at least MIN_PEERS each)."""
    text = TEXT[lang]
    views = []
    for group, label in (
        ("sector", _sector_label(q, organisation["sector"], lang)),
        ("province", regions.label(organisation["region_code"][:2] + "0000", lang)),
    ):
        others = peers.peer_scores(db, organisation, group)
        if len(others) < MIN_PEERS:
            continue
        levels = [explain.gradient_name(q, None, lang)] + [
            level.name.get(lang) for level in q.gradient.levels
        ]
        counts = [0] * len(levels)
        for row in others:
            counts[row["gradient_rank"] or 0] += 1
        shares = [c / len(others) for c in counts]
        lower = sum(1 for row in others if (row["cmmm_score"] or 0) < result.cmmm.total_score)
        chart = charts.distribution(
            levels,
            shares,
            result.gradient_rank,
            text["peer_title"].format(group=text[group]),
            text["you"],
        )
        views.append(
            PeerView(
                group,
                label,
                len(others),
                round(100 * lower / len(others)),
                explain.gradient_name(q, result.gradient_level, lang),
                chart,
            )
        )
    return views


def _sector_label(q: Questionnaire, sector: str, lang: str) -> str:
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
                explain.gradient_name(bq, before["gradient_level"], lang),
                explain.cmmm_name(bq, before["cmmm_level"] or None, lang),
                before["cmmm_score"],
                False,
                TEXT[lang][before["mode"]],
            )
        )
    q = q_of(row)
    rows.append(
        HistoryRow(
            format_date(row["submitted_at"]),
            explain.gradient_name(q, result.gradient_level, lang),
            explain.cmmm_name(q, result.cmmm.level, lang),
            result.cmmm.total_score,
            True,
            TEXT[lang][row["mode"]],
        )
    )
    same_kind = [before for before in earlier if before["mode"] == row["mode"]]
    if not same_kind:
        return tuple(rows), (), (), ""
    last = same_kind[-1]
    since = TEXT[lang]["changes_since"].format(
        kind=TEXT[lang][f"since_{last['mode']}"], date=format_date(last["submitted_at"])
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


def _rank_name(q: Questionnaire, rank: int | None, lang: str) -> str:
    if rank is None:
        return TEXT[lang]["not_applicable"]
    return explain.gradient_name(q, q.gradient.levels[rank - 1].id if rank else None, lang)


def appendix(
    q: Questionnaire,
    stored: dict[str, StoredAnswer],
    result: Result,
    lang: str,
    notes: dict | None = None,
) -> tuple[AppendixSection, ...]:
    """Every item with its answer, reason and evidence note, page by page.

    Items not asked for one and the same reason share one row that gives the reason once.
    """
    text = TEXT[lang]
    notes = notes or {}
    sections = []
    for page in wizard.pages(q):
        rows: list[AppendixRow] = []
        last_skip = None
        for item_id in page.item_ids:
            item = q.items[item_id]
            skip = result.skipped.get(item_id)
            if skip is not None:
                if skip != last_skip:
                    label = _skipped_label(q, skip, page.item_ids, result, lang)
                    if skip.not_applicable:  # "not applicable · <the reason given>"
                        shown, why = text["not_applicable"], explain.given_reason(skip, lang)
                    else:
                        shown, why = text["skipped"], explain.skip_reason(q, skip, lang)
                    rows.append(AppendixRow(label, shown, why, ""))
            else:
                answer = stored.get(item_id)
                shown, reason = text["unanswered"], ""
                if answer is not None:
                    shown = answer_label(q, item, answer.answer.value, lang)
                    reason = answer.answer.reason
                label = explain.item_label(q, item_id, lang)
                rows.append(AppendixRow(label, shown, reason, notes.get(item_id, "")))
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
    return f"[{container.name.get(lang)}] {listing(levels, lang)}"


def answer_label(q: Questionnaire, item, value, lang: str) -> str:
    """The option label(s) of an answer value, in one language."""
    if isinstance(item, Question):
        options = {o.id: o.label.get(lang) for o in q.options_of(item)}
    else:
        scale = q.cmmm.scale if isinstance(item, Requirement) else q.scenarios.scale
        options = {o.id: o.label.get(lang) for o in q.scales[scale].options}
        options["na"] = TEXT[lang]["not_applicable"]
    values = value if isinstance(value, tuple) else (value,)
    return listing((options.get(v, str(v)) for v in values), lang)


def quadrants(view: result_view.ResultView) -> dict[str, list[result_view.GapRow]]:
    """The impact x effort view: gap rows by quadrant."""
    grid: dict[str, list] = {name: [] for name in result_view.QUADRANT_ORDER}
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


def cache_key(parts: dict) -> str:
    """A hash of everything the report depends on (see views.report for the parts)."""
    parts = {**parts, "report_version": REPORT_VERSION, "templates": _template_digest()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


_TEMPLATE_DIGEST: str | None = None


def _template_digest() -> str:
    """A hash of what makes the report look as it does besides its data.

    The templates and stylesheet, the code that lays out charts and tables, and the
    translations: after an upgrade changes any of them, a cached PDF is made again.
    """
    global _TEMPLATE_DIGEST
    if _TEMPLATE_DIGEST is None:
        digest = hashlib.sha256()
        for path in report_inputs():
            digest.update(str(path.relative_to(PACKAGE_DIR.parent)).encode())
            digest.update(path.read_bytes())
        _TEMPLATE_DIGEST = digest.hexdigest()[:16]
    return _TEMPLATE_DIGEST


def report_inputs() -> list[Path]:
    return sorted(
        [
            *TEMPLATE_DIR.glob("*.html"),
            STATIC_DIR / "report.css",
            *PACKAGE_DIR.rglob("*.py"),
            *PACKAGE_DIR.glob("translations/*/LC_MESSAGES/*.mo"),
        ]
    )


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


class RenderTimeout(Exception):
    """Rendering took longer than the limit; it goes on and fills the cache when done."""


_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="report")
_SLOTS = threading.BoundedSemaphore(2)


def _fetcher():
    """A URL fetcher that reads only data: URLs and the app's static files."""
    from weasyprint.urls import URLFetcher

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:///static/"):
                name = url.removeprefix("file:///static/").split("?")[0]
                path = (STATIC_DIR / name).resolve()
                if path.is_file() and STATIC_DIR in path.parents:
                    from weasyprint.urls import URLFetcherResponse

                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _mime(path)})
            raise ValueError(f"blocked: the report fetches only its own static files ({url[:80]})")

    return StaticOnly(allowed_protocols={"data", "file"}, timeout=1)


def _mime(path: Path) -> str:
    return {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(
        path.suffix, "application/octet-stream"
    )


def html_to_pdf(html: str) -> bytes:
    """Render the report HTML to a tagged PDF."""
    from weasyprint import HTML

    document = HTML(string=html, base_url="file:///", url_fetcher=_fetcher())
    # pdf_tags: a tagged PDF (headings, tables, figures with their alt text) for screen readers.
    return document.write_pdf(pdf_tags=True)


def _render_into(html: str, cache_file: Path) -> bytes:
    """Render and write the cache file (whole or not at all); at most two renders at once."""
    with _SLOTS:
        if cache_file.exists():
            return cache_file.read_bytes()
        pdf = html_to_pdf(html)
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        partial = cache_file.with_name(
            f"{cache_file.name}.{os.getpid()}.{threading.get_ident()}.part"
        )
        partial.write_bytes(pdf)
        partial.replace(cache_file)
        return pdf


def render_in_background(html: str, cache_file: Path) -> None:
    """Start rendering into the cache and return at once (a report wanted soon, e.g. just
    submitted); a failure is logged, and the download renders it again."""
    if cache_file.exists():
        return

    def work() -> None:
        try:
            _render_into(html, cache_file)
        except Exception:  # the download will try again and say so
            log.exception("rendering a report in the background failed")

    _EXECUTOR.submit(work)


def render_pdf(html: str, cache_file: Path, timeout: float) -> bytes:
    """The PDF for this HTML, cached in cache_file; RenderTimeout past the time limit."""
    if cache_file.exists():
        return cache_file.read_bytes()
    future = _EXECUTOR.submit(_render_into, html, cache_file)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout as error:
        log.warning("report rendering passed %.0f s; it continues in the background", timeout)
        raise RenderTimeout() from error
