"""Schema changes as named migrations. Never edit one that has been applied: add a new one."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("assess")


def _run(db: Database, *statements: str) -> None:
    for statement in statements:
        db.execute(statement)


@migrations(name="0001_initial")
def initial(db: Database) -> None:
    _run(
        db,
        """
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            credit_code TEXT NOT NULL UNIQUE,
            region_code TEXT NOT NULL CHECK (length(region_code) = 6),
            sector TEXT NOT NULL,
            size TEXT NOT NULL,
            contact_name TEXT NOT NULL DEFAULT '',
            contact_phone TEXT NOT NULL DEFAULT '',
            contact_email TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        "CREATE INDEX idx_organisations_region ON organisations (region_code)",
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL
                CHECK (role IN ('enterprise', 'consultant', 'authority', 'admin')),
            organisation_id INTEGER REFERENCES organisations (id),
            region_scope TEXT,
            locale TEXT NOT NULL DEFAULT 'zh',
            active INTEGER NOT NULL DEFAULT 1,
            session_version INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            last_login_at TEXT,
            CHECK (role != 'enterprise' OR organisation_id IS NOT NULL),
            CHECK (role != 'authority' OR region_scope IS NOT NULL)
        )
        """,
        """
        CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            questionnaire_id TEXT NOT NULL,
            questionnaire_version TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            submitted_at TEXT
        )
        """,
        "CREATE INDEX idx_assessments_organisation ON assessments (organisation_id, status)",
        """
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            value TEXT,
            reason TEXT NOT NULL DEFAULT '',
            revision INTEGER NOT NULL DEFAULT 1,
            updated_by INTEGER REFERENCES users (id),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            UNIQUE (assessment_id, item_id)
        )
        """,
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            user_id INTEGER,
            action TEXT NOT NULL,
            target_type TEXT,
            target_id TEXT,
            detail TEXT NOT NULL DEFAULT '{}',
            ip TEXT
        )
        """,
        "CREATE INDEX idx_audit_log_action ON audit_log (action, at)",
        # Append-only: the log can be added to, never changed or emptied.
        """
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
        """,
        """
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
        """,
    )


@migrations(name="0002_assessment_results")
def assessment_results(db: Database) -> None:
    """A snapshot of each submitted assessment's result, for lists and regional aggregates.

    The answers stay the source of truth: re-scoring them under the recorded questionnaire
    version gives the same result.
    """
    _run(
        db,
        "ALTER TABLE assessments ADD COLUMN mode TEXT NOT NULL DEFAULT 'self'"
        " CHECK (mode IN ('self', 'consultant'))",
        "ALTER TABLE assessments ADD COLUMN submitted_by INTEGER REFERENCES users (id)",
        "ALTER TABLE assessments ADD COLUMN gradient_level TEXT",
        "ALTER TABLE assessments ADD COLUMN gradient_rank INTEGER",
        "ALTER TABLE assessments ADD COLUMN cmmm_level INTEGER",
        "ALTER TABLE assessments ADD COLUMN cmmm_score REAL",
        """
        CREATE TABLE assessment_scenarios (
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            scenario_id TEXT NOT NULL,
            applicable INTEGER NOT NULL,
            rank INTEGER NOT NULL,
            PRIMARY KEY (assessment_id, scenario_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE assessment_sub_domains (
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            sub_domain_id TEXT NOT NULL,
            applicable INTEGER NOT NULL,
            score REAL NOT NULL,
            PRIMARY KEY (assessment_id, sub_domain_id)
        ) WITHOUT ROWID
        """,
    )


@migrations(name="0003_pending_saves")
def pending_saves(db: Database) -> None:
    """Answers posted after the session or its CSRF token expired, kept until the same user
    logs in again and they are applied (see assess/pending.py)."""
    _run(
        db,
        """
        CREATE TABLE pending_saves (
            token TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            page TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
    )


@migrations(name="0004_consultants")
def consultants(db: Database) -> None:
    """Access grants, on-site assessments, evidence per answer, visits, claimable organisations."""
    _run(
        db,
        """
        CREATE TABLE access_grants (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            consultant_id INTEGER REFERENCES users (id),
            invited_email TEXT,
            token_hash TEXT UNIQUE,
            direction TEXT NOT NULL CHECK (direction IN ('invitation', 'request', 'registration')),
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            accepted_at TEXT,
            revoked_at TEXT,
            revoked_by INTEGER REFERENCES users (id),
            CHECK (consultant_id IS NOT NULL OR invited_email IS NOT NULL)
        )
        """,
        "CREATE INDEX idx_access_grants_consultant ON access_grants (consultant_id, organisation_id)",
        "CREATE INDEX idx_access_grants_organisation ON access_grants (organisation_id)",
        "ALTER TABLE assessments ADD COLUMN consultant_id INTEGER REFERENCES users (id)",
        "ALTER TABLE answers ADD COLUMN note TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE answers ADD COLUMN evidence_quality TEXT",
        "ALTER TABLE answers ADD COLUMN verified_by INTEGER REFERENCES users (id)",
        "ALTER TABLE answers ADD COLUMN verified_at TEXT",
        """
        CREATE TABLE evidence_files (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            stored_name TEXT NOT NULL UNIQUE,
            original_name TEXT NOT NULL,
            mime_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            uploaded_by INTEGER REFERENCES users (id),
            uploaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        "CREATE INDEX idx_evidence_files_item ON evidence_files (assessment_id, item_id)",
        """
        CREATE TABLE site_visits (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            visit_date TEXT NOT NULL,
            site TEXT NOT NULL,
            participants TEXT NOT NULL DEFAULT '',
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        "ALTER TABLE organisations ADD COLUMN claim_code_hash TEXT",
        "ALTER TABLE organisations ADD COLUMN registered_by INTEGER REFERENCES users (id)",
    )
