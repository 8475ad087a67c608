"""The SQLite database: connections, write transactions, migrations. No Flask."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database

from assess.store.migrations import migrations


def connect(path: str, timeout: float = 10.0) -> Database:
    """Open the database with foreign keys on and a busy timeout; autocommit between writes."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn)


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """Run a read-then-write block under BEGIN IMMEDIATE.

    A deferred BEGIN that reads first and then writes fails at once with "database is locked"
    when another writer got in between, ignoring the busy timeout. IMMEDIATE takes the write
    lock up front, so concurrent writers queue on the busy timeout instead.
    """
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


@contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """One read transaction: every query inside sees the same data (inside a transaction
    already, that one)."""
    if db.conn.in_transaction:
        yield db
        return
    db.execute("BEGIN")
    try:
        yield db
    finally:
        db.execute("COMMIT")


def database_file(db: Database) -> str:
    """The file of the main database (a key for what is cached per database)."""
    return db.execute("PRAGMA database_list").fetchone()[2]


def migrate(db: Database) -> list[str]:
    """Apply pending migrations in one IMMEDIATE transaction; return the names applied."""
    db.conn.execute("PRAGMA journal_mode = WAL")
    with write_transaction(db):
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
    return pending


def pending_migrations(db: Database) -> list[str]:
    """Migrations this code knows that the database lacks (the deploy step applies them)."""
    return [m.name for m in migrations.pending(db)]
