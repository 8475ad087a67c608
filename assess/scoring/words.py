"""Words shared by the explanations: level names, lists, option labels, conditions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from assess.questionnaire.definition import Question, Questionnaire
from assess.translation import Translator, translator


def gradient_name(q: Questionnaire, level_id: str | None, lang: str) -> str:
    """基础级 .. 领航级, or 尚未达到基础级."""
    if level_id is None:
        return q.gradient.below_first.get(lang)
    return q.gradient_level(level_id).name.get(lang)


def cmmm_name(q: Questionnaire, level: int | None, lang: str) -> str:
    if not level:
        return translator(lang).gettext("below maturity level 1")
    return q.cmmm_level_name(level).get(lang)


def score_value(score: float) -> float:
    """The total score S as every page, JSON document and PDF shows it: two decimals, half up,
    from its stored six-decimal value (3.175 is 3.18), not from its binary float ("%.2f" gave
    3.17) nor half-even (Babel's format_decimal)."""
    return float(Decimal(repr(score)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def score_text(score: float) -> str:
    """S shown: '3.18' for 3.175 (see score_value)."""
    return f"{score_value(score):.2f}"


def join(t: Translator, names: list[str]) -> str:
    return t.listing(names) if names else t.gettext("none")


def named(t: Translator, names: list[str]) -> str:
    """' (a, b)' after a count, '' when there are none."""
    return t.gettext(" (%(names)s)", names=join(t, names)) if names else ""


def option_label(q: Questionnaire, question_id: str, value: object, t: Translator) -> str:
    question = q.items.get(question_id)
    if value is None or not isinstance(question, Question):
        return t.gettext("not answered")
    for option in q.options_of(question):
        if option.id == value:
            return option.label.get(t.lang)
    return str(value)


def condition_text(q: Questionnaire, conditions, lang: str) -> str:
    """Profile conditions in words: 'Does the enterprise design its own products? = No'."""
    t = translator(lang)
    parts = []
    for condition in conditions:
        question = q.items[condition.question]
        labels = [option_label(q, question.id, option, t) for option in condition.options]
        parts.append(f"{question.text.get(lang)} = {t.listing(labels)}")
    return ("；" if lang == "zh" else "; ").join(parts)
