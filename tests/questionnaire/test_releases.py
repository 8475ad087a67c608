"""Questionnaire versions' states from the release log, what may be published or retired, the
summary an administrator reads before publishing, and uploaded text loaded as files are: pure,
without an app."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.questionnaire.checks import column_moves
from assess.questionnaire.loader import QuestionnaireError, load_file, load_text
from assess.questionnaire.releases import (
    newest_published,
    publish_refusal,
    retire_refusal,
    states,
    summary,
)
from assess.questionnaire.versions import Versions
from tests.domain import NEW, REAL, next_version_source

QID = "machinery-smart-factory"
V25, V26, V27 = (QID, "2025.1"), (QID, "2026.1"), (QID, "2027.1")


class File:
    """A loaded version as `states` sees it: its key and its file's status."""

    def __init__(self, key, status="published"):
        self.key, self.status = key, status


def test_a_files_status_is_its_state_until_the_log_says_otherwise():
    loaded = {V25: File(V25), V26: File(V26), V27: File(V27, "draft")}
    assert states(loaded, (), ()) == {V25: "published", V26: "published", V27: "draft"}
    log = [(V27, "published"), (V26, "retired"), (V26, "published"), (V25, "retired")]
    assert states(loaded, (), log) == {V25: "retired", V26: "published", V27: "published"}


def test_an_uploaded_version_starts_as_a_draft_whatever_its_file_says():
    loaded = {V26: File(V26), V27: File(V27)}
    assert states(loaded, [V27], ()) == {V26: "published", V27: "draft"}
    assert states(loaded, [V27], [(V27, "uploaded")]) == {V26: "published", V27: "draft"}


def test_log_entries_of_versions_not_loaded_are_ignored():
    loaded = {V26: File(V26)}
    assert states(loaded, (), [((QID, "1999.1"), "published"), (V27, "retired")]) == {
        V26: "published"
    }


@pytest.mark.parametrize(
    ("found", "newest"),
    [
        ({V25: "published", V26: "published"}, V26),
        ({V25: "published", V26: "retired"}, V25),
        ({V25: "published", V26: "published", V27: "draft"}, V26),
        ({V25: "retired", V26: "published", V27: "published"}, V27),
        ({V25: "draft"}, None),
        ({(QID, "2025.9"): "published", (QID, "2025.10"): "published"}, (QID, "2025.10")),
        ({("other", "9.0"): "published", V25: "published"}, V25),
    ],
)
def test_new_assessments_start_on_the_newest_published_version(found, newest):
    assert newest_published(found, QID) == newest


@pytest.mark.parametrize(
    ("found", "key", "publish", "retire"),
    [
        ({V26: "published", V27: "draft"}, V27, None, "not_published"),
        ({V26: "published", V27: "draft"}, V26, "published_already", "last_published"),
        ({V25: "published", V26: "published"}, V26, "published_already", None),
        ({V25: "retired", V26: "published"}, V25, None, "not_published"),
        ({V26: "published"}, V27, "unknown", "unknown"),
        (
            {("other", "1"): "published", V26: "published"},
            V26,
            "published_already",
            "last_published",
        ),
    ],
)
def test_what_may_be_published_and_retired(found, key, publish, retire):
    assert publish_refusal(found, key) == publish
    assert retire_refusal(found, key) == retire


ACTION = st.tuples(st.sampled_from([V25, V26, V27]), st.sampled_from(["published", "retired"]))


@settings(max_examples=200)
@given(actions=st.lists(ACTION, max_size=12))
def test_following_only_what_is_allowed_there_is_always_a_version_to_start_on(actions):
    loaded = {V25: File(V25), V26: File(V26), V27: File(V27, "draft")}
    log = []
    for key, action in actions:
        found = states(loaded, (), log)
        check = publish_refusal if action == "published" else retire_refusal
        if check(found, key) is None:
            log.append((key, action))
    found = states(loaded, (), log)
    newest = newest_published(found, QID)
    assert newest is not None and found[newest] == "published"
    later = [k for k in found if k[1] > newest[1]]  # these version strings sort as text too
    assert all(found[k] != "published" for k in later)


def test_versions_reads_states_through_the_release_log():
    shipped = Versions.load(None, QID)
    uploaded = {V27: load_text(next_version_source(), "upload.yaml", check_name=False)}
    drafted = shipped.released(uploaded, [(V27, "uploaded")])
    assert drafted.latest().key == V26
    assert drafted.state(drafted.get(*V27)) == "draft"
    assert drafted.uploaded == {V27}
    published = shipped.released(uploaded, [(V27, "uploaded"), (V27, "published")])
    assert published.latest().key == V27
    retired = shipped.released(uploaded, [(V27, "published"), (V26, "retired"), (V27, "retired")])
    assert retired.latest().key == V25
    # a retired version is still there for the assessments answered under it
    assert retired.of({"questionnaire_id": QID, "questionnaire_version": "2026.1"}).key == V26
    assert [q.key for q in retired.published()] == [V25]


def test_the_summary_of_2026_1_compared_with_2025_1():
    old, new = load_file(REAL), load_file(NEW)
    found = summary(new, old)
    assert (found.items, found.scales, found.rules, found.carried_from) == (186, 2, 23, "2025.1")
    assert found.sections == {
        "profile": 7,
        "gate": 3,
        "sub_domains": 20,
        "scenarios": 12,
        "indicators": 5,
    }
    assert found.differences["scenarios"].added == (
        "s08_equipment_om",
        "s11_smart_warehousing",
        "s12_digital_factory",
    )
    assert found.differences["scenarios"].removed == ("s08_equipment_maintenance",)
    assert found.differences["rules"].removed == (
        "basic.links",
        "advanced.share",
        "excellent.all_advanced",
        "leading.all_excellent",
    )
    assert len(found.differences["rules"].added) == 23 - (16 - 4)
    assert not found.differences["sub_domains"] and not found.differences["scales"]


def test_the_summary_of_an_upload_names_the_one_rule_it_changed():
    q = load_text(next_version_source(), "upload.yaml", check_name=False)
    found = summary(q, load_file(NEW))
    assert found.compared_with == "2026.1"
    assert found.differences["rules"].added == ("basic.operations_2027",)
    assert found.differences["rules"].removed == ("basic.operations",)
    assert not any(found.differences[k] for k in ("items", "scenarios", "sub_domains", "scales"))
    assert summary(q, None).differences == {}


def test_uploaded_text_is_checked_as_a_file_is_but_for_its_name():
    text = next_version_source()
    assert load_text(text, "whatever.yaml", check_name=False).version == "2027.1"
    with pytest.raises(QuestionnaireError) as error:
        load_text(text, "whatever.yaml")
    assert error.value.problems == [
        "whatever.yaml: (top): file name must be 'machinery-smart-factory-2027.1.yaml'"
    ]
    with pytest.raises(QuestionnaireError) as error:
        load_text(text.replace("weight: 0.", "weight: -0.", 1), "upload.yaml", check_name=False)
    assert all(p.startswith("upload.yaml: ") for p in error.value.problems)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300))
def test_any_text_is_a_questionnaire_or_a_list_of_problems(text):
    try:
        load_text(text, "upload.yaml", check_name=False)
    except QuestionnaireError as error:
        assert error.problems and all(p.startswith("upload.yaml") for p in error.problems)


def test_a_version_that_moves_a_scenario_to_another_facts_column_is_refused():
    old, new = load_file(REAL), load_file(NEW)
    assert column_moves(new, [old, new]) == []  # 2026.1 replaced s08 in place, added s11, s12
    first, second, *rest = new.scenarios.items
    swapped = replace(new, scenarios=replace(new.scenarios, items=(second, first, *rest)))
    assert column_moves(swapped, [old]) == [
        "machinery-smart-factory-2026.1: scenarios.items: s02_digital_process_design is number 1"
        " here and 2 in 2025.1 (keep earlier ones in place, add new ones at the end)",
        "machinery-smart-factory-2026.1: scenarios.items: s01_digital_product_design is number 2"
        " here and 1 in 2025.1 (keep earlier ones in place, add new ones at the end)",
    ]


def test_anchors_and_aliases_are_refused_before_they_are_read():
    """A few hundred bytes of nested aliases (a "billion laughs") quoted in a problem made a
    13 MB error page; aliases of scales multiplied the reading time with the file's size."""
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        laughs += f"{level}: &{level} [{', '.join(['*' + previous] * 10)}]\n"
    laughs += "version: *h\n"
    with pytest.raises(QuestionnaireError) as error:
        load_text(laughs, "upload.yaml", check_name=False)
    assert error.value.problems == [
        "upload.yaml: line 1: anchors and aliases (& and *) are not allowed"
    ]


def test_a_file_with_many_problems_stops_at_two_hundred_and_quotes_values_short():
    items = "\n".join(f"  - {{id: x{i}, effort: {'9' * 500}}}" for i in range(400))
    with pytest.raises(QuestionnaireError) as error:
        load_text(f'version: "{"9" * 900}"\nscales:\n{items}\n', "upload.yaml", check_name=False)
    problems = error.value.problems
    assert len(problems) <= 201 and problems[-1] == "upload.yaml: stopped after 200 problems"
    assert max(len(p) for p in problems) < 300


@pytest.mark.parametrize("version", ["2027/1", " 2026.1", "2026.1\t", "2027.1\u202e", "", "v2"])
def test_a_version_is_numbers_and_dots(version):
    text = next_version_source().replace('version: "2027.1"', f"version: {version!r}", 1)
    with pytest.raises(QuestionnaireError) as error:
        load_text(text, "upload.yaml", check_name=False)
    assert any(": version: must be a string such as" in p for p in error.value.problems)
