"""Parsing the parts a questionnaire version may add to 2025.1's: profile conditions and advice
on items, tailoring, results indicators, method notes and glossary, the status, the staircase
kind, and the carry-over from an earlier version. Every absent part means 2025.1's behaviour.
"""

from __future__ import annotations

from assess.questionnaire.definition import (
    BASES,
    STAIRCASES,
    Advice,
    CarriedFrom,
    Condition,
    Indicator,
    Note,
    Option,
    Question,
    Results,
    Tailorable,
    Tailoring,
)
from assess.questionnaire.reader import EFFORTS, Reader

STATUSES = ("draft", "published")


def status(r: Reader, top: dict) -> str:
    status = top.get("status", "published")
    if status not in STATUSES:
        r.error("status", f"status must be one of {STATUSES}, got {status!r}")
    return status


def staircase(r: Reader, node: dict, path: str) -> str:
    staircase = node.get("staircase", "decided")
    if staircase not in STAIRCASES:
        r.error(f"{path}.staircase", f"staircase must be one of {STAIRCASES}, got {staircase!r}")
    return staircase


def condition(r: Reader, raw: object, path: str) -> Condition:
    """{question, equals: option} or {question, in: [options]}."""
    node = r.mapping(raw, path, {"question"}, {"equals", "in"})
    if ("equals" in node) == ("in" in node):
        r.error(path, "a condition takes either equals or in")
    any_of = node.get("in", [])
    if "in" in node and (not isinstance(any_of, list) or not any_of):
        r.error(f"{path}.in", "in takes a non-empty list of options")
        any_of = []
    return Condition(
        question=str(node.get("question", "")),
        equals=str(node.get("equals", "")),
        any_of=tuple(str(option) for option in any_of),
    )


def conditions(r: Reader, raw: object, path: str) -> tuple[Condition, ...]:
    """One condition or a list of them (all must hold)."""
    if isinstance(raw, list):
        return tuple(condition(r, c, f"{path}[{i}]") for i, c in enumerate(raw))
    return (condition(r, raw, path),)


def applies_when(r: Reader, node: dict, path: str) -> Condition | None:
    """The optional profile condition of a sub-domain or scenario (with its reason)."""
    if ("applies_when" in node) != ("not_applicable_reason" in node):
        r.error(path, "applies_when and not_applicable_reason go together")
    if "applies_when" not in node:
        return None
    return condition(r, node["applies_when"], f"{path}.applies_when")


def item_applies_when(r: Reader, node: dict, path: str) -> dict:
    """The optional conditions of a single item (question, requirement, step, indicator)."""
    if ("applies_when" in node) != ("not_applicable_reason" in node):
        r.error(path, "applies_when and not_applicable_reason go together")
    if "applies_when" not in node:
        return {}
    return {
        "applies_when": conditions(r, node["applies_when"], f"{path}.applies_when"),
        "not_applicable_reason": r.text(
            node["not_applicable_reason"], f"{path}.not_applicable_reason"
        ),
    }


def advice(r: Reader, node: dict, path: str) -> tuple[Advice, ...]:
    advice = []
    for i, raw in enumerate(r.sequence(node.get("advice", []), f"{path}.advice")):
        apath = f"{path}.advice[{i}]"
        anode = r.mapping(raw, apath, {"when", "next_step"}, {"source"})
        advice.append(
            Advice(
                when=conditions(r, anode.get("when"), f"{apath}.when"),
                next_step=r.text(anode.get("next_step"), f"{apath}.next_step"),
                source=r.optional_text(anode, "source", apath),
            )
        )
    return tuple(advice)


def tailorable(r: Reader, raw: object, path: str) -> Tailorable:
    node = r.mapping(raw, path, {"when", "reason"}, {"help"})
    return Tailorable(
        when=conditions(r, node.get("when"), f"{path}.when"),
        reason=r.text(node.get("reason"), f"{path}.reason"),
        help=r.optional_text(node, "help", path),
    )


def tailoring(r: Reader, raw: object, path: str) -> Tailoring:
    node = r.mapping(raw, path, {"title", "question", "review", "review_options", "max"}, {"intro"})
    options = tuple(
        Option(id=str(o.get("id", "")), label=r.text(o.get("label"), f"{path}.review_options[{i}]"))
        for i, o in enumerate(r.sequence(node.get("review_options"), f"{path}.review_options"))
        if r.mapping(o, f"{path}.review_options[{i}]", {"id", "label"})
    )
    if [o.id for o in options] != list(REVIEW_OPTIONS):
        r.error(f"{path}.review_options", f"the options are {list(REVIEW_OPTIONS)}, in order")
    return Tailoring(
        title=r.text(node.get("title"), f"{path}.title"),
        intro=r.optional_text(node, "intro", path),
        question=r.text(node.get("question"), f"{path}.question"),
        review=r.text(node.get("review"), f"{path}.review"),
        review_options=options,
        max=r.integer(node, "max", path),
    )


REVIEW_OPTIONS = ("accepted", "rejected")
INDICATOR_KEYS = {"id", "name", "unit", "better", "help", "source", "next_step"}
INDICATOR_OPTIONAL = {"minimum", "maximum", "applies_when", "not_applicable_reason", "effort"}


def results(r: Reader, raw: object, path: str) -> Results:
    node = r.mapping(raw, path, {"title", "year", "indicators"}, {"intro"})
    indicators = []
    for i, raw_indicator in enumerate(r.sequence(node.get("indicators"), f"{path}.indicators")):
        ipath = f"{path}.indicators[{i}]"
        inode = r.mapping(raw_indicator, ipath, INDICATOR_KEYS, INDICATOR_OPTIONAL)
        better = inode.get("better")
        if better not in ("higher", "lower"):
            r.error(f"{ipath}.better", f"better must be higher or lower, got {better!r}")
        maximum = inode.get("maximum")
        effort = inode.get("effort", 3)
        if effort not in EFFORTS:
            r.error(f"{ipath}.effort", f"effort must be one of {EFFORTS}, got {effort!r}")
        indicators.append(
            Indicator(
                id=r.ident(inode, ipath),
                name=r.text(inode.get("name"), f"{ipath}.name"),
                unit=r.text(inode.get("unit"), f"{ipath}.unit"),
                better=str(better),
                help=r.text(inode.get("help"), f"{ipath}.help"),
                source=r.text(inode.get("source"), f"{ipath}.source"),
                next_step=r.text(inode.get("next_step"), f"{ipath}.next_step"),
                minimum=r.number(inode, "minimum", ipath, -1e12, 1e12)
                if "minimum" in inode
                else 0.0,
                maximum=r.number(inode, "maximum", ipath, -1e12, 1e12)
                if maximum is not None
                else None,
                effort=effort if effort in EFFORTS else 3,
                **item_applies_when(r, inode, ipath),
            )
        )
    if not indicators:
        r.error(f"{path}.indicators", "results need at least one indicator")
    year_node = r.mapping(node.get("year"), f"{path}.year", {"id", "text"}, {"help"})
    year = Question(
        id=r.ident(year_node, f"{path}.year"),
        type="year",
        section="results",
        text=r.text(year_node.get("text"), f"{path}.year.text"),
        help=r.optional_text(year_node, "help", f"{path}.year"),
    )
    return Results(
        title=r.text(node.get("title"), f"{path}.title"),
        intro=r.optional_text(node, "intro", path),
        year=year,
        indicators=tuple(indicators),
    )


def notes(r: Reader, raw: object, path: str, with_basis: bool) -> tuple[Note, ...]:
    notes = []
    for i, raw_note in enumerate(r.sequence(raw, path)):
        npath = f"{path}[{i}]"
        node = r.mapping(
            raw_note, npath, {"id", "title", "text"}, {"basis"} if with_basis else set()
        )
        basis = node.get("basis")
        if with_basis and basis not in BASES:
            r.error(f"{npath}.basis", f"basis must be one of {BASES}, got {basis!r}")
        notes.append(
            Note(
                id=r.ident(node, npath),
                title=r.text(node.get("title"), f"{npath}.title"),
                text=r.text(node.get("text"), f"{npath}.text"),
                basis=basis if with_basis else None,
            )
        )
    return tuple(notes)


def carried_from(r: Reader, raw: object, path: str) -> CarriedFrom:
    node = r.mapping(raw, path, {"version"}, {"renamed", "dropped"})
    renamed = node.get("renamed", {})
    if not isinstance(renamed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in renamed.items()
    ):
        r.error(f"{path}.renamed", "renamed maps old item ids to new item ids")
        renamed = {}
    dropped = {}
    for i, raw_drop in enumerate(r.sequence(node.get("dropped", []), f"{path}.dropped")):
        dnode = r.mapping(raw_drop, f"{path}.dropped[{i}]", {"items", "reason"})
        reason = r.text(dnode.get("reason"), f"{path}.dropped[{i}].reason")
        for item_id in r.sequence(dnode.get("items"), f"{path}.dropped[{i}].items"):
            if str(item_id) in dropped:
                r.error(f"{path}.dropped[{i}].items", f"{item_id!r} is dropped twice")
            dropped[str(item_id)] = reason
    return CarriedFrom(version=str(node.get("version", "")), renamed=renamed, dropped=dropped)
