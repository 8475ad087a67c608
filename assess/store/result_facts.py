"""The result_facts table: one wide row of facts per submitted assessment (derived data for
regional aggregates; what a row holds is assess/regional/result_facts.py)."""

from __future__ import annotations

from sqlite_utils import Database

# Whether the assessment a row (alias a) refers to counts as verified on site, as its facts say
# (assess/scoring/verification.py), for the lists that join an assessment: 0 without facts.
VERIFIED_ON_SITE = (
    "coalesce((SELECT vf.verified FROM result_facts vf WHERE vf.assessment_id = a.id), 0)"
    " AS verified_on_site"
)


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


def verified_of(db: Database, organisation_id: int) -> set[int]:
    """The organisation's assessments that count as verified on site."""
    return {
        row[0]
        for row in db.execute(
            "SELECT assessment_id FROM result_facts WHERE organisation_id = ? AND verified = 1",
            [organisation_id],
        )
    }


def uncounted(db: Database) -> list[dict]:
    """Submitted assessments whose facts do not yet say how many answers were verified (on-site
    ones from before 0044_verified_facts)."""
    return list(
        db.query(
            "SELECT a.* FROM assessments a JOIN result_facts f ON f.assessment_id = a.id"
            " WHERE f.verified_answers IS NULL"
        )
    )


def set_verification(db: Database, rows: list[dict]) -> None:
    """Store the verified and rated answer counts, and the verified flag, of facts rows."""
    db.conn.executemany(
        "UPDATE result_facts SET verified_answers = ?, rated_answers = ?, verified = ?"
        " WHERE assessment_id = ?",
        [
            (r["verified_answers"], r["rated_answers"], r["verified"], r["assessment_id"])
            for r in rows
        ],
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
