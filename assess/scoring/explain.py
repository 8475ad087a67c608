"""The trace in plain words, in Chinese or English: rules with their numbers, skips, summaries.
Rule details live in explain_rules, tailoring, results and profile effects in explain_scope,
shared words in words; this module is the one the views, the report and the CLI import.

Used by the CLI, the result pages and the PDF report alike. No Flask: the language is passed
in, and the words come from the gettext catalogues (assess.translation).
"""

from __future__ import annotations

from assess.questionnaire.definition import Questionnaire, Requirement, Step, Text
from assess.scoring.conditions import conditions_fail
from assess.scoring.explain_rules import DETAILS, basis_name, rule_state
from assess.scoring.explain_scope import indicator_line, profile_lines, tailoring_lines
from assess.scoring.result import TAILORED, Result, RuleOutcome, Skip
from assess.scoring.words import cmmm_name, condition_text, gradient_name, join, score_value
from assess.translation import translator

__all__ = [
    "DETAILS",
    "basis_name",
    "cmmm_name",
    "condition_text",
    "gap_next_step",
    "given_reason",
    "gradient_name",
    "indicator_line",
    "item_label",
    "level_label",
    "pending_level_name",
    "profile_lines",
    "rule_detail",
    "rule_next_step",
    "rule_state",
    "rule_text",
    "skip_reason",
    "summary",
    "tailoring_lines",
]


def item_label(q: Questionnaire, item_id: str, lang: str) -> str:
    """The item's statement, prefixed by where it sits: '[数据 · 一级（规划级）] ...'."""
    item = q.items[item_id]
    if isinstance(item, Requirement):
        where = (
            f"{q.sub_domains[item.sub_domain].name.get(lang)} · {cmmm_name(q, item.level, lang)}"
        )
    elif isinstance(item, Step):
        scenario = q.scenario_map[item.scenario]
        where = f"{scenario.name.get(lang)} · {gradient_name(q, item.level, lang)}"
    elif item_id in q.scenario_of_applicability:  # the same question for every scenario
        where = q.scenario_map[q.scenario_of_applicability[item_id]].name.get(lang)
    elif item_id in q.sub_domain_of_tailoring:  # the same questions for every sub-domain
        where = q.sub_domains[q.sub_domain_of_tailoring[item_id]].name.get(lang)
    elif item_id in q.indicators:
        where = q.results.title.get(lang)
        unit = q.indicators[item_id].unit.get(lang)
        return f"[{where}] {item.text.get(lang)} ({unit})"
    else:
        return item.text.get(lang)
    return f"[{where}] {item.text.get(lang)}"


def rule_detail(q: Questionnaire, outcome: RuleOutcome, lang: str) -> str:
    """The numbers behind one rule's outcome."""
    try:
        detail = DETAILS[outcome.type]
    except KeyError:
        raise ValueError(f"no explanation for rule type {outcome.type!r}") from None
    return detail(q, outcome, translator(lang))


def gap_next_step(q: Questionnaire, item, lang: str) -> str:
    """A roadmap item's next step: the one its profile chose (sector, production mode, own
    design), else the item's own."""
    step = getattr(item, "advice", None) or q.items[item.item_id].next_step
    return step.get(lang) if step else ""


def rule_text(q: Questionnaire, outcome: RuleOutcome, lang: str, on_site: bool = False) -> str:
    """The rule as written in the questionnaire, worded for who answered (on_site: a
    consultant on site, not the enterprise)."""
    return q.rules[outcome.rule_id].text_for(on_site).get(lang)


def rule_next_step(q: Questionnaire, outcome: RuleOutcome, lang: str) -> str:
    rule = q.rules[outcome.rule_id]
    return rule.next_step.get(lang) if rule.next_step else ""


def given_reason(skip: Skip, lang: str) -> str:
    """The reason given for calling an item not applicable, as given."""
    return skip.reason.get(lang) if isinstance(skip.reason, Text) else (skip.reason or "")


def waiting(q: Questionnaire, skip: Skip, answers) -> bool:
    """A progressive staircase's level that is closed only because the level below it is not
    answered yet (unanswered items count as not met until they are)."""
    if answers is None or skip.kind not in ("sub_domain_below", "step_not_met"):
        return False
    if skip.kind == "sub_domain_below":
        if q.cmmm.staircase != "progressive":
            return False
        below = q.requirement_ids_at[skip.container].get(skip.level, ())
    else:
        if q.scenarios.staircase != "progressive":
            return False
        below = [s.id for s in q.steps_by_level[skip.container].get(skip.level, ())]
    return any(
        answers.get(item_id) is None and not conditions_fail(q.items[item_id].applies_when, answers)
        for item_id in below
    )


def fold_rating(q: Questionnaire, lang: str) -> str:
    """The rating a CMMM level must reach on average for the levels above it to be asked
    (the option whose value is the staircase's limit, e.g. 部分满足), in words."""
    options = sorted(q.scales[q.cmmm.scale].options, key=lambda o: o.value or 0.0)
    for option in options:
        if (option.value or 0.0) >= q.cmmm.skip_below - 1e-9:
            return option.label.get(lang)
    return options[-1].label.get(lang)


def skip_reason(q: Questionnaire, skip: Skip, lang: str, answers=None) -> str:
    """Why an item is not asked. With the answers, a level of a progressive staircase that
    waits for the level below to be answered says so, rather than that it failed."""
    t = translator(lang)
    if waiting(q, skip, answers):
        if skip.kind == "sub_domain_below":
            return t.gettext(
                "Opens once the requirements of '%(name)s' at %(level)s are answered and rated"
                " “%(rating)s” or better on average (unanswered ones count as not met).",
                name=q.sub_domains[skip.container].name.get(lang),
                level=cmmm_name(q, skip.level, lang),
                rating=fold_rating(q, lang),
            )
        return t.gettext(
            "Opens once the %(level)s step of '%(name)s' is answered and met.",
            name=q.scenario_map[skip.container].name.get(lang),
            level=gradient_name(q, skip.level, lang),
        )
    if skip.kind == TAILORED:
        return t.gettext(
            "'%(name)s' is tailored out: %(reason)s",
            name=q.sub_domains[skip.container].name.get(lang),
            reason=given_reason(skip, lang),
        )
    if skip.kind == "tailoring_not_offered":
        sub = q.sub_domains[skip.container]
        return t.gettext(
            "'%(name)s' can be tailored out only when: %(condition)s.",
            name=sub.name.get(lang),
            condition=condition_text(q, sub.tailorable.when, lang),
        )
    if skip.kind == "review_not_needed":
        return t.gettext(
            "'%(name)s' is not tailored out: there is nothing to review.",
            name=q.sub_domains[skip.container].name.get(lang),
        )
    if skip.not_applicable:
        return t.gettext("Not applicable: %(reason)s", reason=given_reason(skip, lang))
    if skip.kind == "sub_domain_below":
        return t.gettext(
            "The requirements of '%(name)s' at %(level)s are rated below “%(rating)s” on"
            " average: the higher levels are not asked and count as not met.",
            name=q.sub_domains[skip.container].name.get(lang),
            level=cmmm_name(q, skip.level, lang),
            rating=fold_rating(q, lang),
        )
    return t.gettext(
        "The %(level)s step of '%(name)s' is not met: the higher steps are not asked and count"
        " as not met.",
        name=q.scenario_map[skip.container].name.get(lang),
        level=gradient_name(q, skip.level, lang),
    )


def level_label(q: Questionnaire, result: Result, lang: str) -> str:
    """The level reached as a report names it: '先进级（待成效核验）' / 'Advanced, subject to
    results' while a results rule is not assessed."""
    return pending_level_name(q, result.gradient_level, result.subject_to_results, lang)


def pending_level_name(
    q: Questionnaire, level_id: str | None, subject_to_results: bool, lang: str
) -> str:
    """A level's name, said to be subject to results when it is (a stored result too)."""
    name = gradient_name(q, level_id, lang)
    if not subject_to_results:
        return name
    return translator(lang).gettext("%(level)s, subject to results", level=name)


def summary(q: Questionnaire, result: Result, lang: str, on_site: bool = False) -> list[str]:
    """Where the enterprise stands (and whether that is subject to results), what tailoring
    shaped it, and what the next level still needs (its rules worded for who answered)."""
    first, *rest = _standing(q, result, lang, on_site)
    return [first, *_provisos(q, result, lang), *rest]


def _provisos(q: Questionnaire, result: Result, lang: str) -> list[str]:
    t = translator(lang)
    out = []
    if result.subject_to_results:
        out.append(
            t.gettext(
                "%(level)s is reached subject to results: no provincial sector benchmark decides"
                " the results rule yet (confirmed: %(confirmed)s).",
                level=gradient_name(q, result.gradient_level, lang),
                confirmed=gradient_name(q, result.confirmed_level, lang),
            )
        )
    tailored = [q.sub_domains[s].name.get(lang) for s in result.tailored]
    if tailored:
        out.append(
            t.ngettext(
                "%(num)s capability sub-domain is tailored out of the score: %(names)s.",
                "%(num)s capability sub-domains are tailored out of the score: %(names)s.",
                len(tailored),
                names=join(t, tailored),
            )
        )
    return out


def _standing(q: Questionnaire, result: Result, lang: str, on_site: bool = False) -> list[str]:
    """Two sentences: where the enterprise stands, and what the next level still needs."""
    t = translator(lang)
    gradient = gradient_name(q, result.gradient_level, lang)
    maturity = (
        t.gettext("with capability at %(cmmm)s", cmmm=cmmm_name(q, result.cmmm.level, lang))
        if result.cmmm.level
        else t.gettext("with capability not yet at maturity level 1")
    )
    first = (
        t.gettext(
            "The enterprise is at %(gradient)s, %(maturity)s (total score S = %(score).2f).",
            # never the bare level while it waits for the results rule
            gradient=level_label(q, result, lang),
            maturity=maturity,
            score=score_value(result.cmmm.total_score),
        )
        if result.gradient_level
        else t.gettext(
            "The enterprise is %(gradient)s, %(maturity)s (total score S = %(score).2f).",
            gradient=gradient,
            maturity=maturity,
            score=score_value(result.cmmm.total_score),
        )
    )
    if result.gradient_rank == len(q.gradient.levels):
        if result.subject_to_results:
            return [first, t.gettext("It meets every other rule of %(top)s.", top=gradient)]
        return [first, t.gettext("It meets every rule of %(top)s.", top=gradient)]
    target = result.levels[result.gradient_rank]
    failing = [rule_text(q, o, lang, on_site) for o in target.rules if not o.passed]
    return [
        first,
        t.gettext(
            "To reach %(next)s it still needs: %(rules)s.",
            next=gradient_name(q, target.id, lang),
            rules=("；" if lang == "zh" else "; ").join(failing),
        ),
    ]
