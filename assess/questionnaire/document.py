"""A questionnaire version as plain data for other systems (the API): its items in order, each
with what an answer to it may be, and its answer scales. Both languages, as in the files.
Pure: no Flask, no database."""

from __future__ import annotations

from assess.questionnaire.definition import (
    Indicator,
    Option,
    Question,
    Questionnaire,
    Requirement,
    Step,
    Text,
)


def text(value: Text | None) -> dict | None:
    return None if value is None else {"zh": value.zh, "en": value.en}


def summary(q: Questionnaire, newest: bool, status: str | None = None) -> dict:
    """One version: its id, version, title, status (published, retired; by default its file's),
    whether new assessments use it, counts."""
    return {
        "questionnaire": q.id,
        "version": q.version,
        "title": text(q.title),
        "status": status or q.status,
        "newest": newest,
        "items": len(q.items),
        "scales": sorted(q.scales),
    }


def option(o: Option) -> dict:
    return {"id": o.id, "label": text(o.label), "value": o.value}


def scales(q: Questionnaire) -> list[dict]:
    """Every answer scale: its id and options (an option's value is what scoring counts)."""
    return [
        {"id": scale.id, "options": [option(o) for o in scale.options]}
        for scale in q.scales.values()
    ]


def items(q: Questionnaire) -> list[dict]:
    """Every answerable item in questionnaire order, with what an answer to it may be:
    `answer` is "option" (one of `options`, or of the scale `scale`), "options" (several, a
    list), or "number" (between `minimum` and `maximum`); `not_applicable` says whether
    the value "na" is allowed besides the scale's options (it needs a reason)."""
    return [_item(q, item_id, item) for item_id, item in q.items.items()]


def _item(q: Questionnaire, item_id: str, item) -> dict:
    found = {
        "id": item_id,
        "kind": _kind(item),
        "part": _part(item),
        "text": text(getattr(item, "text", None) or getattr(item, "name", None)),
        "help": text(getattr(item, "help", None)),
        "conditional": bool(getattr(item, "applies_when", ())),
        "not_applicable": False,
        "scale": None,
        "options": [],
        "minimum": None,
        "maximum": None,
        "unit": None,
    }
    if isinstance(item, Indicator) or (isinstance(item, Question) and item.type == "year"):
        found.update(answer="number")
        if isinstance(item, Indicator):
            found.update(minimum=item.minimum, maximum=item.maximum, unit=text(item.unit))
        return found
    if isinstance(item, Question):
        found.update(
            answer="options" if item.type == "multi_choice" else "option",
            options=[option(o) for o in q.options_of(item)],
        )
        return found
    scale = q.cmmm.scale if isinstance(item, Requirement) else q.scenarios.scale
    found.update(
        answer="option",
        scale=scale,
        not_applicable=isinstance(item, Requirement) and item.not_applicable_allowed,
    )
    return found


def _kind(item) -> str:
    if isinstance(item, Requirement):
        return "requirement"
    if isinstance(item, Step):
        return "step"
    if isinstance(item, Indicator):
        return "indicator"
    return "question"


def _part(item) -> str:
    """Where the item is: a question's section, a requirement's sub-domain, a step's
    scenario, an indicator's "results"."""
    if isinstance(item, Requirement):
        return item.sub_domain
    if isinstance(item, Step):
        return item.scenario
    return item.section
