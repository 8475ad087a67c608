"""Autosave under load: gunicorn with 4 workers, 50 simulated users saving answers on loopback.

    .venv/bin/python bench/bench_autosave.py [--users 50] [--saves 60] [--workers 4]

Each user logs in (with CSRF, as a browser does), opens a draft of its own, and sends background
autosaves of one answer each, with a revision per item, pausing --think seconds between two
changes (a person clicking fast: 0.2-1.0 s at random; --think 0 sends as fast as the server
answers, to find the saturation throughput). Prints throughput and p50/p99 latency, then counts in
the database that every last answer sent is the one stored (lost answers must be 0).
Target: p99 <= 100 ms, zero errors, zero lost answers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from _common import Browser, gunicorn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.organisation.credit_code import check_character  # noqa: E402
from assess.questionnaire.loader import load_dir  # noqa: E402
from assess.store import assessments, organisations, users  # noqa: E402
from assess.store.database import connect, migrate, write_transaction  # noqa: E402

PASSWORD = "bench-password-2026"


def prepare(database: str, count: int, q) -> list[tuple[str, int]]:
    """count enterprises, each with an account and a draft; returns (email, assessment id)."""
    db = connect(database)
    migrate(db)
    people = []
    with write_transaction(db):
        for i in range(count):
            body = "91320505" + f"{i:09d}"
            org = organisations.create(
                db,
                name=f"压测企业{i}",
                credit_code=body + check_character(body),
                region_code="320505",
                sector="other",
                size="small",
            )
            email = f"bench{i}@example.com"
            users.create(
                db,
                email=email,
                name=f"用户{i}",
                password=PASSWORD,
                role="enterprise",
                organisation_id=org,
            )
            people.append(
                (
                    email,
                    assessments.create(db, organisation_id=org, questionnaire=q, created_by=None),
                )
            )
    db.close()
    return people


def user_session(
    port, email, assessment_id, saves, items, seed, think, latencies, errors, last_sent
):
    rng = random.Random(seed)
    browser = Browser(port)
    token = browser.csrf("/login")
    status, _ = browser.request(
        "POST",
        "/login",
        urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    token = browser.csrf(f"/assessments/{assessment_id}/pages/profile")
    revisions: dict[str, int] = {}
    for _ in range(saves):
        if think:
            time.sleep(rng.uniform(0.2, 1.0))
        item = rng.choice(items)
        revisions[item] = revisions.get(item, 0) + 1
        value = rng.choice(["full", "most", "partial", "none"])
        body = json.dumps(
            {"answers": [{"item": item, "value": value, "revision": revisions[item]}]}
        ).encode()
        start = time.perf_counter()
        status, data = browser.request(
            "POST",
            f"/assessments/{assessment_id}/answers",
            body,
            {"Content-Type": "application/json", "X-CSRFToken": token},
        )
        latencies.append(time.perf_counter() - start)
        outcome = json.loads(data)["results"][0] if status == 200 else {}
        # "unchanged": the same value again, which the server rightly does not write twice
        if outcome.get("status") == "saved":
            last_sent[(assessment_id, item)] = (value, revisions[item])
        elif outcome.get("status") != "unchanged":
            errors.append((status, data[:200]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--saves", type=int, default=60, help="autosaves per user")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--think", type=int, default=1, help="1: pause 0.2-1.0 s between saves; 0: none"
    )
    args = parser.parse_args()
    q = max(load_dir(ROOT / "assess" / "questionnaires").values(), key=lambda q: q.version)
    items = list(q.requirements)
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "bench.sqlite")
        people = prepare(database, args.users, q)
        with gunicorn(database, tmp, args.workers) as port:
            latencies: list[float] = []
            errors: list = []
            last_sent: dict = {}
            threads = [
                threading.Thread(
                    target=user_session,
                    args=(
                        port,
                        email,
                        aid,
                        args.saves,
                        items,
                        i,
                        args.think,
                        latencies,
                        errors,
                        last_sent,
                    ),
                )
                for i, (email, aid) in enumerate(people)
            ]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
        db = connect(database)
        lost = 0
        for (assessment_id, item), (value, revision) in last_sent.items():
            row = db.execute(
                "SELECT value, revision FROM answers WHERE assessment_id = ? AND item_id = ?",
                [assessment_id, item],
            ).fetchone()
            lost += row is None or tuple(row) != (value, revision)
        stored = db.execute("SELECT count(*) FROM answers").fetchone()[0]
        db.close()
    latencies.sort()
    total = len(latencies)
    p = lambda q_: latencies[min(total - 1, int(q_ * total))] * 1000  # noqa: E731
    pause = "0.2-1.0 s between saves" if args.think else "no pause (saturation)"
    print(f"gunicorn {args.workers} workers, {args.users} users x {args.saves} autosaves, {pause}")
    print(f"  {total} saves in {elapsed:.1f} s (incl. logins): {total / elapsed:.0f} saves/s")
    print(
        f"  latency p50 {p(0.50):.1f} ms  p90 {p(0.90):.1f} ms  p99 {p(0.99):.1f} ms  max {latencies[-1] * 1000:.1f} ms"
        f"  mean {statistics.mean(latencies) * 1000:.1f} ms"
    )
    print(
        f"  errors {len(errors)}  answers stored {stored}  distinct answers sent {len(last_sent)}  lost {lost}"
    )
    if errors:
        print("  first error:", errors[0])


if __name__ == "__main__":
    main()
