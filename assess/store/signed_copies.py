"""Copies of the reports consultants signed, as they were signed (migration 0046_signed_copies):
the printable HTML of an on-site assessment's report in each language."""

from __future__ import annotations

from sqlite_utils import Database


def keep(db: Database, assessment_id: int, language: str, consultant_id: int, html: str) -> bool:
    """Keep the copy of a report in one language; once only (False when one was kept)."""
    cursor = db.execute(
        "INSERT INTO signed_copies (assessment_id, language, consultant_id, html)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (assessment_id, language) DO NOTHING",
        [assessment_id, language, consultant_id, html],
    )
    return cursor.rowcount == 1


def get(db: Database, assessment_id: int, language: str) -> dict | None:
    """The copy kept in a language (html, consultant_id, kept_at), or None."""
    return next(
        db.query(
            "SELECT * FROM signed_copies WHERE assessment_id = ? AND language = ?",
            [assessment_id, language],
        ),
        None,
    )


def of_consultant(db: Database, consultant_id: int) -> list[dict]:
    """The reports this consultant signed with a copy kept: assessment id, organisation id and
    name, submitted_at and the languages kept, the newest first."""
    return list(
        db.query(
            "SELECT a.id AS assessment_id, a.organisation_id, o.name AS organisation_name,"
            " a.submitted_at, group_concat(c.language) AS languages FROM signed_copies c"
            " JOIN assessments a ON a.id = c.assessment_id"
            " JOIN organisations o ON o.id = a.organisation_id"
            " WHERE c.consultant_id = ? GROUP BY a.id ORDER BY a.submitted_at DESC, a.id DESC",
            [consultant_id],
        )
    )


def missing(db: Database, languages: list[str]) -> list[int]:
    """Submitted on-site assessments with no copy kept in one of these languages (signed before
    copies were kept)."""
    marks = ", ".join("?" for _ in languages)
    return [
        row[0]
        for row in db.execute(
            "SELECT a.id FROM assessments a WHERE a.mode = 'consultant' AND a.status = 'submitted'"
            f" AND (SELECT count(*) FROM signed_copies c WHERE c.assessment_id = a.id"  # nosec B608
            f" AND c.language IN ({marks})) < ? ORDER BY a.id",
            [*languages, len(languages)],
        )
    ]
