"""bench/bench_load.py's submission: a simulated enterprise completes its draft (the demo's
synthetic answers under the draft's own version), opens the submit page and submits; the
server's acknowledgements are all found in the database afterwards (no answer lost)."""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from assess.store import assessments, organisations
from assess.store.database import write_transaction
from assess.web import questionnaires
from tests.support import PASSWORD

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def bench():
    sys.path.insert(0, str(BENCH))
    try:
        import bench_load

        yield bench_load
    finally:
        sys.path.remove(str(BENCH))


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


def test_a_simulated_enterprise_completes_and_submits_its_draft(app, accounts, db, bench, served):
    organisation_id = accounts.organisation(name="压测机械有限公司", sector="machine_tools")
    email = accounts.user("enterprise", organisation_id=organisation_id, member_role="owner")
    with app.app_context():
        q, versions = questionnaires.latest(), questionnaires.versions()
    with write_transaction(db):
        draft = assessments.create(
            db, organisation_id=organisation_id, questionnaire=q, created_by=None
        )
    sector = organisations.get(db, organisation_id)["sector"]
    person = bench.Person(
        "enterprise",
        email,
        PASSWORD,
        draft=draft,
        complete=bench.complete_answers(versions, assessments.get(db, draft), sector, 7),
    )
    load = bench.Load(served, seconds=60, think=0, reports=0, submits=1)
    browser = load.log_in(person, random.Random(1))
    load.autosave(browser, "", person, "org_strategy.1", "most")  # an answer given before
    load.submit(browser, person)
    assert load.errors == []
    assert load.submitted == [draft] and person.draft is None and person.submitted == [draft]
    assert assessments.get(db, draft)["status"] == "submitted"
    assert len(load.acked) == len(person.complete) + ("org_strategy.1" not in person.complete)
    assert bench.lost_answers(app.config["DATABASE"], load.acked) == 0
    kinds = [kind for kind, _seconds in load.timings]
    assert kinds[-3:] == ["submit page", "autosave, all", "submit"]
