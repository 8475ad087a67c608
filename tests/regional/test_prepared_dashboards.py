"""Solved patterns shared by every worker on a database (assess/store/patterns.py), and the
command that solves them ahead (prepare-dashboards): a dashboard solved by one process is read,
figure for figure, by another; data that changed since is solved again."""

from __future__ import annotations

from datetime import date

import pytest

from assess.regional import dashboard, derived
from assess.regional import publication as region_suppression
from assess.store import summaries
from assess.store.database import write_transaction
from assess.store.regional import Scope
from tests.support import REGION_FIXTURE, insert_facts


@pytest.fixture
def region(app, db):
    return insert_facts(app, db, REGION_FIXTURE)


def solving_forbidden(monkeypatch):
    """From here on, any solve fails the test: figures must come from what was stored."""

    def refuse(*args, **kwargs):
        raise AssertionError("solved again")

    monkeypatch.setattr(region_suppression, "solve_children", refuse)
    monkeypatch.setattr(region_suppression, "solve_alone", refuse)


def test_a_dashboard_one_worker_solved_is_read_by_another(app, db, region, monkeypatch):
    today = date(2026, 11, 30)
    with app.test_request_context():
        solved = dashboard.build(db, region, Scope("32", as_of="2026-06-30"), "zh", today)
        region_suppression._cache.clear()  # another worker: nothing solved in its memory
        solving_forbidden(monkeypatch)
        read = dashboard.build(db, region, Scope("32", as_of="2026-06-30"), "zh", today)
    assert read == solved


def test_a_pattern_of_data_that_changed_since_is_never_read(app, db, region):
    today = date(2026, 11, 30)
    with app.test_request_context():
        before = region_suppression.published(db, region, Scope("32"), today)
        with write_transaction(db):  # a county's facts change, its sums are made again
            db.execute("DELETE FROM result_facts WHERE region_code = '320505'")
            summaries.refresh(db, list(region.rules), [("320505", None)])
        region_suppression._cache.clear()
        after = region_suppression.published(db, region, Scope("32"), today)
    assert after.own.counts["n"] < before.own.counts["n"]


def test_prepare_dashboards_solves_the_country_and_every_province_in_every_period(
    app, db, region, monkeypatch, runner
):
    today = date(2026, 11, 30)
    with app.app_context():
        solved = derived.prepare_dashboards(db, region, today)
    assert solved == 9 * (1 + 34)  # now and 8 quarter ends; the country and 34 provinces
    region_suppression._cache.clear()
    solving_forbidden(monkeypatch)
    with app.test_request_context():
        for prefix in ("", "32", "33", "37"):
            for as_of in (None, "2026-09-30", "2024-12-31"):
                dashboard.build(db, region, Scope(prefix, as_of=as_of), "zh", today)
    monkeypatch.undo()
    result = runner.invoke(args=["prepare-dashboards"])
    assert result.exit_code == 0 and "Dashboards prepared: 315 scopes" in result.output
