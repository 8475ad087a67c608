"""An organisation's data as a whole: what its export reads and what closing it removes (the
use cases: assess/organisation/data_export.py and assess/organisation/closing.py)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.store import outbox
from assess.store.migrations import ERASED

ACCOUNT_COLUMNS = (
    "id, email, name, role, locale, active, created_at, last_login_at, totp_enabled,"
    " privacy_version, privacy_agreed_at, member_role"
)  # never a password hash or a second factor's secret


@dataclass(frozen=True)
class Scope:
    """The rows that belong to an organisation, by id."""

    organisation_id: int
    user_ids: tuple[int, ...]
    emails: tuple[str, ...]
    assessment_ids: tuple[int, ...]
    grant_ids: tuple[int, ...]
    declaration_ids: tuple[int, ...] = ()


def _ids(db: Database, sql: str, params: list) -> tuple:
    return tuple(row[0] for row in db.execute(sql, params))


def _in(values: tuple) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def scope(db: Database, organisation_id: int) -> Scope:
    accounts = db.execute(
        "SELECT id, email FROM users WHERE organisation_id = ? ORDER BY id", [organisation_id]
    ).fetchall()
    return Scope(
        organisation_id,
        tuple(row[0] for row in accounts),
        tuple(row[1] for row in accounts),
        _ids(
            db,
            "SELECT id FROM assessments WHERE organisation_id = ? ORDER BY id",
            [organisation_id],
        ),
        _ids(
            db,
            "SELECT id FROM access_grants WHERE organisation_id = ? ORDER BY id",
            [organisation_id],
        ),
        _ids(
            db,
            "SELECT id FROM declarations WHERE organisation_id = ? ORDER BY id",
            [organisation_id],
        ),
    )


def accounts(db: Database, found: Scope) -> list[dict]:
    return list(
        db.query(
            f"SELECT {ACCOUNT_COLUMNS} FROM users WHERE id IN ({_in(found.user_ids)})",  # nosec B608
            found.user_ids,
        )
    )


ACCESS_KEY_COLUMNS = (
    "id, user_id, name, scopes, prefix, created_at, expires_at, last_used_at, last_used_ip,"
    " revoked_at"
)  # never the token's hash


def api_tokens(db: Database, found: Scope) -> list[dict]:
    """The accounts' API tokens (revoked and expired ones too), oldest first."""
    return list(
        db.query(
            f"SELECT {ACCESS_KEY_COLUMNS} FROM api_tokens"  # nosec B608  # our columns, ? for values
            f" WHERE user_id IN ({_in(found.user_ids)}) ORDER BY id",
            found.user_ids,
        )
    )


def rows_of(db: Database, table: str, found: Scope) -> list[dict]:
    """Every row of a table about the organisation's assessments (answers, answer_comments,
    evidence_files, site_visits, assessment_scenarios, assessment_sub_domains)."""
    assert table in (  # nosec B101  # our table names only
        "answers",
        "answer_comments",
        "evidence_files",
        "site_visits",
        "assessment_scenarios",
        "assessment_sub_domains",
    )
    return list(
        db.query(
            f"SELECT * FROM {table} WHERE assessment_id IN ({_in(found.assessment_ids)})"  # nosec B608
            " ORDER BY assessment_id",
            found.assessment_ids,
        )
    )


DECLARATION_TABLES = (
    "declaration_scenarios",
    "declaration_files",
    "declaration_steps",
    "declaration_rechecks",
    "recognitions",
)


def declarations(db: Database, found: Scope) -> dict[str, list[dict]]:
    """The organisation's declarations and what hangs on them, table by table."""
    ids = found.declaration_ids
    tables = {
        "declarations": list(
            db.query(
                "SELECT * FROM declarations WHERE organisation_id = ? ORDER BY id",
                [found.organisation_id],
            )
        )
    }
    for table in DECLARATION_TABLES:
        tables[table] = list(
            db.query(
                f"SELECT * FROM {table} WHERE declaration_id IN ({_in(ids)})"  # nosec B608
                " ORDER BY declaration_id",
                ids,
            )
        )
    return tables


def roadmap(db: Database, found: Scope) -> dict[str, list[dict]]:
    """The target the organisation chose for its roadmap and the owner and due date it gave
    each action (assess/store/roadmap_plans.py), table by table."""
    return {
        table: list(
            db.query(
                f"SELECT * FROM {table} WHERE organisation_id = ? ORDER BY rowid",  # nosec B608
                [found.organisation_id],
            )
        )
        for table in ("roadmap_targets", "roadmap_plans")
    }


def grants(db: Database, found: Scope) -> list[dict]:
    """The organisation's grants, with the consultant's name once it is known to it."""
    return list(
        db.query(
            "SELECT g.id, g.direction, g.invited_email, g.credit_code, g.created_at,"
            " g.accepted_at, g.revoked_at, CASE WHEN g.direction != 'invitation'"
            " OR g.accepted_at IS NOT NULL THEN u.name END AS consultant"
            " FROM access_grants g LEFT JOIN users u ON u.id = g.consultant_id"
            " WHERE g.organisation_id = ? ORDER BY g.id",
            [found.organisation_id],
        )
    )


def audit_entries(db: Database, found: Scope) -> list[dict]:
    """The audit entries about the organisation: by its accounts, on it, its assessments, its
    grants, its evidence and its accounts, and failed logins with its e-mail addresses; with
    the name and role of who acted (None once that account is gone)."""
    users, assessments = found.user_ids, tuple(str(i) for i in found.assessment_ids)
    grants_, emails = tuple(str(i) for i in found.grant_ids), found.emails
    org = str(found.organisation_id)
    return list(
        db.query(
            "SELECT a.*, u.name AS who, u.role AS role FROM audit_log a"
            " LEFT JOIN users u ON u.id = a.user_id WHERE"
            f" a.user_id IN ({_in(users)})"  # nosec B608  # placeholders only
            " OR (a.target_type = 'organisation' AND a.target_id = ?)"
            f" OR (a.target_type = 'assessment' AND a.target_id IN ({_in(assessments)}))"
            f" OR (a.target_type = 'grant' AND a.target_id IN ({_in(grants_)}))"
            f" OR (a.target_type = 'user' AND a.target_id IN ({_in(tuple(map(str, users)))}))"
            " OR json_extract(a.detail, '$.organisation_id') = ?"
            f" OR json_extract(a.detail, '$.assessment_id') IN ({_in(found.assessment_ids)})"
            f" OR json_extract(a.detail, '$.email') IN ({_in(emails)})"
            " ORDER BY a.id",
            [
                *users,
                org,
                *assessments,
                *grants_,
                *map(str, users),
                found.organisation_id,
                *found.assessment_ids,
                *emails,
            ],
        )
    )


def erase_audit(db: Database, entry_ids: list[int], user_ids: tuple[int, ...]) -> None:
    """Erase the personal fields of audit entries: the detail, and the address of the entries
    made by the given accounts (the migration's trigger allows nothing else)."""
    for start in range(0, len(entry_ids), 500):
        chunk = entry_ids[start : start + 500]
        db.execute(
            f"UPDATE audit_log SET detail = ?, ip = CASE WHEN user_id IN ({_in(user_ids)})"  # nosec B608
            f" THEN NULL ELSE ip END WHERE id IN ({_in(tuple(chunk))})",
            [ERASED, *user_ids, *chunk],
        )


def remove(db: Database, found: Scope, name: str, now: str) -> None:
    """Remove what closing an organisation deletes; keep its submitted assessments' results
    (rows and facts) for the regional figures, without anything that names it. Run in a write
    transaction."""
    ids, org = found.assessment_ids, found.organisation_id
    for table in ("answers", "answer_comments", "evidence_files", "site_visits", "pending_saves"):
        db.execute(f"DELETE FROM {table} WHERE assessment_id IN ({_in(ids)})", ids)  # nosec B608
    # its reports go, the copies its consultants kept of those they signed too
    db.execute(f"DELETE FROM signed_copies WHERE assessment_id IN ({_in(ids)})", ids)  # nosec B608
    for table in ("assessment_scenarios", "assessment_sub_domains"):
        db.execute(f"DELETE FROM {table} WHERE assessment_id IN ({_in(ids)})", ids)  # nosec B608
    db.execute(
        "UPDATE assessments SET created_by = NULL, submitted_by = NULL, consultant_id = NULL,"
        " prefilled_from = NULL WHERE organisation_id = ?",
        [org],
    )
    _remove_declarations(db, found)
    db.execute("DELETE FROM assessments WHERE organisation_id = ? AND status = 'draft'", [org])
    db.execute("DELETE FROM access_grants WHERE organisation_id = ?", [org])
    db.execute("DELETE FROM contests WHERE claimant_organisation_id = ?", [org])  # its licence
    for table in ("team_invitations", "section_assignments", "roadmap_plans", "roadmap_targets"):
        db.execute(f"DELETE FROM {table} WHERE organisation_id = ?", [org])  # nosec B608
    db.execute(
        f"DELETE FROM login_failures WHERE email IN ({_in(found.emails)})",  # nosec B608
        found.emails,
    )
    db.execute(f"DELETE FROM api_tokens WHERE user_id IN ({_in(found.user_ids)})", found.user_ids)  # nosec B608
    db.execute(f"DELETE FROM users WHERE id IN ({_in(found.user_ids)})", found.user_ids)  # nosec B608
    credit_code, old_name = db.execute(
        "SELECT credit_code, name FROM organisations WHERE id = ?", [org]
    ).fetchone()
    # mail to its accounts, and mail to others that names it (e.g. a consultant's)
    for email in found.emails:
        outbox.erase_address(db, email)
    outbox.erase_mentions(db, old_name)
    db.execute("DELETE FROM login_failures WHERE email = ?", [f"claim:{credit_code}"])
    db.execute(
        "UPDATE organisations SET name = ?, credit_code = ?, contact_name = '',"
        " contact_phone = '', contact_email = '', listing_opt_in = 0, claim_code_hash = NULL,"
        " registered_by = NULL, closed_at = ? WHERE id = ?",
        [name, closed_code(org), now, org],
    )


def _remove_declarations(db: Database, found: Scope) -> None:
    """A closing organisation's declarations: their descriptions and files deleted, drafts
    (never seen by an authority) deleted, the rest kept as the authorities' record (status,
    steps, recognitions: the programme's counts) without contacts, comments or notes."""
    ids = found.declaration_ids
    where = f"declaration_id IN ({_in(ids)})"
    for table in ("declaration_scenarios", "declaration_files"):
        db.execute(f"DELETE FROM {table} WHERE {where}", ids)  # nosec B608
    db.execute(f"UPDATE declaration_steps SET comments = '' WHERE {where}", ids)  # nosec B608
    db.execute(  # its grants go: a re-check keeps the expert and the assessment attached
        f"UPDATE declaration_rechecks SET grant_id = NULL, note = '' WHERE {where}",  # nosec B608
        ids,
    )
    db.execute(
        "UPDATE declarations SET contact_name = '', contact_phone = '', contact_email = '',"
        " created_by = NULL WHERE organisation_id = ?",
        [found.organisation_id],
    )
    db.execute(
        "DELETE FROM declarations WHERE organisation_id = ? AND status = 'draft'",
        [found.organisation_id],
    )


def closed_code(organisation_id: int) -> str:
    """What stands for the credit code of a closed organisation (the code itself is free to
    register again)."""
    return f"closed:{organisation_id}"
