"""Questionnaire versions uploaded, published and retired (assess/assessment/releases.py): the
regional sums follow the version new assessments use, in the same transaction; every refusal
changes nothing; every process sees a release without a restart; `init-db` remakes sums made
under other rules."""

from __future__ import annotations

import json

import pytest

from assess.assessment import releases
from assess.cli.database import init_database
from assess.regional.periods import quarter_ends
from assess.store import summaries
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.web import questionnaires
from tests.domain import next_version_source
from tests.fuzz.world import changed_tables, snapshot
from tests.support import insert_facts, ready_app

QID = "machinery-smart-factory"


@pytest.fixture
def admin(accounts, db) -> Actor:
    email = accounts.user("admin", email="admin@example.com", name="管理员")
    return Actor(db.execute("SELECT id FROM users WHERE email = ?", [email]).fetchone()[0], "::1")


def versions(app):
    with app.app_context():
        return questionnaires.versions()


def rule_gaps(db) -> set[str]:
    return {r[0] for r in db.execute("SELECT DISTINCT rule_id FROM region_rule_gaps")}


def facts_failing_basic_operations(app, db) -> None:
    """Two enterprises whose next gap is 2026.1's rule basic.operations, summed with its rules."""
    insert_facts(app, db, [("320505", "machine_tools", "medium", 0, 1, 1.0, "self", 1)] * 2)
    with write_transaction(db):
        db.execute("UPDATE result_facts SET next_gaps = ',basic.operations,', next_gap_count = 1")
        summaries.refresh(db, list(versions(app).latest().rules), periods=quarter_ends())


def test_publishing_an_upload_makes_it_the_version_new_assessments_use(app, db, admin):
    facts_failing_basic_operations(app, db)
    assert "basic.operations" in rule_gaps(db)
    made = releases.upload(db, versions(app), next_version_source().encode(), "q.yaml", admin)
    assert made.key == (QID, "2027.1")
    assert versions(app).latest().version == "2026.1"  # a draft: nothing starts on it
    assert versions(app).state(made) == "draft"

    done = releases.publish(db, versions(app), made.key, admin)

    assert (done.newest_before, done.newest_after) == ("2026.1", "2027.1")
    assert done.rebuild_seconds is not None and done.periods == sorted(["", *quarter_ends()])
    assert versions(app).latest().version == "2027.1"
    assert summaries.made_with(db) == list(made.rules)
    # the sums are those of 2027.1's rules: its renamed rule, no longer 2026.1's
    assert "basic.operations" not in rule_gaps(db)
    # the deploy step, another process, agrees: nothing to remake
    assert init_database(app)[1].periods == []
    log = [
        (action, target_type, target_id, json.loads(detail))
        for action, target_type, target_id, detail in db.execute(
            "SELECT action, target_type, target_id, detail FROM audit_log"
            " WHERE action LIKE 'questionnaire_%' ORDER BY id"
        )
    ]
    assert log == [
        (
            "questionnaire_uploaded",
            "questionnaire",
            f"{QID} 2027.1",
            {"version": "2027.1", "file": "q.yaml"},
        ),
        (
            "questionnaire_published",
            "questionnaire",
            f"{QID} 2027.1",
            {
                "version": "2027.1",
                "new_assessments": {"before": "2026.1", "after": "2027.1"},
                "regional_sums_remade": True,
            },
        ),
    ]


def test_retiring_the_newest_goes_back_to_the_one_before_and_its_rules(app, db, admin):
    facts_failing_basic_operations(app, db)
    done = releases.retire(db, versions(app), (QID, "2026.1"), admin)
    assert (done.newest_before, done.newest_after) == ("2026.1", "2025.1")
    older = versions(app).latest()
    assert older.version == "2025.1"
    assert summaries.made_with(db) == list(older.rules)
    # a retired version still opens the assessments answered under it
    assert versions(app).of({"questionnaire_id": QID, "questionnaire_version": "2026.1"})
    assert versions(app).state(versions(app).get(QID, "2026.1")) == "retired"
    again = releases.publish(db, versions(app), (QID, "2026.1"), admin)
    assert again.newest_after == "2026.1" and summaries.made_with(db) != list(older.rules)


def test_retiring_an_older_version_leaves_the_sums_alone(app, db, admin):
    facts_failing_basic_operations(app, db)
    stamp = db.execute("SELECT stamp FROM region_version").fetchone()
    done = releases.retire(db, versions(app), (QID, "2025.1"), admin)
    assert (done.newest_before, done.newest_after, done.rebuild_seconds) == (
        "2026.1",
        "2026.1",
        None,
    )
    assert db.execute("SELECT stamp FROM region_version").fetchone() == stamp


BROKEN = next_version_source().replace("weight: 0.", "weight: -0.", 1)


@pytest.mark.parametrize(
    ("data", "reason", "a_problem"),
    [
        (b"", "empty", None),
        (b"\xff\xfeid: x", "not_utf8", None),
        (b"id: [", "invalid", "q.yaml: cannot be read: "),
        (b"- just\n- a list\n", "invalid", "q.yaml: "),
        (BROKEN.encode(), "invalid", "q.yaml: cmmm.elements[0]"),
        (next_version_source("2026.1").encode(), "duplicate", None),
        (
            next_version_source().replace(f"id: {QID}", "id: other", 1).encode(),
            "unknown_questionnaire",
            None,
        ),
        (
            next_version_source().replace('version: "2026.1"', 'version: "2024.1"', 1).encode(),
            "invalid",
            "machinery-smart-factory-2027.1.yaml: carried_from.version: ",
        ),
        (b"x" * (releases.MAX_BYTES + 1), "too_big", None),
    ],
    ids=[
        "empty",
        "utf16",
        "bad yaml",
        "a list",
        "fails a check",
        "duplicate",
        "other id",
        "carried from nothing",
        "too big",
    ],
)
def test_a_refused_upload_changes_nothing(app, db, admin, data, reason, a_problem):
    before = snapshot(db)
    refused = releases.upload(db, versions(app), data, "q.yaml", admin)
    assert isinstance(refused, releases.Refused) and refused.reason == reason
    if a_problem:
        assert any(p.startswith(a_problem) for p in refused.problems), refused.problems
    assert changed_tables(before, snapshot(db)) == []


def test_refused_releases_change_nothing(app, db, admin):
    releases.upload(db, versions(app), next_version_source().encode(), "q.yaml", admin)
    releases.retire(db, versions(app), (QID, "2025.1"), admin)
    before = snapshot(db)
    for act, key, reason in [
        (releases.retire, (QID, "2026.1"), "last_published"),
        (releases.retire, (QID, "2027.1"), "not_published"),
        (releases.retire, (QID, "2025.1"), "not_published"),
        (releases.publish, (QID, "2026.1"), "published_already"),
        (releases.publish, (QID, "1999.1"), "unknown"),
    ]:
        assert act(db, versions(app), key, admin) == releases.Refused(reason)
    assert changed_tables(before, snapshot(db)) == []


def test_another_process_sees_a_release_at_its_next_request(app, db, admin, tmp_path):
    other = ready_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": app.config["DATABASE"]})
    assert versions(other).latest().version == "2026.1"
    made = releases.upload(db, versions(app), next_version_source().encode(), "q.yaml", admin)
    releases.publish(db, versions(app), made.key, admin)
    assert versions(other).latest().version == "2027.1"
    with other.app_context():  # within one request (or command) it reads the log once
        first = questionnaires.versions()
        releases.retire(db, versions(app), made.key, admin)
        assert questionnaires.versions() is first
        assert questionnaires.reread().latest().version == "2026.1"


def test_init_db_remakes_sums_made_under_other_rules(app, db):
    older = versions(app).get(QID, "2025.1")
    with write_transaction(db):
        summaries.refresh(db, list(older.rules), periods=quarter_ends())
    assert summaries.made_with(db) == list(older.rules)
    applied, brought = init_database(app)
    assert applied == [] and brought.periods == ["", *quarter_ends()]
    assert summaries.made_with(db) == list(versions(app).latest().rules)
    # made with the right rules: the next deploy step leaves them alone
    assert init_database(app)[1].periods == []


def test_an_older_versions_submission_refreshes_its_county_with_the_newest_rules(app, db, admin):
    facts_failing_basic_operations(app, db)
    made = releases.upload(db, versions(app), next_version_source().encode(), "q.yaml", admin)
    releases.publish(db, versions(app), made.key, admin)
    older = versions(app).get(QID, "2026.1")
    with write_transaction(db):  # as submitting a draft of 2026.1 does for its county
        summaries.refresh(db, list(older.rules), [("320505", None)])
    assert "basic.operations" not in rule_gaps(db)
    assert summaries.made_with(db) == list(made.rules)
