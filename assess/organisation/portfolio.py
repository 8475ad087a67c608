"""A consultant's portfolio: each client with its latest self-assessment, the consultant's
latest verified assessment and any on-site draft. No Flask."""

from __future__ import annotations

from sqlite_utils import Database

from assess.store import assessments, grants


def portfolio_rows(db: Database, consultant_id: int) -> list[dict]:
    """One row per client that granted the consultant access."""
    rows = []
    for org in grants.clients(db, consultant_id):
        history = assessments.for_organisation(db, org["id"])
        mine = [
            a for a in history if a["mode"] == "consultant" and a["consultant_id"] == consultant_id
        ]
        rows.append(
            {
                "organisation": org,
                "self": next(
                    (a for a in history if a["mode"] == "self" and a["status"] == "submitted"),
                    None,
                ),
                "verified": next((a for a in mine if a["status"] == "submitted"), None),
                "draft": next((a for a in mine if a["status"] == "draft"), None),
            }
        )
    return rows
