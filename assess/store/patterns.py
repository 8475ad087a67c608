"""Solved suppression patterns shared by every process on a database: a cache file beside it
(`<database>-patterns`), so that what one web worker solved the others read, and a worker
just started finds what `prepare-dashboards` or an earlier worker made. A cache and nothing
more: it is keyed by the data's version, a value of another version is never read, and any
trouble with the file (locked, missing, corrupt) only means solving again."""

from __future__ import annotations

import os
import sqlite3
import threading
import zlib

_connections: dict[tuple[str, int], sqlite3.Connection] = {}
_lock = threading.RLock()


def _connection(database: str) -> sqlite3.Connection:
    """One connection per cache file and process (never shared across a fork)."""
    key = (database, os.getpid())
    with _lock:
        if key not in _connections:
            conn = sqlite3.connect(
                f"{database}-patterns", timeout=0.2, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # a cache: no sync at every commit
            conn.execute(
                "CREATE TABLE IF NOT EXISTS patterns"
                " (key TEXT PRIMARY KEY, version TEXT NOT NULL, value BLOB NOT NULL)"
            )
            _connections[key] = conn
        return _connections[key]


def get(database: str, key: str, version: str) -> bytes | None:
    """The value stored under key for this version of the data, or None."""
    if not database:  # an in-memory database has no file beside it
        return None
    try:
        conn = _connection(database)
        with _lock:
            row = conn.execute(
                "SELECT value FROM patterns WHERE key = ? AND version = ?", [key, version]
            ).fetchone()
        return None if row is None else zlib.decompress(row[0])
    except (sqlite3.Error, zlib.error, OSError):
        return None


def put(database: str, key: str, version: str, value: bytes) -> None:
    """Keep value under key for this version; values of older versions go."""
    if not database:
        return
    try:
        conn = _connection(database)
        with _lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM patterns WHERE version != ?", [version])
                conn.execute(
                    "INSERT OR REPLACE INTO patterns VALUES (?, ?, ?)",
                    [key, version, zlib.compress(value)],
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
    except (sqlite3.Error, OSError):
        pass  # a cache: the next view solves again


def clear(database: str) -> None:
    """Forget every stored pattern (the benchmarks' cold start)."""
    put(database, "", "", b"")  # drops every other version
    try:
        conn = _connection(database)
        with _lock:
            conn.execute("DELETE FROM patterns")
    except sqlite3.Error:
        pass
