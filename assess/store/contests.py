"""Contests of a taken credit code: the claimant (the company that registered under a stand-in
code), its business licence, and the administrator's decision."""

from __future__ import annotations

from sqlite_utils import Database

NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
STATUSES = ("draft", "open", "handed_over", "refused")


def create(
    db: Database,
    *,
    credit_code: str,
    organisation_id: int,
    claimant_id: int,
    claimant_organisation_id: int,
) -> int:
    return (
        db["contests"]
        .insert(
            {
                "credit_code": credit_code,
                "organisation_id": organisation_id,
                "claimant_id": claimant_id,
                "claimant_organisation_id": claimant_organisation_id,
            }
        )
        .last_pk
    )


def get(db: Database, contest_id: int) -> dict | None:
    return next(db.query("SELECT * FROM contests WHERE id = ?", [contest_id]), None)


def of_claimant_organisation(db: Database, organisation_id: int) -> dict | None:
    """The contest an organisation registered under a stand-in code made, if any."""
    return next(
        db.query("SELECT * FROM contests WHERE claimant_organisation_id = ?", [organisation_id]),
        None,
    )


def set_licence(db: Database, contest_id: int, **licence) -> None:
    """Keep the licence file's facts (name, stored, type, size, sha256) and the statement."""
    db["contests"].update(contest_id, licence)


def send(db: Database, contest_id: int) -> bool:
    """The claimant sends its contest to the administrators; False unless it was a draft."""
    cursor = db.execute(
        f"UPDATE contests SET status = 'open', sent_at = {NOW}"  # nosec B608
        " WHERE id = ? AND status = 'draft' AND licence_stored IS NOT NULL",
        [contest_id],
    )
    return cursor.rowcount == 1


def decide(db: Database, contest_id: int, status: str, by: int, note: str) -> bool:
    """Record the administrator's decision on an open contest; False when it was not open."""
    if status not in ("handed_over", "refused"):
        raise ValueError(status)
    cursor = db.execute(
        f"UPDATE contests SET status = ?, decided_at = {NOW}, decided_by = ?,"  # nosec B608
        " decision_note = ? WHERE id = ? AND status = 'open'",
        [status, by, note, contest_id],
    )
    return cursor.rowcount == 1


def listing(db: Database, limit: int = 500) -> list[dict]:
    """Contests for the administrators: open ones first (oldest first), then the others (newest
    first), with the names of both sides."""
    return list(
        db.query(
            "SELECT c.*, o.name AS organisation_name, p.name AS claimant_name,"
            " u.email AS claimant_email FROM contests c"
            " JOIN organisations o ON o.id = c.organisation_id"
            " JOIN organisations p ON p.id = c.claimant_organisation_id"
            " JOIN users u ON u.id = c.claimant_id"
            " WHERE c.status != 'draft'"
            " ORDER BY c.status != 'open', CASE WHEN c.status = 'open' THEN c.id ELSE -c.id END"
            " LIMIT ?",
            [limit],
        )
    )
