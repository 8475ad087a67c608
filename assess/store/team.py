"""An enterprise's team: its members and their roles, invitations of colleagues, the sections
assigned to contributors, and who last answered each item."""

from __future__ import annotations

from sqlite_utils import Database

MEMBER_ROLES = ("owner", "contributor", "viewer")
INVITED_ROLES = ("contributor", "viewer")


def members(db: Database, organisation_id: int) -> list[dict]:
    """The enterprise's accounts, the owner first, then by name."""
    return list(
        db.query(
            "SELECT id, email, name, member_role, active, last_login_at, created_at FROM users"
            " WHERE role = 'enterprise' AND organisation_id = ?"
            " ORDER BY member_role != 'owner', active DESC, name, id",
            [organisation_id],
        )
    )


def member(db: Database, organisation_id: int, user_id: int) -> dict | None:
    """An active account of the enterprise, or None."""
    rows = list(
        db.query(
            "SELECT * FROM users WHERE id = ? AND organisation_id = ? AND role = 'enterprise'"
            " AND active = 1",
            [user_id, organisation_id],
        )
    )
    return rows[0] if rows else None


def set_member_role(db: Database, user_id: int, member_role: str) -> None:
    db.execute("UPDATE users SET member_role = ? WHERE id = ?", [member_role, user_id])


def invite(
    db: Database,
    organisation_id: int,
    email: str,
    member_role: str,
    nonce_hash: str,
    invited_by: int | None,
    expires_at: str,
) -> int:
    return (
        db["team_invitations"]
        .insert(
            {
                "organisation_id": organisation_id,
                "email": email.strip().lower(),
                "member_role": member_role,
                "nonce_hash": nonce_hash,
                "invited_by": invited_by,
                "expires_at": expires_at,
            }
        )
        .last_pk
    )


def invitation(db: Database, invitation_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM team_invitations WHERE id = ?", [invitation_id]))
    return rows[0] if rows else None


def open_invitations(db: Database, organisation_id: int) -> list[dict]:
    """Invitations neither accepted nor revoked (expired ones included: they can be re-sent)."""
    return list(
        db.query(
            "SELECT * FROM team_invitations WHERE organisation_id = ? AND accepted_at IS NULL"
            " AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
            [organisation_id],
        )
    )


def open_invitation_for(db: Database, organisation_id: int, email: str) -> dict | None:
    rows = list(
        db.query(
            "SELECT * FROM team_invitations WHERE organisation_id = ? AND email = ?"
            " AND accepted_at IS NULL AND revoked_at IS NULL",
            [organisation_id, email.strip().lower()],
        )
    )
    return rows[0] if rows else None


def resend(db: Database, invitation_id: int, nonce_hash: str, expires_at: str) -> None:
    """A new link for the invitation: the old one no longer opens it."""
    db.execute(
        "UPDATE team_invitations SET nonce_hash = ?, expires_at = ?,"
        " sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
        [nonce_hash, expires_at, invitation_id],
    )


def revoke(db: Database, invitation_id: int) -> None:
    db.execute(
        "UPDATE team_invitations SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id = ? AND revoked_at IS NULL AND accepted_at IS NULL",
        [invitation_id],
    )


def accept(db: Database, invitation_id: int, user_id: int) -> bool:
    """Mark the invitation used; False when it was used or revoked meanwhile."""
    done = db.execute(
        "UPDATE team_invitations SET accepted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
        " accepted_by = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
        [user_id, invitation_id],
    )
    return done.rowcount == 1


def assignments(db: Database, organisation_id: int) -> dict[str, int]:
    """Section id → the contributor it is assigned to."""
    return {
        row["section"]: row["user_id"]
        for row in db.query(
            "SELECT section, user_id FROM section_assignments WHERE organisation_id = ?",
            [organisation_id],
        )
    }


def sections_of(db: Database, organisation_id: int, user_id: int) -> set[str]:
    return {
        row["section"]
        for row in db.query(
            "SELECT section FROM section_assignments WHERE organisation_id = ? AND user_id = ?",
            [organisation_id, user_id],
        )
    }


def assign(
    db: Database, organisation_id: int, section: str, user_id: int | None, assigned_by: int
) -> None:
    """Assign a section to a contributor (None: to nobody, the owner answers it)."""
    db.execute(
        "DELETE FROM section_assignments WHERE organisation_id = ? AND section = ?",
        [organisation_id, section],
    )
    if user_id is not None:
        db["section_assignments"].insert(
            {
                "organisation_id": organisation_id,
                "section": section,
                "user_id": user_id,
                "assigned_by": assigned_by,
            }
        )


def unassign_member(db: Database, organisation_id: int, user_id: int) -> None:
    db.execute(
        "DELETE FROM section_assignments WHERE organisation_id = ? AND user_id = ?",
        [organisation_id, user_id],
    )


def last_answers(db: Database, assessment_id: int) -> dict[str, tuple[str, int | None]]:
    """Item id → (when it was last saved, by whom) in an assessment."""
    return {
        row["item_id"]: (row["updated_at"], row["updated_by"])
        for row in db.query(
            "SELECT item_id, updated_at, updated_by FROM answers WHERE assessment_id = ?",
            [assessment_id],
        )
    }


def names(db: Database, user_ids) -> dict[int, str]:
    ids = sorted({i for i in user_ids if i is not None})
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    return {
        row["id"]: row["name"] or row["email"]
        for row in db.query(f"SELECT id, name, email FROM users WHERE id IN ({marks})", ids)  # nosec B608  # placeholders only
    }
