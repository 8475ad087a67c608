"""Evidence on answers: notes, quality, verification, files, and on-site visits."""

from __future__ import annotations

from sqlite_utils import Database


def save(
    db: Database,
    assessment_id: int,
    item_id: str,
    *,
    note: str,
    quality: str | None,
    verified: bool,
    user_id: int,
) -> None:
    """Set an item's evidence note, quality and verification (the answer row is made if needed)."""
    db.execute(
        "INSERT INTO answers (assessment_id, item_id, value, revision, note, evidence_quality,"
        " verified_by, verified_at, updated_by)"
        " VALUES (?, ?, NULL, 0, ?, ?, ?, CASE WHEN ? THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END, ?)"
        " ON CONFLICT (assessment_id, item_id) DO UPDATE SET note = excluded.note,"
        " evidence_quality = excluded.evidence_quality,"
        " verified_by = CASE WHEN ? THEN coalesce(answers.verified_by, excluded.verified_by) END,"
        " verified_at = CASE WHEN ? THEN coalesce(answers.verified_at, excluded.verified_at) END",
        [
            assessment_id,
            item_id,
            note,
            quality,
            user_id if verified else None,
            verified,
            user_id,
            verified,
            verified,
        ],
    )


def for_assessment(db: Database, assessment_id: int) -> dict[str, dict]:
    """Per item: note, quality, who verified it and when (with the verifier's name)."""
    return {
        row["item_id"]: row
        for row in db.query(
            "SELECT a.item_id, a.note, a.evidence_quality, a.verified_by, a.verified_at,"
            " u.name AS verifier FROM answers a LEFT JOIN users u ON u.id = a.verified_by"
            " WHERE a.assessment_id = ? AND (a.note != '' OR a.evidence_quality IS NOT NULL"
            " OR a.verified_by IS NOT NULL)",
            [assessment_id],
        )
    }


def add_file(
    db: Database,
    assessment_id: int,
    item_id: str,
    stored_name: str,
    original_name: str,
    mime_type: str,
    size: int,
    sha256: str,
    user_id: int,
) -> int:
    return (
        db["evidence_files"]
        .insert(
            {
                "assessment_id": assessment_id,
                "item_id": item_id,
                "stored_name": stored_name,
                "original_name": original_name,
                "mime_type": mime_type,
                "size": size,
                "sha256": sha256,
                "uploaded_by": user_id,
            }
        )
        .last_pk
    )


def count_files(db: Database, assessment_id: int, item_id: str) -> int:
    return db.execute(
        "SELECT count(*) FROM evidence_files WHERE assessment_id = ? AND item_id = ?",
        [assessment_id, item_id],
    ).fetchone()[0]


def total_bytes(db: Database, assessment_id: int) -> int:
    """The bytes of an assessment's evidence files, a file shared by several items once."""
    return db.execute(
        "SELECT coalesce(sum(size), 0) FROM (SELECT DISTINCT stored_name, size"
        " FROM evidence_files WHERE assessment_id = ?)",
        [assessment_id],
    ).fetchone()[0]


def references(db: Database, stored_name: str) -> int:
    """How many evidence rows refer to a stored file."""
    return db.execute(
        "SELECT count(*) FROM evidence_files WHERE stored_name = ?", [stored_name]
    ).fetchone()[0]


def files(db: Database, assessment_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM evidence_files WHERE assessment_id = ? ORDER BY id", [assessment_id]
        )
    )


def file(db: Database, file_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM evidence_files WHERE id = ?", [file_id]))
    return rows[0] if rows else None


def delete_file(db: Database, assessment_id: int, file_id: int) -> dict | None:
    """Delete an evidence file's record of this assessment; returns what it was, or None."""
    return _take(db, "evidence_files", assessment_id, file_id)


def add_visit(
    db: Database, assessment_id: int, visit_date: str, site: str, participants: str, user_id: int
) -> int:
    return (
        db["site_visits"]
        .insert(
            {
                "assessment_id": assessment_id,
                "visit_date": visit_date,
                "site": site,
                "participants": participants,
                "created_by": user_id,
            }
        )
        .last_pk
    )


def delete_visit(db: Database, assessment_id: int, visit_id: int) -> dict | None:
    """Delete a visit of this assessment; returns what it was, or None if there is none."""
    return _take(db, "site_visits", assessment_id, visit_id)


def _take(db: Database, table: str, assessment_id: int, row_id: int) -> dict | None:
    """Delete a row of an assessment's table and return it; None if the assessment has none
    with that id (another assessment's row is left alone)."""
    found = next(
        db[table].rows_where("id = ? AND assessment_id = ?", [row_id, assessment_id]), None
    )
    if found is not None:
        db[table].delete(row_id)
    return found


def verified_items(db: Database, assessment_id: int) -> set[str]:
    """The items whose current answer a consultant verified."""
    return {
        row[0]
        for row in db.execute(
            "SELECT item_id FROM answers WHERE assessment_id = ? AND verified_by IS NOT NULL",
            [assessment_id],
        )
    }


def answered_items(db: Database, assessment_id: int) -> set[str]:
    """The items an assessment has an answer to (a value, not only evidence)."""
    return {
        row[0]
        for row in db.execute(
            "SELECT item_id FROM answers WHERE assessment_id = ? AND value IS NOT NULL",
            [assessment_id],
        )
    }


def items_with_evidence(db: Database, assessment_id: int) -> set[str]:
    """The items with evidence recorded: a note (not blank) or a file attached."""
    return {
        row[0]
        for row in db.execute(
            "SELECT item_id FROM answers WHERE assessment_id = ? AND trim(note) != ''"
            " UNION SELECT item_id FROM evidence_files WHERE assessment_id = ?",
            [assessment_id, assessment_id],
        )
    }


def verifiers(db: Database, assessment_id: int) -> dict[str, tuple[int, str]]:
    """The items whose current answer a consultant verified, with who verified it (id, name)."""
    return {
        row[0]: (row[1], row[2])
        for row in db.execute(
            "SELECT a.item_id, a.verified_by, coalesce(u.name, '') FROM answers a"
            " LEFT JOIN users u ON u.id = a.verified_by"
            " WHERE a.assessment_id = ? AND a.verified_by IS NOT NULL",
            [assessment_id],
        )
    }


def visits(db: Database, assessment_id: int) -> list[dict]:
    """The visits on site, by date, each with who recorded it (`recorder`, a name or '')."""
    return list(
        db.query(
            "SELECT v.*, coalesce(u.name, '') AS recorder FROM site_visits v"
            " LEFT JOIN users u ON u.id = v.created_by"
            " WHERE v.assessment_id = ? ORDER BY v.visit_date, v.id",
            [assessment_id],
        )
    )


def set_verified_at(db: Database, assessment_id: int, when: str) -> None:
    """Date the verified answers of an assessment (demo and imported data)."""
    db.execute(
        "UPDATE answers SET verified_at = ? WHERE assessment_id = ? AND verified_by IS NOT NULL",
        [when, assessment_id],
    )
