"""render-worker: the process that renders queued PDFs (the Huey consumer of the render queue).
It needs the package (templates' static files, fonts) and the queue, nothing else: no
database, no evidence files."""

from __future__ import annotations

import logging
import os
import re
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from assess.report import metrics, pdf
from assess.web import logs

WARM_UP = (
    '<html lang="zh-CN"><body style="font-family: \'Noto Sans CJK SC\'">预热 warm-up</body></html>'
)


@click.command("render-worker")
@click.option("--workers", type=int, default=None, help="Render processes (REPORT_WORKERS).")
@click.option(
    "--metrics-port",
    type=int,
    default=None,
    help="Serve the render metrics for Prometheus on this port (needs PROMETHEUS_MULTIPROC_DIR).",
)
@click.option("--metrics-address", default="127.0.0.1", show_default=True)
@with_appcontext
def render_worker_command(
    workers: int | None, metrics_port: int | None, metrics_address: str
) -> None:
    """Render queued PDFs until stopped (Ctrl-C or SIGTERM finish the renders under way)."""
    queue = current_app.extensions["render_queue"]
    if queue.immediate:
        raise click.ClickException(
            "REPORT_QUEUE is 'immediate': PDFs render in the request, there is no queue to serve."
        )
    count = workers or int(current_app.config["REPORT_WORKERS"])
    # Renders are background work: on a machine that also serves pages they yield the CPU to
    # the web workers; alone on a render machine this changes nothing.
    os.nice(10)
    if current_app.config["LOG_FORMAT"] == "json":
        logs.json_to_stderr(current_app.config["LOG_LEVEL"] or "INFO")
    else:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"
        )
    for noisy in ("weasyprint", "fontTools"):  # a line per layout step and per font subset
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if metrics_port is not None:
        _serve_metrics(metrics_port, metrics_address)
    start = time.perf_counter()
    pdf.html_to_pdf(WARM_UP)  # WeasyPrint and the fonts loaded once, before the processes fork
    where = re.sub(r"//[^@/]*@", "//***@", queue.settings.where)  # no password in the log
    click.echo(
        f"Render worker: {count} process(es) on {where}, ready in {time.perf_counter() - start:.1f} s"
    )
    consumer = queue.huey.create_consumer(
        workers=count,
        worker_type="process",
        periodic=False,
        scheduler_interval=1,
        health_check_interval=1,
        # SIGTERM (systemd, honcho at Ctrl-C) lets the renders under way finish; a second
        # signal, or SIGINT, stops at once (their jobs run again after REPORT_LEASE)
        graceful_signal="TERM",
        shutdown_timeout=60,
        # On SQLite the consumer polls for jobs, and by default waits up to 10 s between looks
        # once the queue has been idle: a report asked for after a quiet spell waited that long
        # before its render started (first render p99 6.1 s). A look every 0.1 s at most is a
        # tiny query (a job waits 0.05 s for it on average, in a render of 1.4 s). Redis hands
        # a job over as soon as it is queued (a blocking read).
        initial_delay=0.05,
        max_delay=0.1,
    )
    consumer.run()


def _serve_metrics(port: int, address: str) -> None:
    """The render processes' metrics over HTTP (a thread of this process), summed over the
    processes through the multiprocess folder, which this worker has to itself."""
    from prometheus_client import start_http_server

    if metrics.directory() is None:
        raise click.ClickException(
            "--metrics-port needs PROMETHEUS_MULTIPROC_DIR: a folder of this worker's own, where"
            " its render processes count."
        )
    metrics.clear_directory()
    start_http_server(port, addr=address, registry=metrics.registry())
    click.echo(f"Render metrics on http://{address}:{port}/metrics")
