"""A worker killed in the middle of saving a page leaves the previous answers whole."""

from __future__ import annotations

import os
import select
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from assess.scoring import Answer
from assess.store import assessments
from assess.store.assessments import StoredAnswer
from tests.support import autosave, start_assessment

ROOT = Path(__file__).resolve().parent.parent.parent

# A worker saving a page through answering.save, the wizard's own path. After the third answer
# of the page, inside the write transaction, it says so and waits to be killed. A small page
# cache makes SQLite spill the uncommitted pages into the -wal file before the kill.
WORKER = """
import sys
from assess.assessment import answering
from assess.assessment.answering import Proposed
from assess.store.database import connect
from assess.questionnaire.versions import Versions
from assess.store import assessments

database, assessment_id, *items = sys.argv[1:]
db = connect(database)
db.execute("PRAGMA cache_size = 1")
row = assessments.get(db, int(assessment_id))
q = Versions.load(None, row["questionnaire_id"]).of(row)
save_answer = assessments.save_answer

def save_answer_then_wait(db, assessment_id, item_id, *args):
    outcome = save_answer(db, assessment_id, item_id, *args)
    if item_id == items[2]:
        print("half-saved", flush=True)
        sys.stdin.readline()
    return outcome

assessments.save_answer = save_answer_then_wait
answering.save(db, q, int(assessment_id), None, [Proposed(i, "none", "", 2) for i in items])
print("committed", flush=True)
"""


def write_lock_is_held(database: str) -> bool:
    with closing(sqlite3.connect(database, timeout=0, isolation_level=None)) as probe:
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        probe.execute("ROLLBACK")
        return False


def test_a_worker_killed_mid_save_leaves_the_previous_answers(app, db, enterprise):
    client = enterprise["client"]
    assessment_id = start_assessment(client)
    items = [f"org_strategy.{n}" for n in range(1, 6)]
    assert autosave(client, assessment_id, *[(item, "full", 1) for item in items])["status"] == 200
    before = {item: StoredAnswer(Answer("full", ""), 1) for item in items}
    before["profile.sector"] = StoredAnswer(Answer("machine_tools", ""), 1)  # from registration
    assert assessments.answers(db, assessment_id) == before
    database = app.config["DATABASE"]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert os.path.getsize(f"{database}-wal") == 0

    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, database,
         str(assessment_id), *items],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        ready, _, _ = select.select([worker.stdout], [], [], 30)
        said = worker.stdout.readline() if ready else ""
        if said != "half-saved\n":
            worker.kill()
            pytest.fail(f"the worker said {said!r}: {worker.communicate()[1]}")
        assert write_lock_is_held(database)  # killed inside the transaction,
        assert os.path.getsize(f"{database}-wal") > 0  # with uncommitted pages on disk
        worker.kill()  # SIGKILL: no rollback, no clean-up
        assert worker.wait() == -9
    finally:
        worker.kill()
        worker.communicate()

    assert assessments.answers(db, assessment_id) == before
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert client.get(f"/assessments/{assessment_id}", follow_redirects=True).status_code == 200
    saved = autosave(client, assessment_id, (items[0], "most", 2))
    assert [r["status"] for r in saved["results"]] == ["saved"]
    assert assessments.answers(db, assessment_id) == {
        **before,
        items[0]: StoredAnswer(Answer("most", ""), 2),
    }
