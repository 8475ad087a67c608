"""Online backups of the SQLite database, and restoring one. No Flask here.

A backup is `VACUUM INTO` an empty temporary file beside the target: one read transaction, so
the copy is the last committed state while the app keeps writing (WAL). The copy is compacted
and a single file in rollback-journal mode, with no -wal beside it. It is checked and synced,
and only then given its name.

A restore checks a copy of the backup, brings its schema up to date, keeps the current database
(as a backup), then writes the restored pages into the live database with SQLite's backup API:
one write transaction through SQLite's own locks and WAL. No file is renamed under a running
worker, so no -wal or -shm of the old file can end up paired with the new one, and a restore
killed half-way rolls back to the old database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from assess.store.database import connect, migrate
from assess.store.migrations import migrations

# The tables whose row counts a backup or a restore prints.
MAIN_TABLES = ("organisations", "users", "assessments", "answers", "evidence_files", "audit_log")
SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class Copy:
    """A finished backup: where, how big, how many rows, how long it took."""

    path: Path
    size: int
    counts: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class Candidate:
    """A backup checked and brought up to date, in a temporary copy beside the live database."""

    source: Path
    path: Path
    schema: str  # the newest migration the backup had
    applied: list[str]  # migrations applied to the copy
    counts: dict[str, int]


def backup(database: str | Path, target: str | Path, *, force: bool = False) -> Copy:
    """Copy the live database to target, consistent and checked; never half-written under target."""
    start = time.perf_counter()
    target = check_target(target, force)
    tmp = temporary(target.parent, target.name)
    try:
        with closing(connect(str(database))) as db:
            db.execute("VACUUM INTO ?", [str(tmp)])
        with closing(connect(str(tmp))) as copy:
            errors = integrity_errors(copy)
            counts = row_counts(copy)
        if errors:
            raise BackupError(
                f"the copy failed PRAGMA integrity_check, no backup written: {_first(errors)}"
            )
        sync(tmp)
        place(tmp, target, force)
    finally:
        remove(tmp)
    return Copy(target, target.stat().st_size, counts, time.perf_counter() - start)


def check_target(target: str | Path, force: bool) -> Path:
    """The absolute path of a backup to write, or BackupError saying why not."""
    target = Path(target).absolute()
    if target.is_dir():
        raise BackupError(f"{target} is a folder: give the backup a file name")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent}: no such folder")
    if target.exists() and not force:
        raise BackupError(f"{target} exists: choose another name, or use --force to overwrite it")
    return target


@contextmanager
def candidate(database: str | Path, source: str | Path) -> Iterator[Candidate]:
    """Check a backup and bring a copy of it up to date; the copy is removed on exit."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    with source.open("rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(f"{source} is not a SQLite database")
    if Path(f"{source}-wal").exists():
        # Its latest commits may be in the -wal: copying the file alone would lose them.
        raise BackupError(
            f"{source}-wal exists: the file is in use or was copied from a live database; "
            "make backups with the backup command"
        )
    database = Path(database)
    tmp = temporary(database.parent, f"{database.name}.restore")
    try:
        shutil.copyfile(source, tmp)
        with closing(connect(str(tmp))) as db:
            found = _check_and_migrate(db, source, tmp, _page_size(database))
        yield found
    finally:
        remove(tmp)


def replace(database: str | Path, found: Candidate) -> Path:
    """Keep the live database as <db>.before-restore-<time>, then write the candidate into it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = backup(database, f"{database}.before-restore-{stamp}").path
    try:
        with (
            closing(sqlite3.connect(found.path)) as source,
            closing(connect(str(database))) as live,
        ):
            source.backup(live.conn)  # all pages in one step: one transaction on the live database
    except sqlite3.Error as error:
        raise BackupError(
            f"could not write the restored database ({error}); it was rolled back"
        ) from error
    return kept


def integrity_errors(db: Database) -> list[str]:
    """What PRAGMA integrity_check reports, or nothing when it says "ok"."""
    rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def row_counts(db: Database) -> dict[str, int]:
    return {table: db[table].count for table in MAIN_TABLES if db[table].exists()}


def _check_and_migrate(db: Database, source: Path, copy: Path, page_size: int) -> Candidate:
    try:
        errors = integrity_errors(db)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is corrupt: {error}") from error
    if errors:
        raise BackupError(f"{source} is corrupt: PRAGMA integrity_check says {_first(errors)}")
    try:
        applied = [m.name for m in migrations.applied(db)]
    except sqlite3.Error:
        applied = []
    if not applied:
        raise BackupError(f"{source} is not a database of this app: it has no assess migrations")
    unknown = set(applied) - {m.name for m in migrations.pending(Database(memory=True))}
    if unknown:
        raise BackupError(
            f"{source} was made by a newer version of assess (migrations unknown here: "
            f"{', '.join(sorted(unknown))}): upgrade the code first, then restore"
        )
    try:
        if db.execute("PRAGMA page_size").fetchone()[0] != page_size:
            # The backup API cannot write pages of another size into a WAL database.
            db.execute("PRAGMA journal_mode = DELETE")
            db.execute(f"PRAGMA page_size = {int(page_size)}")
            db.execute("VACUUM")
        pending = migrate(db)
    except sqlite3.Error as error:
        raise BackupError(f"could not bring {source} up to date: {error}") from error
    return Candidate(source, copy, applied[-1], pending, row_counts(db))


def _first(errors: list[str], shown: int = 5) -> str:
    more = f" (and {len(errors) - shown} more)" if len(errors) > shown else ""
    return "; ".join(errors[:shown]) + more


def _page_size(database: Path) -> int:
    with closing(connect(str(database))) as db:
        return db.execute("PRAGMA page_size").fetchone()[0]


def temporary(folder: Path, name: str) -> Path:
    """An empty file private to its owner (a backup holds password hashes), hidden beside name."""
    fd, path = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.close(fd)
    return Path(path)


def place(tmp: Path, target: Path, force: bool) -> None:
    """Give the finished file its name in one step; without force, never replace a file."""
    if force:
        os.replace(tmp, target)
    else:
        try:
            os.link(tmp, target)  # fails if target appeared since the check, unlike a rename
        except FileExistsError as error:
            raise BackupError(f"{target} exists: use --force to overwrite it") from error
    sync(target.parent)


def sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
