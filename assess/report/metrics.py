"""Prometheus metrics of the processes that render (the render worker's), and what every process
that counts needs: the registry to expose, one file per process when several processes count
(prometheus_client's multiprocess mode, on when PROMETHEUS_MULTIPROC_DIR is set before the
first import of prometheus_client, as deploy/gunicorn.conf.py and the units do). No Flask."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from prometheus_client import REGISTRY as PROCESS_REGISTRY
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess

DIRECTORY_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
if os.environ.get(DIRECTORY_VARIABLE):  # each metric opens its file there when it is made
    os.makedirs(os.environ[DIRECTORY_VARIABLE], exist_ok=True)

RENDER_SECONDS = Histogram(
    "assess_render_seconds",
    "Time a render worker took to render one PDF.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60),
)
RENDERS = Counter(
    "assess_renders_total",
    "Renders by outcome: rendered, failed (to be tried again), gave_up.",
    ["outcome"],
)


def directory() -> Path | None:
    """The folder the processes of this machine count in (multiprocess mode), or None."""
    value = os.environ.get(DIRECTORY_VARIABLE)
    return Path(value) if value else None


def clear_directory() -> None:
    """Start counting afresh: remove the files of processes of an earlier run (those of
    processes still running, this one among them, stay: it made its files when it imported
    this module)."""
    folder = directory()
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.glob("*.db"):
        pid = path.stem.rsplit("_", 1)[-1]
        if not (pid.isdigit() and _running(int(pid))):
            path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


class _Collected:
    """Adds collectors made per scrape (e.g. the queue's length) to a registry."""

    def __init__(self, collectors: Iterable) -> None:
        self.collectors = list(collectors)

    def collect(self):
        for collector in self.collectors:
            yield from collector.collect()


def registry(*extra) -> CollectorRegistry:
    """What to expose now: every process's counts (multiprocess mode) or this process's, and the
    extra collectors (asked at this scrape, by this process)."""
    scrape = CollectorRegistry(auto_describe=False)
    if directory() is not None:
        multiprocess.MultiProcessCollector(scrape)
        scrape.register(_Collected(extra))
    else:
        scrape.register(_Collected([PROCESS_REGISTRY, *extra]))
    return scrape
