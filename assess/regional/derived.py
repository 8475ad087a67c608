"""Derived data brought up to date: the facts and regional sums that dashboards read, and the
peer snapshots that reports read.

Run by the deploy step (`flask --app assess init-db`), never when a worker starts: facts for
submitted assessments that have none (a database from before they existed, or restored), the
sums of every period the dashboards offer (a quarter ended since they were made, or every period
when they were made with other gradient rules than the newest published version's), and the peer
snapshot of every quarter end that has none. Run it again any time: what is up to date is left
alone. No Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.versions import Versions
from assess.regional import (
    benchmarks,
    peer_figures,
    peer_parts,
    publication,
    regions,
    result_facts,
)
from assess.regional.periods import quarter_ends
from assess.scoring import score
from assess.store import assessments, organisations, summaries
from assess.store import result_facts as facts_store
from assess.store.database import write_transaction
from assess.store.regional import Scope


@dataclass(frozen=True)
class Brought:
    facts: int  # facts rows made for submitted assessments that had none
    periods: list[str]  # periods whose sums were made
    snapshots: list[str] = ()  # quarter ends whose peer snapshots were made


def bring_up_to_date(db: Database, versions: Versions) -> Brought:
    """Make the facts and period sums the database lacks; each step its own transaction."""
    for q in versions:
        result_facts.check_fits(q)
    made = 0
    with write_transaction(db):
        missing = facts_store.missing(db)
        if missing:
            made = _rebuild_facts(db, versions, missing)
        uncounted = facts_store.uncounted(db)
        if uncounted:
            _count_verified(db, versions, uncounted)
    rules = list(versions.latest().rules)
    periods: list[str] = []
    with write_transaction(db):
        if not summaries.kept_periods(db) or summaries.made_with(db) != rules:
            # none yet, or made under another version's rules (a release or a version
            # published since): every period made anew, in this one transaction
            summaries.refresh(db, rules, periods=quarter_ends())
            periods = ["", *quarter_ends()]
        else:
            periods = summaries.ensure_periods(db, rules, quarter_ends())
    if made:  # results of the past were added: their quarters' snapshots are made anew
        peer_figures.remake(db)
        peer_parts.remake(db)
        return Brought(made, periods, peer_figures.snapshot_periods())
    snapshots = peer_figures.bring_up_to_date(db)
    peer_parts.bring_up_to_date(db)
    return Brought(made, periods, snapshots)


def _facts_of(db: Database, versions: Versions, rows: list[dict]) -> list[dict]:
    """Facts rows from the stored answers of submitted assessments."""
    facts = []
    for row in rows:
        q = versions.of(row)
        stored = assessments.answers(db, row["id"])
        answers = {item: s.answer for item, s in stored.items() if item in q.items}
        organisation = organisations.get(db, row["organisation_id"])
        result = score(q, answers, benchmarks.for_organisation(db, q, organisation))
        facts.append(result_facts.of_submitted(db, q, result, row, organisation))
    return facts


def _rebuild_facts(db: Database, versions: Versions, missing: list[dict]) -> int:
    """Facts rows of submitted assessments that have none; the sums made afresh."""
    q = versions.latest()
    result_facts.record(db, _facts_of(db, versions, missing), q, refresh=False)
    summaries.refresh(db, list(q.rules), periods=quarter_ends())
    return len(missing)


def _count_verified(db: Database, versions: Versions, uncounted: list[dict]) -> None:
    """How many answers of each assessment were verified, into facts that lack it (those from
    before 0044_verified_facts); the sums made afresh, as they count verified assessments."""
    facts_store.set_verification(db, _facts_of(db, versions, uncounted))
    summaries.refresh(db, list(versions.latest().rules), periods=quarter_ends())


def prepare_dashboards(db: Database, q: Questionnaire, today: date | None = None) -> int:
    """Solve the suppression pattern of the country and of every province, now and in every
    period offered, into the database's pattern cache (assess/store/patterns.py): the first
    view of any of them, in any worker, then reads it. Valid until the data changes (after a
    submission each is solved again at its first view, once for all workers). Returns the
    scopes solved."""
    solved = 0
    provinces = sorted(region.prefix for region in regions.children(None))
    for as_of in (None, *quarter_ends(today)):
        for prefix in ("", *provinces):
            publication.published(db, q, Scope(prefix, None, as_of), today)
            solved += 1
    return solved
