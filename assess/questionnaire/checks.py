"""Cross-references of a loaded questionnaire: every id a node points at exists and is of the
right kind, a version's carry-over from an earlier one accounts for every earlier item, and the
scenarios and sub-domains of earlier versions keep their positions (the regional facts' columns).

Problems are reported through the loader's reader, so that they name the file and the node.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

from assess.questionnaire.definition import Condition, Questionnaire, Rule


class Reporter(Protocol):
    file: str

    def error(self, path: str, message: str) -> None: ...


def check_references(r: Reporter, q: Questionnaire) -> None:
    """Scales, links, scenarios, levels, profile conditions and rule parameters all exist."""
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
    for condition, path in all_conditions(q):
        question = profile.get(condition.question)
        if question is None:
            r.error(f"{path}.question", f"{condition.question!r} is not a profile question")
            continue
        options = {o.id for o in q.options_of(question)}
        key = "in" if condition.any_of else "equals"
        for option in condition.options:
            if option not in options:
                r.error(f"{path}.{key}", f"{option!r} is not an option of {question.id}")
    for ei, element in enumerate(q.cmmm.elements):
        for si, sub in enumerate(element.sub_domains):
            path = f"cmmm.elements[{ei}].sub_domains[{si}]"
            if sub.link is not None and sub.link not in links:
                r.error(f"{path}.link", f"unknown link {sub.link!r}")
            for scenario in sub.scenarios:
                if scenario not in scenario_ids:
                    r.error(f"{path}.scenarios", f"unknown scenario {scenario!r}")
            if sub.tailorable is not None and q.tailoring is None:
                r.error(f"{path}.tailorable", "a tailorable sub-domain needs a tailoring section")
    if q.tailoring is not None and not 1 <= q.tailoring.max <= len(q.tailorable):
        r.error("tailoring.max", f"max must be 1..{len(q.tailorable)} (the tailorable sub-domains)")
    for i, scenario in enumerate(q.scenarios.items):
        _check_scenario(r, q, scenario, f"scenarios.items[{i}]", links, level_ids)
    for level_id in q.scenarios.met_by_level:
        if level_id not in level_ids:
            r.error("scenarios.met_by_level", f"unknown gradient level {level_id!r}")
    for li, level in enumerate(q.gradient.levels):
        for ri, rule in enumerate(level.rules):
            _check_rule(r, q, rule, f"gradient.levels[{li}].rules[{ri}]", links, level_ids, profile)


def _check_scenario(r: Reporter, q: Questionnaire, scenario, path: str, links, level_ids) -> None:
    if scenario.link not in links:
        r.error(f"{path}.link", f"unknown link {scenario.link!r}")
    for j, step in enumerate(scenario.steps):
        if step.level not in level_ids:
            r.error(f"{path}.steps[{j}].level", f"unknown gradient level {step.level!r}")
    # every level needs a step that every enterprise is asked (a condition only adds steps)
    unconditional = {s.level for s in scenario.steps if not s.applies_when}
    missing = [level for level in level_ids if level not in unconditional]
    if missing:
        r.error(
            f"{path}.steps", f"no step (without applies_when) for level(s) {', '.join(missing)}"
        )


def all_conditions(q: Questionnaire) -> Iterator[tuple[Condition, str]]:
    """Every profile condition in the file, with its node path."""
    for i, question in enumerate(q.profile.questions):
        for j, condition in enumerate(question.applies_when):
            yield condition, f"profile.questions[{i}].applies_when[{j}]"
    for ei, element in enumerate(q.cmmm.elements):
        for si, sub in enumerate(element.sub_domains):
            path = f"cmmm.elements[{ei}].sub_domains[{si}]"
            if sub.applies_when:
                yield sub.applies_when, f"{path}.applies_when"
            if sub.tailorable is not None:
                for j, condition in enumerate(sub.tailorable.when):
                    yield condition, f"{path}.tailorable.when[{j}]"
            for ri, requirement in enumerate(sub.requirements):
                yield from _item_conditions(requirement, f"{path}.requirements[{ri}]")
    for i, scenario in enumerate(q.scenarios.items):
        if scenario.applies_when:
            yield scenario.applies_when, f"scenarios.items[{i}].applies_when"
        for j, step in enumerate(scenario.steps):
            yield from _item_conditions(step, f"scenarios.items[{i}].steps[{j}]")
    for i, indicator in enumerate(q.results.indicators if q.results else ()):
        yield from _item_conditions(indicator, f"results.indicators[{i}]")


def _item_conditions(item, path: str) -> Iterator[tuple[Condition, str]]:
    for j, condition in enumerate(item.applies_when):
        yield condition, f"{path}.applies_when[{j}]"
    for a, advice in enumerate(getattr(item, "advice", ())):
        for j, condition in enumerate(advice.when):
            yield condition, f"{path}.advice[{a}].when[{j}]"


def _check_rule(r: Reporter, q: Questionnaire, rule: Rule, path, links, level_ids, profile) -> None:
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
    if "links" in p and p["links"] == "operated" and q.links_question is None:
        r.error(f"{path}.links", "'operated' needs a profile question with options_from: links")
    elif "links" in p and p["links"] not in ("all_applicable", "operated"):
        unknown = [link for link in (p["links"] or ()) if link not in links]
        if unknown or not p["links"]:
            r.error(f"{path}.links", f"unknown or no links: {unknown}")
    if "scenarios" in p:
        listed = p["scenarios"] if isinstance(p["scenarios"], tuple) else ()
        unknown = [s for s in listed if s not in q.scenario_map]
        if unknown or not listed:
            r.error(f"{path}.scenarios", f"unknown or no scenarios: {unknown}")
        elif isinstance(p.get("min"), int) and p["min"] > len(listed):
            r.error(f"{path}.min", "min is more than the scenarios listed")
    if rule.type == "results_better" and q.results is None:
        r.error(path, "a results rule needs a results section")
    if rule.type == "answer_equals":
        question = profile.get(p["question"])
        if question is None:
            r.error(f"{path}.question", f"{p['question']!r} is not a profile question")
        elif p["equals"] not in {o.id for o in q.options_of(question)}:
            r.error(f"{path}.equals", f"{p['equals']!r} is not an option of {question.id}")


def check_carried_from(q: Questionnaire, loaded: dict[tuple[str, str], Questionnaire]) -> list[str]:
    """Every item of the version carried from is carried (same id or renamed) or dropped."""
    carried = q.carried_from
    if carried is None:
        return []
    where = f"{q.id}-{q.version}.yaml: carried_from"
    old = loaded.get((q.id, carried.version))
    if old is None:
        return [f"{where}.version: {q.id} {carried.version} is not installed"]
    problems = []
    for old_id, new_id in carried.renamed.items():
        if old_id not in old.items:
            problems.append(f"{where}.renamed: {old_id!r} is not an item of {carried.version}")
        if new_id not in q.items:
            problems.append(f"{where}.renamed: {new_id!r} is not an item of {q.version}")
        if old_id in q.items:
            problems.append(f"{where}.renamed: {old_id!r} still exists in {q.version}")
    for old_id in carried.dropped:
        if old_id not in old.items:
            problems.append(f"{where}.dropped: {old_id!r} is not an item of {carried.version}")
        if old_id in q.items:
            problems.append(
                f"{where}.dropped: {old_id!r} exists in {q.version}: an id that changed meaning"
                " needs a new id"
            )
        if old_id in carried.renamed:
            problems.append(f"{where}.dropped: {old_id!r} is also renamed")
    unaccounted = [
        old_id
        for old_id in old.items
        if old_id not in q.items and old_id not in carried.renamed and old_id not in carried.dropped
    ]
    if unaccounted:
        problems.append(
            f"{where}: items of {carried.version} neither kept, renamed nor dropped: "
            + ", ".join(unaccounted)
        )
    return problems


def column_moves(q: Questionnaire, others: Iterable[Questionnaire]) -> list[str]:
    """Scenarios and sub-domains that another version of the questionnaire has at another
    position: the regional facts keep them in numbered columns in questionnaire order, read
    with the newest version's order, so a version keeps the earlier ones where they were (a
    replaced one may take its place; new ones go at the end)."""
    problems = []
    for other in others:
        if other.id != q.id or other.key == q.key:
            continue
        for what, new, old in (
            ("scenarios.items", [s.id for s in q.scenarios.items], other.scenarios.items),
            ("cmmm sub-domains", list(q.sub_domains), list(other.sub_domains)),
        ):
            old_ids = [getattr(x, "id", x) for x in old]
            for position, item in enumerate(new):
                if item in old_ids and old_ids.index(item) != position:
                    problems.append(
                        f"{q.id}-{q.version}: {what}: {item} is number {position + 1} here and"
                        f" {old_ids.index(item) + 1} in {other.version} (keep earlier ones in"
                        " place, add new ones at the end)"
                    )
    return problems
