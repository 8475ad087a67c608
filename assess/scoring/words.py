"""Words shared by the explanations: level names, lists, option labels, conditions."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

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
    """A CMMM score (S, or a level's score) as every page, JSON document and PDF shows it: two
    decimals, rounded DOWN from its stored six-decimal value (1.796 is 1.79). The bands
    (0.8, 1.8, 2.8, …) and the 0.8 bar of a level have two decimals, so a score rounded down
    stays on the side of every boundary it is on; rounded half up, a stored 1.796 (level 1,
    whose band ends at 1.8) showed 1.80 beside "level 1". From the decimal text of the stored
    value, not its binary float (1.79 is 1.78999… as a float)."""
    return float(Decimal(repr(score)).quantize(Decimal("0.01"), rounding=ROUND_FLOOR))


def score_text(score: float) -> str:
    """A CMMM score shown: '1.79' for 1.796 (see score_value)."""
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
