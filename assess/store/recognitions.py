"""Recognitions (认定) and recommendations to the ministry (推荐): the public record of the
programme, per level and year, and their withdrawal."""

from __future__ import annotations

from sqlite_utils import Database

from assess.store.result_facts import VERIFIED_ON_SITE

NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def add(db: Database, **recognition) -> int:
    return db["recognitions"].insert(recognition).last_pk


def get(db: Database, recognition_id: int) -> dict | None:
    return next(db.query("SELECT * FROM recognitions WHERE id = ?", [recognition_id]), None)


def of_declaration(db: Database, declaration_id: int) -> dict | None:
    return next(
        db.query("SELECT * FROM recognitions WHERE declaration_id = ?", [declaration_id]), None
    )


def current(db: Database, organisation_id: int) -> list[dict]:
    """An organisation's recognitions that are not withdrawn."""
    return list(
        db.query(
            "SELECT * FROM recognitions WHERE organisation_id = ? AND withdrawn_at IS NULL"
            " ORDER BY recognised_at",
            [organisation_id],
        )
    )


def of_organisation(db: Database, organisation_id: int) -> list[dict]:
    """An organisation's recognitions, withdrawn ones too, newest first."""
    return list(
        db.query(
            "SELECT * FROM recognitions WHERE organisation_id = ? ORDER BY recognised_at DESC, id DESC",
            [organisation_id],
        )
    )


def withdraw(db: Database, recognition_id: int, by: int, reason: str) -> bool:
    cursor = db.execute(
        f"UPDATE recognitions SET withdrawn_at = {NOW}, withdrawn_by = ?,"  # nosec B608
        " withdrawal_reason = ? WHERE id = ? AND withdrawn_at IS NULL",
        [by, reason, recognition_id],
    )
    return cursor.rowcount == 1


def listing(
    db: Database,
    prefix: str,
    park_id: int | None = None,
    level: str | None = None,
    year: int | None = None,
    withdrawn: bool = False,
) -> list[dict]:
    """Recognitions inside a region (and park), with the enterprise and its declaration."""
    clauses = ["g.region_code >= ? AND g.region_code < ?"]
    params: list = [prefix, prefix + "~"]
    for column, value in (("g.park_id", park_id), ("g.level", level), ("g.year", year)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if not withdrawn:
        clauses.append("g.withdrawn_at IS NULL")
    return list(
        db.query(
            "SELECT g.*, o.name AS organisation_name, o.identity, o.credit_code, o.sector, o.size,"  # nosec B608
            " o.contact_name AS organisation_contact, d.contact_name, d.contact_phone,"
            " d.platform_level, d.platform_score, d.assessment_id, a.gradient_rank,"
            f" a.cmmm_level, a.cmmm_score, a.mode, {VERIFIED_ON_SITE}"
            " FROM recognitions g JOIN organisations o ON o.id = g.organisation_id"
            " JOIN declarations d ON d.id = g.declaration_id"
            " JOIN assessments a ON a.id = d.assessment_id"
            f" WHERE {' AND '.join(clauses)}"
            " ORDER BY g.year DESC, g.level, g.recognised_at, g.id",
            params,
        )
    )


def years(db: Database, prefix: str) -> list[int]:
    return [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT year FROM recognitions WHERE region_code >= ? AND region_code < ?"
            " ORDER BY year DESC",
            [prefix, prefix + "~"],
        )
    ]
