"""The database check (assess/integrity.py, `check-db`): what issue 13 added to it. The demo
holds nothing it refuses; a reviewer's verdict in a self-assessment, and benchmarks that the
benchmarks screen would not take, are reported."""

from __future__ import annotations

from pathlib import Path

from assess.integrity import problems
from assess.scoring import Answer
from assess.store import assessments, summaries
from assess.store.database import write_transaction
from assess.web import questionnaires


def check(app, db) -> list[str]:
    with app.app_context():
        return problems(db, questionnaires.versions(), Path(app.config["EVIDENCE_DIR"]))


def test_the_demo_holds_nothing_the_check_refuses(app, runner, db):
    runner.invoke(args=["demo"])
    assert check(app, db) == []


def test_a_review_outside_an_on_site_assessment_and_odd_benchmarks_are_reported(app, runner, db):
    runner.invoke(args=["demo"])
    own = next(db.query("SELECT id FROM assessments WHERE mode = 'self' AND status = 'draft'"))
    verdict = Answer("accepted")
    with write_transaction(db):
        assessments.put_answers(db, own["id"], [("tailoring.product_design.review", verdict)], None)
        db.execute(
            "UPDATE benchmarks SET value = 120, source = 'a\tb' WHERE province = '32'"
            " AND sector = 'rail' AND indicator_id = 'results.defect_rate'"
        )
        db.execute(
            "INSERT INTO benchmarks (province, sector, indicator_id, value, year, source)"
            " VALUES ('99', 'rail', 'results.defect_rate', 1, 2025, '统计年鉴')"
        )
    assert check(app, db) == [
        f"assessment {own['id']} tailoring.product_design.review: a review outside an on-site"
        " assessment",
        "benchmark 32 rail results.defect_rate: value 120.0 out of range",
        "benchmark 32 rail results.defect_rate: source control character",
        "benchmark 99 rail results.defect_rate: not a province",
    ]


def test_sums_made_with_other_rules_and_an_upload_that_no_longer_loads_are_reported(app, db):
    with app.app_context():
        older = questionnaires.versions().get("machinery-smart-factory", "2025.1")
    with write_transaction(db):
        summaries.refresh(db, list(older.rules))
        db.execute(
            "INSERT INTO questionnaire_uploads (questionnaire_id, version, source, sha256)"
            " VALUES ('machinery-smart-factory', '2027.1', 'id: [', 'x')"
        )
        db.execute(
            "INSERT INTO questionnaire_releases (questionnaire_id, version, action)"
            " VALUES ('machinery-smart-factory', '2027.1', 'uploaded')"
        )
    assert check(app, db) == [
        "questionnaire machinery-smart-factory 2027.1: uploaded, no longer loads",
        "regional sums: made with other gradient rules than 2026.1's (run init-db)",
    ]


def test_an_upload_a_release_then_shipped_with_other_content_is_reported(app, db):
    """The shipped file wins over an upload of the same version: an upload that reads otherwise
    means assessments answered under it are now read with other content."""
    from tests.domain import next_version_source

    same = next_version_source("2026.1").replace(
        'carried_from:\n  version: "2026.1"\n  renamed: {}\n  dropped: []\n', "", 1
    )
    with write_transaction(db):
        db.execute(
            "INSERT INTO questionnaire_uploads (questionnaire_id, version, source, sha256)"
            " VALUES ('machinery-smart-factory', '2026.1', ?, 'x')",
            [same],
        )
    assert check(app, db) == [
        "questionnaire machinery-smart-factory 2026.1: uploaded, and now also shipped with other"
        " content: its assessments are read with the shipped file"
    ]
