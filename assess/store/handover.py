"""Handing an enterprise over (assess/organisation/handover.py): what moves when an impostor's
accounts and results are set aside, and when a new owner's account and work join."""

from __future__ import annotations

from sqlite_utils import Database

NOW = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
# what belongs to the people of an organisation and follows them when they are set aside or join
FOLLOW = (
    "assessments",
    "result_facts",
    "declarations",
    "recognitions",
    "roadmap_plans",
    "access_grants",
    "team_invitations",
    "section_assignments",
)


def set_aside_organisation(db: Database, organisation: dict) -> int:
    """A closed copy of an organisation's profile that holds what an impostor did under its
    credit code; its id."""
    aside_id = (
        db["organisations"]
        .insert(
            {
                "name": organisation["name"],
                "credit_code": f"set-aside:{organisation['id']}:{organisation['credit_code']}",
                "region_code": organisation["region_code"],
                "sector": organisation["sector"],
                "size": organisation["size"],
                "contact_name": organisation["contact_name"],
                "contact_phone": organisation["contact_phone"],
                "contact_email": organisation["contact_email"],
                "identity": "unverified",
                "set_aside_from": organisation["id"],
            }
        )
        .last_pk
    )
    db.execute(
        f"UPDATE organisations SET credit_code = ?, closed_at = {NOW} WHERE id = ?",  # nosec B608
        [f"set-aside:{aside_id}", aside_id],
    )
    return aside_id


def results_of(db: Database, organisation_id: int) -> list[dict]:
    """What an organisation's submitted assessments counted as (their facts), oldest first."""
    return list(
        db.query(
            "SELECT assessment_id, submitted_at, mode, gradient_rank, cmmm_level, cmmm_score,"
            " region_code, park_id FROM result_facts WHERE organisation_id = ?"
            " ORDER BY submitted_at, assessment_id",
            [organisation_id],
        )
    )


def set_aside(db: Database, organisation_id: int, aside_id: int, by: int) -> None:
    """Move an organisation's assessments, declarations, recognitions, roadmap plans and
    consultants' grants to the organisation set aside: its assessments count nowhere (no
    facts), its open declarations are withdrawn, its recognitions and grants end; a claim code
    and the consent to be listed are forgotten."""
    db.execute(
        f"UPDATE assessments SET set_aside_at = {NOW} WHERE organisation_id = ?",  # nosec B608
        [organisation_id],
    )
    db.execute("DELETE FROM result_facts WHERE organisation_id = ?", [organisation_id])
    db.execute(
        "UPDATE declarations SET status = 'withdrawn' WHERE organisation_id = ?"
        " AND status IN ('draft', 'in_review', 'returned')",
        [organisation_id],
    )
    db.execute(
        f"UPDATE recognitions SET withdrawn_at = {NOW}, withdrawn_by = ?,"  # nosec B608
        " withdrawal_reason = 'handed_over' WHERE organisation_id = ? AND withdrawn_at IS NULL",
        [by, organisation_id],
    )
    db.execute(  # a consultant's request not answered yet is to the credit code: it stays
        f"UPDATE access_grants SET revoked_at = {NOW}, revoked_by = ?, token_hash = NULL"  # nosec B608
        " WHERE organisation_id = ? AND revoked_at IS NULL"
        " AND NOT (direction = 'request' AND accepted_at IS NULL)",
        [by, organisation_id],
    )
    db.execute(
        "UPDATE access_grants SET organisation_id = ? WHERE organisation_id = ?"
        " AND revoked_at IS NOT NULL",
        [aside_id, organisation_id],
    )
    db.execute(
        f"UPDATE team_invitations SET revoked_at = {NOW}"  # nosec B608
        " WHERE organisation_id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
        [organisation_id],
    )
    db.execute("DELETE FROM section_assignments WHERE organisation_id = ?", [organisation_id])
    db.execute(  # a claim code or a listing consent given under the code were not the company's
        "UPDATE organisations SET claim_code_hash = NULL, registered_by = NULL,"
        " listing_opt_in = 0 WHERE id = ?",
        [organisation_id],
    )
    db.execute("DELETE FROM roadmap_targets WHERE organisation_id = ?", [organisation_id])
    move(
        db,
        ("assessments", "declarations", "recognitions", "roadmap_plans"),
        organisation_id,
        aside_id,
    )


def move(db: Database, tables, from_id: int, to_id: int) -> None:
    """Move the rows of these tables from one organisation to another."""
    for table in tables:
        if table not in FOLLOW:
            raise ValueError(table)
        db.execute(
            f"UPDATE {table} SET organisation_id = ? WHERE organisation_id = ?",  # nosec B608
            [to_id, from_id],
        )


def join(db: Database, from_id: int, to_id: int) -> None:
    """Everything of one organisation, its accounts too, joins another: where both have a
    section's assignment, a roadmap action's plan or a roadmap target, the joined one's is kept."""
    for table, key in (("section_assignments", "section"), ("roadmap_plans", "item_id")):
        db.execute(
            f"DELETE FROM {table} WHERE organisation_id = ? AND {key} IN"  # nosec B608  # ours
            f" (SELECT {key} FROM {table} WHERE organisation_id = ?)",
            [from_id, to_id],
        )
    db.execute(
        "DELETE FROM roadmap_targets WHERE organisation_id = ?"
        " AND EXISTS (SELECT 1 FROM roadmap_targets WHERE organisation_id = ?)",
        [from_id, to_id],
    )
    db.execute(
        "UPDATE roadmap_targets SET organisation_id = ? WHERE organisation_id = ?", [to_id, from_id]
    )
    move(db, FOLLOW, from_id, to_id)
    db.execute("UPDATE users SET organisation_id = ? WHERE organisation_id = ?", [to_id, from_id])


def move_accounts(db: Database, user_ids, to_id: int, active: bool) -> None:
    """Accounts join another organisation (their sessions end: the caller ends them)."""
    db.conn.executemany(
        "UPDATE users SET organisation_id = ?, active = ? WHERE id = ?",
        [(to_id, int(active), user_id) for user_id in user_ids],
    )


def close_stand_in(db: Database, organisation_id: int) -> None:
    """The organisation a claimant registered under a stand-in code is left empty: closed."""
    db.execute(
        f"UPDATE organisations SET closed_at = {NOW} WHERE id = ?",  # nosec B608
        [organisation_id],
    )
