"""The report a consultant signed, kept for their records (migration 0046_signed_copies).

A consultant signs an on-site assessment's report by submitting it (verified.sign_off). The
live report is made anew at every look and follows what changes after: peers, benchmarks, the
enterprise's later assessments, its name. What was signed is kept instead: the report's
printable HTML in every language, stored right after the submission. After the enterprise
withdraws the consultant's access, that copy is the one thing of the client the consultant may
still have: its PDF, exactly as signed. Never the live assessment, its annex, its evidence
files, or anything the enterprise changed after the withdrawal (every other page stays a dated
410, assess/web/guards.py). A report signed before copies were kept has none. No Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlite_utils import Database

from assess.organisation.permissions import consultant_has_access
from assess.scoring.verification import ON_SITE
from assess.store import assessments
from assess.store import signed_copies as store
from assess.store.database import write_transaction
from assess.translation import LANGUAGES


@dataclass(frozen=True)
class Refused:
    """reason: not_found (not an on-site assessment this consultant signed) | not_kept (signed,
    but before copies were kept, or not in this language)."""

    reason: str


def signed(row: dict | None) -> bool:
    """Whether the assessment is a signed on-site assessment (submitted by its consultant)."""
    return row is not None and row["mode"] == ON_SITE and row["status"] == "submitted"


def keep(db: Database, assessment_id: int, copies: Mapping[str, str]) -> int:
    """Keep the report as it is now, per language, of an on-site assessment just signed; once
    (a copy kept is never replaced). The number of copies kept."""
    kept = 0
    with write_transaction(db):
        row = assessments.get(db, assessment_id)
        if not signed(row):
            return 0
        for language, html in copies.items():
            kept += store.keep(db, assessment_id, language, row["consultant_id"], html)
    return kept


def copy_for(db: Database, consultant_id: int, assessment_id: int, language: str) -> dict | Refused:
    """The copy of the report this consultant signed, in a language, whether or not the client
    still grants them access: html, kept_at, and the assessment (row)."""
    row = assessments.get(db, assessment_id)
    if not signed(row) or row["consultant_id"] != consultant_id:
        return Refused("not_found")
    found = store.get(db, assessment_id, language)
    if found is None or found["consultant_id"] != consultant_id:
        return Refused("not_kept")
    return {**found, "row": row}


def of_former_clients(db: Database, consultant_id: int) -> list[dict]:
    """The reports this consultant signed, with a copy kept, for enterprises that no longer
    grant them access (what they can still download), newest first: assessment_id,
    organisation_id, organisation_name, submitted_at, languages (Chinese first)."""
    return [
        {**r, "languages": [lg for lg in LANGUAGES if lg in r["languages"].split(",")]}
        for r in store.of_consultant(db, consultant_id)
        if not consultant_has_access(db, consultant_id, r["organisation_id"])
    ]
