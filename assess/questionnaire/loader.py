"""Questionnaire definitions: load YAML files into frozen dataclasses, validating every node.

No Flask and no database here. Errors name the file and the node, e.g.
``machinery-smart-factory-2025.1.yaml: cmmm.elements[0].weight: ...``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import yaml

from assess.questionnaire.checks import check_carried_from, check_references
from assess.questionnaire.model import (
    BASES,
    CMMM_LEVEL_NA,
    RULE_PARAMS,
    STAIRCASES,
    Advice,
    Band,
    CarriedFrom,
    Cmmm,
    CmmmLevel,
    Condition,
    Element,
    Gradient,
    GradientLevel,
    Indicator,
    Link,
    Note,
    Option,
    Question,
    Questionnaire,
    Requirement,
    Results,
    Rule,
    Scale,
    Scenario,
    Scenarios,
    Section,
    Step,
    SubDomain,
    Tailorable,
    Tailoring,
    Text,
)

LANGUAGES = ("zh", "en")
QUESTION_TYPES = ("choice", "multi_choice", "yes_no", "rating")
EFFORTS = (1, 2, 3)


class QuestionnaireError(ValueError):
    """A definition file is invalid; the message lists every problem with file and node."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class _Reader:
    """Walks the raw YAML of one file, collecting problems with their node paths."""

    file: str
    problems: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)

    def error(self, path: str, message: str) -> None:
        self.problems.append(f"{self.file}: {path}: {message}")

    def mapping(self, raw: object, path: str, required: set[str], optional: set[str] = frozenset()):
        if not isinstance(raw, dict):
            self.error(path, f"expected a mapping, got {type(raw).__name__}")
            return {}
        for key in sorted(set(raw) - required - optional, key=str):
            self.error(f"{path}.{key}" if path else str(key), f"unknown key {key!r}")
        for key in sorted(required - set(raw)):
            self.error(path or "(top)", f"missing key {key!r}")
        return raw

    def sequence(self, raw: object, path: str) -> list:
        if not isinstance(raw, list):
            self.error(path, f"expected a list, got {type(raw).__name__}")
            return []
        return raw

    def text(self, raw: object, path: str) -> Text:
        node = self.mapping(raw, path, set(LANGUAGES))
        values = {}
        for lang in LANGUAGES:
            value = node.get(lang)
            if not isinstance(value, str) or not value.strip():
                if lang in node:
                    self.error(f"{path}.{lang}", "missing translation (empty or not a string)")
                values[lang] = ""
            else:
                values[lang] = value.strip()
        return Text(**values)

    def optional_text(self, raw: dict, key: str, path: str) -> Text | None:
        return self.text(raw[key], f"{path}.{key}") if key in raw else None

    def ident(self, raw: dict, path: str) -> str:
        value = raw.get("id")
        if not isinstance(value, str) or not value or value != value.strip():
            self.error(f"{path}.id", f"invalid id {value!r}")
            return ""
        if value in self.ids:
            self.error(f"{path}.id", f"duplicate id {value!r} (first at {self.ids[value]})")
        else:
            self.ids[value] = path
        return value

    def integer(self, raw: dict, key: str, path: str) -> int:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"{path}.{key}", f"expected a whole number, got {value!r}")
            return 0
        return value

    def number(self, raw: dict, key: str, path: str, low: float, high: float) -> float:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(f"{path}.{key}", f"expected a number, got {value!r}")
            return 0.0
        if not low <= value <= high:
            self.error(f"{path}.{key}", f"{value} is outside {low}..{high}")
        return float(value)


def load_file(path: Path) -> Questionnaire:
    """Load and validate one definition file."""
    reader = _Reader(path.name)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise QuestionnaireError([f"{path.name}: cannot be read: {error}"]) from error
    questionnaire = _parse(reader, raw)
    if not reader.problems:
        check_references(reader, questionnaire)
        expected = f"{questionnaire.id}-{questionnaire.version}.yaml"
        if path.name != expected:
            reader.error("(top)", f"file name must be {expected!r}")
    if reader.problems:
        raise QuestionnaireError(reader.problems)
    return questionnaire


def load_dir(directory: Path | str) -> dict[tuple[str, str], Questionnaire]:
    """Load every *.yaml file of a directory, keyed by (id, version); a version's carry-over
    from an earlier one is checked against that version."""
    problems: list[str] = []
    loaded: dict[tuple[str, str], Questionnaire] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            questionnaire = load_file(path)
        except QuestionnaireError as error:
            problems.extend(error.problems)
            continue
        loaded[(questionnaire.id, questionnaire.version)] = questionnaire
    for questionnaire in loaded.values():
        problems.extend(check_carried_from(questionnaire, loaded))
    if problems:
        raise QuestionnaireError(problems)
    if not loaded:
        raise QuestionnaireError([f"{directory}: no questionnaire definition (*.yaml) found"])
    return loaded


# --------------------------------------------------------------------------------------------
# Parsing, node by node
# --------------------------------------------------------------------------------------------

TOP_KEYS = {"id", "version", "title", "source", "scales", "links", "profile", "gate", "cmmm"}
TOP_KEYS |= {"scenarios", "gradient"}
TOP_OPTIONAL = {"status", "tailoring", "results", "method", "glossary", "carried_from"}
STATUSES = ("draft", "published")
ITEM_TEXT_KEYS = {"help", "evidence", "next_step"}


def _parse(r: _Reader, raw: object) -> Questionnaire:
    top = r.mapping(raw, "", TOP_KEYS, TOP_OPTIONAL)
    version = top.get("version")
    if not isinstance(version, str):
        r.error("version", f'must be a string such as "2025.1", got {version!r}')
    qid = top.get("id") if isinstance(top.get("id"), str) else ""
    scales = tuple(
        _scale(r, s, f"scales[{i}]") for i, s in enumerate(r.sequence(top.get("scales"), "scales"))
    )
    links = tuple(
        Link(id=r.ident(node, f"links[{i}]"), name=r.text(node.get("name"), f"links[{i}].name"))
        for i, node in enumerate(r.sequence(top.get("links"), "links"))
        if r.mapping(node, f"links[{i}]", {"id", "name"})
    )
    return Questionnaire(
        id=qid,
        version=version if isinstance(version, str) else "",
        title=r.text(top.get("title"), "title"),
        source=r.text(top.get("source"), "source"),
        scales={scale.id: scale for scale in scales},
        links=links,
        profile=_section(r, top.get("profile"), "profile", "profile"),
        gate=_section(r, top.get("gate"), "gate", "gate"),
        cmmm=_cmmm(r, top.get("cmmm", {}), "cmmm"),
        scenarios=_scenarios(r, top.get("scenarios", {}), "scenarios"),
        gradient=_gradient(r, top.get("gradient", {}), "gradient"),
        status=_status(r, top),
        tailoring=_tailoring(r, top["tailoring"], "tailoring") if "tailoring" in top else None,
        results=_results(r, top["results"], "results") if "results" in top else None,
        method=_notes(r, top.get("method", []), "method", with_basis=True),
        glossary=_notes(r, top.get("glossary", []), "glossary", with_basis=False),
        carried_from=(
            _carried_from(r, top["carried_from"], "carried_from") if "carried_from" in top else None
        ),
    )


def _status(r: _Reader, top: dict) -> str:
    status = top.get("status", "published")
    if status not in STATUSES:
        r.error("status", f"status must be one of {STATUSES}, got {status!r}")
    return status


def _scale(r: _Reader, raw: object, path: str) -> Scale:
    node = r.mapping(raw, path, {"id", "options"})
    options = []
    for i, option in enumerate(r.sequence(node.get("options"), f"{path}.options")):
        opath = f"{path}.options[{i}]"
        onode = r.mapping(option, opath, {"id", "value", "label"})
        options.append(
            Option(
                id=str(onode.get("id", "")),
                label=r.text(onode.get("label"), f"{opath}.label"),
                value=r.number(onode, "value", opath, 0.0, 1.0),
            )
        )
    _unique_local(r, [o.id for o in options], f"{path}.options")
    return Scale(id=r.ident(node, path), options=tuple(options))


def _unique_local(r: _Reader, ids: list[str], path: str) -> None:
    """Option ids need only be unique within their list (yes/no recur across scales)."""
    seen = set()
    for i, option_id in enumerate(ids):
        if not option_id:
            r.error(f"{path}[{i}].id", "invalid id ''")
        elif option_id in seen:
            r.error(f"{path}[{i}].id", f"duplicate option id {option_id!r}")
        seen.add(option_id)


def _condition(r: _Reader, raw: object, path: str) -> Condition:
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


def _conditions(r: _Reader, raw: object, path: str) -> tuple[Condition, ...]:
    """One condition or a list of them (all must hold)."""
    if isinstance(raw, list):
        return tuple(_condition(r, c, f"{path}[{i}]") for i, c in enumerate(raw))
    return (_condition(r, raw, path),)


def _applies_when(r: _Reader, node: dict, path: str) -> Condition | None:
    """The optional profile condition of a sub-domain or scenario (with its reason)."""
    if ("applies_when" in node) != ("not_applicable_reason" in node):
        r.error(path, "applies_when and not_applicable_reason go together")
    if "applies_when" not in node:
        return None
    return _condition(r, node["applies_when"], f"{path}.applies_when")


def _item_applies_when(r: _Reader, node: dict, path: str) -> dict:
    """The optional conditions of a single item (question, requirement, step, indicator)."""
    if ("applies_when" in node) != ("not_applicable_reason" in node):
        r.error(path, "applies_when and not_applicable_reason go together")
    if "applies_when" not in node:
        return {}
    return {
        "applies_when": _conditions(r, node["applies_when"], f"{path}.applies_when"),
        "not_applicable_reason": r.text(
            node["not_applicable_reason"], f"{path}.not_applicable_reason"
        ),
    }


def _advice(r: _Reader, node: dict, path: str) -> tuple[Advice, ...]:
    advice = []
    for i, raw in enumerate(r.sequence(node.get("advice", []), f"{path}.advice")):
        apath = f"{path}.advice[{i}]"
        anode = r.mapping(raw, apath, {"when", "next_step"}, {"source"})
        advice.append(
            Advice(
                when=_conditions(r, anode.get("when"), f"{apath}.when"),
                next_step=r.text(anode.get("next_step"), f"{apath}.next_step"),
                source=r.optional_text(anode, "source", apath),
            )
        )
    return tuple(advice)


QUESTION_KEYS = {"id", "text"}
QUESTION_OPTIONAL = {"type", "help", "evidence", "next_step", "options", "options_from", "scale"}
QUESTION_OPTIONAL |= {"applies_when", "not_applicable_reason"}


def _section(r: _Reader, raw: object, path: str, kind: str) -> Section:
    node = r.mapping(raw, path, {"title", "questions"}, {"intro"})
    questions = tuple(
        _question(r, q, f"{path}.questions[{i}]", kind)
        for i, q in enumerate(r.sequence(node.get("questions"), f"{path}.questions"))
    )
    return Section(
        title=r.text(node.get("title"), f"{path}.title"),
        intro=r.optional_text(node, "intro", path),
        questions=questions,
    )


def _question(r: _Reader, raw: object, path: str, kind: str) -> Question:
    node = r.mapping(raw, path, QUESTION_KEYS, QUESTION_OPTIONAL)
    qtype = node.get("type", "yes_no" if kind == "gate" else None)
    if node.get("scale") == "yes_no" and qtype == "choice":
        qtype = "yes_no"
    if qtype not in QUESTION_TYPES:
        r.error(f"{path}.type", f"unknown question type {qtype!r}; one of {QUESTION_TYPES}")
    if kind != "profile" and "applies_when" in node:
        r.error(f"{path}.applies_when", "only profile questions can depend on the profile")
    options = ()
    if "options" in node:
        raw_options = r.sequence(node["options"], f"{path}.options")
        options = tuple(
            Option(
                id=str(o.get("id", "")),
                label=r.text(o.get("label"), f"{path}.options[{i}].label"),
                value=None,
            )
            for i, o in enumerate(raw_options)
            if r.mapping(o, f"{path}.options[{i}]", {"id", "label"})
        )
        _unique_local(r, [o.id for o in options], f"{path}.options")
    return Question(
        id=r.ident(node, path),
        type=qtype or "",
        section=kind,
        text=r.text(node.get("text"), f"{path}.text"),
        help=r.optional_text(node, "help", path),
        evidence=r.optional_text(node, "evidence", path),
        next_step=r.optional_text(node, "next_step", path),
        options=options,
        options_from=node.get("options_from"),
        scale=node.get("scale", "yes_no" if qtype == "yes_no" else None),
        **_item_applies_when(r, node, path),
    )


def _item_fields(r: _Reader, node: dict, path: str) -> dict:
    effort = node.get("effort", 2)
    if effort not in EFFORTS:
        r.error(f"{path}.effort", f"effort must be one of {EFFORTS}, got {effort!r}")
    return {
        "text": r.text(node.get("text"), f"{path}.text"),
        "help": r.optional_text(node, "help", path),
        "evidence": r.optional_text(node, "evidence", path),
        "next_step": r.text(node.get("next_step"), f"{path}.next_step"),
        "effort": effort if effort in EFFORTS else 2,
    }


def _cmmm(r: _Reader, raw: object, path: str) -> Cmmm:
    node = r.mapping(
        raw,
        path,
        {"title", "scale", "reach_threshold", "skip_below", "levels", "bands", "elements"},
        {"requirement_not_applicable", "staircase"},
    )
    per_item_na = node.get("requirement_not_applicable", True)
    if not isinstance(per_item_na, bool):
        r.error(f"{path}.requirement_not_applicable", "must be true or false")
        per_item_na = True
    levels = tuple(
        CmmmLevel(
            level=r.integer(n, "level", f"{path}.levels[{i}]"),
            name=r.text(n.get("name"), f"{path}.levels[{i}].name"),
        )
        for i, n in enumerate(r.sequence(node.get("levels"), f"{path}.levels"))
        if r.mapping(n, f"{path}.levels[{i}]", {"level", "name"})
    )
    if [level.level for level in levels] != list(range(1, len(levels) + 1)):
        r.error(f"{path}.levels", "levels must be numbered 1, 2, 3, ... in order")
    bands = tuple(
        Band(
            level=r.integer(b, "level", f"{path}.bands[{i}]"),
            min_score=r.number(b, "min_score", f"{path}.bands[{i}]", 0, 100),
        )
        for i, b in enumerate(r.sequence(node.get("bands"), f"{path}.bands"))
        if r.mapping(b, f"{path}.bands[{i}]", {"level", "min_score"})
    )
    if [b.level for b in bands] != [level.level for level in levels]:
        r.error(f"{path}.bands", "there must be one band per level, in level order")
    if any(a.min_score >= b.min_score for a, b in pairwise(bands)):
        r.error(f"{path}.bands", "band minimum scores must increase")
    elements = tuple(
        _element(r, e, f"{path}.elements[{i}]", len(levels), per_item_na)
        for i, e in enumerate(r.sequence(node.get("elements"), f"{path}.elements"))
    )
    _weights_add_up(r, [e.weight for e in elements], f"{path}.elements", "element")
    return Cmmm(
        title=r.text(node.get("title"), f"{path}.title"),
        scale=str(node.get("scale", "")),
        reach_threshold=r.number(node, "reach_threshold", path, 0, 1),
        skip_below=r.number(node, "skip_below", path, 0, 1),
        levels=levels,
        bands=bands,
        elements=elements,
        requirement_not_applicable=per_item_na,
        staircase=_staircase(r, node, path),
    )


def _staircase(r: _Reader, node: dict, path: str) -> str:
    staircase = node.get("staircase", "decided")
    if staircase not in STAIRCASES:
        r.error(f"{path}.staircase", f"staircase must be one of {STAIRCASES}, got {staircase!r}")
    return staircase


def _weights_add_up(r: _Reader, weights: list[float], path: str, what: str) -> None:
    if weights and not math.isclose(sum(weights), 1.0, abs_tol=1e-9):
        r.error(path, f"{what} weights add up to {sum(weights):.4g}, not 1")


def _element(r: _Reader, raw: object, path: str, level_count: int, per_item_na: bool) -> Element:
    node = r.mapping(raw, path, {"id", "name", "weight", "sub_domains"}, {"always_applies"})
    eid = r.ident(node, path)
    always = node.get("always_applies", False)
    if not isinstance(always, bool):
        r.error(f"{path}.always_applies", f"always_applies must be true or false, got {always!r}")
        always = False
    sub_domains = tuple(
        _sub_domain(r, s, f"{path}.sub_domains[{i}]", eid, level_count, always, per_item_na)
        for i, s in enumerate(r.sequence(node.get("sub_domains"), f"{path}.sub_domains"))
    )
    _weights_add_up(r, [s.weight for s in sub_domains], f"{path}.sub_domains", "sub-domain")
    return Element(
        id=eid,
        name=r.text(node.get("name"), f"{path}.name"),
        weight=r.number(node, "weight", path, 0, 1),
        sub_domains=sub_domains,
        always_applies=always,
    )


SUB_DOMAIN_OPTIONAL = {"link", "scenarios", "applies_when", "not_applicable_reason", "tailorable"}
# help and evidence are required: a user needs the one, a consultant the other
REQUIREMENT_KEYS = {"id", "level", "text", "help", "evidence", "next_step"}
REQUIREMENT_OPTIONAL = {"effort", "applies_when", "not_applicable_reason", "advice"}


def _sub_domain(
    r: _Reader,
    raw: object,
    path: str,
    element_id: str,
    level_count: int,
    always: bool,
    per_item_na: bool = True,
) -> SubDomain:
    """A sub-domain; in an element that always applies, nothing in it can be not applicable.
    Without per-requirement N/A, a sub-domain can only be tailored out, never not apply."""
    node = r.mapping(raw, path, {"id", "name", "weight", "requirements"}, SUB_DOMAIN_OPTIONAL)
    if always and "applies_when" in node:
        r.error(f"{path}.applies_when", "the element always applies: no applies_when here")
    if always and "tailorable" in node:
        r.error(f"{path}.tailorable", "the element always applies: it cannot be tailored")
    if not per_item_na and "applies_when" in node:
        r.error(f"{path}.applies_when", "no sub-domain stops applying here: mark it tailorable")
    sid = r.ident(node, path)
    requirements = []
    for i, req in enumerate(r.sequence(node.get("requirements"), f"{path}.requirements")):
        rpath = f"{path}.requirements[{i}]"
        rnode = r.mapping(req, rpath, REQUIREMENT_KEYS, REQUIREMENT_OPTIONAL)
        level = rnode.get("level")
        if not isinstance(level, int) or not 1 <= level <= level_count:
            r.error(f"{rpath}.level", f"level must be 1..{level_count}, got {level!r}")
            level = CMMM_LEVEL_NA
        requirements.append(
            Requirement(
                id=r.ident(rnode, rpath),
                level=level,
                sub_domain=sid,
                **_item_fields(r, rnode, rpath),
                not_applicable_allowed=not always and per_item_na,
                **_item_applies_when(r, rnode, rpath),
                advice=_advice(r, rnode, rpath),
            )
        )
    if not requirements:
        r.error(f"{path}.requirements", "a sub-domain needs at least one requirement")
    applies_when = _applies_when(r, node, path)
    return SubDomain(
        id=sid,
        name=r.text(node.get("name"), f"{path}.name"),
        element=element_id,
        weight=r.number(node, "weight", path, 0, 1),
        link=node.get("link"),
        scenarios=tuple(node.get("scenarios", ())),
        applies_when=applies_when,
        not_applicable_reason=r.optional_text(node, "not_applicable_reason", path),
        requirements=tuple(sorted(requirements, key=lambda q: q.level)),
        tailorable=_tailorable(r, node["tailorable"], f"{path}.tailorable")
        if "tailorable" in node
        else None,
    )


def _tailorable(r: _Reader, raw: object, path: str) -> Tailorable:
    node = r.mapping(raw, path, {"when", "reason"}, {"help"})
    return Tailorable(
        when=_conditions(r, node.get("when"), f"{path}.when"),
        reason=r.text(node.get("reason"), f"{path}.reason"),
        help=r.optional_text(node, "help", path),
    )


def _tailoring(r: _Reader, raw: object, path: str) -> Tailoring:
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


def _results(r: _Reader, raw: object, path: str) -> Results:
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
                **_item_applies_when(r, inode, ipath),
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


def _notes(r: _Reader, raw: object, path: str, with_basis: bool) -> tuple[Note, ...]:
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


def _carried_from(r: _Reader, raw: object, path: str) -> CarriedFrom:
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


SCENARIO_KEYS = {"id", "number", "name", "link", "pain_point", "target", "means", "steps"}
SCENARIO_OPTIONAL = {"applicability_help", "applies_when", "not_applicable_reason", "source"}


def _scenarios(r: _Reader, raw: object, path: str) -> Scenarios:
    node = r.mapping(
        raw,
        path,
        {"title", "scale", "met_threshold", "applicability_text", "items"},
        {"met_by_level", "staircase"},
    )
    met_by_level = node.get("met_by_level", {})
    if not isinstance(met_by_level, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and 0 < v <= 1
        for v in met_by_level.values()
    ):
        r.error(f"{path}.met_by_level", "met_by_level maps gradient level ids to values in (0, 1]")
        met_by_level = {}
    items = tuple(
        _scenario(r, s, f"{path}.items[{i}]")
        for i, s in enumerate(r.sequence(node.get("items"), f"{path}.items"))
    )
    if [s.number for s in items] != list(range(1, len(items) + 1)):
        r.error(f"{path}.items", "scenarios must be numbered 1, 2, 3, ... in order")
    return Scenarios(
        title=r.text(node.get("title"), f"{path}.title"),
        scale=str(node.get("scale", "")),
        met_threshold=r.number(node, "met_threshold", path, 0, 1),
        applicability_text=r.text(node.get("applicability_text"), f"{path}.applicability_text"),
        items=items,
        met_by_level={str(k): float(v) for k, v in met_by_level.items()},
        staircase=_staircase(r, node, path),
    )


def _scenario(r: _Reader, raw: object, path: str) -> Scenario:
    node = r.mapping(raw, path, SCENARIO_KEYS, SCENARIO_OPTIONAL)
    sid = r.ident(node, path)
    steps = []
    for i, step in enumerate(r.sequence(node.get("steps"), f"{path}.steps")):
        spath = f"{path}.steps[{i}]"
        snode = r.mapping(step, spath, REQUIREMENT_KEYS, REQUIREMENT_OPTIONAL)
        steps.append(
            Step(
                id=r.ident(snode, spath),
                level=str(snode.get("level", "")),
                scenario=sid,
                **_item_fields(r, snode, spath),
                **_item_applies_when(r, snode, spath),
                advice=_advice(r, snode, spath),
            )
        )
    applies_when = _applies_when(r, node, path)
    return Scenario(
        id=sid,
        number=node.get("number") if isinstance(node.get("number"), int) else 0,
        name=r.text(node.get("name"), f"{path}.name"),
        link=str(node.get("link", "")),
        pain_point=r.text(node.get("pain_point"), f"{path}.pain_point"),
        target=r.text(node.get("target"), f"{path}.target"),
        means=r.text(node.get("means"), f"{path}.means"),
        applicability_help=r.optional_text(node, "applicability_help", path),
        applies_when=applies_when,
        not_applicable_reason=r.optional_text(node, "not_applicable_reason", path),
        steps=tuple(steps),
        source=r.optional_text(node, "source", path),
    )


RULE_KEYS = {"id", "type", "text"}


def _gradient(r: _Reader, raw: object, path: str) -> Gradient:
    node = r.mapping(raw, path, {"title", "below_first", "levels"})
    levels = []
    for i, level in enumerate(r.sequence(node.get("levels"), f"{path}.levels")):
        lpath = f"{path}.levels[{i}]"
        lnode = r.mapping(level, lpath, {"id", "name", "description", "rules"})
        rules = []
        for j, rule in enumerate(r.sequence(lnode.get("rules"), f"{lpath}.rules")):
            rpath = f"{lpath}.rules[{j}]"
            rtype = rule.get("type") if isinstance(rule, dict) else None
            params = RULE_PARAMS.get(rtype)
            if params is None:
                r.error(
                    f"{rpath}.type", f"unknown rule type {rtype!r}; one of {sorted(RULE_PARAMS)}"
                )
                params = set()
            rnode = r.mapping(
                rule, rpath, RULE_KEYS | set(params), {"next_step", "basis", "basis_note"}
            )
            basis = rnode.get("basis")
            if basis is not None and basis not in BASES:
                r.error(f"{rpath}.basis", f"basis must be one of {BASES}, got {basis!r}")
            rules.append(
                Rule(
                    id=r.ident(rnode, rpath),
                    type=str(rtype),
                    params={key: _freeze(rnode.get(key)) for key in params},
                    text=r.text(rnode.get("text"), f"{rpath}.text"),
                    next_step=r.optional_text(rnode, "next_step", rpath),
                    basis=basis,
                    basis_note=r.optional_text(rnode, "basis_note", rpath),
                )
            )
        if not rules:
            r.error(f"{lpath}.rules", "a level needs at least one rule")
        levels.append(
            GradientLevel(
                id=r.ident(lnode, lpath),
                name=r.text(lnode.get("name"), f"{lpath}.name"),
                description=r.text(lnode.get("description"), f"{lpath}.description"),
                rules=tuple(rules),
            )
        )
    return Gradient(
        title=r.text(node.get("title"), f"{path}.title"),
        below_first=r.text(node.get("below_first"), f"{path}.below_first"),
        levels=tuple(levels),
    )


def _freeze(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value
