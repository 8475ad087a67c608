"""The demo's declarations tell the review as it went: nothing is recognised without every
material checked, and nothing waits at the city without the county's or park's check."""

from __future__ import annotations

from assess.declaration import review
from assess.store import declarations as store


def test_the_demo_review_records_say_who_checked_what_before_the_city(runner, db):
    runner.invoke(args=["demo"])
    rows = list(db.query("SELECT * FROM declarations WHERE status != 'draft'"))
    assert sum(row["contact_name"] == "联系人" for row in rows) > 10  # the synthetic ones too
    for row in rows:
        steps = store.steps(db, row["id"])
        if row["status"] == "recognised":
            assert steps[-1]["outcome"] == "recognise", row["id"]
            assert review.unchecked(steps, row["revision"], {}) == (), row["id"]
        if row["stage"] >= 1:
            first = [s for s in steps if s["stage"] == 0]
            assert first and first[-1]["outcome"] == "recommend", row["id"]
