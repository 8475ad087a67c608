"""How each rule type explains its numbers, in either language: a registry, one entry per
type of assess.scoring.gradient.RULES; and the words for a rule's state and its basis."""

from __future__ import annotations

from collections.abc import Callable

from assess.questionnaire.definition import Questionnaire
from assess.scoring.result import NOT_ASSESSED, RuleOutcome
from assess.scoring.words import cmmm_name, gradient_name, join, named, option_label, score_value
from assess.translation import Translator, translator

Detail = Callable[[Questionnaire, RuleOutcome, Translator], str]


def _answer_equals(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    question = q.rules[outcome.rule_id].params["question"]
    answer = option_label(q, question, outcome.actual["answer"], t)
    return t.gettext("Current answer: %(answer)s.", answer=answer)


def _all_yes(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a = outcome.actual
    names = [q.items[i].text.get(t.lang) for i in a["not_yes"]]
    rest = t.gettext("; not met: %(names)s", names=join(t, names)) if names else ""
    return t.gettext("%(yes)s of %(total)s met%(rest)s.", yes=a["yes"], total=a["total"], rest=rest)


def _cmmm_min(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a, n = outcome.actual, outcome.needed
    return t.gettext(
        "Current maturity: %(level)s (total score S = %(score).2f); needed: %(needed)s"
        " (S ≥ %(band).1f).",
        level=cmmm_name(q, a["level"], t.lang),
        score=score_value(a["score"]),
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
        names=named(t, names),
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
        covered=join(t, [links[x].name.get(t.lang) for x in a["covered"]]),
        missing=join(t, [links[x].name.get(t.lang) for x in a["missing"]]),
        without=t.gettext(
            " Of these, %(names)s has no applicable scenario (all not applicable): check that"
            " they truly do not apply.",
            names=join(t, without),
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
        names=named(t, names),
        min=outcome.needed["min"],
    )


def _scenarios_reached(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a, n = outcome.actual, outcome.needed
    names = [q.scenario_map[s].name.get(t.lang) for s in a["scenarios"]]
    not_applicable = [q.scenario_map[s].name.get(t.lang) for s in a["not_applicable"]]
    return t.sentences(
        t.ngettext(
            "%(num)s of the named scenarios at %(level)s or above%(names)s; at least %(min)s"
            " needed.",
            "%(num)s of the named scenarios at %(level)s or above%(names)s; at least %(min)s"
            " needed.",
            a["count"],
            level=_level(q, outcome, t),
            names=named(t, names),
            min=n["min"],
        ),
        t.gettext(
            "Marked not applicable, so not reached: %(names)s.", names=join(t, not_applicable)
        )
        if not_applicable
        else "",
    )


def _indicator_names(q: Questionnaire, ids, t: Translator) -> str:
    return join(t, [q.indicators[i].name.get(t.lang) for i in ids])


def _results_better(q: Questionnaire, outcome: RuleOutcome, t: Translator) -> str:
    a, n = outcome.actual, outcome.needed
    if len(a["without_benchmark"]) == a["applicable"]:
        first = t.gettext(
            "No provincial sector benchmark is set for these indicators, so this rule is not"
            " assessed (it is not counted as met)."
        )
    else:
        first = t.ngettext(
            "%(num)s indicator better than the provincial sector benchmark%(names)s; at least"
            " %(min)s needed.",
            "%(num)s indicators better than the provincial sector benchmark%(names)s; at least"
            " %(min)s needed.",
            a["count"],
            names=named(t, [q.indicators[i].name.get(t.lang) for i in a["better"]]),
            min=n["min"],
        )
    without = a["without_benchmark"] if len(a["without_benchmark"]) < a["applicable"] else []
    return t.sentences(
        first,
        t.gettext("No benchmark yet: %(names)s.", names=_indicator_names(q, without, t))
        if without
        else "",
        t.gettext("Not entered: %(names)s.", names=_indicator_names(q, a["unanswered"], t))
        if a["unanswered"]
        else "",
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
    "scenarios_reached": _scenarios_reached,
    "results_better": _results_better,
}


def rule_state(outcome: RuleOutcome, lang: str) -> str:
    """Met, not met, or not assessed (a results rule without a benchmark)."""
    t = translator(lang)
    if outcome.state == NOT_ASSESSED:
        return t.gettext("not assessed")
    return t.gettext("met") if outcome.passed else t.gettext("not met")


def basis_name(basis: str | None, lang: str) -> str:
    """Where a rule or a method note comes from."""
    t = translator(lang)
    names = {
        "policy": t.gettext("policy text"),
        "reported": t.gettext("reported practice of the programme"),
        "standard": t.gettext("national standard"),
        "own": t.gettext("this product's own choice"),
    }
    return names.get(basis or "", t.gettext("not stated"))
