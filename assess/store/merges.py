"""Merging duplicate enterprises (assess/declaration/merging.py): finding the two, what each
holds, what stands in the way, and closing the one merged away with a pointer to the one kept."""

from __future__ import annotations

from sqlite_utils import Database

NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def find(db: Database, text: str, limit: int = 20) -> list[dict]:
    """Open enterprises whose name contains the text or whose credit code starts with it (a
    stand-in 'pending:<id>' code too), by name."""
    text = text.strip()
    if not text:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(
        db.query(
            "SELECT id, name, credit_code, region_code, created_at FROM organisations"
            " WHERE closed_at IS NULL AND set_aside_from IS NULL"
            " AND (name LIKE ? ESCAPE '\\' OR credit_code LIKE ? ESCAPE '\\')"
            " ORDER BY name, id LIMIT ?",
            [pattern, text.upper().replace("%", "").replace("_", "") + "%", limit],
        )
    )


def holdings(db: Database, organisation_id: int) -> dict[str, int]:
    """How much an organisation holds, by what moves with a merge."""
    one = "SELECT count(*) FROM {} WHERE organisation_id = ?"
    in_assessments = (
        "SELECT count(*) FROM {} WHERE assessment_id IN"
        " (SELECT id FROM assessments WHERE organisation_id = ?)"
    )
    queries = {
        "accounts": "SELECT count(*) FROM users WHERE role = 'enterprise' AND organisation_id = ?",
        "assessments": one.format("assessments"),
        "answers": in_assessments.format("answers"),
        "evidence_files": in_assessments.format("evidence_files"),
        "comments": in_assessments.format("answer_comments"),
        "declarations": one.format("declarations"),
        "recognitions": one.format("recognitions"),
        "grants": one.format("access_grants") + " AND revoked_at IS NULL",
        "invitations": one.format("team_invitations")
        + " AND accepted_at IS NULL AND revoked_at IS NULL",
        "roadmap_plans": one.format("roadmap_plans"),
    }
    return {
        name: db.execute(sql, [organisation_id]).fetchone()[0]  # nosec B608  # our SQL
        for name, sql in queries.items()
    }


def rounds_of_both(db: Database, one_id: int, other_id: int) -> list[dict]:
    """The declaration rounds in which both organisations declared (a round takes one
    declaration per enterprise)."""
    return list(
        db.query(
            "SELECT r.* FROM declaration_rounds r WHERE r.id IN"
            " (SELECT round_id FROM declarations WHERE organisation_id = ?)"
            " AND r.id IN (SELECT round_id FROM declarations WHERE organisation_id = ?)"
            " ORDER BY r.year, r.id",
            [one_id, other_id],
        )
    )


def contests_of(db: Database, organisation_ids, status: str) -> list[dict]:
    """Contests in this status where the organisations hold the code or contest it."""
    ids = list(organisation_ids)
    marks = ", ".join("?" for _ in ids)
    return list(
        db.query(
            f"SELECT * FROM contests WHERE status = ? AND (organisation_id IN ({marks})"  # nosec B608
            f" OR claimant_organisation_id IN ({marks})) ORDER BY id",
            [status, *ids, *ids],
        )
    )


def drop_contest(db: Database, contest_id: int) -> None:
    """A contest never sent that the merge makes pointless (the same company on both sides)."""
    db.execute("DELETE FROM contests WHERE id = ? AND status = 'draft'", [contest_id])


def repoint_contests(db: Database, from_id: int, to_id: int) -> None:
    """Contests not sent yet of a code the organisation merged away held now concern the one
    kept (decided ones stay as they were decided)."""
    db.execute(
        "UPDATE contests SET organisation_id = ? WHERE organisation_id = ? AND status = 'draft'",
        [to_id, from_id],
    )


def close_merged(db: Database, organisation_id: int, into_id: int) -> None:
    """The organisation merged away: closed, under a code of its own ('merged:<id>'), in no
    park, listed nowhere, pointing to the one kept."""
    db.execute(
        f"UPDATE organisations SET merged_into = ?, closed_at = {NOW},"  # nosec B608
        " credit_code = 'merged:' || id, park_id = NULL, listing_opt_in = 0,"
        " claim_code_hash = NULL WHERE id = ?",
        [into_id, organisation_id],
    )


def merged_into(db: Database, organisation_id: int) -> int | None:
    """Where an organisation merged away went (following merges of merges), or None."""
    seen: set[int] = set()
    found = None
    current = organisation_id
    while current not in seen:
        seen.add(current)
        row = db.execute("SELECT merged_into FROM organisations WHERE id = ?", [current]).fetchone()
        if row is None or row[0] is None:
            return found
        found = current = row[0]
    return found
