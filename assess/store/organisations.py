"""Organisations (enterprises being assessed)."""

from __future__ import annotations

from sqlite_utils import Database
from werkzeug.security import check_password_hash


def create(
    db: Database,
    *,
    name: str,
    credit_code: str,
    region_code: str,
    sector: str,
    size: str,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> int:
    """Insert an organisation and return its id."""
    return (
        db["organisations"]
        .insert(
            {
                "name": name.strip(),
                "credit_code": credit_code.strip().upper(),
                "region_code": region_code,
                "sector": sector,
                "size": size,
                "contact_name": contact_name.strip(),
                "contact_phone": contact_phone.strip(),
                "contact_email": contact_email.strip(),
            }
        )
        .last_pk
    )


def insert(db: Database, row: dict) -> int:
    """Insert an organisation row as it is (synthetic populations); its id."""
    return db["organisations"].insert(row).last_pk


def get(db: Database, organisation_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM organisations WHERE id = ?", [organisation_id]))
    return rows[0] if rows else None


def get_by_credit_code(db: Database, credit_code: str) -> dict | None:
    rows = list(
        db.query("SELECT * FROM organisations WHERE credit_code = ?", [credit_code.strip().upper()])
    )
    return rows[0] if rows else None


def count(db: Database) -> int:
    return db.execute("SELECT count(*) FROM organisations").fetchone()[0]


def claim(db: Database, organisation_id: int, claim_code: str) -> bool:
    """Take over an organisation a consultant registered: the code must match, once."""
    row = get(db, organisation_id)
    code = "".join(ch for ch in claim_code if ch.isalnum()).upper()  # "ab12 cd34" as "AB12CD34"
    if row is None or not row["claim_code_hash"] or not code:
        return False
    grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4))  # as it was handed over
    if not check_password_hash(row["claim_code_hash"], grouped):
        return False
    db.execute("UPDATE organisations SET claim_code_hash = NULL WHERE id = ?", [organisation_id])
    return True


def set_claim_code(
    db: Database, organisation_id: int, code_hash: str, registered_by: int | None = None
) -> None:
    """A new claim code (its hash); the registering consultant is kept, or set when given."""
    db.execute(
        "UPDATE organisations SET claim_code_hash = ?,"
        " registered_by = coalesce(?, registered_by) WHERE id = ?",
        [code_hash, registered_by, organisation_id],
    )


def set_credit_code(db: Database, organisation_id: int, credit_code: str) -> None:
    """A stand-in code (a contest's claimant, assess/organisation/registration.py)."""
    db.execute(
        "UPDATE organisations SET credit_code = ? WHERE id = ?", [credit_code, organisation_id]
    )


def set_sector(db: Database, organisation_id: int, sector: str) -> None:
    db.execute("UPDATE organisations SET sector = ? WHERE id = ?", [sector, organisation_id])


def set_listing(db: Database, organisation_id: int, listed: bool) -> None:
    """Whether the enterprise agrees to be listed by name to its local authority."""
    db.execute(
        "UPDATE organisations SET listing_opt_in = ? WHERE id = ?", [int(listed), organisation_id]
    )


PROFILE_FIELDS = ("name", "region_code", "sector", "size", "contact_name", "contact_phone")


def set_profile(db: Database, organisation_id: int, profile: dict) -> None:
    """Change what registration captured of an organisation (PROFILE_FIELDS); a park of the
    county it leaves is left too (an organisation is only in a park of its own county)."""
    values = {key: profile[key] for key in PROFILE_FIELDS}
    db.execute(
        "UPDATE organisations SET name = :name, sector = :sector, size = :size,"
        " contact_name = :contact_name, contact_phone = :contact_phone,"
        " park_id = CASE WHEN region_code = :region_code THEN park_id END,"
        " region_code = :region_code WHERE id = :id",
        {**values, "id": organisation_id},
    )


def mark_unverified(db: Database, organisation_id: int) -> None:
    """A newly registered organisation: who it is is not verified yet (assess/organisation/
    verification.py)."""
    db.execute(
        "UPDATE organisations SET identity = 'unverified', identity_verified_how = NULL,"
        " identity_verified_by = NULL, identity_verified_at = NULL WHERE id = ?",
        [organisation_id],
    )


def verify_identity(db: Database, organisation_id: int, how: str, by: int | None) -> bool:
    """Record that the organisation is who it says; False when it was verified already."""
    cursor = db.execute(
        "UPDATE organisations SET identity = 'verified', identity_verified_how = ?,"
        " identity_verified_by = ?, identity_verified_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id = ? AND identity = 'unverified'",
        [how, by, organisation_id],
    )
    return cursor.rowcount == 1


def unverified(db: Database, limit: int = 500) -> list[dict]:
    """Organisations whose identity is not verified, newest first."""
    return list(
        db.query(
            "SELECT * FROM organisations WHERE identity = 'unverified' ORDER BY id DESC LIMIT ?",
            [limit],
        )
    )
