"""Backups as the administrator's web page and the CLI make them: an archive of the database and
the evidence files (assess/store/archive.py), read back and checked, in a folder of backups with
a status file beside each (running, done with what the check found, failed). No Flask: the web
page starts one in a thread and lists the folder; the CLI runs one in the foreground."""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from assess.integrity import problems
from assess.questionnaire.versions import Versions
from assess.store import archive, audit, users
from assess.store.audit import Actor
from assess.store.backup import BackupError
from assess.store.database import connect

NAME = re.compile(r"assess-\d{8}T\d{6}Z\.tar")
_lock = threading.Lock()
log = logging.getLogger(__name__)
_running: dict[str, threading.Thread] = {}


@dataclass(frozen=True)
class Sources:
    """What a backup copies, and the questionnaires its check reads answers with."""

    database: str
    evidence_dir: str
    versions: Versions


def check(path: Path, versions: Versions) -> list[str]:
    """Read an archive back: extract it beside itself, match every file to its manifest and run
    the database check on the copy against the extracted files. What is wrong, one line each."""
    with tempfile.TemporaryDirectory(prefix=f".{path.name}.check.", dir=path.parent) as tmp:
        try:
            found = archive.read(path, Path(tmp))
        except BackupError as error:
            return [str(error)]
        db = connect(str(found.database))
        try:
            return problems(db, versions, found.evidence)
        finally:
            db.close()


def start(sources: Sources, folder: Path, by: str) -> str | None:
    """Start a backup into folder in a thread; its name, or None when one is running already."""
    folder.mkdir(parents=True, exist_ok=True)
    with _lock:
        if any(thread.is_alive() for thread in _running.values()) or _running_elsewhere(folder):
            return None
        name = f"assess-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.tar"
        _status(folder, name, state="running", by=by, started=_now(), pid=os.getpid())
        thread = threading.Thread(target=_run, args=(sources, folder, name), daemon=True)
        _running[name] = thread
        thread.start()
    return name


def start_by(db: Database, sources: Sources, folder: Path, by: Actor) -> str | None:
    """An administrator starts a backup (audited); its name, or None when one is running."""
    account = users.get(db, by.user_id) if by.user_id is not None else None
    name = start(sources, folder, account["email"] if account else str(by.ip or ""))
    if name is not None:
        audit.record_by(db, by, "backup_started", target_type="backup", target_id=name)
    return name


def download_by(db: Database, folder: Path, name: str, by: Actor) -> Path | None:
    """The archive of a finished backup an administrator downloads (audited), or None."""
    path = path_of(folder, name)
    if path is not None:
        audit.record_by(db, by, "backup_downloaded", target_type="backup", target_id=name)
    return path


def wait(timeout: float | None = None) -> None:
    """Wait for the backups this process started (tests, and a clean shutdown)."""
    for thread in list(_running.values()):
        thread.join(timeout)


def listing(folder: Path) -> list[dict]:
    """The backups in folder, newest first, each with its status."""
    if not folder.is_dir():
        return []
    found = []
    for status in sorted(folder.glob("assess-*.json"), reverse=True):
        name = status.name.removesuffix(".json")
        if not NAME.fullmatch(name):
            continue
        try:
            row = json.loads(status.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if row.get("state") == "running" and not _alive(row, name):
            row["state"] = "interrupted"
        path = folder / name
        row.update(name=name, present=path.is_file())
        found.append(row)
    return found


def path_of(folder: Path, name: str) -> Path | None:
    """The archive of a finished backup by its name, or None."""
    if not NAME.fullmatch(name):
        return None
    path = folder / name
    return path if path.is_file() else None


def _run(sources: Sources, folder: Path, name: str) -> None:
    try:
        made = archive.write(sources.database, sources.evidence_dir, folder / name)
        trouble = check(made.path, sources.versions)
        _status(
            folder,
            name,
            state="done",
            finished=_now(),
            size=made.size,
            files=made.files,
            counts=made.counts,
            problems=trouble,
        )
    except Exception as error:  # a thread of its own: whatever went wrong is its status
        log.exception("backup %s failed", name)
        _status(folder, name, state="failed", finished=_now(), error=str(error)[:500])
    finally:
        with _lock:
            _running.pop(name, None)


def _status(folder: Path, name: str, **fields) -> None:
    """Write (or update) the status beside the archive, whole or not at all."""
    path = folder / f"{name}.json"
    try:
        current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except ValueError:
        current = {}
    current.update(fields)
    tmp = folder / f".{name}.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(current, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def _running_elsewhere(folder: Path) -> bool:
    """A backup another web worker started and is still running."""
    return any(row["state"] == "running" for row in listing(folder))


def _alive(row: dict, name: str) -> bool:
    if name in _running:
        return _running[name].is_alive()
    pid = row.get("pid")
    if row.get("pid") == os.getpid() or not isinstance(pid, int):
        return False  # started by this process, which no longer runs it
    try:
        os.kill(pid, 0)  # signal 0: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user
    return True


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
