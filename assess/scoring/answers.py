"""Answers as the scoring engine takes them, and their validation against a questionnaire."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from assess.questionnaire.definition import (
    NOT_APPLICABLE,
    Indicator,
    Question,
    Questionnaire,
    Requirement,
    Step,
)

MAX_REASON = 2000
YEARS = (2000, 2100)  # the years a results year can be
# What a text box has no business sending, one home for every text stored: control characters,
# and the invisible marks that reorder the text shown around them (bidirectional embeddings,
# overrides and isolates: "\u202e" shows "CAD/PDM ☒TR" reversed, so text meant for an
# authority could read otherwise than it was written).
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]")  # breaks stay
LINE_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")  # nothing invisible in a line


BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")


def clean_text(value: str) -> str:
    """Free text as stored: no control characters, no surrounding blanks."""
    return CONTROL.sub("", value or "").strip()


def clean_line(value: str) -> str:
    """A one-line text as stored: breaks become a space, control characters go."""
    return LINE_CONTROL.sub("", BREAKS.sub(" ", value or "")).strip()


@dataclass(frozen=True)
class Answer:
    """One answer: an option id (or a tuple of ids for multiple choice) and a reason."""

    value: str | tuple[str, ...] | None
    reason: str = ""

    @property
    def not_applicable(self) -> bool:
        return self.value == NOT_APPLICABLE


Answers = Mapping[str, Answer]


class AnswerError(ValueError):
    """An answer does not fit its item; `code` says why (for messages in either language)."""

    def __init__(self, item_id: str, code: str, detail: str = ""):
        super().__init__(f"{item_id}: {code}{': ' + detail if detail else ''}")
        self.item_id, self.code, self.detail = item_id, code, detail


def needs_reason(item: Question | Requirement | Step | Indicator, value: object) -> bool:
    """N/A on a requirement, 'no' on a scenario's applicability, tailoring a sub-domain out
    and rejecting a tailoring need a reason."""
    if isinstance(item, Requirement):
        return value == NOT_APPLICABLE
    if not isinstance(item, Question):
        return False
    if item.section == "scenarios":
        return value == "no"
    if item.section == "tailoring":
        return value == ("yes" if item.type == "yes_no" else "rejected")
    return False


def number_text(value: float) -> str:
    """A number as stored: at most six decimals, no trailing zeros ('12.5', '3')."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _number(item_id: str, raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise AnswerError(item_id, "invalid_value", str(raw)[:50])
    try:
        value = float(raw.strip().replace(",", "")) if isinstance(raw, str) else float(raw)
    except ValueError:
        raise AnswerError(item_id, "invalid_value", str(raw)[:50]) from None
    if not math.isfinite(value):
        raise AnswerError(item_id, "invalid_value", str(raw)[:50])
    return value


def _check_number(item: Indicator | Question, value: object) -> Answer:
    """An indicator's figure within its bounds, or a results year."""
    number = _number(item.id, value)
    if isinstance(item, Indicator):
        if number < item.minimum or (item.maximum is not None and number > item.maximum):
            raise AnswerError(item.id, "out_of_range", f"{item.minimum}..{item.maximum}")
        return Answer(number_text(number), "")
    if number != int(number) or not YEARS[0] <= number <= YEARS[1]:
        raise AnswerError(item.id, "out_of_range", f"{YEARS[0]}..{YEARS[1]}")
    return Answer(str(int(number)), "")


def check(q: Questionnaire, item_id: str, value: object, reason: str = "") -> Answer:
    """Validate one answer and return it normalised; raise AnswerError when it does not fit."""
    item = q.items.get(item_id)
    if item is None:
        raise AnswerError(item_id, "unknown_item")
    reason = clean_text(reason)
    if len(reason) > MAX_REASON:
        raise AnswerError(item_id, "reason_too_long", str(MAX_REASON))
    if isinstance(item, Indicator) or item.type == "year":
        return _check_number(item, value)
    if isinstance(item, Question):
        allowed = {option.id for option in q.options_of(item)}
        if item.type == "multi_choice":
            if isinstance(value, str):
                value = (value,) if value else ()
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise AnswerError(item_id, "invalid_value")
            unknown = [v for v in value if v not in allowed]
            if unknown:
                raise AnswerError(item_id, "invalid_value", ", ".join(unknown))
            ordered = tuple(option.id for option in q.options_of(item) if option.id in value)
            return Answer(ordered, "")
    else:
        allowed = {option.id for option in q.scales[_scale_of(q, item)].options}
        if isinstance(item, Requirement) and item.not_applicable_allowed:
            allowed.add(NOT_APPLICABLE)
    if not isinstance(value, str) or value not in allowed:
        raise AnswerError(item_id, "invalid_value", str(value)[:50])
    if needs_reason(item, value):
        if not reason:
            raise AnswerError(item_id, "reason_required")
        return Answer(value, reason)
    return Answer(value, "")


def _scale_of(q: Questionnaire, item: Requirement | Step) -> str:
    return q.cmmm.scale if isinstance(item, Requirement) else q.scenarios.scale


def parse(
    q: Questionnaire, raw: Mapping[str, object]
) -> tuple[dict[str, Answer], list[AnswerError]]:
    """Answers from JSON-like data: {item: value} or {item: {"value": v, "reason": r}}.

    Returns the valid answers and the errors of the others (which are left out).
    """
    answers: dict[str, Answer] = {}
    errors: list[AnswerError] = []
    for item_id, entry in raw.items():
        value, reason = entry, ""
        if isinstance(entry, Mapping):
            value, reason = entry.get("value"), str(entry.get("reason") or "")
        try:
            answers[item_id] = check(q, item_id, value, reason)
        except AnswerError as error:
            errors.append(error)
    return answers, errors
