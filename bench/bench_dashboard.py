"""The regional dashboard with 100,000 synthetic enterprises and their declarations: warm and
cold response time, and file size.

    .venv/bin/python bench/bench_dashboard.py [--enterprises 100000] [--rounds 7] [--keep PATH]

Builds (or reuses, with --keep) a database with a synthetic population (`demo --enterprises`)
and declarations for 12 % of the enterprises that reached a level (each city's round, at every
stage of the review, about 2,900 for 100,000 enterprises), then times the dashboard page and its JSON twin through the app for a province (Jiangsu), a city
(Suzhou) and the whole country, warm (after one request: the suppression pattern cached) and
cold (the pattern made again, as after a new submission), and prints the medians; then a past
period, cold and warm; then how long a web worker takes to start (a new Python process that
imports the app, makes it and answers its first request, on this database). Targets: warm
<= 100 ms, cold <= 500 ms; a worker starts in < 2 s (the app does no data work when it starts:
derived data is made by `init-db`, the deploy step, also run daily from cron).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import ready_app  # noqa: E402

from assess.demo import population, programme  # noqa: E402
from assess.regional import dashboard  # noqa: E402
from assess.regional import publication as region_suppression  # noqa: E402
from assess.regional.derived import prepare_dashboards  # noqa: E402
from assess.regional.periods import quarter_ends  # noqa: E402
from assess.store import patterns, users  # noqa: E402
from assess.store.database import connect, write_transaction  # noqa: E402
from assess.web import questionnaires  # noqa: E402

PASSWORD = "bench-password-2026"
START_WORKER = """
import time
start = time.perf_counter()
from assess import create_app
app = create_app()
assert app.test_client().get("/login").status_code == 200
print(time.perf_counter() - start)
"""


def worker_start(path: str, folder: str, rounds: int) -> list[float]:
    """Seconds from a new Python process to the first answer of the app on this database."""
    env = {**os.environ, "ASSESS_DATABASE": path, "ASSESS_INSTANCE_PATH": folder}
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", START_WORKER],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(rounds)
    ]


def build(path: str, count: int) -> None:
    app = ready_app({"SECRET_KEY": "bench", "DATABASE": path})
    with app.app_context():
        q = questionnaires.latest()
    db = connect(path)
    start = time.perf_counter()
    for made in population.fill(db, q, count, seed=11):
        if made % 10000 == 0 or made == count:
            print(f"  {made} enterprises ({time.perf_counter() - start:.0f} s)", flush=True)
    print(f"  {programme.declare(db, 0.12)} declarations", flush=True)
    with write_transaction(db):
        for email, scope in (
            ("province@example.com", "32"),
            ("city@example.com", "3205"),
            ("country@example.com", ""),
        ):
            users.create(
                db, email=email, name=email, password=PASSWORD, role="authority", region_scope=scope
            )
    db.execute("ANALYZE")
    db.close()


def forget(path: str) -> None:
    """Every figure made again, as after a new submission: no pattern solved anywhere (this
    process's cache and the one workers share) and no dashboard kept per data version."""
    region_suppression._cache.clear()
    patterns.clear(path)
    dashboard._made.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keep", help="database file to build once and reuse")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} before the run (2 shared cores: say so)")
    folder = tempfile.mkdtemp()
    path = args.keep or os.path.join(folder, "dashboard.sqlite")
    if not os.path.exists(path):
        print(f"building {args.enterprises} synthetic enterprises in {path}")
        build(path, args.enterprises)
    os.environ["ASSESS_INSTANCE_PATH"] = folder
    app = ready_app({"SECRET_KEY": "bench", "DATABASE": path, "WTF_CSRF_ENABLED": False})
    db = connect(path)
    enterprises = db.execute("SELECT count(*) FROM organisations").fetchone()[0]
    assessed = db.execute("SELECT count(*) FROM assessments WHERE status = 'submitted'").fetchone()[
        0
    ]
    size = os.path.getsize(path) + (
        os.path.getsize(path + "-wal") if os.path.exists(path + "-wal") else 0
    )
    declared = db.execute("SELECT count(*) FROM declarations").fetchone()[0]
    print(
        f"database: {enterprises} enterprises, {assessed} submitted assessments,"
        f" {declared} declarations, {size / 2**20:.0f} MB"
    )
    db.close()
    for email, label in (
        ("province@example.com", "province (Jiangsu)"),
        ("city@example.com", "city (Suzhou)"),
        ("country@example.com", "whole country"),
    ):
        client = app.test_client()
        client.post("/login", data={"email": email, "password": PASSWORD})
        for url in ("/authority", "/authority/dashboard.json"):
            client.get(url)  # warm up
            for kind in ("warm", "cold"):
                times = []
                for _ in range(args.rounds):
                    if kind == "cold":  # as after a new submission: the pattern is made again
                        forget(path)
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - start)
                    assert response.status_code == 200
                print(
                    f"  {label:<20} {url:<27} {kind} median"
                    f" {statistics.median(times) * 1000:6.0f} ms"
                    f"  (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
                )

    # a past period: the newest and the oldest quarter end offered (the oldest is guarded
    # against every newer one, so its first view solves them all). Its first view in a worker:
    # nothing solved anywhere (as after a submission), now solved in this worker (the period
    # everyone views), or everything solved by `prepare-dashboards` (or another worker)
    client = app.test_client()
    client.post("/login", data={"email": "province@example.com", "password": PASSWORD})
    periods = (quarter_ends()[0], quarter_ends()[-1])

    def first_views(kind: str, before) -> None:
        for as_of in periods:
            times = []
            for _ in range(3):
                before()
                start = time.perf_counter()
                assert client.get(f"/authority/dashboard.json?as_of={as_of}").status_code == 200
                times.append(time.perf_counter() - start)
            print(
                f"  province, as of {as_of}, {kind:<37} median {statistics.median(times) * 1000:6.0f} ms"
            )

    first_views("first view, nothing solved", lambda: forget(path))
    first_views(
        "first view, now solved here",
        lambda: forget(path) or client.get("/authority/dashboard.json"),
    )
    start = time.perf_counter()
    with app.app_context():
        db = connect(path)
        scopes = prepare_dashboards(db, questionnaires.latest())
        db.close()
    print(f"  prepare-dashboards: {scopes} scopes in {time.perf_counter() - start:.1f} s")
    first_views("first view after prepare-dashboards", region_suppression._cache.clear)
    first_views("warm", lambda: None)
    started = worker_start(path, folder, args.rounds)
    print(
        f"  web worker start-up (new process to first answer): median"
        f" {statistics.median(started):.2f} s (min {min(started):.2f}, max {max(started):.2f})"
    )


if __name__ == "__main__":
    main()
