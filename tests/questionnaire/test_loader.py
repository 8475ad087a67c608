"""The loader rejects malformed definitions with a message naming the file and the node."""

from __future__ import annotations

import copy

import pytest
import yaml

from assess.questionnaire.loader import QuestionnaireError, load_dir, load_file
from tests.domain import REAL, TINY

RAW = yaml.safe_load(TINY.read_text(encoding="utf-8"))


def _load(tmp_path, mutate):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    path = tmp_path / "tiny-1.0.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as error:
        load_file(path)
    return str(error.value)


def _set(path, value):
    def mutate(raw):
        node = raw
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


CASES = [
    (
        "unknown key",
        _set(["cmmm", "elements", 0, "sub_domains", 0, "requirements", 1, "lvl"], 2),
        "tiny-1.0.yaml: cmmm.elements[0].sub_domains[0].requirements[1].lvl: unknown key 'lvl'",
    ),
    (
        "duplicate id",
        _set(["cmmm", "elements", 1, "sub_domains", 0, "requirements", 0, "id"], "a1.1"),
        "cmmm.elements[1].sub_domains[0].requirements[0].id: duplicate id 'a1.1' (first at cmmm.elements[0].sub_domains[0].requirements[0])",
    ),
    ("dangling scale", _set(["cmmm", "scale"], "stars"), "cmmm.scale: unknown scale 'stars'"),
    (
        "dangling link",
        _set(["scenarios", "items", 2, "link"], "ship"),
        "scenarios.items[2].link: unknown link 'ship'",
    ),
    (
        "dangling condition",
        _set(["scenarios", "items", 1, "applies_when", "question"], "p.nothing"),
        "scenarios.items[1].applies_when.question: 'p.nothing' is not a profile question",
    ),
    (
        "condition on no option",
        _set(["cmmm", "elements", 0, "sub_domains", 1, "applies_when", "equals"], "maybe"),
        "cmmm.elements[0].sub_domains[1].applies_when.equals: 'maybe' is not an option of p.design",
    ),
    (
        "missing translation",
        _set(["cmmm", "elements", 0, "sub_domains", 0, "requirements", 0, "text", "en"], ""),
        "cmmm.elements[0].sub_domains[0].requirements[0].text.en: missing translation",
    ),
    (
        "missing language",
        _set(["scenarios", "items", 0, "pain_point"], {"zh": "痛"}),
        "scenarios.items[0].pain_point: missing key 'en'",
    ),
    (
        "element weights",
        _set(["cmmm", "elements", 1, "weight"], 0.5),
        "cmmm.elements: element weights add up to 1.1, not 1",
    ),
    (
        "sub-domain weights",
        _set(["cmmm", "elements", 0, "sub_domains", 0, "weight"], 0.6),
        "cmmm.elements[0].sub_domains: sub-domain weights add up to 1.1, not 1",
    ),
    (
        "unknown rule type",
        _set(["gradient", "levels", 0, "rules", 0, "type"], "vibes"),
        "gradient.levels[0].rules[0].type: unknown rule type 'vibes'",
    ),
    (
        "rule on no CMMM level",
        _set(["gradient", "levels", 1, "rules", 0, "level"], 9),
        "gradient.levels[1].rules[0].level: no CMMM level 9",
    ),
    (
        "rule on no gradient level",
        _set(["gradient", "levels", 0, "rules", 2, "at_least"], "heroic"),
        "gradient.levels[0].rules[2].at_least: no gradient level 'heroic'",
    ),
    (
        "rule on no link",
        _set(["gradient", "levels", 0, "rules", 3, "links"], ["ship"]),
        "gradient.levels[0].rules[3].links: unknown or no links: ['ship']",
    ),
    (
        "rule missing a parameter",
        lambda raw: raw["gradient"]["levels"][1]["rules"][1].pop("min_share"),
        "gradient.levels[1].rules[1]: missing key 'min_share'",
    ),
    (
        "step on no level",
        _set(["scenarios", "items", 0, "steps", 1, "level"], "heroic"),
        "scenarios.items[0].steps[1].level: unknown gradient level 'heroic'",
    ),
    (
        "requirement level out of range",
        _set(["cmmm", "elements", 1, "sub_domains", 0, "requirements", 3, "level"], 4),
        "cmmm.elements[1].sub_domains[0].requirements[3].level: level must be 1..3, got 4",
    ),
    (
        "bands not increasing",
        _set(["cmmm", "bands", 1, "min_score"], 0.5),
        "cmmm.bands: band minimum scores must increase",
    ),
    ("version not a string", _set(["version"], 1.0), "version: must be a string"),
    (
        "CMMM level not a number",
        _set(["cmmm", "levels", 1, "level"], "two"),
        "cmmm.levels[1].level: expected a whole number, got 'two'",
    ),
    (
        "band level not a number",
        _set(["cmmm", "bands", 2, "level"], None),
        "cmmm.bands[2].level: expected a whole number, got None",
    ),
    (
        "requirement without help",
        lambda raw: raw["cmmm"]["elements"][0]["sub_domains"][0]["requirements"][0].pop("help"),
        "cmmm.elements[0].sub_domains[0].requirements[0]: missing key 'help'",
    ),
    (
        "step without an evidence hint",
        lambda raw: raw["scenarios"]["items"][1]["steps"][0].pop("evidence"),
        "scenarios.items[1].steps[0]: missing key 'evidence'",
    ),
    (
        "always_applies not a boolean",
        _set(["cmmm", "elements", 1, "always_applies"], "yes"),
        "cmmm.elements[1].always_applies: always_applies must be true or false, got 'yes'",
    ),
    (
        "a condition in an element that always applies",
        _set(["cmmm", "elements", 0, "always_applies"], True),
        "cmmm.elements[0].sub_domains[1].applies_when: the element always applies",
    ),
    (
        "bad effort",
        _set(["scenarios", "items", 0, "steps", 0, "effort"], 5),
        "scenarios.items[0].steps[0].effort: effort must be one of (1, 2, 3), got 5",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_loader_rejects_with_file_and_node(tmp_path, mutate, message):
    assert message in _load(tmp_path, mutate)


def test_file_name_must_match_id_and_version(tmp_path):
    path = tmp_path / "tiny-2.0.yaml"
    path.write_text(TINY.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"file name must be 'tiny-1\.0\.yaml'"):
        load_file(path)


def test_unreadable_yaml_is_reported(tmp_path):
    path = tmp_path / "broken-1.yaml"
    path.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"broken-1\.yaml: cannot be read"):
        load_file(path)


def test_load_dir_collects_every_file_problem(tmp_path):
    (tmp_path / "a-1.yaml").write_text("id: a\n", encoding="utf-8")
    (tmp_path / "b-1.yaml").write_text("id: b\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError) as error:
        load_dir(tmp_path)
    files = {problem.split(":")[0] for problem in error.value.problems}
    assert files == {"a-1.yaml", "b-1.yaml"}


def test_the_real_questionnaire_loads_with_its_counts():
    q = load_file(REAL)
    assert (len(q.profile.questions), len(q.gate.questions), len(q.sub_domains)) == (6, 3, 20)
    assert (len(q.requirements), len(q.scenarios.items), len(q.steps)) == (100, 10, 40)
    assert [s.number for s in q.scenarios.items] == list(range(1, 11))
    # the plan's ten scenarios lie in four links: none is about factory construction
    assert {s.link for s in q.scenarios.items} == {link.id for link in q.links} - {"factory"}
    assert [level.id for level in q.gradient.levels] == [
        "basic",
        "advanced",
        "excellent",
        "leading",
    ]
