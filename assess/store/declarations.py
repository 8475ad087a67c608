"""Declarations (申报): the declaration row, its scenario descriptions, its attachments, the
steps of its review and its on-site re-checks (what they mean: assess/declaration/)."""

from __future__ import annotations

import json

from sqlite_utils import Database

from assess.store.result_facts import VERIFIED_ON_SITE

NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
VISIBLE = "d.revision > 0"  # submitted at least once: the consent given


def create(
    db: Database, round_id: int, organisation_id: int, assessment_id: int, level: str, by: int
) -> int:
    return (
        db["declarations"]
        .insert(
            {
                "round_id": round_id,
                "organisation_id": organisation_id,
                "assessment_id": assessment_id,
                "level": level,
                "created_by": by,
            }
        )
        .last_pk
    )


def get(db: Database, declaration_id: int) -> dict | None:
    return next(db.query("SELECT * FROM declarations WHERE id = ?", [declaration_id]), None)


def in_round(db: Database, round_id: int, organisation_id: int) -> dict | None:
    return next(
        db.query(
            "SELECT * FROM declarations WHERE round_id = ? AND organisation_id = ?",
            [round_id, organisation_id],
        ),
        None,
    )


def of_organisation(db: Database, organisation_id: int) -> list[dict]:
    """An enterprise's declarations with their round, newest first."""
    return list(
        db.query(
            "SELECT d.*, r.year AS round_year, r.region_scope AS round_scope,"
            " r.deadline AS deadline FROM declarations d"
            " JOIN declaration_rounds r ON r.id = d.round_id"
            " WHERE d.organisation_id = ? ORDER BY d.id DESC",
            [organisation_id],
        )
    )


def update(db: Database, declaration_id: int, **fields) -> None:
    """Set columns of a declaration (names are ours, values parameters); updated_at too."""
    names = "".join(f"{name} = ?, " for name in fields)
    db.execute(
        f"UPDATE declarations SET {names}updated_at = {NOW} WHERE id = ?",  # nosec B608
        [*fields.values(), declaration_id],
    )


def descriptions(db: Database, declaration_id: int) -> dict[str, str]:
    return {
        row["scenario_id"]: row["description"]
        for row in db.query(
            "SELECT scenario_id, description FROM declaration_scenarios WHERE declaration_id = ?",
            [declaration_id],
        )
    }


def set_description(db: Database, declaration_id: int, scenario_id: str, text: str) -> None:
    db.execute(
        "INSERT INTO declaration_scenarios (declaration_id, scenario_id, description)"
        " VALUES (?, ?, ?) ON CONFLICT (declaration_id, scenario_id)"
        " DO UPDATE SET description = excluded.description",
        [declaration_id, scenario_id, text],
    )


def add_file(db: Database, declaration_id: int, kind: str, scenario_id: str | None, **f) -> int:
    return (
        db["declaration_files"]
        .insert({"declaration_id": declaration_id, "kind": kind, "scenario_id": scenario_id, **f})
        .last_pk
    )


def files(db: Database, declaration_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT * FROM declaration_files WHERE declaration_id = ? ORDER BY kind, id",
            [declaration_id],
        )
    )


def file(db: Database, file_id: int) -> dict | None:
    return next(db.query("SELECT * FROM declaration_files WHERE id = ?", [file_id]), None)


def delete_file(db: Database, declaration_id: int, file_id: int) -> dict | None:
    """Remove a file row of this declaration; the row removed, or None."""
    row = file(db, file_id)
    if row is None or row["declaration_id"] != declaration_id:
        return None
    db.execute("DELETE FROM declaration_files WHERE id = ?", [file_id])
    return row


def add_step(db: Database, declaration_id: int, **step) -> int:
    step["checks"] = json.dumps(step.get("checks") or {}, sort_keys=True)
    return db["declaration_steps"].insert({"declaration_id": declaration_id, **step}).last_pk


def steps(db: Database, declaration_id: int) -> list[dict]:
    """The review steps taken, oldest first, with the reviewer's name."""
    return [
        {**row, "checks": json.loads(row["checks"] or "{}")}
        for row in db.query(
            "SELECT s.*, u.name AS reviewer_name FROM declaration_steps s"
            " LEFT JOIN users u ON u.id = s.reviewer_id WHERE s.declaration_id = ? ORDER BY s.id",
            [declaration_id],
        )
    ]


def add_recheck(db: Database, declaration_id: int, **recheck) -> int:
    return db["declaration_rechecks"].insert({"declaration_id": declaration_id, **recheck}).last_pk


def recheck(db: Database, recheck_id: int) -> dict | None:
    return next(db.query("SELECT * FROM declaration_rechecks WHERE id = ?", [recheck_id]), None)


def rechecks(db: Database, declaration_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT c.*, u.name AS consultant_name, u.email AS consultant_email"
            " FROM declaration_rechecks c JOIN users u ON u.id = c.consultant_id"
            " WHERE c.declaration_id = ? ORDER BY c.id",
            [declaration_id],
        )
    )


def rechecks_of_consultant(db: Database, consultant_id: int) -> list[dict]:
    """The re-checks an expert was asked for, with the enterprise, newest first."""
    return list(
        db.query(
            "SELECT c.*, d.level AS level, d.organisation_id AS organisation_id,"
            " d.status AS declaration_status, o.name AS organisation_name"
            " FROM declaration_rechecks c JOIN declarations d ON d.id = c.declaration_id"
            " JOIN organisations o ON o.id = d.organisation_id"
            " WHERE c.consultant_id = ? ORDER BY c.id DESC",
            [consultant_id],
        )
    )


def attach_recheck(db: Database, recheck_id: int, assessment_id: int) -> None:
    db.execute(
        f"UPDATE declaration_rechecks SET assessment_id = ?, attached_at = {NOW}"  # nosec B608
        " WHERE id = ?",
        [assessment_id, recheck_id],
    )


def expert_of(db: Database, consultant_id: int, declaration_id: int) -> bool:
    """Whether the consultant was asked to re-check this declaration on site."""
    return bool(
        db.execute(
            "SELECT 1 FROM declaration_rechecks WHERE consultant_id = ? AND declaration_id = ?",
            [consultant_id, declaration_id],
        ).fetchone()
    )


def in_scope(
    db: Database,
    prefix: str,
    park_id: int | None = None,
    round_id: int | None = None,
    status: str | None = None,
) -> list[dict]:
    """Declarations made (not drafts) by enterprises inside a region (and park), with the
    enterprise and the round, for an authority's lists."""
    clauses = [f"({VISIBLE})", "o.region_code >= ? AND o.region_code < ?"]
    params: list = [prefix, prefix + "~"]
    for column, value in (("o.park_id", park_id), ("d.round_id", round_id), ("d.status", status)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return list(
        db.query(
            "SELECT d.*, o.name AS organisation_name, o.identity, o.credit_code, o.region_code,"  # nosec B608
            " o.park_id, o.sector, o.size, r.year AS round_year, r.region_scope AS round_scope,"
            " r.deadline AS deadline, r.chain AS chain, a.gradient_rank AS gradient_rank,"
            " a.gradient_level AS assessed_level, a.cmmm_level AS cmmm_level, a.cmmm_score AS cmmm_score, a.mode AS mode,"
            f" {VERIFIED_ON_SITE}"
            " FROM declarations d JOIN organisations o ON o.id = d.organisation_id"
            " JOIN declaration_rounds r ON r.id = d.round_id"
            " JOIN assessments a ON a.id = d.assessment_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY d.submitted_at DESC, d.id DESC",
            params,
        )
    )


def declared_assessments(db: Database, organisation_id: int) -> set[int]:
    """The assessments of an organisation shown to authorities by a declaration: the ones
    declared and the verified ones attached by a re-check."""
    found = set()
    for row in db.query(
        "SELECT d.assessment_id AS a, c.assessment_id AS c FROM declarations d"
        f" LEFT JOIN declaration_rechecks c ON c.declaration_id = d.id"  # nosec B608
        f" WHERE d.organisation_id = ? AND ({VISIBLE})",
        [organisation_id],
    ):
        found |= {value for value in (row["a"], row["c"]) if value is not None}
    return found


def mark_declared(db: Database, assessment_id: int, at: str) -> None:
    """The facts of an assessment declared: the first declaration's time is kept."""
    db.execute(
        "UPDATE result_facts SET declared_at = coalesce(declared_at, ?) WHERE assessment_id = ?",
        [at, assessment_id],
    )


def declaration_counts(db: Database, scope) -> list[dict]:
    """Declarations made (not drafts) in a scope (a regional Scope), by level and status, and
    whether any of them was made in a round whose chain ends by recommending to the ministry
    (to_ministry)."""
    clauses = [VISIBLE, "o.region_code >= ? AND o.region_code < ?"]
    params: list = [scope.prefix, scope.prefix + "~"]
    if scope.park_id is not None:
        clauses.append("o.park_id = ?")
        params.append(scope.park_id)
    return list(
        db.query(
            "SELECT d.level AS level, d.status AS status, count(*) AS n,"  # nosec B608
            " coalesce(max(r.chain LIKE '%\"recommend_ministry\"%'), 0) AS to_ministry"
            " FROM declarations d JOIN organisations o ON o.id = d.organisation_id"
            " JOIN declaration_rounds r ON r.id = d.round_id"
            f" WHERE {' AND '.join(clauses)} GROUP BY d.level, d.status",
            params,
        )
    )
