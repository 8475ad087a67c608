"""Consultancies: firms, their consultants, and clients handed over between them."""

from __future__ import annotations

from sqlite_utils import Database

NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"


def create(
    db: Database,
    *,
    name: str,
    qualification: str = "",
    logo: bytes | None = None,
    logo_mime: str | None = None,
    created_by: int | None = None,
) -> int:
    return db.execute(
        "INSERT INTO firms (name, qualification, logo, logo_mime, created_by)"
        " VALUES (?, ?, ?, ?, ?)",
        [name, qualification, logo, logo_mime, created_by],
    ).lastrowid


def update(db: Database, firm_id: int, **values) -> None:
    """Change a firm's name, qualification or logo (only the keys given)."""
    allowed = {
        k: v for k, v in values.items() if k in ("name", "qualification", "logo", "logo_mime")
    }
    if not allowed:
        return
    assignments = ", ".join(f"{key} = ?" for key in allowed)
    db.execute(
        f"UPDATE firms SET {assignments}, updated_at = {NOW} WHERE id = ?",  # nosec B608
        [*allowed.values(), firm_id],
    )


def get(db: Database, firm_id: int | None) -> dict | None:
    if firm_id is None:
        return None
    return next(db.query("SELECT * FROM firms WHERE id = ?", [firm_id]), None)


def of_user(db: Database, user_id: int | None) -> dict | None:
    """The firm a consultant belongs to, or None."""
    if user_id is None:
        return None
    return next(
        db.query(
            "SELECT f.* FROM firms f JOIN users u ON u.firm_id = f.id WHERE u.id = ?", [user_id]
        ),
        None,
    )


def all_firms(db: Database) -> list[dict]:
    """Every firm with how many consultants it has (no logo bytes)."""
    return list(
        db.query(
            "SELECT f.id, f.name, f.qualification, f.logo_mime, f.created_at,"
            " (SELECT count(*) FROM users u WHERE u.firm_id = f.id) AS consultants"
            " FROM firms f ORDER BY f.name, f.id"
        )
    )


def consultants(db: Database, firm_id: int) -> list[dict]:
    """The firm's active consultant accounts, by name."""
    return list(
        db.query(
            "SELECT id, name, email FROM users WHERE firm_id = ? AND role = 'consultant'"
            " AND active = 1 ORDER BY name, id",
            [firm_id],
        )
    )


def set_firm(db: Database, user_id: int, firm_id: int | None) -> None:
    db.execute("UPDATE users SET firm_id = ? WHERE id = ?", [firm_id, user_id])


def active_grants(db: Database, consultant_id: int, organisation_id: int) -> list[dict]:
    """Every accepted, not revoked grant of a consultant for an organisation, newest first."""
    return list(
        db.query(
            "SELECT * FROM access_grants WHERE consultant_id = ? AND organisation_id = ?"
            " AND accepted_at IS NOT NULL AND revoked_at IS NULL ORDER BY id DESC",
            [consultant_id, organisation_id],
        )
    )


def move_grant(db: Database, grant_id: int, from_id: int, to_id: int) -> None:
    """The grant now names the new consultant, and who handed it over, when."""
    db.execute(
        f"UPDATE access_grants SET consultant_id = ?, handed_over_from = ?,"
        f" handed_over_at = {NOW} WHERE id = ?",  # nosec B608
        [to_id, from_id, grant_id],
    )


def revoke_grants(db: Database, grant_ids: list[int], by: int) -> None:
    for grant_id in grant_ids:
        db.execute(
            f"UPDATE access_grants SET revoked_at = {NOW}, revoked_by = ?"  # nosec B608
            " WHERE id = ? AND revoked_at IS NULL",
            [by, grant_id],
        )


def on_site_drafts(db: Database, consultant_id: int, organisation_id: int) -> list[int]:
    """The consultant's on-site assessments of the organisation still in draft."""
    return [
        row[0]
        for row in db.execute(
            "SELECT id FROM assessments WHERE organisation_id = ? AND mode = 'consultant'"
            " AND consultant_id = ? AND status = 'draft'",
            [organisation_id, consultant_id],
        ).fetchall()
    ]


def move_drafts(db: Database, assessment_ids: list[int], to_id: int) -> None:
    for assessment_id in assessment_ids:
        db.execute(
            "UPDATE assessments SET consultant_id = ? WHERE id = ? AND status = 'draft'",
            [to_id, assessment_id],
        )
