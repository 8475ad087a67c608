"""The trace in plain words, in Chinese or English: rules with their numbers, skips, summaries.

Used by the CLI, the result pages and the PDF report alike. No Flask: the language is passed
in, and the words come from the gettext catalogues (assess.translation).
"""

from __future__ import annotations

from collections.abc import Callable

from assess.questionnaire.definition import Question, Questionnaire, Requirement, Step, Text
from assess.scoring.result import Result, RuleOutcome, Skip
from assess.translation import Translator, translator


def gradient_name(q: Questionnaire, level_id: str | None, lang: str) -> str:
    """基础级 .. 领航级, or 尚未达到基础级."""
    if level_id is None:
        return q.gradient.below_first.get(lang)
    return q.gradient_level(level_id).name.get(lang)


def cmmm_name(q: Questionnaire, level: int | None, lang: str) -> str:
    if not level:
        return translator(lang).gettext("below level 1")
    return q.cmmm_level_name(level).get(lang)


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
    else:
        return item.text.get(lang)
    return f"[{where}] {item.text.get(lang)}"


def _join(t: Translator, names: list[str]) -> str:
    return t.listing(names) if names else t.gettext("none")


def _names(t: Translator, names: list[str]) -> str:
    """' (a, b)' after a count, '' when there are none."""
    return t.gettext(" (%(names)s)", names=_join(t, names)) if names else ""


def _option_label(q: Questionnaire, question_id: str, value: object, t: Translator) -> str:
    question = q.items.get(question_id)
    if value is None or not isinstance(question, Question):
        return t.gettext("not answered")
    for option in q.options_of(question):
        if option.id == value:
            return option.label.get(t.lang)
    return str(value)


Detail = Callable[[Questionnaire, RuleOutcome, Translator], str]


def _answer_equals(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    question = q.rules[outcome.rule_id].params["question"]
    answer = _option_label(q, question, outcome.actual["answer"], t)
    return t.gettext("Current answer: %(answer)s.", answer=answer)


def _all_yes(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a = outcome.actual
    names = [q.items[i].text.get(t.lang) for i in a["not_yes"]]
    rest = t.gettext("; not met: %(names)s", names=_join(t, names)) if names else ""
    return t.gettext("%(yes)s of %(total)s met%(rest)s.", yes=a["yes"], total=a["total"], rest=rest)


def _cmmm_min(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a, n = outcome.actual, outcome.needed
    return t.gettext(
        "Current maturity: %(level)s (total score S = %(score).2f); needed: %(needed)s"
        " (S ≥ %(band).1f).",
        level=cmmm_name(q, a["level"], t.lang),
        score=a["score"],
        needed=cmmm_name(q, n["level"], t.lang),
        band=n["score"],
    )


def _level(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    return gradient_name(q, outcome.needed["at_least"], t.lang)


def _scenario_count(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a = outcome.actual
    names = [q.scenario_map[s].name.get(t.lang) for s in a.get("scenarios", ())]
    return t.ngettext(
        "%(num)s applicable scenario at %(level)s or above%(names)s; at least %(min)s needed.",
        "%(num)s applicable scenarios at %(level)s or above%(names)s; at least %(min)s needed.",
        a["count"],
        level=_level(q, outcome, t),
        names=_names(t, names),
        min=outcome.needed["min"],
    )


def _scenario_share(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a = outcome.actual
    return t.gettext(
        "%(count)s of %(applicable)s applicable scenarios (%(share)s) at %(level)s or above;"
        " at least %(min_share)s needed.",
        count=a["count"],
        applicable=a["applicable"],
        share=f"{a['share']:.0%}",
        level=_level(q, outcome, t),
        min_share=f"{outcome.needed['min_share']:.0%}",
    )


def _links_covered(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a, links = outcome.actual, q.link_map
    without = [links[x].name.get(t.lang) for x in a.get("without_applicable", ())]
    return t.gettext(
        "Covered: %(covered)s; not covered: %(missing)s.%(without)s",
        covered=_join(t, [links[x].name.get(t.lang) for x in a["covered"]]),
        missing=_join(t, [links[x].name.get(t.lang) for x in a["missing"]]),
        without=t.gettext(
            " Of these, %(names)s has no applicable scenario (all not applicable): check that"
            " they truly do not apply.",
            names=_join(t, without),
        )
        if without
        else "",
    )


def _links_count(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a = outcome.actual
    names = [q.link_map[x].name.get(t.lang) for x in a["links"]]
    return t.ngettext(
        "Scenarios at %(level)s or above cover %(num)s link%(names)s; at least %(min)s needed.",
        "Scenarios at %(level)s or above cover %(num)s links%(names)s; at least %(min)s needed.",
        a["count"],
        level=_level(q, outcome, t),
        names=_names(t, names),
        min=outcome.needed["min"],
    )


# How each rule type explains its numbers: one entry per type of assess.scoring.gradient.RULES.
DETAILS: dict[str, Detail] = {
    "answer_equals": _answer_equals,
    "all_yes": _all_yes,
    "cmmm_min": _cmmm_min,
    "scenario_count": _scenario_count,
    "scenario_share": _scenario_share,
    "links_covered": _links_covered,
    "links_count": _links_count,
}


def rule_detail(q: Questionnaire, outcome: RuleOutcome, lang: str) -> str:
    """The numbers behind one rule's outcome."""
    try:
        detail = DETAILS[outcome.type]
    except KeyError:
        raise ValueError(f"no explanation for rule type {outcome.type!r}") from None
    return detail(q, outcome, translator(lang))


def rule_text(q: Questionnaire, outcome: RuleOutcome, lang: str) -> str:
    """The rule as written in the questionnaire."""
    return q.rules[outcome.rule_id].text.get(lang)


def rule_next_step(q: Questionnaire, outcome: RuleOutcome, lang: str) -> str:
    rule = q.rules[outcome.rule_id]
    return rule.next_step.get(lang) if rule.next_step else ""


def given_reason(skip: Skip, lang: str) -> str:
    """The reason given for calling an item not applicable, as given."""
    return skip.reason.get(lang) if isinstance(skip.reason, Text) else (skip.reason or "")


def skip_reason(q: Questionnaire, skip: Skip, lang: str) -> str:
    """Why an item is not asked."""
    t = translator(lang)
    if skip.not_applicable:
        return t.gettext("Not applicable: %(reason)s", reason=given_reason(skip, lang))
    if skip.kind == "sub_domain_below":
        return t.gettext(
            "'%(name)s' scores %(score).2f at %(level)s, below %(limit).1f: the higher levels"
            " are not asked and count as not met.",
            name=q.sub_domains[skip.container].name.get(lang),
            level=cmmm_name(q, skip.level, lang),
            score=skip.score,
            limit=q.cmmm.skip_below,
        )
    return t.gettext(
        "The %(level)s step of '%(name)s' is not met: the higher steps are not asked and count"
        " as not met.",
        name=q.scenario_map[skip.container].name.get(lang),
        level=gradient_name(q, skip.level, lang),
    )


def summary(q: Questionnaire, result: Result, lang: str) -> list[str]:
    """Two sentences: where the enterprise stands, and what the next level still needs."""
    t = translator(lang)
    gradient = gradient_name(q, result.gradient_level, lang)
    maturity = (
        t.gettext("with capability maturity %(cmmm)s", cmmm=cmmm_name(q, result.cmmm.level, lang))
        if result.cmmm.level
        else t.gettext("with capability maturity not yet at level 1")
    )
    first = (
        t.gettext(
            "The enterprise is at %(gradient)s, %(maturity)s (total score S = %(score).2f).",
            gradient=gradient,
            maturity=maturity,
            score=result.cmmm.total_score,
        )
        if result.gradient_level
        else t.gettext(
            "The enterprise is %(gradient)s, %(maturity)s (total score S = %(score).2f).",
            gradient=gradient,
            maturity=maturity,
            score=result.cmmm.total_score,
        )
    )
    if result.gradient_rank == len(q.gradient.levels):
        return [first, t.gettext("It meets every rule of %(top)s.", top=gradient)]
    target = result.levels[result.gradient_rank]
    failing = [rule_text(q, o, lang) for o in target.rules if not o.passed]
    return [
        first,
        t.gettext(
            "To reach %(next)s it still needs: %(rules)s.",
            next=gradient_name(q, target.id, lang),
            rules=("；" if lang == "zh" else "; ").join(failing),
        ),
    ]
