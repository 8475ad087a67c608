"""Derived data brought up to date: the facts and regional sums that dashboards read.

Run by the deploy step (`flask --app assess init-db`), never when a worker starts: facts for
submitted assessments that have none (a database from before they existed, or restored), and
the sums of every period the dashboards offer (a quarter ended since they were made). Run it
again any time: what is up to date is left alone. No Flask.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.questionnaire.versions import Versions
from assess.regional import benchmarks, result_facts
from assess.regional.periods import quarter_ends
from assess.scoring import score
from assess.store import assessments, organisations, summaries
from assess.store import result_facts as facts_store
from assess.store.database import write_transaction


@dataclass(frozen=True)
class Brought:
    facts: int  # facts rows made for submitted assessments that had none
    periods: list[str]  # periods whose sums were made


def bring_up_to_date(db: Database, versions: Versions) -> Brought:
    """Make the facts and period sums the database lacks; each step its own transaction."""
    for q in versions:
        result_facts.check_fits(q)
    made = 0
    with write_transaction(db):
        missing = facts_store.missing(db)
        if missing:
            made = _rebuild_facts(db, versions, missing)
    rules = list(versions.latest().rules)
    periods: list[str] = []
    with write_transaction(db):
        if not summaries.kept_periods(db):
            summaries.refresh(db, rules, periods=quarter_ends())
            periods = ["", *quarter_ends()]
        else:
            periods = summaries.ensure_periods(db, rules, quarter_ends())
    return Brought(made, periods)


def _rebuild_facts(db: Database, versions: Versions, missing: list[dict]) -> int:
    """Facts rows from the stored answers of submitted assessments; the sums made afresh."""
    rows = []
    for row in missing:
        q = versions.of(row)
        stored = assessments.answers(db, row["id"])
        answers = {item: s.answer for item, s in stored.items() if item in q.items}
        organisation = organisations.get(db, row["organisation_id"])
        result = score(q, answers, benchmarks.for_organisation(db, q, organisation))
        rows.append(result_facts.row(q, result, row, organisation, row["submitted_at"]))
    q = versions.latest()
    result_facts.record(db, rows, q, refresh=False)
    summaries.refresh(db, list(q.rules), periods=quarter_ends())
    return len(rows)
