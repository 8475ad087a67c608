"""Schema changes as named migrations. Never edit one that has been applied: add a new one."""

from __future__ import annotations

import hashlib

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


FACT_SCENARIOS = 16  # columns scenario_1 .. scenario_16: ranks in questionnaire order
FACT_SUB_DOMAINS = 32  # columns sub_domain_1 .. sub_domain_32: totals in questionnaire order


@migrations(name="0005_regional_facts")
def regional_facts(db: Database) -> None:
    """Parks, the listing opt-in, and one wide row of facts per submitted assessment.

    result_facts repeats what regional aggregates need (region, sector, size, levels, each
    scenario's rank and each sub-domain's total, in questionnaire order, and the rules failing
    for the next level) so that a dashboard is one indexed scan, not joins over millions of
    rows. It is derived data: assess.facts rebuilds it from the answers.
    """
    scenario_columns = ", ".join(f"scenario_{i} INTEGER" for i in range(1, FACT_SCENARIOS + 1))
    sub_domain_columns = ", ".join(f"sub_domain_{i} REAL" for i in range(1, FACT_SUB_DOMAINS + 1))
    _run(
        db,
        """
        CREATE TABLE parks (
            id INTEGER PRIMARY KEY,
            county_code TEXT NOT NULL CHECK (length(county_code) = 6),
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL,
            UNIQUE (county_code, name_zh)
        )
        """,
        "ALTER TABLE organisations ADD COLUMN park_id INTEGER REFERENCES parks (id)",
        "ALTER TABLE organisations ADD COLUMN listing_opt_in INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE users ADD COLUMN park_id INTEGER REFERENCES parks (id)",
        f"""
        CREATE TABLE result_facts (
            assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            region_code TEXT NOT NULL,
            park_id INTEGER,
            sector TEXT NOT NULL,
            size TEXT NOT NULL,
            mode TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            is_latest INTEGER NOT NULL DEFAULT 0,
            questionnaire_id TEXT NOT NULL,
            questionnaire_version TEXT NOT NULL,
            gradient_rank INTEGER NOT NULL,
            cmmm_level INTEGER NOT NULL,
            cmmm_score REAL NOT NULL,
            next_gaps TEXT NOT NULL DEFAULT ',',
            next_gap_count INTEGER NOT NULL DEFAULT 0,
            {scenario_columns},
            {sub_domain_columns}
        )
        """,
        "CREATE INDEX idx_facts_latest_region ON result_facts (is_latest, region_code)",
        "CREATE INDEX idx_facts_region_time ON result_facts (region_code, submitted_at)",
        "CREATE INDEX idx_facts_organisation ON result_facts (organisation_id, submitted_at)",
        "CREATE INDEX idx_organisations_park ON organisations (park_id)",
    )


@migrations(name="0006_regional_summaries")
def regional_summaries(db: Database) -> None:
    """Per county (and park) sums of the latest facts, so that a dashboard of a province or of
    the whole country adds up a few thousand rows instead of scanning every enterprise.

    Derived data, rebuilt per county whenever one of its facts changes (assess/store/summaries).
    """
    ranks = ", ".join(f"rank_{r} INTEGER NOT NULL" for r in range(5))
    levels = ", ".join(f"cmmm_{c} INTEGER NOT NULL" for c in range(6))
    scenarios = ", ".join(
        f"s{i}_{r} INTEGER NOT NULL"
        for i in range(1, FACT_SCENARIOS + 1)
        for r in ("na", *range(5))
    )
    sub_domains = ", ".join(
        f"d{i}_sum REAL NOT NULL, d{i}_n INTEGER NOT NULL" for i in range(1, FACT_SUB_DOMAINS + 1)
    )
    key = "region_code TEXT NOT NULL, park_id INTEGER NOT NULL"
    _run(
        db,
        "ALTER TABLE result_facts ADD COLUMN listed INTEGER NOT NULL DEFAULT 0",
        "UPDATE result_facts SET listed = (SELECT listing_opt_in FROM organisations o"
        " WHERE o.id = result_facts.organisation_id)",
        "CREATE INDEX idx_facts_candidates ON result_facts (region_code, gradient_rank)"
        " WHERE is_latest = 1 AND listed = 1 AND (gradient_rank >= 1 OR next_gap_count = 1)",
        f"""
        CREATE TABLE region_summary (
            {key}, enterprises INTEGER NOT NULL, verified INTEGER NOT NULL, {ranks}, {levels},
            cmmm_2_plus INTEGER NOT NULL, excellent_plus INTEGER NOT NULL, score_sum REAL NOT NULL,
            one_step INTEGER NOT NULL, moved_up INTEGER NOT NULL, moved_same INTEGER NOT NULL,
            moved_down INTEGER NOT NULL, {scenarios}, {sub_domains},
            PRIMARY KEY (region_code, park_id)
        ) WITHOUT ROWID
        """,
        f"""
        CREATE TABLE region_groups (
            {key}, dimension TEXT NOT NULL, key TEXT NOT NULL, enterprises INTEGER NOT NULL, {ranks},
            cmmm_2_plus INTEGER NOT NULL,
            PRIMARY KEY (region_code, park_id, dimension, key)
        ) WITHOUT ROWID
        """,
        f"""
        CREATE TABLE region_rule_gaps (
            {key}, rule_id TEXT NOT NULL, enterprises INTEGER NOT NULL,
            PRIMARY KEY (region_code, park_id, rule_id)
        ) WITHOUT ROWID
        """,
        f"""
        CREATE TABLE region_quarters (
            {key}, quarter TEXT NOT NULL, assessments INTEGER NOT NULL,
            cmmm_2_plus INTEGER NOT NULL, excellent_plus INTEGER NOT NULL, score_sum REAL NOT NULL,
            PRIMARY KEY (region_code, park_id, quarter)
        ) WITHOUT ROWID
        """,
    )


@migrations(name="0007_candidate_order")
def candidate_order(db: Database) -> None:
    """Candidates in the order the dashboard lists them, so that a national list stops early."""
    _run(
        db,
        "DROP INDEX idx_facts_candidates",
        "CREATE INDEX idx_facts_candidates ON result_facts"
        " (gradient_rank DESC, next_gap_count, cmmm_score DESC)"
        " WHERE is_latest = 1 AND listed = 1 AND (gradient_rank >= 1 OR next_gap_count = 1)",
    )


@migrations(name="0008_login_security")
def login_security(db: Database) -> None:
    """Failed logins, counted across every worker, and optional TOTP second factors."""
    _run(
        db,
        """
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            ip TEXT NOT NULL,
            at REAL NOT NULL
        )
        """,
        "CREATE INDEX idx_login_failures_email ON login_failures (email, at)",
        "CREATE INDEX idx_login_failures_ip ON login_failures (ip, at)",
        "ALTER TABLE users ADD COLUMN totp_secret TEXT",
        "ALTER TABLE users ADD COLUMN totp_enabled INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0",
    )


@migrations(name="0009_consistent_suppression")
def consistent_suppression(db: Database) -> None:
    """A stamp that changes with the regional sums (the suppression pattern is cached by it),
    and per quarter the re-assessments with how they moved. The sums are emptied so that the
    the deploy step rebuilds them (assess/regional/derived.py, run by init-db) with the new quarter rows."""
    _run(
        db,
        "CREATE TABLE region_version (id INTEGER PRIMARY KEY CHECK (id = 1), stamp INTEGER NOT NULL)",
        "INSERT INTO region_version VALUES (1, 0)",
        "ALTER TABLE region_quarters ADD COLUMN moved_up INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE region_quarters ADD COLUMN moved_same INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE region_quarters ADD COLUMN moved_down INTEGER NOT NULL DEFAULT 0",
        "DELETE FROM region_summary",
        "DELETE FROM region_groups",
        "DELETE FROM region_rule_gaps",
        "DELETE FROM region_quarters",
    )


@migrations(name="0010_prefilled_from")
def prefilled_from(db: Database) -> None:
    """The assessment a draft's answers were carried over from: a re-assessment is confirmed
    before it is submitted, and an on-site assessment is compared with the self-assessment it
    started from."""
    _run(
        db,
        "ALTER TABLE assessments ADD COLUMN prefilled_from INTEGER REFERENCES assessments (id)",
    )


@migrations(name="0011_access_log")
def access_log(db: Database) -> None:
    """Accesses by others to an organisation's data carry its id in the audit detail: an index
    finds them for the enterprise's own access log."""
    _run(
        db,
        "CREATE INDEX idx_audit_log_organisation"
        " ON audit_log (json_extract(detail, '$.organisation_id'), id)",
    )


@migrations(name="0012_park_in_its_county")
def park_in_its_county(db: Database) -> None:
    """An organisation can only be in a park of its own county: a park's figures are a part of
    its county's, and a park elsewhere would count the enterprise twice or nowhere."""
    check = (
        "WHEN NEW.park_id IS NOT NULL AND NEW.region_code !="
        " (SELECT county_code FROM parks WHERE id = NEW.park_id)"
        " BEGIN SELECT RAISE(ABORT, 'an organisation can only be in a park of its county'); END"
    )
    _run(
        db,
        f"CREATE TRIGGER organisation_park_insert BEFORE INSERT ON organisations {check}",
        "CREATE TRIGGER organisation_park_update BEFORE UPDATE OF park_id, region_code"
        f" ON organisations {check}",
    )


@migrations(name="0013_period_sums")
def period_sums(db: Database) -> None:
    """The per-county sums for the periods a dashboard offers too (the quarter ends), not only
    for now: a past period then adds up sums instead of scanning every enterprise's facts.
    Derived data: the tables are made anew and filled by the deploy step (assess/regional/derived.py, run by init-db);
    region_periods lists the periods whose sums are made ('' is now)."""
    ranks = ", ".join(f"rank_{r} INTEGER NOT NULL" for r in range(5))
    levels = ", ".join(f"cmmm_{c} INTEGER NOT NULL" for c in range(6))
    scenarios = ", ".join(
        f"s{i}_{r} INTEGER NOT NULL"
        for i in range(1, FACT_SCENARIOS + 1)
        for r in ("na", *range(5))
    )
    sub_domains = ", ".join(
        f"d{i}_sum REAL NOT NULL, d{i}_n INTEGER NOT NULL" for i in range(1, FACT_SUB_DOMAINS + 1)
    )
    key = "period TEXT NOT NULL, region_code TEXT NOT NULL, park_id INTEGER NOT NULL"
    _run(
        db,
        "DROP TABLE region_summary",
        "DROP TABLE region_groups",
        "DROP TABLE region_rule_gaps",
        "DELETE FROM region_quarters",
        f"""
        CREATE TABLE region_summary (
            {key}, enterprises INTEGER NOT NULL, verified INTEGER NOT NULL, {ranks}, {levels},
            cmmm_2_plus INTEGER NOT NULL, excellent_plus INTEGER NOT NULL, score_sum REAL NOT NULL,
            one_step INTEGER NOT NULL, {scenarios}, {sub_domains},
            PRIMARY KEY (period, region_code, park_id)
        ) WITHOUT ROWID
        """,
        f"""
        CREATE TABLE region_groups (
            {key}, dimension TEXT NOT NULL, key TEXT NOT NULL, enterprises INTEGER NOT NULL, {ranks},
            cmmm_2_plus INTEGER NOT NULL,
            PRIMARY KEY (period, region_code, park_id, dimension, key)
        ) WITHOUT ROWID
        """,
        f"""
        CREATE TABLE region_rule_gaps (
            {key}, rule_id TEXT NOT NULL, enterprises INTEGER NOT NULL,
            PRIMARY KEY (period, region_code, park_id, rule_id)
        ) WITHOUT ROWID
        """,
        "CREATE TABLE region_periods (period TEXT PRIMARY KEY) WITHOUT ROWID",
    )


@migrations(name="0014_requests_by_credit_code")
def requests_by_credit_code(db: Database) -> None:
    """A consultant's request for access is addressed to a credit code, whether or not an
    enterprise with that code is registered (so that asking tells nothing about who is): the
    code is kept with the request, and its organisation is filled in when one registers with
    it. SQLite cannot drop NOT NULL from a column: the table is made anew with its rows."""
    columns = (
        "id, organisation_id, consultant_id, invited_email, token_hash, direction, created_by,"
        " created_at, accepted_at, revoked_at, revoked_by"
    )
    _run(
        db,
        """
        CREATE TABLE access_grants_new (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER REFERENCES organisations (id),
            consultant_id INTEGER REFERENCES users (id),
            invited_email TEXT,
            token_hash TEXT UNIQUE,
            direction TEXT NOT NULL CHECK (direction IN ('invitation', 'request', 'registration')),
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            accepted_at TEXT,
            revoked_at TEXT,
            revoked_by INTEGER REFERENCES users (id),
            credit_code TEXT,
            CHECK (consultant_id IS NOT NULL OR invited_email IS NOT NULL),
            CHECK (organisation_id IS NOT NULL OR (direction = 'request' AND credit_code IS NOT NULL))
        )
        """,
        f"INSERT INTO access_grants_new ({columns}) SELECT {columns} FROM access_grants",  # nosec B608
        "UPDATE access_grants_new SET credit_code = (SELECT credit_code FROM organisations o"
        " WHERE o.id = access_grants_new.organisation_id) WHERE direction = 'request'",
        "DROP TABLE access_grants",
        "ALTER TABLE access_grants_new RENAME TO access_grants",
        "CREATE INDEX idx_access_grants_consultant ON access_grants (consultant_id, organisation_id)",
        "CREATE INDEX idx_access_grants_organisation ON access_grants (organisation_id)",
        "CREATE INDEX idx_access_grants_code ON access_grants (credit_code)"
        " WHERE organisation_id IS NULL",
    )


@migrations(name="0015_peer_snapshots")
def peer_snapshots(db: Database) -> None:
    """The report's peer comparison from quarterly snapshots instead of live figures: per
    quarter end, per sector and per province, how many enterprises (each by its latest
    assessment submitted by then) are at each gradient level, and how many have each total
    score S (in steps of 0.05, for where an enterprise stands). Derived data, made by the
    deploy step (assess/regional/peer_figures.py, run by init-db) and kept: a report shows one
    quarter's figures, with the date."""
    ranks = ", ".join(f"rank_{r} INTEGER NOT NULL" for r in range(5))
    _run(
        db,
        f"""
        CREATE TABLE peer_snapshots (
            period TEXT NOT NULL,
            grouping TEXT NOT NULL CHECK (grouping IN ('sector', 'province')),
            key TEXT NOT NULL,
            enterprises INTEGER NOT NULL,
            {ranks},
            scores TEXT NOT NULL,
            PRIMARY KEY (grouping, key, period)
        ) WITHOUT ROWID
        """,
    )


ERASED = '{"erased": true}'  # an audit entry's detail once its personal fields are erased


@migrations(name="0016_personal_data")
def personal_data(db: Database) -> None:
    """Personal data duties: the privacy notice an account agreed to (and when); an
    organisation closed by its owner (its name, code and contacts removed, its results kept
    without them for the regional figures); and the audit log stays append-only except that
    the personal fields of an entry (its detail and address) may be erased, nothing else."""
    _run(
        db,
        "ALTER TABLE users ADD COLUMN privacy_version TEXT",
        "ALTER TABLE users ADD COLUMN privacy_agreed_at TEXT",
        "ALTER TABLE organisations ADD COLUMN closed_at TEXT",
        "DROP TRIGGER audit_log_no_update",
        f"""
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN NOT (
            NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.user_id IS OLD.user_id
            AND NEW.action = OLD.action AND NEW.target_type IS OLD.target_type
            AND NEW.target_id IS OLD.target_id AND NEW.detail = '{ERASED}'
            AND (NEW.ip IS NULL OR NEW.ip IS OLD.ip)
        )
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: only personal fields are erased'); END
        """,
    )


@migrations(name="0017_benchmarks")
def benchmarks(db: Database) -> None:
    """Provincial sector benchmarks of the results indicators (建设成效), set by an authority
    for its province or by an administrator: one value per province, sector and indicator,
    with the year it is for and where it comes from. An indicator id means the same figure in
    the same unit in every questionnaire version, so benchmarks are not per version. A stored
    result keeps the level it confirms besides the level it reaches (subject to results)."""
    _run(
        db,
        """
        CREATE TABLE benchmarks (
            province TEXT NOT NULL CHECK (length(province) = 2),
            sector TEXT NOT NULL,
            indicator_id TEXT NOT NULL,
            value REAL NOT NULL,
            year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
            source TEXT NOT NULL,
            set_by INTEGER REFERENCES users (id),
            set_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (province, sector, indicator_id)
        ) WITHOUT ROWID
        """,
        # the highest level reached with every rule assessed and passed: below gradient_rank
        # while a level is reached only subject to results (NULL: the same as gradient_rank)
        "ALTER TABLE assessments ADD COLUMN confirmed_rank INTEGER",
    )


@migrations(name="0018_declarations")
def declarations(db: Database) -> None:
    """The 梯度培育 programme: rounds opened by authorities, enterprises' declarations (申报) with
    their scenario descriptions and attachments, each review step's outcome, on-site re-checks
    by an expert, and recognitions (认定) with their withdrawal (assess/declaration/).

    result_facts.declared_at: when the assessment a fact row holds was first declared (the
    enterprise's consent to show that result by name to the authorities of its region); the
    regional figures count such enterprises as known, as they count listed ones."""
    _run(
        db,
        """
        CREATE TABLE declaration_rounds (
            id INTEGER PRIMARY KEY,
            level TEXT NOT NULL,
            year INTEGER NOT NULL CHECK (year BETWEEN 2024 AND 2100),
            region_scope TEXT NOT NULL,
            chain TEXT NOT NULL,
            opens_on TEXT NOT NULL,
            deadline TEXT NOT NULL CHECK (deadline >= opens_on),
            opened_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            UNIQUE (level, year, region_scope)
        )
        """,
        """
        CREATE TABLE declarations (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES declaration_rounds (id),
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            assessment_id INTEGER NOT NULL REFERENCES assessments (id),
            level TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
                ('draft', 'in_review', 'returned', 'rejected', 'recognised', 'recommended',
                 'withdrawn')),
            stage INTEGER NOT NULL DEFAULT 0,
            revision INTEGER NOT NULL DEFAULT 0,
            contact_name TEXT NOT NULL DEFAULT '',
            contact_phone TEXT NOT NULL DEFAULT '',
            contact_email TEXT NOT NULL DEFAULT '',
            platform_level INTEGER CHECK (platform_level BETWEEN 1 AND 5),
            platform_score REAL CHECK (platform_score BETWEEN 0 AND 5),
            platform_date TEXT,
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            submitted_at TEXT,
            resubmitted_at TEXT,
            decided_at TEXT,
            UNIQUE (round_id, organisation_id)
        )
        """,
        "CREATE INDEX idx_declarations_organisation ON declarations (organisation_id)",
        "CREATE INDEX idx_declarations_status ON declarations (status, level)",
        """
        CREATE TABLE declaration_scenarios (
            declaration_id INTEGER NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
            scenario_id TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (declaration_id, scenario_id)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE declaration_files (
            id INTEGER PRIMARY KEY,
            declaration_id INTEGER NOT NULL REFERENCES declarations (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            scenario_id TEXT,
            stored_name TEXT NOT NULL UNIQUE,
            original_name TEXT NOT NULL,
            mime_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            uploaded_by INTEGER REFERENCES users (id),
            uploaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        "CREATE INDEX idx_declaration_files ON declaration_files (declaration_id, kind)",
        """
        CREATE TABLE declaration_steps (
            id INTEGER PRIMARY KEY,
            declaration_id INTEGER NOT NULL REFERENCES declarations (id),
            stage INTEGER NOT NULL,
            tier TEXT NOT NULL,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('recommend', 'recognise', 'return', 'reject')),
            comments TEXT NOT NULL DEFAULT '',
            checks TEXT NOT NULL DEFAULT '{}',
            revision INTEGER NOT NULL,
            reviewer_id INTEGER REFERENCES users (id),
            region_scope TEXT NOT NULL,
            park_id INTEGER REFERENCES parks (id),
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        "CREATE INDEX idx_declaration_steps ON declaration_steps (declaration_id, id)",
        """
        CREATE TABLE declaration_rechecks (
            id INTEGER PRIMARY KEY,
            declaration_id INTEGER NOT NULL REFERENCES declarations (id),
            stage INTEGER NOT NULL,
            consultant_id INTEGER NOT NULL REFERENCES users (id),
            grant_id INTEGER REFERENCES access_grants (id),
            note TEXT NOT NULL DEFAULT '',
            requested_by INTEGER REFERENCES users (id),
            requested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            assessment_id INTEGER REFERENCES assessments (id),
            attached_at TEXT
        )
        """,
        "CREATE INDEX idx_declaration_rechecks ON declaration_rechecks (declaration_id)",
        "CREATE INDEX idx_declaration_rechecks_consultant ON declaration_rechecks (consultant_id)",
        """
        CREATE TABLE recognitions (
            id INTEGER PRIMARY KEY,
            declaration_id INTEGER NOT NULL UNIQUE REFERENCES declarations (id),
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            level TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('recognised', 'recommended')),
            year INTEGER NOT NULL,
            region_code TEXT NOT NULL,
            park_id INTEGER,
            by_scope TEXT NOT NULL,
            recognised_by INTEGER REFERENCES users (id),
            recognised_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            withdrawn_at TEXT,
            withdrawn_by INTEGER REFERENCES users (id),
            withdrawal_reason TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX idx_recognitions_region ON recognitions (region_code, level, year)",
        "CREATE INDEX idx_recognitions_organisation ON recognitions (organisation_id)",
        "ALTER TABLE result_facts ADD COLUMN declared_at TEXT",
        "CREATE INDEX idx_facts_declared ON result_facts (region_code)"
        " WHERE declared_at IS NOT NULL",
    )


@migrations(name="0019_mail")
def mail(db: Database) -> None:
    """A transactional outbox: a message is queued in the same transaction as the write that
    causes it, and a sender delivers it later (with retries)."""
    _run(
        db,
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            to_address TEXT NOT NULL,
            subject TEXT NOT NULL,
            text TEXT NOT NULL,
            html TEXT,
            kind TEXT NOT NULL,
            security INTEGER NOT NULL DEFAULT 0 CHECK (security IN (0, 1)),
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            last_error TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            sent_at TEXT
        )
        """,
        "CREATE INDEX idx_outbox_due ON outbox (next_attempt_at) WHERE status = 'queued'",
        "CREATE INDEX idx_outbox_to ON outbox (to_address COLLATE NOCASE)",
    )


@migrations(name="0020_mail_more")
def mail_more(db: Database) -> None:
    """Proven addresses, mail preferences, and the record of used links.

    Accounts that exist already are not proven (a consultant's could have been made through
    an invitation link its enterprise opened), except authorities' and administrators', which
    an administrator made; the others confirm with a link they ask for on their account page."""
    _run(
        db,
        "ALTER TABLE users ADD COLUMN email_confirmed_at TEXT",
        "ALTER TABLE users ADD COLUMN mail_opt_out INTEGER NOT NULL DEFAULT 0",
        "UPDATE users SET email_confirmed_at = created_at WHERE role IN ('authority', 'admin')",
        """
        CREATE TABLE mail_links (
            nonce TEXT PRIMARY KEY,
            purpose TEXT NOT NULL CHECK (purpose IN ('confirm_email', 'password_reset')),
            user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            used_at TEXT
        ) WITHOUT ROWID
        """,
        "CREATE INDEX idx_mail_links_user ON mail_links (user_id)",
        "ALTER TABLE access_grants ADD COLUMN link_sent_at TEXT",
    )


@migrations(name="0021_teams")
def teams(db: Database) -> None:
    """Enterprise teams: each enterprise account has a membership role (owner: manages the
    team, submits, declares and edits the profile; contributor: answers the sections assigned to
    it; viewer: reads results and reports), with one owner per enterprise (its first account
    until now; any other existing account becomes a contributor); invitations of colleagues by
    e-mail (a signed, expiring, single-use link, whose nonce only is stored); and the sections
    of the questionnaire (sub-domains, scenarios) assigned to a contributor."""
    _run(
        db,
        "ALTER TABLE users ADD COLUMN member_role TEXT"
        " CHECK (member_role IN ('owner', 'contributor', 'viewer'))",
        "UPDATE users SET member_role = CASE WHEN id = (SELECT min(u.id) FROM users u"
        " WHERE u.role = 'enterprise' AND u.organisation_id = users.organisation_id)"
        " THEN 'owner' ELSE 'contributor' END WHERE role = 'enterprise'",
        "CREATE UNIQUE INDEX one_owner ON users (organisation_id) WHERE member_role = 'owner'",
        """
        CREATE TABLE team_invitations (
            id INTEGER PRIMARY KEY,
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            email TEXT NOT NULL COLLATE NOCASE,
            member_role TEXT NOT NULL CHECK (member_role IN ('contributor', 'viewer')),
            nonce_hash TEXT NOT NULL,
            invited_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            sent_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            expires_at TEXT NOT NULL,
            accepted_at TEXT,
            accepted_by INTEGER REFERENCES users (id),
            revoked_at TEXT
        )
        """,
        "CREATE INDEX idx_team_invitations_organisation ON team_invitations (organisation_id)",
        """
        CREATE TABLE section_assignments (
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            section TEXT NOT NULL,
            user_id INTEGER NOT NULL REFERENCES users (id),
            assigned_by INTEGER REFERENCES users (id),
            assigned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (organisation_id, section)
        ) WITHOUT ROWID
        """,
    )


@migrations(name="0023_identity")
def identity(db: Database) -> None:
    """Who an enterprise really is (assess/organisation/verification.py): an organisation registered
    from now on is 'unverified' until the reviewing authority (from the business licence), its
    consultant on site or an administrator verifies it; those registered before are 'verified'
    as they were trusted until now (identity_verified_how 'before'). Registration attempts per
    address and network (the registration throttle)."""
    _run(
        db,
        "ALTER TABLE organisations ADD COLUMN identity TEXT NOT NULL DEFAULT 'verified'"
        " CHECK (identity IN ('unverified', 'verified'))",
        "ALTER TABLE organisations ADD COLUMN identity_verified_how TEXT"
        " CHECK (identity_verified_how IN ('before', 'authority', 'consultant', 'admin'))",
        "ALTER TABLE organisations ADD COLUMN identity_verified_by INTEGER REFERENCES users (id)",
        "ALTER TABLE organisations ADD COLUMN identity_verified_at TEXT",
        "UPDATE organisations SET identity_verified_how = 'before'",
        "CREATE INDEX idx_organisations_unverified ON organisations (id)"
        " WHERE identity = 'unverified'",
        """
        CREATE TABLE registration_attempts (
            id INTEGER PRIMARY KEY,
            ip TEXT NOT NULL,
            network TEXT NOT NULL,
            at REAL NOT NULL
        )
        """,
        "CREATE INDEX idx_registration_attempts_ip ON registration_attempts (ip, at)",
        "CREATE INDEX idx_registration_attempts_network ON registration_attempts (network, at)",
    )


@migrations(name="0025_consultancies")
def consultancies(db: Database) -> None:
    """Consultancies: a firm (name, logo, qualification) has consultants; a client handed over
    between two of them keeps its grant, moved to the new consultant. Every consultant there is
    gets a firm of its own (named after it), which an administrator renames or merges later."""
    _run(
        db,
        """
        CREATE TABLE firms (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            qualification TEXT NOT NULL DEFAULT '',
            logo BLOB,
            logo_mime TEXT,
            created_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        "ALTER TABLE users ADD COLUMN firm_id INTEGER REFERENCES firms (id)",
        "CREATE INDEX idx_users_firm ON users (firm_id)",
        "ALTER TABLE access_grants ADD COLUMN handed_over_from INTEGER REFERENCES users (id)",
        "ALTER TABLE access_grants ADD COLUMN handed_over_at TEXT",
    )
    for user_id, name in db.execute(
        "SELECT id, name FROM users WHERE role = 'consultant' ORDER BY id"
    ).fetchall():
        firm_id = db.execute("INSERT INTO firms (name) VALUES (?)", [name]).lastrowid
        db.execute("UPDATE users SET firm_id = ? WHERE id = ?", [firm_id, user_id])


@migrations(name="0027_on_site")
def on_site(db: Database) -> None:
    """On site, "same evidence as the item above" gives an item a reference to a file another
    item of the assessment has: several evidence rows may now name one stored file (no longer
    UNIQUE; the file is deleted once no row names it). SQLite cannot drop a constraint: the
    table is made again with its rows and ids."""
    _run(
        db,
        """
        CREATE TABLE evidence_files_new (
            id INTEGER PRIMARY KEY,
            assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
            item_id TEXT NOT NULL,
            stored_name TEXT NOT NULL,
            original_name TEXT NOT NULL,
            mime_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            uploaded_by INTEGER REFERENCES users (id),
            uploaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        "INSERT INTO evidence_files_new SELECT id, assessment_id, item_id, stored_name,"
        " original_name, mime_type, size, sha256, uploaded_by, uploaded_at FROM evidence_files",
        "DROP TABLE evidence_files",
        "ALTER TABLE evidence_files_new RENAME TO evidence_files",
        "CREATE INDEX idx_evidence_files_item ON evidence_files (assessment_id, item_id)",
        "CREATE INDEX idx_evidence_files_stored ON evidence_files (stored_name)",
    )


@migrations(name="0029_roadmap_plans")
def roadmap_plans(db: Database) -> None:
    """The target an enterprise chose for its roadmap, and the owner and due date it gave each
    action: kept per enterprise (not per assessment), so that a re-assessment carries them."""
    _run(
        db,
        """
        CREATE TABLE roadmap_targets (
            organisation_id INTEGER PRIMARY KEY REFERENCES organisations (id),
            target_level TEXT,
            target_cmmm INTEGER,
            updated_by INTEGER REFERENCES users (id),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        """
        CREATE TABLE roadmap_plans (
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            item_id TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due_date TEXT CHECK (due_date IS NULL OR due_date GLOB
                '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
            assessment_id INTEGER REFERENCES assessments (id),
            updated_by INTEGER REFERENCES users (id),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (organisation_id, item_id)
        )
        """,
    )


@migrations(name="0030_guide_more")
def answer_comments(db: Database) -> None:
    """The enterprise's own comment on an answer (「MES 上线计划 2027Q2」): shown to its
    consultant and in the report's appendix, never scored."""
    _run(
        db,
        """
        CREATE TABLE answer_comments (
            assessment_id INTEGER NOT NULL REFERENCES assessments (id),
            item_id TEXT NOT NULL,
            comment TEXT NOT NULL,
            updated_by INTEGER REFERENCES users (id),
            updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (assessment_id, item_id)
        )
        """,
        # benchmarks on the results page: per quarter end, per sector, province and size, how
        # the enterprises with a sub-domain (or scenario) applicable spread over its score S in
        # steps of 0.05 (or over the gradient ranks): derived data, made with peer_snapshots
        """
        CREATE TABLE peer_part_snapshots (
            period TEXT NOT NULL,
            grouping TEXT NOT NULL CHECK (grouping IN ('sector', 'province', 'size')),
            key TEXT NOT NULL,
            part TEXT NOT NULL,
            enterprises INTEGER NOT NULL,
            counts TEXT NOT NULL,
            PRIMARY KEY (grouping, key, part, period)
        ) WITHOUT ROWID
        """,
    )


@migrations(name="0033_ops")
def ops(db: Database) -> None:
    # one row the health check (/healthz) writes in a transaction it rolls back: the database
    # takes a write lock and a write, and nothing is ever committed
    _run(db, "CREATE TABLE health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT)")


@migrations(name="0034_api_tokens")
def api_tokens(db: Database) -> None:
    """Personal access tokens for the API (/api/v1): a user's, with scopes and an expiry,
    stored as the SHA-256 of the token (shown once, never kept); found by its prefix."""
    _run(
        db,
        """
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users (id),
            name TEXT NOT NULL,
            prefix TEXT NOT NULL UNIQUE,
            token_hash TEXT NOT NULL,
            scopes TEXT NOT NULL CHECK (scopes IN ('read', 'read write')),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            expires_at TEXT NOT NULL,
            revoked_at TEXT,
            last_used_at TEXT,
            last_used_ip TEXT
        )
        """,
        "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
    )


@migrations(name="0036_contests")
def contests(db: Database) -> None:
    """Contesting a taken credit code (assess/declaration/contests.py): the company that
    registers a code someone else holds registers under a stand-in code ('pending:<id>') and asks
    an administrator, with its business licence, to hand the code over. A hand-over
    (assess/organisation/handover.py) moves an impostor's accounts and assessments to an
    organisation set aside ('set-aside:<id>', closed), whose assessments count nowhere official
    (assessments.set_aside_at)."""
    _run(
        db,
        """
        CREATE TABLE contests (
            id INTEGER PRIMARY KEY,
            credit_code TEXT NOT NULL,
            organisation_id INTEGER NOT NULL REFERENCES organisations (id),
            claimant_id INTEGER NOT NULL REFERENCES users (id),
            claimant_organisation_id INTEGER NOT NULL UNIQUE REFERENCES organisations (id),
            statement TEXT NOT NULL DEFAULT '',
            licence_name TEXT,
            licence_stored TEXT,
            licence_type TEXT,
            licence_size INTEGER,
            licence_sha256 TEXT,
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'open', 'handed_over', 'refused')),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            sent_at TEXT,
            decided_at TEXT,
            decided_by INTEGER REFERENCES users (id),
            decision_note TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX idx_contests_status ON contests (status, id)",
        "ALTER TABLE assessments ADD COLUMN set_aside_at TEXT",
        "ALTER TABLE organisations ADD COLUMN set_aside_from INTEGER REFERENCES organisations (id)",
    )


@migrations(name="0037_contests_more")
def contests_more(db: Database) -> None:
    """Requests counted per network have a kind (store/throttle.py): registrations, as before,
    and password-reset requests."""
    _run(
        db,
        "ALTER TABLE registration_attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'registration'",
        "CREATE INDEX idx_registration_attempts_kind ON registration_attempts (kind, network, at)",
    )


@migrations(name="0038_admin")
def admin(db: Database) -> None:
    """Accounts an administrator makes (consultants, authorities, administrators): an invitation
    by mail; the account exists only once its address accepts it (assess/regional/staff.py)."""
    _run(
        db,
        """
        CREATE TABLE account_invitations (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL COLLATE NOCASE,
            name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL CHECK (role IN ('consultant', 'authority', 'admin')),
            region_scope TEXT,
            park_id INTEGER REFERENCES parks (id),
            firm_id INTEGER REFERENCES firms (id),
            locale TEXT NOT NULL DEFAULT 'zh',
            nonce_hash TEXT NOT NULL,
            invited_by INTEGER REFERENCES users (id),
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            expires_at TEXT NOT NULL,
            accepted_at TEXT,
            accepted_by INTEGER REFERENCES users (id),
            revoked_at TEXT,
            CHECK ((role = 'authority') = (region_scope IS NOT NULL))
        )
        """,
        "CREATE INDEX idx_account_invitations_email ON account_invitations (email)",
    )


@migrations(name="0040_firm_snapshot")
def firm_snapshot(db: Database) -> None:
    """Who signed a verified report, as they were when the on-site assessment was submitted:
    the consultant's name and the firm's name, qualification and logo. A firm renamed (or a
    new logo, or a consultant gone to another firm) later does not change an issued report.
    Logos are kept once per content (firm_logos), however many reports print them. The
    assessments submitted before this migration get the firm as it is now: the best record
    there is."""
    _run(
        db,
        """
        CREATE TABLE firm_logos (
            sha256 TEXT PRIMARY KEY,
            logo BLOB NOT NULL,
            logo_mime TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE verified_signers (
            assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id),
            consultant_id INTEGER,
            consultant_name TEXT,
            firm_id INTEGER,
            firm_name TEXT NOT NULL DEFAULT '',
            qualification TEXT NOT NULL DEFAULT '',
            logo_sha256 TEXT REFERENCES firm_logos (sha256),
            recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
    )
    submitted = db.execute(
        "SELECT a.id, u.id, u.name, f.id, f.name, f.qualification, f.logo, f.logo_mime"
        " FROM assessments a LEFT JOIN users u ON u.id = a.consultant_id"
        " LEFT JOIN firms f ON f.id = u.firm_id"
        " WHERE a.mode = 'consultant' AND a.status = 'submitted' ORDER BY a.id"
    ).fetchall()
    for assessment_id, user_id, name, firm_id, firm, qualification, logo, mime in submitted:
        digest = hashlib.sha256(logo).hexdigest() if logo and mime else None
        if digest:
            db.execute(
                "INSERT OR IGNORE INTO firm_logos (sha256, logo, logo_mime) VALUES (?, ?, ?)",
                [digest, logo, mime],
            )
        db.execute(
            "INSERT INTO verified_signers (assessment_id, consultant_id, consultant_name,"
            " firm_id, firm_name, qualification, logo_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [assessment_id, user_id, name, firm_id, firm or "", qualification or "", digest],
        )


@migrations(name="0041_questionnaire_releases")
def questionnaire_releases(db: Database) -> None:
    """Questionnaire versions an administrator uploads (the YAML text, as checked), and the
    release log: uploaded, published, retired, appended and never changed (its highest id is
    the counter every process compares to reload its versions). The regional sums remember the
    gradient rules they were made with, so that the deploy step remakes sums made under others."""
    _run(
        db,
        """
        CREATE TABLE questionnaire_uploads (
            questionnaire_id TEXT NOT NULL,
            version TEXT NOT NULL,
            source TEXT NOT NULL,
            file_name TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL,
            uploaded_by INTEGER REFERENCES users (id),
            uploaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (questionnaire_id, version)
        )
        """,
        """
        CREATE TABLE questionnaire_releases (
            id INTEGER PRIMARY KEY,
            questionnaire_id TEXT NOT NULL,
            version TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('uploaded', 'published', 'retired')),
            by_user INTEGER REFERENCES users (id),
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        )
        """,
        "CREATE TRIGGER questionnaire_releases_append_only BEFORE UPDATE ON questionnaire_releases"
        " BEGIN SELECT RAISE(ABORT, 'the release log is append-only'); END",
        "CREATE TRIGGER questionnaire_releases_kept BEFORE DELETE ON questionnaire_releases"
        " BEGIN SELECT RAISE(ABORT, 'the release log is append-only'); END",
        "ALTER TABLE region_version ADD COLUMN rules TEXT",
    )


@migrations(name="0043_merges")
def merges(db: Database) -> None:
    """Duplicate enterprises merged by an administrator (assess/declaration/merging.py): the
    organisation merged away is closed and points to the one kept, so that an old link can say
    where it went; it counts nowhere."""
    _run(
        db,
        "ALTER TABLE organisations ADD COLUMN merged_into INTEGER REFERENCES organisations (id)",
    )


@migrations(name="0044_verified_facts")
def verified_facts(db: Database) -> None:
    """Whether a submitted assessment counts as verified on site (assess/scoring/verification.py:
    on site AND enough of its rated answers verified), carried in its facts with the counts it
    follows from, so that the regional sums count verified assessments, not on-site ones.
    Derived data: an on-site row's counts are NULL until `init-db` counts them
    (assess/regional/derived.py), and the sums are made anew then (rules forgotten)."""
    _run(
        db,
        "ALTER TABLE result_facts ADD COLUMN verified_answers INTEGER",
        "ALTER TABLE result_facts ADD COLUMN rated_answers INTEGER",
        "ALTER TABLE result_facts ADD COLUMN verified INTEGER NOT NULL DEFAULT 0",
        "UPDATE result_facts SET verified_answers = 0 WHERE mode != 'consultant'",
        "UPDATE region_version SET rules = NULL",
    )


@migrations(name="0045_deciding_verified")
def deciding_verified(db: Database) -> None:
    """An on-site assessment counts as verified only when its deciding answers (profile, basic
    requirements, results) are all verified too (assess/scoring/verification.py). Derived data:
    the on-site rows' counts go back to NULL so that `init-db` counts them again with the
    deciding answers (assess/regional/derived.py), and the sums are made anew then."""
    _run(
        db,
        "UPDATE result_facts SET verified_answers = NULL WHERE mode = 'consultant'",
        "UPDATE region_version SET rules = NULL",
    )


@migrations(name="0046_signed_copies")
def signed_copies(db: Database) -> None:
    """The report a consultant signed, kept as it was signed (assess/report/signed.py): its
    printable HTML in each language, stored when the on-site assessment is submitted, so that
    the consultant can still download exactly what they signed after the client withdrew their
    access (the live report follows later changes: peers, benchmarks, history). Kept once,
    never changed (triggers); deleted only with the enterprise's data when it closes."""
    _run(
        db,
        """
        CREATE TABLE signed_copies (
            assessment_id INTEGER NOT NULL REFERENCES assessments (id),
            language TEXT NOT NULL,
            consultant_id INTEGER,
            html TEXT NOT NULL,
            kept_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            PRIMARY KEY (assessment_id, language)
        )
        """,
        "CREATE TRIGGER signed_copies_unchanged BEFORE UPDATE ON signed_copies"
        " BEGIN SELECT RAISE(ABORT, 'a signed copy is never changed'); END",
    )
