"""The sections an owner hands to colleagues: each sub-domain and each scenario, with every one
of their items, and nothing else."""

from __future__ import annotations

import pytest

from assess.questionnaire import pages
from assess.questionnaire.definition import applicability_id
from assess.questionnaire.loader import load_file
from assess.questionnaire.sections import items_of, section_of_item, sections
from tests.domain import NEW


@pytest.fixture(scope="module")
def q2026():
    return load_file(NEW)


def test_every_sub_domain_and_scenario_is_one_section_of_its_own_items(q2026):
    found = sections(q2026)
    assert [s.id for s in found if s.kind == "sub_domain"] == [
        sub for p in pages.pages(q2026) if p.kind == "cmmm" for sub in p.sub_domains
    ]
    assert {s.id for s in found if s.kind == "scenario"} == set(q2026.scenario_map)
    items = [item for s in found for item in s.item_ids]
    assert len(items) == len(set(items))  # no item in two sections
    tailoring = set(pages.page(q2026, "tailoring").item_ids)
    for s in found:  # on its page; a sub-domain's claim to be tailored out on the tailoring page
        assert set(s.item_ids) - tailoring <= set(pages.page(q2026, s.page_id).item_ids)


def test_a_sections_items_are_its_requirements_claim_or_steps(q2026):
    of = section_of_item(q2026)
    assert of["org_strategy.1"] == "org_strategy"
    scenario = next(iter(q2026.scenario_map.values()))
    assert of[applicability_id(scenario.id)] == scenario.id
    assert all(of[step.id] == scenario.id for step in scenario.steps)
    claims = {pair[0].id: sub for sub, pair in q2026.tailoring_questions.items()}
    assert all(of[claim] == sub for claim, sub in claims.items())
    # reviews of a tailoring are the consultant's; the profile, the gate, the results: the owner's
    reviews = {pair[1].id for pair in q2026.tailoring_questions.values()}
    for page_id in ("profile", "gate", "results"):
        assert not set(pages.page(q2026, page_id).item_ids) & set(of)
    assert not reviews & set(of)


def test_items_of_leaves_out_unknown_sections(q2026):
    assert items_of(q2026, ["data", "no-such-section"]) == frozenset(
        r.id for r in q2026.sub_domains["data"].requirements
    )
    assert items_of(q2026, []) == frozenset()
