"""Questionnaire definitions: load YAML files into frozen dataclasses, validating every node.

No Flask and no database here. Errors name the file and the node, e.g.
``machinery-smart-factory-2025.1.yaml: cmmm.elements[0].weight: ...``.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise
from pathlib import Path

import yaml

from assess.questionnaire import parts
from assess.questionnaire.checks import check_carried_from, check_references, column_moves
from assess.questionnaire.definition import (
    BASES,
    CMMM_LEVEL_NA,
    RULE_PARAMS,
    Band,
    Cmmm,
    CmmmLevel,
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
)
from assess.questionnaire.reader import (
    EFFORTS,
    LANGUAGES,
    QUESTION_TYPES,
    QuestionnaireError,
    Reader,
)

__all__ = ["LANGUAGES", "QuestionnaireError", "load_dir", "load_file", "load_text"]

# libyaml's safe loader when PyYAML has it: the same documents, parsed about ten times faster
# (the app loads every version when a worker starts)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_file(path: Path) -> Questionnaire:
    """Load and validate one definition file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionnaireError([f"{path.name}: cannot be read: {error}"]) from error
    return load_text(text, path.name)


def load_text(text: str, name: str, check_name: bool = True) -> Questionnaire:
    """Load and validate one definition from its text (`name` is the file's name in errors; a
    version uploaded from the web is checked without the file-name rule)."""
    reader = Reader(name)
    try:
        _refuse_aliases(text, name)
        raw = yaml.load(text, Loader=SAFE_LOADER)  # nosec B506
    except yaml.YAMLError as error:
        raise QuestionnaireError([f"{name}: cannot be read: {error}"]) from error
    questionnaire = _parse(reader, raw)
    if not reader.problems:
        check_references(reader, questionnaire)
        expected = f"{questionnaire.id}-{questionnaire.version}.yaml"
        if check_name and name != expected:
            reader.error("(top)", f"file name must be {expected!r}")
    if reader.problems:
        raise QuestionnaireError(reader.problems)
    return questionnaire


def _refuse_aliases(text: str, name: str) -> None:
    """Anchors and aliases (&a, *a) are refused: none of our files needs them, and a few
    hundred bytes of nested aliases stand for gigabytes once read or quoted in a message."""
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            raise QuestionnaireError(
                [f"{name}: line {mark.line + 1}: anchors and aliases (& and *) are not allowed"]
            )


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
        problems.extend(column_moves(questionnaire, loaded.values()))
    if problems:
        raise QuestionnaireError(problems)
    if not loaded:
        raise QuestionnaireError([f"{directory}: no questionnaire definition (*.yaml) found"])
    return loaded


# --------------------------------------------------------------------------------------------
# Parsing, node by node
# --------------------------------------------------------------------------------------------

VERSION = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){1,3}")
TOP_KEYS = {"id", "version", "title", "source", "scales", "links", "profile", "gate", "cmmm"}
TOP_KEYS |= {"scenarios", "gradient"}
TOP_OPTIONAL = {"status", "tailoring", "results", "method", "glossary", "carried_from"}
ITEM_TEXT_KEYS = {"help", "evidence", "next_step"}


def _parse(r: Reader, raw: object) -> Questionnaire:
    top = r.mapping(raw, "", TOP_KEYS, TOP_OPTIONAL)
    version = top.get("version")
    if not isinstance(version, str) or not VERSION.fullmatch(version):
        r.error("version", f'must be a string such as "2025.1" (numbers and dots), got {version!r}')
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
        status=parts.status(r, top),
        tailoring=parts.tailoring(r, top["tailoring"], "tailoring") if "tailoring" in top else None,
        results=parts.results(r, top["results"], "results") if "results" in top else None,
        method=parts.notes(r, top.get("method", []), "method", with_basis=True),
        glossary=parts.notes(r, top.get("glossary", []), "glossary", with_basis=False),
        carried_from=(
            parts.carried_from(r, top["carried_from"], "carried_from")
            if "carried_from" in top
            else None
        ),
    )


def _scale(r: Reader, raw: object, path: str) -> Scale:
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


def _unique_local(r: Reader, ids: list[str], path: str) -> None:
    """Option ids need only be unique within their list (yes/no recur across scales)."""
    seen = set()
    for i, option_id in enumerate(ids):
        if not option_id:
            r.error(f"{path}[{i}].id", "invalid id ''")
        elif option_id in seen:
            r.error(f"{path}[{i}].id", f"duplicate option id {option_id!r}")
        seen.add(option_id)


QUESTION_KEYS = {"id", "text"}
QUESTION_OPTIONAL = {"type", "help", "evidence", "next_step", "options", "options_from", "scale"}
QUESTION_OPTIONAL |= {"applies_when", "not_applicable_reason"}


def _section(r: Reader, raw: object, path: str, kind: str) -> Section:
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


def _question(r: Reader, raw: object, path: str, kind: str) -> Question:
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
        **parts.item_applies_when(r, node, path),
    )


def _item_fields(r: Reader, node: dict, path: str) -> dict:
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


def _cmmm(r: Reader, raw: object, path: str) -> Cmmm:
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
        staircase=parts.staircase(r, node, path),
    )


def _weights_add_up(r: Reader, weights: list[float], path: str, what: str) -> None:
    if weights and not math.isclose(sum(weights), 1.0, abs_tol=1e-9):
        r.error(path, f"{what} weights add up to {sum(weights):.4g}, not 1")


def _element(r: Reader, raw: object, path: str, level_count: int, per_item_na: bool) -> Element:
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
    r: Reader,
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
                **parts.item_applies_when(r, rnode, rpath),
                advice=parts.advice(r, rnode, rpath),
            )
        )
    if not requirements:
        r.error(f"{path}.requirements", "a sub-domain needs at least one requirement")
    applies_when = parts.applies_when(r, node, path)
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
        tailorable=parts.tailorable(r, node["tailorable"], f"{path}.tailorable")
        if "tailorable" in node
        else None,
    )


SCENARIO_KEYS = {"id", "number", "name", "link", "pain_point", "target", "means", "steps"}
SCENARIO_OPTIONAL = {"applicability_help", "applies_when", "not_applicable_reason", "source"}


def _scenarios(r: Reader, raw: object, path: str) -> Scenarios:
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
        staircase=parts.staircase(r, node, path),
    )


def _scenario(r: Reader, raw: object, path: str) -> Scenario:
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
                **parts.item_applies_when(r, snode, spath),
                advice=parts.advice(r, snode, spath),
            )
        )
    applies_when = parts.applies_when(r, node, path)
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


def _gradient(r: Reader, raw: object, path: str) -> Gradient:
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
                rule,
                rpath,
                RULE_KEYS | set(params),
                {"next_step", "basis", "basis_note", "on_site_text"},
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
                    on_site_text=r.optional_text(rnode, "on_site_text", rpath),
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
