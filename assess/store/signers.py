"""Who signed a verified report, kept as it was when the on-site assessment was submitted
(migration 0040_firm_snapshot): the consultant's name, the firm's name, qualification, logo."""

from __future__ import annotations

import hashlib

from sqlite_utils import Database


def record(db: Database, assessment_id: int) -> None:
    """Keep the signer of an on-site assessment being submitted: its consultant and the firm
    the consultant belongs to now. Once only: a signer kept is never changed. Run in the
    write transaction that submits."""
    found = db.execute(
        "SELECT u.id, u.name, f.id, f.name, f.qualification, f.logo, f.logo_mime"
        " FROM assessments a LEFT JOIN users u ON u.id = a.consultant_id"
        " LEFT JOIN firms f ON f.id = u.firm_id WHERE a.id = ?",
        [assessment_id],
    ).fetchone()
    if found is None:
        return
    consultant_id, name, firm_id, firm_name, qualification, logo, logo_mime = found
    digest = None
    if logo and logo_mime:
        digest = hashlib.sha256(logo).hexdigest()
        db.execute(
            "INSERT INTO firm_logos (sha256, logo, logo_mime) VALUES (?, ?, ?)"
            " ON CONFLICT (sha256) DO NOTHING",
            [digest, logo, logo_mime],
        )
    db.execute(
        "INSERT INTO verified_signers (assessment_id, consultant_id, consultant_name, firm_id,"
        " firm_name, qualification, logo_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (assessment_id) DO NOTHING",
        [assessment_id, consultant_id, name, firm_id, firm_name or "", qualification or "", digest],
    )


def get(db: Database, assessment_id: int) -> dict | None:
    """The signer kept for a submitted on-site assessment: consultant_name, firm (None without
    one: name, qualification, logo, logo_mime), logo_sha256; None when none was kept."""
    row = next(
        db.query(
            "SELECT s.consultant_name, s.firm_id, s.firm_name, s.qualification, s.logo_sha256,"
            " l.logo, l.logo_mime FROM verified_signers s"
            " LEFT JOIN firm_logos l ON l.sha256 = s.logo_sha256 WHERE s.assessment_id = ?",
            [assessment_id],
        ),
        None,
    )
    if row is None:
        return None
    firm = (
        {k: row[k] for k in ("firm_name", "qualification", "logo", "logo_mime")}
        if row["firm_id"] is not None
        else None
    )
    if firm is not None:
        firm["name"] = firm.pop("firm_name")
    return {
        "consultant_name": row["consultant_name"],
        "firm": firm,
        "logo_sha256": row["logo_sha256"],
    }
