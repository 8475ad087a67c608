"""The trace in plain words, in Chinese or English: rules with their numbers, skips, summaries.

Used by the CLI, the result pages and the PDF report alike. No Flask: the language is passed in.
"""

from __future__ import annotations

from assess.questionnaire.model import Question, Questionnaire, Requirement, Step, Text
from assess.scoring.result import Result, RuleOutcome, Skip

M = {
    "zh": {
        "answer_equals": "当前答案：{answer}。",
        "all_yes": "{yes}/{total} 项满足{rest}。",
        "all_yes_rest": "；未满足：{names}",
        "cmmm_min": "当前成熟度：{level}（总分 S = {score:.2f}）；需要：{needed}（S ≥ {band:.1f}）。",
        "scenario_count": "达到{level}及以上的适用场景 {count} 个{names}；需要至少 {min} 个。",
        "scenario_share": "达到{level}及以上的适用场景 {count}/{applicable} 个（{share:.0%}）；需要至少 {min_share:.0%}。",
        "links_covered": "已覆盖：{covered}；未覆盖：{missing}。{without}",
        "links_without": "其中{names}没有适用的场景（均为不适用）：请核实不适用的判断是否成立。",
        "links_count": "达到{level}及以上的场景覆盖 {count} 个环节{names}；需要至少 {min} 个。",
        "names": "（{names}）",
        "none": "无",
        "sep": "、",
        "rules_sep": "；",
        "unanswered": "未作答",
        "sub_domain_below": "「{name}」在{level}的得分为 {score:.2f}，低于 {limit:.1f}，更高等级的要求不再询问，按不满足计。",
        "step_not_met": "「{name}」的{level}要求尚未满足，更高等级的步骤不再询问，按不满足计。",
        "not_applicable": "不适用：{reason}",
        "summary_level": "企业当前为{gradient}，{maturity}，总分 S = {score:.2f}。",
        "summary_below": "企业{gradient}，{maturity}，总分 S = {score:.2f}。",
        "maturity": "智能制造能力成熟度为{cmmm}",
        "maturity_none": "智能制造能力成熟度尚未达到一级",
        "summary_next": "距离{next}还需满足：{rules}。",
        "summary_top": "已满足{top}的全部规则。",
        "no_cmmm_level": "未达到一级",
        "cmmm_level": "{name}",
    },
    "en": {
        "answer_equals": "Current answer: {answer}.",
        "all_yes": "{yes} of {total} met{rest}.",
        "all_yes_rest": "; not met: {names}",
        "cmmm_min": "Current maturity: {level} (total score S = {score:.2f}); needed: {needed} (S ≥ {band:.1f}).",
        "scenario_count": "{count} applicable {scenarios} at {level} or above{names}; at least {min} needed.",
        "scenario_share": "{count} of {applicable} applicable scenarios ({share:.0%}) at {level} or above; at least {min_share:.0%} needed.",
        "links_covered": "Covered: {covered}; not covered: {missing}.{without}",
        "links_without": " Of these, {names} has no applicable scenario (all not applicable): check that they truly do not apply.",
        "links_count": "Scenarios at {level} or above cover {count} {links}{names}; at least {min} needed.",
        "names": " ({names})",
        "none": "none",
        "sep": ", ",
        "rules_sep": "; ",
        "unanswered": "not answered",
        "sub_domain_below": "'{name}' scores {score:.2f} at {level}, below {limit:.1f}: the higher levels are not asked and count as not met.",
        "step_not_met": "The {level} step of '{name}' is not met: the higher steps are not asked and count as not met.",
        "not_applicable": "Not applicable: {reason}",
        "summary_level": "The enterprise is at {gradient}, {maturity} (total score S = {score:.2f}).",
        "summary_below": "The enterprise is {gradient}, {maturity} (total score S = {score:.2f}).",
        "maturity": "with capability maturity {cmmm}",
        "maturity_none": "with capability maturity not yet at level 1",
        "summary_next": "To reach {next} it still needs: {rules}.",
        "summary_top": "It meets every rule of {top}.",
        "no_cmmm_level": "below level 1",
        "cmmm_level": "{name}",
    },
}


def _plural(count: int, noun: str) -> str:
    """An English noun for a count ("1 link", "0 links"); Chinese templates do not use it."""
    return noun if count == 1 else f"{noun}s"


def _m(lang: str) -> dict[str, str]:
    return M["en" if lang == "en" else "zh"]


def gradient_name(q: Questionnaire, level_id: str | None, lang: str) -> str:
    """基础级 .. 领航级, or 尚未达到基础级."""
    if level_id is None:
        return q.gradient.below_first.get(lang)
    return q.gradient_level(level_id).name.get(lang)


def cmmm_name(q: Questionnaire, level: int | None, lang: str) -> str:
    if not level:
        return _m(lang)["no_cmmm_level"]
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


def _join(names: list[str], lang: str) -> str:
    return _m(lang)["sep"].join(names) if names else _m(lang)["none"]


def _option_label(q: Questionnaire, question_id: str, value: object, lang: str) -> str:
    question = q.items.get(question_id)
    if value is None or not isinstance(question, Question):
        return _m(lang)["unanswered"]
    for option in q.options_of(question):
        if option.id == value:
            return option.label.get(lang)
    return str(value)


def rule_detail(q: Questionnaire, outcome: RuleOutcome, lang: str) -> str:
    """The numbers behind one rule's outcome."""
    m, a, n = _m(lang), outcome.actual, outcome.needed
    level = gradient_name(q, n["at_least"], lang) if "at_least" in n else ""
    links = q.link_map
    scenario_names = [q.scenario_map[s].name.get(lang) for s in a.get("scenarios", ())]
    if outcome.type == "answer_equals":
        question = q.rules[outcome.rule_id].params["question"]
        return m["answer_equals"].format(answer=_option_label(q, question, a["answer"], lang))
    if outcome.type == "all_yes":
        names = [q.items[i].text.get(lang) for i in a["not_yes"]]
        rest = m["all_yes_rest"].format(names=_join(names, lang)) if names else ""
        return m["all_yes"].format(yes=a["yes"], total=a["total"], rest=rest)
    if outcome.type == "cmmm_min":
        return m["cmmm_min"].format(
            level=cmmm_name(q, a["level"], lang),
            score=a["score"],
            needed=cmmm_name(q, n["level"], lang),
            band=n["score"],
        )
    if outcome.type == "scenario_count":
        names = m["names"].format(names=_join(scenario_names, lang)) if scenario_names else ""
        return m["scenario_count"].format(
            level=level,
            count=a["count"],
            scenarios=_plural(a["count"], "scenario"),
            names=names,
            min=n["min"],
        )
    if outcome.type == "scenario_share":
        return m["scenario_share"].format(level=level, **a, min_share=n["min_share"])
    if outcome.type == "links_covered":
        without = [links[x].name.get(lang) for x in a.get("without_applicable", ())]
        return m["links_covered"].format(
            covered=_join([links[x].name.get(lang) for x in a["covered"]], lang),
            missing=_join([links[x].name.get(lang) for x in a["missing"]], lang),
            without=m["links_without"].format(names=_join(without, lang)) if without else "",
        )
    if outcome.type == "links_count":
        names = [links[x].name.get(lang) for x in a["links"]]
        names_text = m["names"].format(names=_join(names, lang)) if names else ""
        return m["links_count"].format(
            level=level,
            count=a["count"],
            links=_plural(a["count"], "link"),
            names=names_text,
            min=n["min"],
        )
    raise ValueError(f"no explanation for rule type {outcome.type!r}")


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
    m = _m(lang)
    if skip.not_applicable:
        return m["not_applicable"].format(reason=given_reason(skip, lang))
    if skip.kind == "sub_domain_below":
        return m["sub_domain_below"].format(
            name=q.sub_domains[skip.container].name.get(lang),
            level=cmmm_name(q, skip.level, lang),
            score=skip.score,
            limit=q.cmmm.skip_below,
        )
    return m["step_not_met"].format(
        name=q.scenario_map[skip.container].name.get(lang),
        level=gradient_name(q, skip.level, lang),
    )


def summary(q: Questionnaire, result: Result, lang: str) -> list[str]:
    """Two sentences: where the enterprise stands, and what the next level still needs."""
    m = _m(lang)
    template = m["summary_level"] if result.gradient_level else m["summary_below"]
    maturity = (
        m["maturity"].format(cmmm=cmmm_name(q, result.cmmm.level, lang))
        if result.cmmm.level
        else m["maturity_none"]
    )
    first = template.format(
        gradient=gradient_name(q, result.gradient_level, lang),
        maturity=maturity,
        score=result.cmmm.total_score,
    )
    if result.gradient_rank == len(q.gradient.levels):
        return [first, m["summary_top"].format(top=gradient_name(q, result.gradient_level, lang))]
    target = result.levels[result.gradient_rank]
    failing = [rule_text(q, o, lang) for o in target.rules if not o.passed]
    return [
        first,
        m["summary_next"].format(
            next=gradient_name(q, target.id, lang), rules=m["rules_sep"].join(failing)
        ),
    ]
