"""What the results page and the PDF report show, built once from a result. No Flask.

Texts come from the questionnaire (bilingual) and the gettext catalogues; numbers from the
scoring engine; charts from assess/report/charts.py. The results page and the report render this same
object, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from assess.questionnaire.definition import Questionnaire, Requirement, Step
from assess.report import charts
from assess.scoring import explain
from assess.scoring.gaps import LATER, NEAR_TERM, GapAnalysis, GapItem
from assess.scoring.indicators import figure_text
from assess.scoring.result import PASSED, Result
from assess.translation import translator

QUADRANT_ORDER = ("quick_win", "major_project", "fill_in", "deprioritise")


@dataclass(frozen=True)
class RuleRow:
    text: str
    detail: str
    passed: bool
    next_step: str
    state: str = PASSED  # passed | failed | not_assessed (a results rule without a benchmark)
    state_name: str = ""  # met, not met, not assessed


@dataclass(frozen=True)
class LevelRow:
    id: str
    name: str
    reached: bool
    rules_pass: bool
    rules: tuple[RuleRow, ...]
    pending: bool = False  # reached only subject to results


@dataclass(frozen=True)
class IndicatorRow:
    """A results indicator: the enterprise's figure against its provincial sector benchmark."""

    name: str
    unit: str
    applicable: bool
    value: str  # the figure with its unit, or "not entered"
    benchmark: str  # the benchmark with its unit, or "" when none is set
    benchmark_year: str
    benchmark_source: str
    state: str  # better | not_better | no_benchmark | not_entered | not_applicable
    verdict: str


@dataclass(frozen=True)
class BasisRow:
    """A rule and where it comes from, for the method section (grouped by level)."""

    level: str
    rule: str
    basis: str  # policy, reported practice, national standard, this product's own choice
    kind: str  # the basis key, for marking own choices
    note: str


@dataclass(frozen=True)
class Note:
    title: str
    text: str
    basis: str = ""
    kind: str = ""


@dataclass(frozen=True)
class GapRow:
    item_id: str
    label: str
    text: str
    where: str  # sub-domain or scenario, with the level
    link: str
    scenarios: str
    current: str
    needed: str  # the answer that closes it
    next_step: str
    phase: str
    quadrant: str
    impact: float
    effort: int


@dataclass(frozen=True)
class ScenarioRow:
    number: int
    name: str
    link: str
    applicable: bool
    level: str
    reason: str


@dataclass(frozen=True)
class ResultView:
    lang: str
    gradient_name: str
    gradient_rank: int
    cmmm_name: str
    cmmm_level: int | None
    total_score: float
    level_scores: dict[int, float]
    summary: tuple[str, ...]
    levels: tuple[LevelRow, ...]
    target_name: str
    target_cmmm_name: str
    rule_gaps: tuple[RuleRow, ...]
    roadmap: dict[str, tuple[GapRow, ...]]
    top_gaps: tuple[GapRow, ...]
    scenarios: tuple[ScenarioRow, ...]
    radar: Markup
    element_bars: Markup
    matrix: Markup
    skipped_count: int
    not_applicable_count: int  # requirements the enterprise itself marked not applicable
    # 2026.1: tailoring first, results against benchmarks, what the profile shaped, the method
    level_label: str = ""  # the level as named, 'subject to results' while a rule is pending
    subject_to_results: bool = False
    confirmed_name: str = ""  # the highest level with every rule assessed and passed
    confirmed_rank: int = 0  # its rank: the headline (a pending level is named beneath it)
    tailoring: tuple[str, ...] = ()
    has_results: bool = False
    results_year: str = ""
    indicators: tuple[IndicatorRow, ...] = ()
    profile_lines: tuple[str, ...] = ()
    method: tuple[Note, ...] = ()
    bases: tuple[tuple[str, tuple[BasisRow, ...]], ...] = ()  # per level, its rules
    glossary: tuple[Note, ...] = ()


def _figure(q: Questionnaire, indicator_id: str, value: float | None, lang: str) -> str:
    """An indicator's figure with its unit."""
    if value is None:
        return translator(lang).gettext("not entered")
    return f"{figure_text(value)} {q.indicators[indicator_id].unit.get(lang)}"


def _current_text(q: Questionnaire, item: GapItem, lang: str) -> str:
    t = translator(lang)
    if item.kind == "indicator":
        return _figure(q, item.item_id, item.current if item.status != "unanswered" else None, lang)
    if item.status == "unanswered":
        return t.gettext("not answered")
    if item.status == "skipped":
        return t.gettext("not asked: a lower level is not met")
    node = q.items[item.item_id]
    if item.kind == "gate":
        return t.gettext("No")
    scale = q.cmmm.scale if isinstance(node, Requirement) else q.scenarios.scale
    for option in q.scales[scale].options:
        if option.value == item.current:
            return option.label.get(lang)
    return f"{item.current:.1f}"


def _needed_text(q: Questionnaire, item: GapItem, lang: str) -> str:
    if item.kind == "indicator":
        t = translator(lang)
        if not item.needed:
            return t.gettext("a figure, to compare once a benchmark is set")
        better = q.indicators[item.item_id].better == "higher"
        benchmark = _figure(q, item.item_id, item.needed, lang)
        return (
            t.gettext("above %(benchmark)s", benchmark=benchmark)
            if better
            else t.gettext("below %(benchmark)s", benchmark=benchmark)
        )
    if item.kind == "gate":
        return translator(lang).gettext("Yes")
    scale = q.cmmm.scale if item.kind == "cmmm" else q.scenarios.scale
    for option in q.scales[scale].options:
        if option.value == item.needed:
            return option.label.get(lang)
    return f"{item.needed:.1f}"


def gap_row(q: Questionnaire, item: GapItem, lang: str) -> GapRow:
    node = q.items[item.item_id]
    if isinstance(node, Requirement):
        where = f"{q.sub_domains[node.sub_domain].name.get(lang)} · {explain.cmmm_name(q, node.level, lang)}"
    elif isinstance(node, Step):
        where = f"{q.scenario_map[node.scenario].name.get(lang)} · {explain.gradient_name(q, node.level, lang)}"
    elif item.kind == "indicator":
        where = q.results.title.get(lang)
    else:
        where = q.gate.title.get(lang)
    return GapRow(
        item_id=item.item_id,
        label=explain.item_label(q, item.item_id, lang),
        text=node.text.get(lang),
        where=where,
        link=q.link_map[item.link].name.get(lang) if item.link else "",
        scenarios=translator(lang).listing(
            q.scenario_map[s].name.get(lang) for s in item.scenarios
        ),
        current=_current_text(q, item, lang),
        needed=_needed_text(q, item, lang),
        next_step=explain.gap_next_step(q, item, lang),
        phase=item.phase,
        quadrant=item.quadrant,
        impact=item.impact,
        effort=item.effort,
    )


def build(
    q: Questionnaire,
    result: Result,
    analysis: GapAnalysis,
    lang: str,
    answers=None,
    on_site: bool = False,
) -> ResultView:
    """Everything a results page or report shows, in one language (`answers`: for the year
    the results figures are for; `on_site`: answered by a consultant on site, which words the
    rules that name who answered)."""
    levels = tuple(
        LevelRow(
            id=level.id,
            name=explain.gradient_name(q, level.id, lang),
            reached=level.reached,
            rules_pass=level.rules_pass,
            rules=tuple(_rule_row(q, o, lang, on_site) for o in level.rules),
            pending=level.reached and bool(level.pending),
        )
        for level in result.levels
    )
    rule_gaps = tuple(_rule_row(q, g.outcome, lang, on_site) for g in analysis.rule_gaps)
    rows = [gap_row(q, item, lang) for item in analysis.items]
    roadmap = {phase: tuple(r for r in rows if r.phase == phase) for phase in (NEAR_TERM, LATER)}
    top = tuple(rows[:3])  # the roadmap's first three actions: the summary and the plan agree
    scenarios = tuple(
        ScenarioRow(
            number=s.number,
            name=s.name.get(lang),
            link=q.link_map[s.link].name.get(lang),
            applicable=result.scenarios[s.id].applicable,
            level=explain.gradient_name(q, result.scenarios[s.id].level, lang),
            reason=_reason_text(result.scenarios[s.id].not_applicable_reason, lang),
        )
        for s in q.scenarios.items
    )
    return ResultView(
        lang=lang,
        gradient_name=explain.gradient_name(q, result.gradient_level, lang),
        gradient_rank=result.gradient_rank,
        cmmm_name=explain.cmmm_name(q, result.cmmm.level, lang),
        cmmm_level=result.cmmm.level,
        total_score=result.cmmm.total_score,
        level_scores=result.cmmm.level_scores,
        summary=tuple(explain.summary(q, result, lang, on_site)),
        levels=levels,
        target_name=explain.gradient_name(q, analysis.target_level, lang)
        if analysis.target_level
        else "",
        target_cmmm_name=explain.cmmm_name(q, analysis.target_cmmm, lang)
        if analysis.target_cmmm
        else "",
        rule_gaps=rule_gaps,
        roadmap=roadmap,
        top_gaps=top,
        scenarios=scenarios,
        radar=_radar(q, result, analysis, lang),
        element_bars=_element_bars(q, result, lang),
        matrix=_matrix(q, result, lang),
        skipped_count=sum(1 for skip in result.skipped.values() if not skip.not_applicable),
        not_applicable_count=sum(
            1 for item in result.items.values() if item.status == "not_applicable" and item.option
        ),
        level_label=explain.level_label(q, result, lang),
        subject_to_results=result.subject_to_results,
        confirmed_name=explain.gradient_name(q, result.confirmed_level, lang),
        confirmed_rank=result.confirmed_rank,
        tailoring=tuple(explain.tailoring_lines(q, result, lang)),
        has_results=q.results is not None,
        results_year=_results_year(q, answers),
        indicators=tuple(_indicator_row(q, result, i, lang) for i in q.indicators),
        profile_lines=tuple(
            explain.profile_lines(q, result, lang, [item.item_id for item in analysis.items])
        ),
        method=tuple(
            Note(
                n.title.get(lang),
                n.text.get(lang),
                explain.basis_name(n.basis, lang),
                n.basis or "",
            )
            for n in q.method
        ),
        bases=_bases(q, lang, on_site),
        glossary=tuple(Note(n.title.get(lang), n.text.get(lang)) for n in q.glossary),
    )


def _rule_row(q: Questionnaire, outcome, lang: str, on_site: bool = False) -> RuleRow:
    return RuleRow(
        explain.rule_text(q, outcome, lang, on_site),
        explain.rule_detail(q, outcome, lang),
        outcome.passed,
        explain.rule_next_step(q, outcome, lang),
        outcome.state,
        explain.rule_state(outcome, lang),
    )


def _results_year(q: Questionnaire, answers) -> str:
    if q.results is None or answers is None:
        return ""
    answer = answers.get(q.results.year.id)
    return str(answer.value) if answer is not None and answer.value else ""


def _indicator_row(q: Questionnaire, result: Result, indicator_id: str, lang: str) -> IndicatorRow:
    t = translator(lang)
    indicator, found = q.indicators[indicator_id], result.indicators[indicator_id]
    benchmark = found.benchmark
    if not found.applicable:
        state, verdict = "not_applicable", t.gettext("not applicable")
    elif found.value is None:
        state, verdict = "not_entered", t.gettext("not entered")
    elif benchmark is None:
        state, verdict = "no_benchmark", t.gettext("no benchmark set: not assessed")
    elif found.better:
        state, verdict = "better", t.gettext("better than the benchmark")
    else:
        state, verdict = "not_better", t.gettext("not better than the benchmark")
    return IndicatorRow(
        name=indicator.name.get(lang),
        unit=indicator.unit.get(lang),
        applicable=found.applicable,
        value=_figure(q, indicator_id, found.value, lang) if found.applicable else "—",
        benchmark=_figure(q, indicator_id, benchmark.value, lang) if benchmark else "",
        benchmark_year=str(benchmark.year or "") if benchmark else "",
        benchmark_source=benchmark.source if benchmark else "",
        state=state,
        verdict=verdict,
    )


def _bases(
    q: Questionnaire, lang: str, on_site: bool = False
) -> tuple[tuple[str, tuple[BasisRow, ...]], ...]:
    """Per level, every rule with where it comes from (versions that say it: 2026.1 on)."""
    grouped = []
    for level in q.gradient.levels:
        rows = tuple(
            BasisRow(
                level.name.get(lang),
                rule.text_for(on_site).get(lang),
                explain.basis_name(rule.basis, lang),
                rule.basis,
                rule.basis_note.get(lang) if rule.basis_note else "",
            )
            for rule in level.rules
            if rule.basis
        )
        if rows:
            grouped.append((level.name.get(lang), rows))
    return tuple(grouped)


def _reason_text(reason, lang: str) -> str:
    if reason is None:
        return ""
    return reason if isinstance(reason, str) else reason.get(lang)


def _radar(q: Questionnaire, result: Result, analysis: GapAnalysis, lang: str) -> Markup:
    t = translator(lang)
    axes = [
        charts.Axis(sub.name.get(lang), score.total if score.applicable else None)
        for sub in q.sub_domains.values()
        for score in (result.cmmm.sub_domains[sub.id],)
    ]
    target = None
    target_label = ""
    if analysis.target_cmmm:
        target = next(b.min_score for b in q.cmmm.bands if b.level == analysis.target_cmmm)
        target_label = t.gettext(
            "Target: %(level)s", level=explain.cmmm_name(q, analysis.target_cmmm, lang)
        )
    return charts.radar(
        axes,
        target,
        float(len(q.cmmm.levels)),
        t.gettext("Sub-domain scores and the target maturity level"),
        target_label,
        t.gettext("Current score"),
        t.gettext("not applicable"),
    )


def _element_bars(q: Questionnaire, result: Result, lang: str) -> Markup:
    series = [explain.cmmm_name(q, level.level, lang) for level in q.cmmm.levels]
    rows = [
        charts.Bar(
            element.name.get(lang),
            tuple(result.cmmm.element_scores[element.id][level.level] for level in q.cmmm.levels),
        )
        for element in q.cmmm.elements
    ]
    short = [name.split("（")[0].split(" (")[0] for name in series]
    return charts.bars(
        rows,
        short,
        1.0,
        translator(lang).gettext("Element scores per level"),
        threshold=q.cmmm.reach_threshold,
    )


def _matrix(q: Questionnaire, result: Result, lang: str) -> Markup:
    rows = [
        charts.MatrixRow(
            f"{s.number}. {s.name.get(lang)}",
            result.scenarios[s.id].rank,
            result.scenarios[s.id].applicable,
        )
        for s in q.scenarios.items
    ]
    columns = [level.name.get(lang) for level in q.gradient.levels]
    t = translator(lang)
    return charts.matrix(
        rows,
        columns,
        t.gettext("Level reached in each typical scenario"),
        t.gettext("not applicable"),
        explain.gradient_name(q, None, lang),
    )
