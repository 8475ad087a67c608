"""A questionnaire version as plain data for the API: every item once, in order, with what its
answer may be, and the scales the items name."""

from __future__ import annotations

import pytest

from assess.questionnaire import document
from assess.questionnaire.loader import load_file
from assess.questionnaire.versions import installed_directory


@pytest.fixture(scope="module", params=["2025.1", "2026.1"])
def q(request):
    return load_file(installed_directory() / f"machinery-smart-factory-{request.param}.yaml")


def test_every_item_once_in_questionnaire_order(q):
    assert [item["id"] for item in document.items(q)] == list(q.items)


def test_a_rated_item_names_a_scale_the_version_has(q):
    scales = {scale["id"] for scale in document.scales(q)}
    rated = [item for item in document.items(q) if item["kind"] in ("requirement", "step")]
    assert rated and all(item["scale"] in scales and item["answer"] == "option" for item in rated)


def test_na_is_offered_where_the_checks_accept_it(q):
    offered = {item["id"] for item in document.items(q) if item["not_applicable"]}
    accepted = {r.id for r in q.requirements.values() if r.not_applicable_allowed}
    assert offered == accepted


def test_a_choice_lists_the_options_the_checks_accept(q):
    for item in document.items(q):
        if item["kind"] == "question" and item["answer"] != "number":
            assert [o["id"] for o in item["options"]] == [
                o.id for o in q.options_of(q.items[item["id"]])
            ]


def test_worked_examples_of_2026():
    q = load_file(installed_directory() / "machinery-smart-factory-2026.1.yaml")
    found = {item["id"]: item for item in document.items(q)}
    # the first CMMM requirement: rated on the four-step scale; 2026.1 has no "na" on a
    # requirement (a whole sub-domain is tailored out instead)
    strategy = found["org_strategy.1"]
    assert (strategy["kind"], strategy["part"], strategy["scale"]) == (
        "requirement",
        "org_strategy",
        "rating",
    )
    assert strategy["not_applicable"] is False and strategy["options"] == []
    # the sector: one option of the plan's key sectors
    sector = found["profile.sector"]
    assert (sector["answer"], sector["text"]["zh"]) == ("option", "所属重点行业")
    assert "machine_tools" in [o["id"] for o in sector["options"]]
    # the four-step scale: full 1.0, most 0.8, partial 0.5, none 0.0
    rating = next(scale for scale in document.scales(q) if scale["id"] == "rating")
    assert [(o["id"], o["value"]) for o in rating["options"]] == [
        ("full", 1.0),
        ("most", 0.8),
        ("partial", 0.5),
        ("none", 0.0),
    ]
    indicators = [item for item in found.values() if item["kind"] == "indicator"]
    assert indicators and all(item["answer"] == "number" for item in indicators)
    assert document.summary(q, newest=True)["items"] == len(found) == 186
