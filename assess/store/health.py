"""What the health check asks of the database: it answers, it takes a write (rolled back), and
no migration is pending. No Flask."""

from __future__ import annotations

from sqlite_utils import Database

from assess.store.database import pending_migrations


def probe_write(db: Database) -> None:
    """Take the write lock and write one row, then roll back: raises when the database cannot
    be written (read-only file, lock held past the busy timeout, table missing)."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        db.conn.execute(
            "INSERT OR REPLACE INTO health_probe (id, at) VALUES (1, strftime('%s', 'now'))"
        )
    finally:
        db.conn.execute("ROLLBACK")


def pending(db: Database) -> list[str]:
    """Migrations this code knows that the database lacks."""
    return pending_migrations(db)
