"""PDFs through the render queue, as the app sees them: a document is asked for by its cache
key, is queued once, and its status is read until the PDF is in the app's cache. Any document
works: the caller renders it to HTML (a template and its context) only when it must be queued.
No Flask, no database."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assess.report import pdf
from assess.report.queue import Document, QueueUnavailable, RenderQueue

READY, QUEUED, RENDERING, FAILED, UNAVAILABLE, ABSENT = (
    "ready",
    "queued",
    "rendering",
    "failed",
    "unavailable",
    "absent",
)


@dataclass(frozen=True)
class Status:
    """Where a document's PDF is: ready (in the cache), queued (at a position), rendering (with
    an estimate of how far), failed (why), unavailable (the queue cannot be reached), or absent
    (never asked for, or gone)."""

    state: str
    position: int | None = None  # queued: 1 = the next to be rendered
    progress: float | None = None  # rendering: 0..1, from the typical render time
    error: str | None = None
    no_worker: bool = False  # queued, and no render worker seen lately
    # queued or rendering: seconds after which the status is worth reading again
    look_again: float | None = None


# A rendering job is looked at again when it should be done by the typical render time, but
# not sooner than this (a render that runs late is looked at this often) nor later than
# LOOK_AT_MOST; a queued one every LOOK_AT_MOST.
LOOK_AT_LEAST, LOOK_AT_MOST = 0.15, 1.0


def status(queue: RenderQueue, key: str, cache_file: Path) -> Status:
    """The document's status; a PDF a worker finished is moved into the cache here."""
    if cache_file.exists():
        return Status(READY)
    try:
        return _status(queue, key, cache_file)
    except QueueUnavailable:
        return Status(UNAVAILABLE)


def _status(queue: RenderQueue, key: str, cache_file: Path) -> Status:
    # The job is read first: a worker writes the PDF (or the failure) before it drops the job,
    # so a job that ends between these reads is seen ended, never absent (which would queue
    # the document again).
    job = queue.job(key)
    body = queue.read(f"pdf:{key}")
    if body is not None:
        pdf.write_cache(cache_file, body)
        queue.drop(f"pdf:{key}")
        return Status(READY)
    failed = queue.record(f"failed:{key}")
    if failed is not None:
        return Status(FAILED, error=failed.get("error"))
    if job is None:
        # ended meanwhile and moved into the cache by another reader, or never queued
        return Status(READY) if cache_file.exists() else Status(ABSENT)
    now = time.time()
    if job.started is not None:
        typical, elapsed = queue.typical_seconds(), now - job.started
        return Status(
            RENDERING,
            progress=min(0.95, max(0.05, elapsed / typical)),
            look_again=round(min(LOOK_AT_MOST, max(LOOK_AT_LEAST, typical - elapsed)), 2),
        )
    if queue.read(f"doc:{key}") is None:  # queued by a request that failed half-way
        queue.drop(f"job:{key}")
        return Status(ABSENT)
    waiting = queue.waiting()
    position = waiting.index(key) + 1 if key in waiting else 1
    seen = queue.worker_seen()
    no_worker = not queue.immediate and (seen is None or now - seen > queue.settings.lease)
    return Status(QUEUED, position=position, no_worker=no_worker, look_again=LOOK_AT_MOST)


def request(
    queue: RenderQueue, key: str, cache_file: Path, html: Callable[[], str], retry: bool = False
) -> Status:
    """The document's status, queued first when it is neither ready nor on its way; retry:
    a failed job is queued again (the user's "try again")."""
    current = status(queue, key, cache_file)
    if current.state == FAILED and retry:
        try:
            queue.drop(f"failed:{key}")
        except QueueUnavailable:
            return Status(UNAVAILABLE)
        current = Status(ABSENT)
    if current.state != ABSENT:
        return current
    try:
        queue.submit(key, Document(html(), pdf.release()))
    except QueueUnavailable:
        return Status(UNAVAILABLE)
    return status(queue, key, cache_file)
