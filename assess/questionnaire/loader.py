"""Questionnaire definitions: load YAML files into frozen dataclasses, validating every node.

No Flask and no database here. Errors name the file and the node, e.g.
``machinery-smart-factory-2025.1.yaml: cmmm.elements[0].weight: ...``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import yaml

from assess.questionnaire.definition import (
    CMMM_LEVEL_NA,
    RULE_PARAMS,
    Band,
    Cmmm,
    CmmmLevel,
    Condition,
    Element,
    Gradient,
    GradientLevel,
    Link,
    Option,
    Question,
    Questionnaire,
    Requirement,
    Rule,
    Scale,
    Scenario,
    Scenarios,
    Section,
    Step,
    SubDomain,
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
        _check_references(reader, questionnaire)
        expected = f"{questionnaire.id}-{questionnaire.version}.yaml"
        if path.name != expected:
            reader.error("(top)", f"file name must be {expected!r}")
    if reader.problems:
        raise QuestionnaireError(reader.problems)
    return questionnaire


def load_dir(directory: Path | str) -> dict[tuple[str, str], Questionnaire]:
    """Load every *.yaml file of a directory, keyed by (id, version)."""
    problems: list[str] = []
    loaded: dict[tuple[str, str], Questionnaire] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            questionnaire = load_file(path)
        except QuestionnaireError as error:
            problems.extend(error.problems)
            continue
        loaded[(questionnaire.id, questionnaire.version)] = questionnaire
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
ITEM_TEXT_KEYS = {"help", "evidence", "next_step"}


def _parse(r: _Reader, raw: object) -> Questionnaire:
    top = r.mapping(raw, "", TOP_KEYS)
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
    )


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
    node = r.mapping(raw, path, {"question", "equals"})
    return Condition(question=str(node.get("question", "")), equals=str(node.get("equals", "")))


def _applies_when(r: _Reader, node: dict, path: str) -> Condition | None:
    """The optional profile condition of a sub-domain or scenario (with its reason)."""
    if ("applies_when" in node) != ("not_applicable_reason" in node):
        r.error(path, "applies_when and not_applicable_reason go together")
    if "applies_when" not in node:
        return None
    return _condition(r, node["applies_when"], f"{path}.applies_when")


QUESTION_KEYS = {"id", "text"}
QUESTION_OPTIONAL = {"type", "help", "evidence", "next_step", "options", "options_from", "scale"}


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
    )
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
        _element(r, e, f"{path}.elements[{i}]", len(levels))
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
    )


def _weights_add_up(r: _Reader, weights: list[float], path: str, what: str) -> None:
    if weights and not math.isclose(sum(weights), 1.0, abs_tol=1e-9):
        r.error(path, f"{what} weights add up to {sum(weights):.4g}, not 1")


def _element(r: _Reader, raw: object, path: str, level_count: int) -> Element:
    node = r.mapping(raw, path, {"id", "name", "weight", "sub_domains"}, {"always_applies"})
    eid = r.ident(node, path)
    always = node.get("always_applies", False)
    if not isinstance(always, bool):
        r.error(f"{path}.always_applies", f"always_applies must be true or false, got {always!r}")
        always = False
    sub_domains = tuple(
        _sub_domain(r, s, f"{path}.sub_domains[{i}]", eid, level_count, always)
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


SUB_DOMAIN_OPTIONAL = {"link", "scenarios", "applies_when", "not_applicable_reason"}
# help and evidence are required: a user needs the one, a consultant the other
REQUIREMENT_KEYS = {"id", "level", "text", "help", "evidence", "next_step"}
REQUIREMENT_OPTIONAL = {"effort"}


def _sub_domain(
    r: _Reader, raw: object, path: str, element_id: str, level_count: int, always: bool
) -> SubDomain:
    """A sub-domain; in an element that always applies, nothing in it can be not applicable."""
    node = r.mapping(raw, path, {"id", "name", "weight", "requirements"}, SUB_DOMAIN_OPTIONAL)
    if always and "applies_when" in node:
        r.error(f"{path}.applies_when", "the element always applies: no applies_when here")
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
                not_applicable_allowed=not always,
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
    )


SCENARIO_KEYS = {"id", "number", "name", "link", "pain_point", "target", "means", "steps"}
SCENARIO_OPTIONAL = {"applicability_help", "applies_when", "not_applicable_reason"}


def _scenarios(r: _Reader, raw: object, path: str) -> Scenarios:
    node = r.mapping(raw, path, {"title", "scale", "met_threshold", "applicability_text", "items"})
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
            rnode = r.mapping(rule, rpath, RULE_KEYS | set(params), {"next_step"})
            rules.append(
                Rule(
                    id=r.ident(rnode, rpath),
                    type=str(rtype),
                    params={key: _freeze(rnode.get(key)) for key in params},
                    text=r.text(rnode.get("text"), f"{rpath}.text"),
                    next_step=r.optional_text(rnode, "next_step", rpath),
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


# --------------------------------------------------------------------------------------------
# Cross-references: every id a node points at must exist and be of the right kind
# --------------------------------------------------------------------------------------------


def _check_references(r: _Reader, q: Questionnaire) -> None:
    links = {link.id for link in q.links}
    level_ids = [level.id for level in q.gradient.levels]
    scenario_ids = {s.id for s in q.scenarios.items}
    profile = {question.id: question for question in q.profile.questions}
    for where, scale in (("cmmm.scale", q.cmmm.scale), ("scenarios.scale", q.scenarios.scale)):
        if scale not in q.scales:
            r.error(where, f"unknown scale {scale!r}")
    for section in ("profile", "gate"):
        for i, question in enumerate(getattr(q, section).questions):
            path = f"{section}.questions[{i}]"
            if question.scale is not None and question.scale not in q.scales:
                r.error(f"{path}.scale", f"unknown scale {question.scale!r}")
            if question.options_from not in (None, "links"):
                r.error(f"{path}.options_from", "only 'links' can provide options")
            if question.type in ("choice", "multi_choice") and not (
                question.options or question.options_from or question.scale
            ):
                r.error(path, "a choice question needs options, options_from or a scale")
    for condition, path in _conditions(q):
        question = profile.get(condition.question)
        if question is None:
            r.error(f"{path}.question", f"{condition.question!r} is not a profile question")
        elif condition.equals not in {o.id for o in q.options_of(question)}:
            r.error(f"{path}.equals", f"{condition.equals!r} is not an option of {question.id}")
    for ei, element in enumerate(q.cmmm.elements):
        for si, sub in enumerate(element.sub_domains):
            path = f"cmmm.elements[{ei}].sub_domains[{si}]"
            if sub.link is not None and sub.link not in links:
                r.error(f"{path}.link", f"unknown link {sub.link!r}")
            for scenario in sub.scenarios:
                if scenario not in scenario_ids:
                    r.error(f"{path}.scenarios", f"unknown scenario {scenario!r}")
    for i, scenario in enumerate(q.scenarios.items):
        path = f"scenarios.items[{i}]"
        if scenario.link not in links:
            r.error(f"{path}.link", f"unknown link {scenario.link!r}")
        for j, step in enumerate(scenario.steps):
            if step.level not in level_ids:
                r.error(f"{path}.steps[{j}].level", f"unknown gradient level {step.level!r}")
        missing = [level for level in level_ids if level not in {s.level for s in scenario.steps}]
        if missing:
            r.error(f"{path}.steps", f"no step for level(s) {', '.join(missing)}")
    for li, level in enumerate(q.gradient.levels):
        for ri, rule in enumerate(level.rules):
            _check_rule(r, q, rule, f"gradient.levels[{li}].rules[{ri}]", links, level_ids, profile)


def _conditions(q: Questionnaire) -> Iterator[tuple[Condition, str]]:
    for ei, element in enumerate(q.cmmm.elements):
        for si, sub in enumerate(element.sub_domains):
            if sub.applies_when:
                yield sub.applies_when, f"cmmm.elements[{ei}].sub_domains[{si}].applies_when"
    for i, scenario in enumerate(q.scenarios.items):
        if scenario.applies_when:
            yield scenario.applies_when, f"scenarios.items[{i}].applies_when"


def _check_rule(r: _Reader, q, rule: Rule, path: str, links, level_ids, profile) -> None:
    p = rule.params
    if "level" in p and p["level"] not in {level.level for level in q.cmmm.levels}:
        r.error(f"{path}.level", f"no CMMM level {p['level']!r}")
    if "at_least" in p and p["at_least"] not in level_ids:
        r.error(f"{path}.at_least", f"no gradient level {p['at_least']!r}")
    if "min" in p and (not isinstance(p["min"], int) or p["min"] < 1):
        r.error(f"{path}.min", "min must be a whole number of at least 1")
    if "min_share" in p and not (
        isinstance(p["min_share"], int | float) and 0 < p["min_share"] <= 1
    ):
        r.error(f"{path}.min_share", "min_share must be in (0, 1]")
    if "section" in p and p["section"] != "gate":
        r.error(f"{path}.section", "only the gate section can be required all yes")
    if "links" in p and p["links"] != "all_applicable":
        unknown = [link for link in (p["links"] or ()) if link not in links]
        if unknown or not p["links"]:
            r.error(f"{path}.links", f"unknown or no links: {unknown}")
    if rule.type == "answer_equals":
        question = profile.get(p["question"])
        if question is None:
            r.error(f"{path}.question", f"{p['question']!r} is not a profile question")
        elif p["equals"] not in {o.id for o in q.options_of(question)}:
            r.error(f"{path}.equals", f"{p['equals']!r} is not an option of {question.id}")
