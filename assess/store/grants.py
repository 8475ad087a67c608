"""Access grants: which consultant may work for which organisation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlite_utils import Database


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def active(db: Database, consultant_id: int, organisation_id: int) -> dict | None:
    """The accepted, not revoked grant of a consultant for an organisation."""
    rows = list(
        db.query(
            "SELECT * FROM access_grants WHERE consultant_id = ? AND organisation_id = ?"
            " AND accepted_at IS NOT NULL AND revoked_at IS NULL ORDER BY id DESC LIMIT 1",
            [consultant_id, organisation_id],
        )
    )
    return rows[0] if rows else None


def invite(
    db: Database, organisation_id: int, created_by: int, *, email: str, consultant_id: int | None
) -> str:
    """An enterprise invites a consultant (by e-mail); returns the token of the invitation link."""
    token = new_token()
    db["access_grants"].insert(
        {
            "organisation_id": organisation_id,
            "consultant_id": consultant_id,
            "invited_email": email.strip().lower(),
            "token_hash": token_hash(token),
            "direction": "invitation",
            "created_by": created_by,
        }
    )
    return token


def open_invitation(db: Database, organisation_id: int, email: str) -> dict | None:
    """An invitation of the organisation to this e-mail, neither used nor withdrawn."""
    return next(
        db.query(
            "SELECT * FROM access_grants WHERE organisation_id = ? AND invited_email = ?"
            " AND direction = 'invitation' AND accepted_at IS NULL AND revoked_at IS NULL"
            " ORDER BY id DESC LIMIT 1",
            [organisation_id, email.strip().lower()],
        ),
        None,
    )


def open_request(db: Database, consultant_id: int, credit_code: str) -> dict | None:
    """The consultant's request for this credit code that is not answered or withdrawn yet
    (whether or not an enterprise with the code is registered)."""
    return next(
        db.query(
            "SELECT * FROM access_grants WHERE credit_code = ? AND consultant_id = ?"
            " AND direction = 'request' AND accepted_at IS NULL AND revoked_at IS NULL"
            " ORDER BY id DESC LIMIT 1",
            [credit_code, consultant_id],
        ),
        None,
    )


def open_request_to(db: Database, organisation_id: int, consultant_id: int) -> dict | None:
    """The consultant's unanswered request to this registered organisation (an on-site
    re-check asks the enterprise through one)."""
    return next(
        db.query(
            "SELECT * FROM access_grants WHERE organisation_id = ? AND consultant_id = ?"
            " AND direction = 'request' AND accepted_at IS NULL AND revoked_at IS NULL"
            " ORDER BY id DESC LIMIT 1",
            [organisation_id, consultant_id],
        ),
        None,
    )


def request_access(
    db: Database,
    organisation_id: int | None,
    consultant_id: int,
    credit_code: str | None = None,
    created_by: int | None = None,
) -> int:
    """A consultant asks for access by credit code: to the organisation registered with it, or
    (organisation_id None) to whichever registers with it later; the enterprise accepts or not.
    An authority may ask on behalf of the expert of an on-site re-check (created_by)."""
    return db.execute(
        "INSERT INTO access_grants (organisation_id, consultant_id, direction, created_by,"
        " credit_code) VALUES (?, ?, 'request', ?,"
        " coalesce(?, (SELECT credit_code FROM organisations WHERE id = ?)))",
        [organisation_id, consultant_id, created_by or consultant_id, credit_code, organisation_id],
    ).lastrowid


def address_requests(db: Database, organisation_id: int, credit_code: str) -> int:
    """Requests asked for a credit code before an enterprise registered with it now reach it."""
    return db.execute(
        "UPDATE access_grants SET organisation_id = ? WHERE organisation_id IS NULL"
        " AND direction = 'request' AND credit_code = ?",
        [organisation_id, credit_code],
    ).rowcount


def grant_registered(db: Database, organisation_id: int, consultant_id: int) -> None:
    """A consultant registered a client that has no account yet: access from the start."""
    db.execute(
        "INSERT INTO access_grants (organisation_id, consultant_id, direction, created_by,"
        " accepted_at) VALUES (?, ?, 'registration', ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        [organisation_id, consultant_id, consultant_id],
    )


def addressed_to(grant: dict, consultant_id: int, email: str) -> bool:
    """Whether an invitation is for this consultant: by account, or by the e-mail invited."""
    return (
        grant["consultant_id"] == consultant_id
        or (grant["invited_email"] or "") == (email or "").strip().lower()
    )


def renew_link(db: Database, grant_id: int) -> str | None:
    """A new link for an invitation still waiting; the old link stops working. None when the
    invitation was used or withdrawn."""
    token = new_token()
    cursor = db.execute(
        "UPDATE access_grants SET token_hash = ?,"
        " link_sent_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND direction = 'invitation'"
        " AND accepted_at IS NULL AND revoked_at IS NULL",
        [token_hash(token), grant_id],
    )
    return token if cursor.rowcount == 1 else None


def link_age_days(grant: dict) -> float:
    """Days since an invitation's link was made (its first, or a renewed one)."""
    made = grant.get("link_sent_at") or grant["created_at"]
    then = datetime.strptime(made, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (datetime.now(UTC) - then).total_seconds() / 86400


def by_token(db: Database, token: str) -> dict | None:
    rows = list(db.query("SELECT * FROM access_grants WHERE token_hash = ?", [token_hash(token)]))
    return rows[0] if rows else None


def get(db: Database, grant_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM access_grants WHERE id = ?", [grant_id]))
    return rows[0] if rows else None


def accept(db: Database, grant_id: int, consultant_id: int) -> None:
    db.execute(
        "UPDATE access_grants SET accepted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
        " consultant_id = ?, token_hash = NULL"
        " WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
        [consultant_id, grant_id],
    )


def withdraw(db: Database, grant_id: int, consultant_id: int) -> bool:
    """The consultant withdraws its own request while it is still unanswered."""
    cursor = db.execute(
        "UPDATE access_grants SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
        " revoked_by = ? WHERE id = ? AND consultant_id = ? AND direction = 'request'"
        " AND accepted_at IS NULL AND revoked_at IS NULL",
        [consultant_id, grant_id, consultant_id],
    )
    return cursor.rowcount == 1


def revoke(db: Database, grant: dict, user_id: int) -> int:
    """Revoke a grant and every other open grant or invitation of the organisation for the same
    consultant (by account or invited e-mail): revoked access cannot come back through a second
    invitation link. Returns how many rows were revoked."""
    email = grant["invited_email"]
    if grant["consultant_id"] is not None:
        row = db.execute(
            "SELECT email FROM users WHERE id = ?", [grant["consultant_id"]]
        ).fetchone()
        email = row[0].lower() if row else email
    cursor = db.execute(
        "UPDATE access_grants SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
        " revoked_by = ?, token_hash = NULL"
        " WHERE organisation_id = ? AND revoked_at IS NULL"
        " AND (id = ? OR consultant_id = ? OR invited_email = ? OR invited_email = ?)",
        [
            user_id,
            grant["organisation_id"],
            grant["id"],
            grant["consultant_id"],
            email,
            grant["invited_email"],
        ],
    )
    return cursor.rowcount


def consultants_with_access(db: Database, organisation_id: int) -> list[int]:
    """The consultants an organisation granted access to now (accepted, not revoked)."""
    return [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT g.consultant_id FROM access_grants g"
            " JOIN users u ON u.id = g.consultant_id AND u.active = 1"
            " WHERE g.organisation_id = ? AND g.accepted_at IS NOT NULL AND g.revoked_at IS NULL"
            " ORDER BY g.consultant_id",
            [organisation_id],
        )
    ]


def for_organisation(db: Database, organisation_id: int) -> list[dict]:
    """Every grant of an organisation, newest first, with the consultant's name, e-mail and
    firm once the consultant is known to it: for a request, and for an invitation once
    accepted (inviting an address never shows whose it is); and who handed it over, if so."""
    return list(
        db.query(
            "SELECT g.*, CASE WHEN g.direction != 'invitation' OR g.accepted_at IS NOT NULL"
            " THEN u.name END AS consultant_name,"
            " CASE WHEN g.direction != 'invitation' OR g.accepted_at IS NOT NULL"
            " THEN u.email END AS consultant_email,"
            " u.email_confirmed_at IS NOT NULL AS consultant_confirmed,"
            " h.name AS handed_over_from_name, f.name AS firm_name"
            " FROM access_grants g LEFT JOIN users u ON u.id = g.consultant_id"
            " LEFT JOIN users h ON h.id = g.handed_over_from"
            " LEFT JOIN firms f ON f.id = u.firm_id"
            " AND (g.direction != 'invitation' OR g.accepted_at IS NOT NULL)"
            " WHERE g.organisation_id = ? ORDER BY g.id DESC",
            [organisation_id],
        )
    )


def withdrawn_by_client(db: Database, consultant_id: int, organisation_id: int) -> str | None:
    """When the enterprise itself (one of its accounts) last revoked this consultant's accepted
    access (its revoked_at), or None. A hand-over to a colleague revokes too, by the consultant:
    that is not the client withdrawing access."""
    row = db.execute(
        "SELECT g.revoked_at FROM access_grants g JOIN users u ON u.id = g.revoked_by"
        " WHERE g.consultant_id = ? AND g.organisation_id = ? AND g.accepted_at IS NOT NULL"
        " AND g.revoked_at IS NOT NULL AND u.organisation_id = g.organisation_id"
        " ORDER BY g.revoked_at DESC, g.id DESC LIMIT 1",
        [consultant_id, organisation_id],
    ).fetchone()
    return row[0] if row else None


def withdrawn_clients(db: Database, consultant_id: int, since: str) -> list[dict]:
    """Enterprises that withdrew this consultant's access since then (a stored timestamp) and
    have not granted it again: id, name and when (revoked_at), the latest first."""
    return list(
        db.query(
            "SELECT o.id, o.name, max(g.revoked_at) AS revoked_at FROM access_grants g"
            " JOIN organisations o ON o.id = g.organisation_id"
            " JOIN users u ON u.id = g.revoked_by AND u.organisation_id = g.organisation_id"
            " WHERE g.consultant_id = ? AND g.accepted_at IS NOT NULL AND g.revoked_at >= ?"
            " AND NOT EXISTS (SELECT 1 FROM access_grants a WHERE a.consultant_id = g.consultant_id"
            " AND a.organisation_id = g.organisation_id AND a.accepted_at IS NOT NULL"
            " AND a.revoked_at IS NULL)"
            " GROUP BY o.id ORDER BY revoked_at DESC, o.name",
            [consultant_id, since],
        )
    )


def clients(db: Database, consultant_id: int) -> list[dict]:
    """Organisations that granted the consultant access, once each (an invitation and a request
    may both have been accepted), with their newest grant and access since the first."""
    return list(
        db.query(
            "SELECT o.*, max(g.id) AS grant_id, min(g.accepted_at) AS granted_at"
            " FROM access_grants g JOIN organisations o ON o.id = g.organisation_id"
            " WHERE g.consultant_id = ? AND g.accepted_at IS NOT NULL AND g.revoked_at IS NULL"
            " GROUP BY o.id ORDER BY o.name",
            [consultant_id],
        )
    )


def pending_for_consultant(db: Database, consultant_id: int, email: str) -> list[dict]:
    """Invitations waiting for this consultant (with the enterprise's name: it invited), and
    requests it sent that are not answered (with the code asked only: whether an enterprise
    has that code is not for the consultant to learn)."""
    return list(
        db.query(
            "SELECT g.*, CASE WHEN g.direction = 'invitation' THEN o.name END"
            " AS organisation_name FROM access_grants g"
            " LEFT JOIN organisations o ON o.id = g.organisation_id"
            " WHERE g.accepted_at IS NULL AND g.revoked_at IS NULL"
            " AND (g.consultant_id = ? OR g.invited_email = ?) ORDER BY g.id DESC",
            [consultant_id, email.lower()],
        )
    )


def consultant_has_work(db: Database, consultant_id: int) -> bool:
    """Whether a consultant still has a client (a grant accepted and not revoked) or an
    on-site assessment that is not submitted."""
    return bool(
        db.execute(
            "SELECT EXISTS (SELECT 1 FROM access_grants WHERE consultant_id = ?"
            " AND accepted_at IS NOT NULL AND revoked_at IS NULL)"
            " OR EXISTS (SELECT 1 FROM assessments WHERE consultant_id = ? AND status = 'draft')",
            [consultant_id, consultant_id],
        ).fetchone()[0]
    )
