"""The render queue: PDF jobs on Huey, embedded (its SQLite storage in a file of the instance
folder: no server) or on Redis (render workers on other machines). No Flask, no database.

Besides Huey's own task messages (render KEY, watch KEY), the queue keeps these records in
Huey's key-value storage, KEY being the document's cache key (assess/report/pdf.py):
  job:KEY     the job (JSON): attempts, when queued, started, last heartbeat, by which worker.
              Made only where there is none: one job per cache key.
  doc:KEY     the document (compressed JSON): its HTML and the release that must render it
  pdf:KEY     the finished PDF, until the app moves it into its cache (on Redis it expires)
  failed:KEY  why the job gave up, until the user tries again (on Redis it expires)
  stats       the typical render time, for the progress shown while a job renders
  alive       when a render worker last said it was running
"""

from __future__ import annotations

import io
import json
import logging
import os
import pickle  # nosec B403  # Huey's task messages; unpickled by _Messages below only
import socket
import sqlite3
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace

from huey import Huey, RedisExpireHuey, SqliteHuey
from huey.serializer import Serializer

log = logging.getLogger(__name__)
NAME = "assess-reports"
IMMEDIATE = "immediate"


class QueueUnavailable(Exception):
    """The queue cannot be reached (Redis stopped, the queue file unreadable)."""


@dataclass(frozen=True)
class Settings:
    """Where the queue is and how jobs are retried (from REPORT_* settings)."""

    where: str  # "immediate", a redis:// URL, or the path of the SQLite queue file
    retries: int = 2  # a failed or interrupted render runs again this many times
    lease: float = 30.0  # a render whose worker stopped beating this long runs again
    result_ttl: int = 7 * 24 * 3600  # Redis: seconds a finished PDF waits to be collected
    retry_delay: float = 2.0

    @property
    def attempts(self) -> int:
        return 1 if self.where == IMMEDIATE else 1 + self.retries

    @property
    def on_redis(self) -> bool:
        return "://" in self.where


@dataclass(frozen=True)
class Job:
    """One PDF being made: queued, then started by a worker that beats while it renders."""

    queued: float
    attempt: int = 0
    started: float | None = None
    beat: float | None = None
    worker: str | None = None

    def waiting(self, now: float) -> Job:
        """Back in the queue (a retry, or a worker gone)."""
        return replace(self, queued=now, started=None, beat=None, worker=None)


@dataclass(frozen=True)
class Document:
    """What a worker needs to render: the HTML (it references only the app's static files)
    and the release that laid it out (pdf.release())."""

    html: str
    release: str


class _Restricted(pickle.Unpickler):
    """Unpickles Huey's task messages and nothing else: a message put in the queue by anyone
    else cannot make a worker run code."""

    ALLOWED = frozenset(
        {
            ("huey.registry", "Message"),
            ("datetime", "datetime"),
            ("datetime", "timedelta"),
            ("datetime", "timezone"),
        }
    )

    def find_class(self, module: str, name: str):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not a render job: {module}.{name}")


class _Messages(Serializer):
    def _deserialize(self, data: bytes):
        return _Restricted(io.BytesIO(data)).load()


def _redis_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import RedisError

    return (RedisError,)


class RenderQueue:
    """The queue of one app (or one render worker): Huey made on first use, the job records,
    and the two tasks (render, watch) whose bodies are in assess/report/rendering.py."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._huey: Huey | None = None
        self._errors: tuple[type[BaseException], ...] = (sqlite3.Error, OSError)
        if settings.on_redis:
            self._errors += _redis_errors()

    @property
    def immediate(self) -> bool:
        return self.settings.where == IMMEDIATE

    @property
    def huey(self) -> Huey:
        if self._huey is None:
            self._huey = self._make()
        return self._huey

    def _make(self) -> Huey:
        from assess.report import rendering

        options = {"results": False, "serializer": _Messages(), "utc": True}
        where = self.settings.where
        if where == IMMEDIATE:
            huey = Huey(NAME, immediate=True, **options)
        elif self.settings.on_redis:
            from redis import ConnectionPool

            pool = ConnectionPool.from_url(
                where, socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
            )
            huey = RedisExpireHuey(
                NAME, connection_pool=pool, expire_time=self.settings.result_ttl, **options
            )
        else:
            os.makedirs(os.path.dirname(os.path.abspath(where)), exist_ok=True)
            huey = SqliteHuey(NAME, filename=where, timeout=10, **options)
        self.render_task = huey.task(name="render")(lambda key: rendering.render_job(self, key))
        self.watch_task = huey.task(name="watch")(lambda key: rendering.watch_job(self, key))
        huey.on_startup("beat")(lambda: rendering.start_beating(self))
        return huey

    @contextmanager
    def _reached(self) -> Iterator[None]:
        try:
            yield
        except self._errors as error:
            raise QueueUnavailable(str(error)) from error

    # records ------------------------------------------------------------------------------

    def read(self, name: str) -> bytes | None:
        from huey.constants import EmptyData

        with self._reached():
            value = self.huey.storage.peek_data(name)
        return None if value is EmptyData else bytes(value)

    def write(self, name: str, value: bytes, expires: bool = False) -> None:
        with self._reached():
            self.huey.storage.put_data(name, value, is_result=expires)

    def claim(self, name: str, value: bytes) -> bool:
        """Write value under name when there is none; whether it was written."""
        with self._reached():
            return bool(self.huey.storage.put_if_empty(name, value))

    def drop(self, name: str) -> None:
        with self._reached():
            self.huey.storage.delete_data(name)

    def job(self, key: str) -> Job | None:
        value = self.read(f"job:{key}")
        return None if value is None else Job(**json.loads(value))

    def put_job(self, key: str, job: Job) -> None:
        self.write(f"job:{key}", json.dumps(asdict(job)).encode())

    def document(self, key: str) -> Document | None:
        value = self.read(f"doc:{key}")
        return None if value is None else Document(**json.loads(zlib.decompress(value)))

    def record(self, name: str) -> dict | None:
        value = self.read(name)
        return None if value is None else json.loads(value)

    def put_record(self, name: str, value: dict, expires: bool = False) -> None:
        self.write(name, json.dumps(value).encode(), expires)

    # jobs -----------------------------------------------------------------------------------

    def submit(self, key: str, document: Document) -> bool:
        """Queue a document under its key, unless a job for the key exists; whether queued."""
        self.write(f"doc:{key}", zlib.compress(json.dumps(asdict(document)).encode()))
        if not self.claim(f"job:{key}", json.dumps(asdict(Job(queued=time.time()))).encode()):
            return False
        try:
            with self._reached():
                if not self.immediate:  # nothing runs a schedule in the request
                    self._watch(key)
                self.render_task(key)
        except QueueUnavailable:
            # if this fails too, the status reads a job without its document as stale
            with suppress(QueueUnavailable):
                self.drop(f"job:{key}")
            raise
        return True

    def requeue(self, key: str) -> None:
        """Run a job's render again (its worker failed or was lost)."""
        with self._reached():
            self.render_task(key)

    def watch_later(self, key: str) -> None:
        with self._reached():
            self._watch(key)

    def _watch(self, key: str) -> None:
        """The job's watch, in Huey's schedule (not the queue) for a lease from now."""
        self.huey.add_schedule(self.watch_task.s(key, delay=self.settings.lease))

    def waiting(self) -> list[str]:
        """The keys of the renders waiting, in the order workers will take them (queued, then
        scheduled for a retry)."""
        with self._reached():
            tasks = [*self.huey.pending(), *self.huey.scheduled()]
        return [t.args[0] for t in tasks if t.name == "render" and t.args]

    def length(self) -> int:
        """Renders waiting (queued, and scheduled for a retry), for the health check and the
        metrics; raises QueueUnavailable. Only renders count: each render also schedules a
        watch, which would otherwise show as waiting for REPORT_LEASE seconds after the render
        is done. A task carries only its key, so reading them stays cheap."""
        if self.immediate:
            return 0
        return len(self.waiting())

    def give_up(self, key: str, reason: str) -> None:
        log.error("report %s: rendering gave up: %s", key[:12], reason)
        self.put_record(f"failed:{key}", {"error": reason, "at": time.time()}, expires=True)
        self.drop(f"doc:{key}")
        self.drop(f"job:{key}")

    def finish(self, key: str, body: bytes, seconds: float) -> None:
        self.write(f"pdf:{key}", body, expires=True)
        self.drop(f"doc:{key}")
        self.drop(f"job:{key}")
        typical = (self.record("stats") or {}).get("seconds", seconds)
        self.put_record("stats", {"seconds": round(0.7 * typical + 0.3 * seconds, 3)})

    def typical_seconds(self) -> float:
        return float((self.record("stats") or {}).get("seconds", 2.0))

    def worker_seen(self) -> float | None:
        """When a render worker last said it was running (None: never)."""
        return (self.record("alive") or {}).get("at")

    def say_alive(self) -> None:
        self.put_record("alive", {"at": time.time(), "worker": worker_name()})


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"
