"""The loader checks what 2026.1 adds: tailoring, conditions on items, results, rule bases,
and the carry-over from 2025.1 (every 2025.1 item kept, renamed or dropped)."""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

from assess.questionnaire.loader import QuestionnaireError, load_dir, load_file
from tests.domain import NEW, REAL

RAW = yaml.safe_load(NEW.read_text(encoding="utf-8"))
NAME = NEW.name
ELEMENTS = ["cmmm", "elements"]
MANUFACTURING = [*ELEMENTS, 3, "sub_domains"]


def _get(raw, path):
    for key in path:
        raw = raw[key]
    return raw


def _set(path, value):
    def mutate(raw):
        _get(raw, path[:-1])[path[-1]] = value

    return mutate


def _write(tmp_path, mutate):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    (tmp_path / NAME).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return tmp_path / NAME


def _drop_results(raw):
    raw.pop("results")
    for level in raw["gradient"]["levels"]:
        level["rules"] = [r for r in level["rules"] if r["type"] != "results_better"]


def _basic_step_conditional(raw):
    step = raw["scenarios"]["items"][7]["steps"][0]  # s08.own.basic
    step["applies_when"] = {"question": "profile.products_in_field", "equals": "yes"}
    step["not_applicable_reason"] = {"zh": "无", "en": "None"}


CASES = [
    (
        "tailoring an element that always applies",
        _set(
            [*ELEMENTS, 0, "sub_domains", 0, "tailorable"],
            {
                "when": {"question": "profile.own_design", "equals": "no"},
                "reason": {"zh": "无", "en": "None"},
            },
        ),
        "cmmm.elements[0].sub_domains[0].tailorable: the element always applies",
    ),
    (
        "a sub-domain that stops applying where only tailoring is allowed",
        _set(
            [*MANUFACTURING, 2, "applies_when"],
            {"question": "profile.own_design", "equals": "yes"},
        ),
        "cmmm.elements[3].sub_domains[2].applies_when: no sub-domain stops applying here",
    ),
    (
        "a condition with equals and in",
        _set(
            [*MANUFACTURING, 0, "tailorable", "when"],
            {"question": "profile.own_design", "equals": "no", "in": ["no"]},
        ),
        "cmmm.elements[3].sub_domains[0].tailorable.when: a condition takes either equals or in",
    ),
    (
        "a condition on an unknown option",
        _set(
            ["scenarios", "items", 7, "steps", 7, "applies_when", 1, "in"],
            ["construction_machinery", "space"],
        ),
        "scenarios.items[7].steps[7].applies_when[1].in: 'space' is not an option of profile.sector",
    ),
    (
        "a level whose only step is asked under a condition",
        _basic_step_conditional,
        "scenarios.items[7].steps: no step (without applies_when) for level(s) basic",
    ),
    (
        "a rule basis that is not one of the four",
        _set(["gradient", "levels", 0, "rules", 3, "basis"], "folklore"),
        "gradient.levels[0].rules[3].basis: basis must be one of",
    ),
    (
        "a named scenario that does not exist",
        _set(["gradient", "levels", 2, "rules", 5, "scenarios"], ["s99_teleport"]),
        "gradient.levels[2].rules[5].scenarios: unknown or no scenarios: ['s99_teleport']",
    ),
    (
        "a results rule without results",
        lambda raw: (
            _drop_results(raw),
            raw["gradient"]["levels"][1]["rules"].append(
                {
                    "id": "advanced.extra",
                    "type": "results_better",
                    "min": 1,
                    "text": {"zh": "成效", "en": "Results"},
                }
            ),
        ),
        "gradient.levels[1].rules[4]: a results rule needs a results section",
    ),
    (
        "a tailoring maximum above the tailorable sub-domains",
        _set(["tailoring", "max"], 4),
        "tailoring.max: max must be 1..3",
    ),
    (
        "review options other than accepted and rejected",
        _set(["tailoring", "review_options", 1, "id"], "maybe"),
        "tailoring.review_options: the options are ['accepted', 'rejected'], in order",
    ),
    ("an unknown status", _set(["status"], "beta"), "status: status must be one of"),
    (
        "a step threshold for an unknown level",
        _set(["scenarios", "met_by_level", "heroic"], 1.0),
        "scenarios.met_by_level: unknown gradient level 'heroic'",
    ),
    (
        "an indicator without a direction",
        _set(["results", "indicators", 1, "better"], "sideways"),
        "results.indicators[1].better: better must be higher or lower",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_loader_rejects_2026_additions_with_file_and_node(tmp_path, mutate, message):
    with pytest.raises(QuestionnaireError) as error:
        load_file(_write(tmp_path, mutate))
    assert f"{NAME}: {message}" in str(error.value)


def _with_2025(tmp_path):
    shutil.copy(REAL, tmp_path / REAL.name)
    return tmp_path


def test_every_2025_item_must_be_kept_renamed_or_dropped(tmp_path):
    def forget_s08_basic(raw):
        raw["carried_from"]["dropped"] = [
            d for d in raw["carried_from"]["dropped"] if d["items"] != ["s08.basic"]
        ]

    _write(_with_2025(tmp_path), forget_s08_basic)
    with pytest.raises(QuestionnaireError) as error:
        load_dir(tmp_path)
    assert (
        f"{NAME}: carried_from: items of 2025.1 neither kept, renamed nor dropped: s08.basic"
        in str(error.value)
    )


def test_an_id_kept_in_2026_cannot_be_dropped(tmp_path):
    def drop_a_kept_item(raw):
        raw["carried_from"]["dropped"][0]["items"].append("org_strategy.1")

    _write(_with_2025(tmp_path), drop_a_kept_item)
    with pytest.raises(QuestionnaireError, match="an id that changed meaning needs a new id"):
        load_dir(tmp_path)


def test_a_draft_version_is_loaded_and_scored_but_new_assessments_stay_on_the_published_one(
    tmp_path,
):
    from assess.questionnaire.versions import Versions

    shutil.copy(REAL, tmp_path / REAL.name)
    _write(tmp_path, _set(["status"], "draft"))
    versions = Versions.load(tmp_path, "machinery-smart-factory")
    assert [q.version for q in versions] == ["2025.1", "2026.1"]
    assert versions.latest().version == "2025.1"
    assert versions.get("machinery-smart-factory", "2026.1").status == "draft"
    published = Versions.load(None, "machinery-smart-factory")
    assert published.latest().version == "2026.1"


def test_the_version_carried_from_must_be_installed(tmp_path):
    _write(tmp_path, lambda raw: None)
    with pytest.raises(QuestionnaireError, match=r"carried_from\.version: .* 2025\.1 is not"):
        load_dir(tmp_path)


def test_2026_loads_with_its_counts_and_every_rule_says_its_basis():
    q = load_file(NEW)
    assert q.status == "published"  # issue 13's web part published it
    assert (len(q.profile.questions), len(q.gate.questions), len(q.sub_domains)) == (7, 3, 20)
    assert (len(q.requirements), len(q.scenarios.items), len(q.steps)) == (100, 12, 52)
    assert list(q.tailorable) == ["product_design", "process_design", "product_service"]
    assert q.tailoring.max == 3
    assert list(q.indicators) == [
        "results.labour_productivity",
        "results.defect_rate",
        "results.cost_per_revenue",
        "results.development_cycle",
        "results.energy_intensity",
    ]
    # every link has a typical scenario now, factory construction included
    assert {s.link for s in q.scenarios.items} == {link.id for link in q.links}
    assert all(rule.basis in ("policy", "reported", "standard", "own") for rule in q.rules.values())
    assert all(s.source is not None for s in q.scenarios.items)
    assert not any(r.not_applicable_allowed for r in q.requirements.values())
    assert q.scenarios.met_by_level == {
        "basic": 0.8,
        "advanced": 0.8,
        "excellent": 1.0,
        "leading": 1.0,
    }
    assert {note.basis for note in q.method} == {"policy", "reported", "standard", "own"}
    assert len(q.glossary) >= 10


def test_both_versions_load_together():
    loaded = load_dir(NEW.parent)
    assert {version for (_, version) in loaded} >= {"2025.1", "2026.1"}
