"""The sections of a questionnaire that an enterprise's owner can hand to a colleague: each CMMM
sub-domain (its requirements and its tailoring claim) and each typical scenario (whether it
applies and its staircase). The profile, the basic requirements and the results indicators
belong to no section: the owner answers them. Pure: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from assess.questionnaire import pages
from assess.questionnaire.definition import Questionnaire, Text, applicability_id


@dataclass(frozen=True)
class Section:
    id: str  # a sub-domain id or a scenario id
    kind: str  # sub_domain | scenario
    title: Text
    page_id: str
    item_ids: tuple[str, ...]


@cache
def sections(q: Questionnaire) -> tuple[Section, ...]:
    """Every section, in the wizard's order."""
    claims = {sub_id: pair[0].id for sub_id, pair in q.tailoring_questions.items()}
    found = []
    for page in pages.pages(q):
        for sub_id in page.sub_domains if page.kind == "cmmm" else ():
            sub = q.sub_domains[sub_id]
            items = tuple(r.id for r in sub.requirements)
            if sub_id in claims:
                items = (claims[sub_id], *items)
            found.append(Section(sub_id, "sub_domain", sub.name, page.id, items))
        for scenario_id in page.scenarios:
            scenario = q.scenario_map[scenario_id]
            title = Text(
                f"{scenario.number} {scenario.name.zh}", f"{scenario.number} {scenario.name.en}"
            )
            items = (applicability_id(scenario_id), *(step.id for step in scenario.steps))
            found.append(Section(scenario_id, "scenario", title, page.id, items))
    return tuple(found)


@cache
def section_map(q: Questionnaire) -> dict[str, Section]:
    return {s.id: s for s in sections(q)}


@cache
def section_of_item(q: Questionnaire) -> dict[str, str]:
    """The section of each item that belongs to one (item id → section id)."""
    return {item: s.id for s in sections(q) for item in s.item_ids}


def items_of(q: Questionnaire, section_ids) -> frozenset[str]:
    """The items of these sections (unknown ids, e.g. of another version, are left out)."""
    found = section_map(q)
    return frozenset(item for s in section_ids if s in found for item in found[s].item_ids)
