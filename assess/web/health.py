"""The health of this web process as a load balancer asks for it (/healthz): the database
answers and takes a write, no migration is pending, the questionnaires are loaded, the render
queue answers, and the evidence disk has room. Each check is cheap (it is polled every few
seconds) and says only ok or a short reason: no personal data, no paths."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from assess.report.queue import QueueUnavailable
from assess.store import health
from assess.store.database import connect
from assess.web import documents, questionnaires

# A load balancer gives up on a slow answer: the database check waits this long for the
# write lock, not DATABASE_TIMEOUT.
LOCK_WAIT = 2.0


def _database() -> dict:
    db = connect(current_app.config["DATABASE"], LOCK_WAIT)
    try:
        health.probe_write(db)
        missing = health.pending(db)
    finally:
        db.close()
    if missing:
        return {"ok": False, "pending_migrations": len(missing)}
    return {"ok": True}


def _questionnaires() -> dict:
    loaded = list(questionnaires.versions())
    latest = questionnaires.latest()
    return {"ok": bool(loaded), "versions": len(loaded), "latest": latest.version}


def _render_queue() -> dict:
    try:
        waiting = documents.render_queue().length()
    except QueueUnavailable:
        return {"ok": False, "reason": "unreachable"}
    return {"ok": True, "waiting": waiting}


def _evidence_disk() -> dict:
    folder = Path(current_app.config["EVIDENCE_DIR"])
    while not folder.exists() and folder != folder.parent:  # not made yet: the disk it will be on
        folder = folder.parent
    free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    minimum = int(current_app.config["HEALTH_MIN_FREE_MB"])
    return {"ok": free_mb >= minimum, "free_mb": free_mb, "min_free_mb": minimum}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": _database,
    "questionnaires": _questionnaires,
    "render_queue": _render_queue,
    "evidence_disk": _evidence_disk,
}


def checks() -> tuple[bool, dict[str, dict]]:
    """Every check's answer, and whether all passed. A check that raises fails with the
    exception's kind only (its message may name files)."""
    answers = {}
    for name, check in CHECKS.items():
        try:
            answers[name] = check()
        except Exception as error:
            current_app.logger.warning("health check %s failed: %s", name, error)
            answers[name] = {"ok": False, "reason": type(error).__name__}
    return all(answer["ok"] for answer in answers.values()), answers
