"""gunicorn configuration of assess (docs/operations.md): `gunicorn -c deploy/gunicorn.conf.py
'assess:create_app()'`. Every value can be overridden by the environment variable named beside
it, or on gunicorn's command line after -c.

Why these values:
- sync workers, 2 per core + 1: a page is short work on SQLite (WAL, BEGIN IMMEDIATE), and
  nginx buffers slow clients and uploads, so a worker is never held by a slow network;
  bench/bench_load.py measured ordinary pages' p99 under 100 ms with 4 workers on 2 cores.
- no preload: the app does no data work when it starts (init-db does it), so a worker starts in
  about a second either way; without preload a `systemctl reload` (SIGHUP) starts workers on the
  new code, and no SQLite connection or Prometheus file can be shared across a fork.
- timeout 60 s: the longest request is a 60 MB evidence upload read from nginx's buffer, or an
  Excel export; a worker stuck longer is killed and replaced. PDFs never render in a worker.
- max_requests with jitter: a worker is replaced now and then, so that memory cannot creep.
- metrics: every worker counts in its own file under PROMETHEUS_MULTIPROC_DIR (cleared when
  gunicorn starts, a dead worker's live gauges dropped), and any worker's /metrics adds them up.
"""

import glob
import os
import tempfile

bind = os.environ.get("ASSESS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1) + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
preload_app = False
# the heartbeat files of the workers in memory, not on a disk that may stall (containers)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# the request line: with LOG_FORMAT json the app writes one per request (with its request id),
# so gunicorn's access log is off; otherwise gunicorn writes it to stderr
json_logs = os.environ.get("ASSESS_LOG_FORMAT", "").strip('"') == "json"
accesslog = None if json_logs else "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%({x-request-id}o)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# gunicornc's control socket in systemd's RuntimeDirectory (/run/assess), else gunicorn's default
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")
# behind nginx on the same machine: the address nginx connects from may set X-Forwarded-*
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def _metrics_folder() -> str:
    """The workers' metrics folder: PROMETHEUS_MULTIPROC_DIR, else systemd's RuntimeDirectory,
    else the instance folder's metrics/, else a new temporary folder (never one shared with
    another gunicorn on the machine)."""
    for base, name in (("RUNTIME_DIRECTORY", "metrics"), ("ASSESS_INSTANCE_PATH", "metrics")):
        if os.environ.get(base):
            return os.path.join(os.environ[base].split(":")[0], name)
    return tempfile.mkdtemp(prefix="assess-metrics-")


if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_folder()
METRICS = os.environ["PROMETHEUS_MULTIPROC_DIR"]


def on_starting(server):
    """Count afresh: the files of an earlier run's workers go (before any worker counts)."""
    os.makedirs(METRICS, exist_ok=True)
    for path in glob.glob(os.path.join(METRICS, "*.db")):
        os.unlink(path)


def child_exit(server, worker):
    """A worker that stopped leaves its counters (they stay summed) but not its live gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
