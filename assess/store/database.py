"""The SQLite database: one connection per request, write transactions, init-db."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext
from sqlite_utils import Database

from assess.store.migrations import migrations


def connect(path: str, timeout: float = 10.0) -> Database:
    """Open the database with foreign keys on and a busy timeout; autocommit between writes."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return Database(conn)


def get_db() -> Database:
    """The request's connection, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"], current_app.config["DATABASE_TIMEOUT"])
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


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


def migrate(db: Database) -> list[str]:
    """Apply pending migrations in one IMMEDIATE transaction; return the names applied."""
    db.conn.execute("PRAGMA journal_mode = WAL")
    with write_transaction(db):
        pending = [m.name for m in migrations.pending(db)]
        migrations.apply(db)
    return pending


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or bring it up to date (applies pending migrations)."""
    db = connect(current_app.config["DATABASE"])
    applied = migrate(db)
    db.close()
    if applied:
        click.echo(f"Applied migrations: {', '.join(applied)}")
    else:
        click.echo("Database is up to date.")
    click.echo(f"Database: {current_app.config['DATABASE']}")


def init_app(app: Flask) -> None:
    """Migrate at start-up and register the teardown and the init-db command."""
    db = connect(app.config["DATABASE"], app.config["DATABASE_TIMEOUT"])
    try:
        migrate(db)
    finally:
        db.close()
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
