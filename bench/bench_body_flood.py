"""A wizard page's latency while anonymous clients flood the app with huge form posts.

    .venv/bin/python bench/bench_body_flood.py [--seconds 20] [--attackers 4] [--megabytes 40] [--workers 4]

Serves a fresh database under gunicorn (production settings) on loopback. One enterprise user
opens its wizard page in a loop, first alone (the baseline), then while --attackers anonymous
clients each post url-encoded bodies of --megabytes MB to /login in a loop (half of them with a
Content-Length, half chunked without one). The attack is bounded: loopback only, as many
attackers as asked, for --seconds. The attackers run at the lowest CPU priority (nice 19): a
real attacker's CPU is on its own machine, and on a shared 2-core machine their own sending
loops would otherwise be what slows the page. What the attack costs the server is printed
separately (the CPU time of gunicorn's processes in each phase). Prints the page's p50/p99 in both phases, the attack's
requests and how they ended, the machine's load average, and exits 1 when the page's p99 under
attack is more than twice its p99 alone (the target of issue 18, item 1).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import socket
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import Browser, gunicorn, percentile, ready_app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.organisation import credit_code  # noqa: E402
from assess.store import assessments, organisations, users  # noqa: E402
from assess.store.database import connect, write_transaction  # noqa: E402
from assess.web import questionnaires  # noqa: E402

EMAIL, PASSWORD = "flood@example.com", "bench-password-2026"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def prepare(instance: str, database: str) -> int:
    """A migrated database with one enterprise account and its draft; the draft's id."""
    os.environ["ASSESS_INSTANCE_PATH"] = instance
    app = ready_app({"SECRET_KEY": "bench-secret", "DATABASE": database, "TESTING": True})
    with app.app_context():
        q = questionnaires.latest()
    db = connect(database)
    body = "91320505" + "000000001"
    with write_transaction(db):
        organisation_id = organisations.create(
            db,
            name="压测机械有限公司",
            credit_code=body + credit_code.check_character(body),
            region_code="320505",
            sector="machine_tools",
            size="medium",
        )
        users.create(
            db,
            email=EMAIL,
            name="压测",
            password=PASSWORD,
            role="enterprise",
            organisation_id=organisation_id,
        )
        draft = assessments.create(
            db, organisation_id=organisation_id, questionnaire=q, created_by=None
        )
    db.close()
    return draft


def logged_in(port: int) -> Browser:
    """The enterprise, logged in."""
    browser = Browser(port)
    token = browser.csrf("/login")
    login = f"csrf_token={token}&email={EMAIL}&password={PASSWORD}".encode()
    status, _ = browser.request("POST", "/login", login, FORM)
    if status != 302:
        raise SystemExit(f"login answered {status}")
    return browser


def timed_pages(browser: Browser, url: str, seconds: float) -> list[float]:
    """The page opened again and again for `seconds`; each latency in seconds."""
    latencies = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        status, _ = browser.request("GET", url)
        latencies.append(time.perf_counter() - start)
        if status != 200:
            raise SystemExit(f"the wizard page answered {status}")
        time.sleep(0.02)
    return sorted(latencies)


def attack(port: int, megabytes: int, chunked: bool, stop, ended) -> None:
    """Post a body of url-encoded fields to /login until stopped; count how each post ended
    (in a process of its own: the page's timing shares no interpreter with the attack)."""
    os.nice(19)
    body = b"a=" + b"1&b=" * (megabytes * 1024 * 1024 // 4)
    counts: Counter = Counter()
    while not stop.is_set():
        head = b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        head += b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n"
        head += (
            b"Transfer-Encoding: chunked\r\n\r\n"
            if chunked
            else f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                s.sendall(head)
                if chunked:
                    for i in range(0, len(body), 1 << 20):
                        piece = body[i : i + (1 << 20)]
                        s.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                    s.sendall(b"0\r\n\r\n")
                else:
                    s.sendall(body)
                answer = s.recv(64)
                counts[answer[9:12].decode() or "closed"] += 1
        except OSError as error:  # the server answered early and closed: the rest was refused
            counts[type(error).__name__] += 1
    ended.put(counts)


def server_cpu(port: int) -> float:
    """CPU seconds used so far by the gunicorn processes serving this port (master and
    workers share its command line)."""
    ticks, mark = 0, f"127.0.0.1:{port}".encode()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark in (entry / "cmdline").read_bytes():
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:  # a process that ended while we looked
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--attackers", type=int, default=4)
    parser.add_argument("--megabytes", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        instance, database = os.path.join(tmp, "instance"), os.path.join(tmp, "bench.sqlite")
        draft = prepare(instance, database)
        url = f"/assessments/{draft}/pages/profile"
        with gunicorn(database, instance, args.workers) as port:
            browser = logged_in(port)
            timed_pages(browser, url, 2)  # warm up every worker
            cpu = server_cpu(port)
            alone = timed_pages(browser, url, args.seconds)
            cpu_alone, cpu = server_cpu(port) - cpu, server_cpu(port)
            stop, results = multiprocessing.Event(), multiprocessing.Queue()
            attackers = [
                multiprocessing.Process(
                    target=attack, args=(port, args.megabytes, i % 2 == 1, stop, results)
                )
                for i in range(args.attackers)
            ]
            for process in attackers:
                process.start()
            time.sleep(2)
            cpu = server_cpu(port)
            flooded = timed_pages(browser, url, args.seconds)
            cpu_flooded = server_cpu(port) - cpu
            stop.set()
            ended: Counter = sum((results.get() for _ in attackers), Counter())
            for process in attackers:
                process.join()
    load = os.getloadavg()
    p99_alone, p99_flooded = percentile(alone, 0.99), percentile(flooded, 0.99)
    print(f"{platform.node()}, {os.cpu_count()} cores, gunicorn {args.workers} sync workers")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(
        f"attack: {args.attackers} anonymous clients, {args.megabytes} MB url-encoded posts"
        f" to /login, {sum(ended.values())} posts: {dict(ended)}"
    )
    for name, values in (("alone", alone), ("under attack", flooded)):
        print(
            f"wizard page {name:>12}: {len(values)} requests, p50 {percentile(values, 0.5) * 1000:.0f}"
            f" ms, p99 {percentile(values, 0.99) * 1000:.0f} ms"
        )
    print(
        f"server CPU: {cpu_alone:.1f} s alone, {cpu_flooded:.1f} s under attack"
        f" (of {args.seconds:.0f} s; {2 * args.seconds:.0f} s of CPU on 2 cores)"
    )
    ratio = p99_flooded / p99_alone
    print(f"p99 under attack / alone: {ratio:.2f} (target: at most 2)")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
