"""The database: migrations, pragmas, and the BEGIN IMMEDIATE write helper."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from assess.store.database import connect, migrate, write_transaction
from assess.store.migrations import ERASED, migrations


def test_migrations_applied_twice_are_a_no_op(tmp_path):
    db = connect(str(tmp_path / "m.sqlite"))
    first = migrate(db)
    schema = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    assert first == [m.name for m in migrations.pending(connect(":memory:"))]
    assert migrate(db) == []
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert [m.name for m in migrations.applied(db)] == first


def test_connection_uses_wal_foreign_keys_and_busy_timeout(app, db):
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000


def test_tables_of_the_initial_migration(db):
    assert {"organisations", "users", "assessments", "answers", "audit_log"} <= set(
        db.table_names()
    )


def test_write_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError), write_transaction(db):
        db.execute("INSERT INTO audit_log (action) VALUES ('x')")
        raise RuntimeError("boom")
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0
    assert not db.conn.in_transaction


def test_audit_log_is_append_only(db):
    db.execute("INSERT INTO audit_log (action) VALUES ('login')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET action = 'changed'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log")


def test_the_audit_log_lets_only_personal_fields_be_erased(db):
    """Closing an account erases an entry's detail and address (assess/privacy/closing.py);
    nothing else of an entry can change, nor the detail to anything but the erased mark."""
    db.execute(
        "INSERT INTO audit_log (user_id, action, target_type, target_id, detail, ip)"
        " VALUES (7, 'login_failed', 'user', '7', '{\"email\": \"a@b.cn\"}', '10.0.0.1')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET detail = '{}'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET detail = ?, user_id = 8", [ERASED])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET detail = ?, ip = '10.9.9.9'", [ERASED])
    db.execute("UPDATE audit_log SET detail = ?, ip = NULL", [ERASED])
    assert db.execute(
        "SELECT user_id, action, target_id, detail, ip FROM audit_log"
    ).fetchall() == [(7, "login_failed", "7", ERASED, None)]


def _increment_many(path: str, worker: int, rounds: int) -> None:
    db = connect(path, timeout=30)
    for i in range(rounds):
        # Read, then write: the pattern that fails under a deferred BEGIN.
        with write_transaction(db):
            (value,) = db.execute("SELECT value FROM counter WHERE id = 1").fetchone()
            db.execute("UPDATE counter SET value = ? WHERE id = 1", [value + 1])
            db.execute("INSERT INTO writes (worker, n) VALUES (?, ?)", [worker, i])
    db.close()


def test_begin_immediate_under_concurrent_writer_processes(tmp_path):
    path = str(tmp_path / "c.sqlite")
    db = connect(path)
    migrate(db)
    db.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
    db.execute("CREATE TABLE writes (worker INTEGER, n INTEGER)")
    db.execute("INSERT INTO counter VALUES (1, 0)")
    workers, rounds = 6, 150
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_increment_many, args=(path, w, rounds)) for w in range(workers)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(120)
    assert [p.exitcode for p in processes] == [0] * workers
    assert db.execute("SELECT value FROM counter").fetchone()[0] == workers * rounds
    assert db.execute("SELECT count(*) FROM writes").fetchone()[0] == workers * rounds


def test_an_organisation_can_only_be_in_a_park_of_its_county(db):
    """Park 1 lies in 虎丘区 (320505): an enterprise of 吴中区 (320506) cannot join it, and a
    member cannot move to another county without leaving the park."""
    db.execute(
        "INSERT INTO parks (id, county_code, name_zh, name_en) VALUES (1, '320505', '园', 'P')"
    )
    db.execute(
        "INSERT INTO organisations (id, name, credit_code, region_code, sector, size, park_id)"
        " VALUES (1, '甲', '91320505MA1XXXXX1X', '320505', 'other', 'small', 1)"
    )
    with pytest.raises(sqlite3.IntegrityError, match="park of its county"):
        db.execute(
            "INSERT INTO organisations (id, name, credit_code, region_code, sector, size, park_id)"
            " VALUES (2, '乙', '91320506MA1XXXXX2X', '320506', 'other', 'small', 1)"
        )
    with pytest.raises(sqlite3.IntegrityError, match="park of its county"):
        db.execute("UPDATE organisations SET region_code = '320506' WHERE id = 1")
    db.execute("UPDATE organisations SET region_code = '320506', park_id = NULL WHERE id = 1")
