"""The result_facts table: one wide row of facts per submitted assessment (derived data for
regional aggregates; what a row holds is assess/regional/result_facts.py)."""

from __future__ import annotations

from sqlite_utils import Database


def insert(db: Database, rows: list[dict]) -> None:
    """Insert (or replace) facts rows, mark each organisation's latest and copy its listing.
    Rows of questionnaire versions with fewer scenarios leave the other columns empty."""
    if not rows:
        return
    columns = list(dict.fromkeys(column for r in rows for column in r))
    db.conn.executemany(
        f"INSERT OR REPLACE INTO result_facts ({', '.join(columns)})"  # nosec B608  # column names are ours
        f" VALUES ({', '.join('?' for _ in columns)})",
        [[r.get(c) for c in columns] for r in rows],
    )
    mark_latest(db, {r["organisation_id"] for r in rows})
    db.conn.executemany(
        "UPDATE result_facts SET listed = (SELECT listing_opt_in FROM organisations o"
        " WHERE o.id = result_facts.organisation_id) WHERE assessment_id = ?",
        [(r["assessment_id"],) for r in rows],
    )


def mark_latest(db: Database, organisation_ids) -> None:
    db.conn.executemany(
        "UPDATE result_facts SET is_latest = (assessment_id = ("
        " SELECT assessment_id FROM result_facts f WHERE f.organisation_id = ?"
        " ORDER BY f.submitted_at DESC, f.assessment_id DESC LIMIT 1))"
        " WHERE organisation_id = ?",
        [(org, org) for org in organisation_ids],
    )


def missing(db: Database) -> list[dict]:
    """Submitted assessments without facts (a database from before the facts existed); those
    set aside by a hand-over have none on purpose (organisation/handover.py)."""
    return list(
        db.query(
            "SELECT a.* FROM assessments a LEFT JOIN result_facts f ON f.assessment_id = a.id"
            " WHERE a.status = 'submitted' AND a.set_aside_at IS NULL AND f.assessment_id IS NULL"
        )
    )


def keys_of(db: Database, organisation_id: int) -> set[tuple[str, int | None]]:
    """The (county, park) keys an organisation's facts are counted under."""
    return {
        (row["region_code"], row["park_id"])
        for row in db.query(
            "SELECT DISTINCT region_code, park_id FROM result_facts WHERE organisation_id = ?",
            [organisation_id],
        )
    }


def follow_organisation(db: Database, organisation: dict) -> None:
    """Copy an organisation's region, park, sector, size and listing onto its facts."""
    db.execute(
        "UPDATE result_facts SET region_code = ?, park_id = ?, sector = ?, size = ?, listed = ?"
        " WHERE organisation_id = ?",
        [
            organisation["region_code"],
            organisation.get("park_id"),
            organisation["sector"],
            organisation["size"],
            organisation.get("listing_opt_in", 0),
            organisation["id"],
        ],
    )
