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
from assess.scoring.result import Result
from assess.translation import translator

QUADRANT_ORDER = ("quick_win", "major_project", "fill_in", "deprioritise")


@dataclass(frozen=True)
class RuleRow:
    text: str
    detail: str
    passed: bool
    next_step: str


@dataclass(frozen=True)
class LevelRow:
    id: str
    name: str
    reached: bool
    rules_pass: bool
    rules: tuple[RuleRow, ...]


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


def _current_text(q: Questionnaire, item: GapItem, lang: str) -> str:
    t = translator(lang)
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
    if item.kind == "gate":
        return translator(lang).gettext("Yes")
    scale = q.cmmm.scale if item.kind == "cmmm" else q.scenarios.scale
    for option in q.scales[scale].options:
        if option.value == item.needed:
            return option.label.get(lang)
    return f"{item.needed:.1f}"


def _gap_row(q: Questionnaire, item: GapItem, lang: str) -> GapRow:
    node = q.items[item.item_id]
    if isinstance(node, Requirement):
        where = f"{q.sub_domains[node.sub_domain].name.get(lang)} · {explain.cmmm_name(q, node.level, lang)}"
    elif isinstance(node, Step):
        where = f"{q.scenario_map[node.scenario].name.get(lang)} · {explain.gradient_name(q, node.level, lang)}"
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
        next_step=node.next_step.get(lang) if node.next_step else "",
        phase=item.phase,
        quadrant=item.quadrant,
        impact=item.impact,
        effort=item.effort,
    )


def build(q: Questionnaire, result: Result, analysis: GapAnalysis, lang: str) -> ResultView:
    """Everything a results page or report shows, in one language."""
    levels = tuple(
        LevelRow(
            id=level.id,
            name=explain.gradient_name(q, level.id, lang),
            reached=level.reached,
            rules_pass=level.rules_pass,
            rules=tuple(
                RuleRow(
                    explain.rule_text(q, o, lang),
                    explain.rule_detail(q, o, lang),
                    o.passed,
                    explain.rule_next_step(q, o, lang),
                )
                for o in level.rules
            ),
        )
        for level in result.levels
    )
    rule_gaps = tuple(
        RuleRow(
            explain.rule_text(q, g.outcome, lang),
            explain.rule_detail(q, g.outcome, lang),
            False,
            explain.rule_next_step(q, g.outcome, lang),
        )
        for g in analysis.rule_gaps
    )
    rows = [_gap_row(q, item, lang) for item in analysis.items]
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
        summary=tuple(explain.summary(q, result, lang)),
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
    )


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
