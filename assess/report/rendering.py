"""What a render worker does with a job: render it while beating, retry it, give it up; and the
watch that runs a job again when its worker is gone. No Flask, no database, no evidence files:
a job carries its HTML, which references only the app's own static files.

Huey takes a task off the queue before it runs it, so a worker killed mid-render (SIGKILL, out
of memory, a machine gone) loses it. Every job therefore has a watch task, scheduled when it is
queued and again by itself every lease: a job whose worker stopped beating for a lease, or that
is neither waiting nor started, is queued again, until its attempts run out.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import suppress
from dataclasses import replace

from huey.exceptions import RetryTask

from assess.report import metrics, pdf
from assess.report.queue import Job, QueueUnavailable, RenderQueue, worker_name

log = logging.getLogger(__name__)


def render_job(queue: RenderQueue, key: str) -> None:
    """Render a queued document into pdf:KEY (a task body run by a worker)."""
    job = queue.job(key)
    now = time.time()
    if job is None:  # done, given up, or dropped: a duplicate task
        return
    if job.started is not None and now - (job.beat or 0) < queue.settings.lease:
        return  # another worker renders it and is alive
    document = queue.document(key)
    if document is None:
        queue.give_up(key, "the document to render is missing from the queue")
        return
    job = replace(job, attempt=job.attempt + 1, started=now, beat=now, worker=worker_name())
    if job.attempt > queue.settings.attempts:
        queue.give_up(key, f"gave up after {queue.settings.attempts} attempts")
        return
    queue.put_job(key, job)
    # The collector stays paused until the PDF is delivered: resumed at the end of the render,
    # its first turn would walk everything the render made (0.16 s of the largest report's)
    # while the reader waits. Resumed here, that turn and the collection below come after.
    with pdf.collector_paused():
        try:
            if document.release != pdf.release():
                raise RuntimeError(
                    f"this worker runs release {pdf.release()}, the job needs {document.release}"
                )
            with _beating(queue, key, job):
                start = time.perf_counter()
                body = pdf.html_to_pdf(document.html)
        except Exception as error:
            log.exception("report %s: attempt %d failed", key[:12], job.attempt)
            if job.attempt >= queue.settings.attempts:
                metrics.RENDERS.labels("gave_up").inc()
                queue.give_up(key, f"{type(error).__name__}: {error}"[:500])
                return
            metrics.RENDERS.labels("failed").inc()
            queue.put_job(key, job.waiting(time.time()))
            raise RetryTask(delay=queue.settings.retry_delay) from error
        seconds = time.perf_counter() - start
        queue.finish(key, body, seconds)
        metrics.RENDER_SECONDS.observe(seconds)
        metrics.RENDERS.labels("rendered").inc()
        log.info("report %s rendered in %.2f s", key[:12], seconds)  # before the collector turns
    pdf.collect_garbage()  # the PDF is delivered: now free the render's cycles


class _beating:
    """Beat the job's record every third of a lease while a render runs (the render holds the
    GIL most of the time, but a thread still gets its turn every few milliseconds)."""

    def __init__(self, queue: RenderQueue, key: str, job: Job) -> None:
        self.queue, self.key, self.job = queue, key, job
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"beat-{key[:8]}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    def _run(self) -> None:
        while not self.stop.wait(self.queue.settings.lease / 3):
            try:
                current = self.queue.job(self.key)
                if current is None or current.worker != self.job.worker:
                    return  # taken over by another worker
                self.queue.put_job(self.key, replace(current, beat=time.time()))
                self.queue.say_alive()
            except QueueUnavailable:
                log.warning("report %s: the queue is unreachable; the beat is late", self.key[:12])


def watch_job(queue: RenderQueue, key: str) -> None:
    """Check on a job every lease; queue it again when its worker is gone (a task body)."""
    job = queue.job(key)
    if job is None:
        return
    now = time.time()
    lease = queue.settings.lease
    if job.started is not None:
        if now - (job.beat or 0) < lease:
            queue.watch_later(key)
            return
        log.warning(
            "report %s: worker %s stopped beating %.0f s ago; queued again",
            key[:12],
            job.worker,
            now - (job.beat or 0),
        )
    elif now - job.queued < lease or key in queue.waiting():
        queue.watch_later(key)
        return
    else:
        log.warning("report %s: neither waiting nor started; queued again", key[:12])
    queue.put_job(key, job.waiting(now))
    queue.requeue(key)
    queue.watch_later(key)


def start_beating(queue: RenderQueue) -> None:
    """Say that this worker runs, now and every third of a lease (the app tells users when no
    worker has been seen)."""

    def run() -> None:
        while True:
            with suppress(QueueUnavailable):
                queue.say_alive()
            time.sleep(queue.settings.lease / 3)

    threading.Thread(target=run, name="alive", daemon=True).start()
