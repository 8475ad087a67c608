"""Industrial parks: named areas below a county, with the organisations in them."""

from __future__ import annotations

from sqlite_utils import Database


def create(db: Database, county_code: str, name_zh: str, name_en: str) -> int:
    return (
        db["parks"]
        .insert({"county_code": county_code, "name_zh": name_zh, "name_en": name_en})
        .last_pk
    )


def place(db: Database, organisation_id: int, park_id: int | None) -> None:
    """Put an organisation in a park (None: in none)."""
    db.execute("UPDATE organisations SET park_id = ? WHERE id = ?", [park_id, organisation_id])


def assign_authority(db: Database, user_id: int, park_id: int) -> None:
    """An authority account that sees one park only."""
    db.execute("UPDATE users SET park_id = ? WHERE id = ?", [park_id, user_id])


def parks_in(db: Database, county_code: str) -> list[dict]:
    return list(
        db.query("SELECT * FROM parks WHERE county_code = ? ORDER BY name_zh", [county_code])
    )


def park(db: Database, park_id: int) -> dict | None:
    if not 0 < park_id < 2**63:  # from a query string: SQLite integers overflow beyond
        return None
    rows = list(db.query("SELECT * FROM parks WHERE id = ?", [park_id]))
    return rows[0] if rows else None


def by_name(db: Database, county_code: str, name_zh: str) -> dict | None:
    return next(
        db.query(
            "SELECT * FROM parks WHERE county_code = ? AND name_zh = ?", [county_code, name_zh]
        ),
        None,
    )


def all_parks(db: Database) -> list[dict]:
    """Every park with the number of enterprises in it, by county then name."""
    return list(
        db.query(
            "SELECT p.*, (SELECT count(*) FROM organisations o WHERE o.park_id = p.id) AS enterprises"
            " FROM parks p ORDER BY p.county_code, p.name_zh"
        )
    )


def members(db: Database, park_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT id, name, credit_code, region_code FROM organisations WHERE park_id = ?"
            " ORDER BY name",
            [park_id],
        )
    )


def outside_parks(db: Database, county_code: str, limit: int = 500) -> list[dict]:
    """Enterprises of a county in no park, to move into one."""
    return list(
        db.query(
            "SELECT id, name, credit_code FROM organisations"
            " WHERE region_code = ? AND park_id IS NULL AND closed_at IS NULL"
            " ORDER BY name LIMIT ?",
            [county_code, limit],
        )
    )
