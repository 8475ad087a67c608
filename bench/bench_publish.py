"""Publishing a questionnaire version on the demo's data: how long the write transaction holds
the database (the regional sums made anew with the new version's rules), and what the check
every request makes (has the release log moved?) costs.

    .venv/bin/python bench/bench_publish.py [--keep PATH] [--rounds 5]

Builds (or reuses, with --keep) a database with `init-db` and `demo` (its 600 + 1,030
synthetic enterprises), then in rounds: uploads a version made from 2026.1 (one rule renamed),
publishes it, retires it (2026.1 is the newest again: a second remake), and prints the medians;
then times a request's release check, with and without a change to read.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess import create_app  # noqa: E402
from assess.assessment import releases  # noqa: E402
from assess.cli.database import init_database  # noqa: E402
from assess.store import audit  # noqa: E402
from assess.store import questionnaire_releases as release_log  # noqa: E402
from assess.store.database import connect  # noqa: E402
from assess.web import questionnaires  # noqa: E402
from tests.domain import next_version_source  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, help="database file to build once and reuse")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    database = args.keep or folder / "demo.sqlite"
    os.environ["ASSESS_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app({"SECRET_KEY": "bench", "DATABASE": str(database), "TESTING": True})
    if not database.exists():
        init_database(app)
        result = app.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
    db = connect(str(database))
    facts = db.execute("SELECT count(*) FROM result_facts").fetchone()[0]
    print(f"{facts} submitted assessments' facts, {database.stat().st_size / 1e6:.0f} MB")
    admin = audit.Actor(None, "bench")
    published, retired, remakes = [], [], []
    for i in range(args.rounds):
        source = next_version_source(f"2099.{i + 1}").encode()
        with app.app_context():
            releases.upload(db, questionnaires.versions(), source, "bench.yaml", admin)
        with app.app_context():
            start = time.perf_counter()
            done = releases.publish(
                db, questionnaires.versions(), ("machinery-smart-factory", f"2099.{i + 1}"), admin
            )
            published.append(time.perf_counter() - start)
            remakes.append(done.rebuild_seconds)
        with app.app_context():
            start = time.perf_counter()
            releases.retire(db, questionnaires.versions(), done.key, admin)
            retired.append(time.perf_counter() - start)
    ms = lambda xs: f"{statistics.median(xs) * 1000:.0f} ms"  # noqa: E731
    print(f"publish (upload not counted): {ms(published)}, of which the sums' remake {ms(remakes)}")
    print(f"retire (back to 2026.1, sums remade): {ms(retired)}")
    with app.app_context():
        questionnaires.versions()  # this process is up to date
    checks = []
    for _ in range(2000):
        start = time.perf_counter()
        with app.app_context():
            questionnaires.versions()
        checks.append(time.perf_counter() - start)
    print(f"an app context's versions, nothing moved: {statistics.median(checks) * 1e6:.0f} µs")
    queries = []
    for _ in range(2000):
        start = time.perf_counter()
        release_log.counter(db)
        queries.append(time.perf_counter() - start)
    print(f"of which the release check's query: {statistics.median(queries) * 1e6:.0f} µs")
    reloads = []
    for _ in range(20):
        app.extensions["questionnaires"].counter = None  # as if another process had published
        start = time.perf_counter()
        with app.app_context():
            questionnaires.versions()
        reloads.append(time.perf_counter() - start)
    print(f"a request's release check after a release (uploads parsed already): {ms(reloads)}")


if __name__ == "__main__":
    main()
