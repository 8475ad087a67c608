"""Mixed load under gunicorn: people browsing, autosaving, downloading reports, viewing dashboards.

    .venv/bin/python bench/bench_load.py [--seconds 60] [--users 30] [--workers 4]
        [--render-workers CORES] [--think 1] [--reports 0.1]
    .venv/bin/python bench/bench_load.py --port 8000 --database DB [--seconds …] [--users …]

With --port, the users drive a server already running (e.g. one deployed by following
docs/operations.md, with the demo's data in DB): one run, nothing built or started.

Builds a fresh demo database with the app's own CLI (`init-db`, `demo`, `prepare-dashboards`:
what `make run` does) in a temporary instance folder, gives every simulated enterprise user an
organisation of its own (the demo enterprise accounts, then a new account per demo or synthetic
organisation with a submitted self-assessment) and a draft, then serves the app with gunicorn
on loopback, with `render-worker` on the embedded queue. Each user logs in
with its own session (CSRF token from the login form) and, until the time is up:
  enterprise   opens a wizard page and autosaves 2-6 of its answers (0.2-1.0 s apart), browses
               (assessments, history, results and their JSON twin, wizard pages), or downloads
               the PDF report of a submitted assessment (zh or en: first renders, then cached)
               as a browser does: the page that says 正在生成…, its status read until the
               PDF is ready (rendered by `render-worker` on the embedded queue), the PDF; or,
               once (--submits: the share of its actions, after its first few), completes its
               draft (one autosave of every answer still to give, made by the demo's synthetic
               answers under the draft's own questionnaire version), opens the submit page
               and submits; then it browses and downloads, its draft gone;
  consultant   browses the portfolio, client pages and client results;
  authority    views its regional dashboard or its JSON twin, drilling into regions it saw.
Think times (seconds, times --think; 0: none) follow each action. At the end: requests and
throughput, latency per kind, errors (any status outside 2xx/3xx, a PDF whose render failed or
whose queue could not be reached, a submission refused, and connection errors), submissions,
and answers lost: items whose stored answer differs from the last one the server acknowledged
(read from the database after the run).
The whole mix runs twice, each time on a fresh database: with the report share given, then
with none; the p99 of ordinary pages are compared. Targets: zero errors, zero lost answers
(exits 1 otherwise); with reports, the p99 of wizard page, browse, dashboard page and
autosave each <= 250 ms and <= 2 x the same without reports; first render to PDF p50 <= 2 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from _common import Browser, csrf_token, gunicorn, percentile, ready_app

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.demo.data import ACCOUNTS, PARK_ACCOUNT  # noqa: E402
from assess.demo.synthetic import synthetic_answers  # noqa: E402
from assess.questionnaire import pages as wizard  # noqa: E402
from assess.store import assessments, grants, users  # noqa: E402
from assess.store.database import connect, write_transaction  # noqa: E402
from assess.web import questionnaires  # noqa: E402

PASSWORD = "bench-password-2026"
STATUS_URL = re.compile(rb'data-status-url="([^"]+)"')
LOOK_AGAIN = re.compile(rb'data-look-again="([\d.]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Person:
    """One simulated user: an account and what it may open."""

    role: str
    email: str
    password: str
    submitted: list[int] = field(default_factory=list)
    draft: int | None = None
    revisions: dict[str, int] = field(default_factory=dict)
    clients: list[int] = field(default_factory=list)
    complete: dict[str, object] = field(default_factory=dict)  # item: (value, reason) to submit


def build_demo(instance: str, database: str) -> None:
    """A fresh demo database, made by the app's own CLI."""
    env = {**os.environ, "ASSESS_INSTANCE_PATH": instance, "ASSESS_DATABASE": database}
    env.pop("ASSESS_ENV", None)  # demo refuses a production database
    for command in (["init-db"], ["demo"], ["prepare-dashboards"]):  # as `make run` does
        subprocess.run(
            [str(ROOT / ".venv/bin/flask"), "--app", "assess", *command],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )


def complete_answers(versions, draft: dict, sector: str, seed: int) -> dict[str, tuple]:
    """A complete set of answers for a draft, under its own questionnaire version: the demo's
    synthetic enterprise of a middling maturity, as (value as JSON sends it, reason)."""
    answers = synthetic_answers(versions.of(draft), random.Random(seed), 2.0, sector=sector)
    return {
        item: (list(a.value) if isinstance(a.value, tuple) else a.value, a.reason)
        for item, a in answers.items()
    }


def enterprise_people(db, q, count: int, versions) -> list[Person]:
    """The demo enterprise accounts, then one new account per organisation; each with a draft."""
    # owners only: a demo colleague answers only its assigned sections (its other autosaves
    # are refused, rightly)
    demo = [
        (email, password)
        for email, _, role, password, _ in ACCOUNTS
        if role == "enterprise" and users.get_by_email(db, email)["member_role"] == "owner"
    ]
    people = []
    for email, password in demo[:count]:
        people.append((users.get_by_email(db, email)["organisation_id"], email, password))
    free = db.execute(
        "SELECT o.id FROM organisations o"
        " WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.organisation_id = o.id)"
        " AND EXISTS (SELECT 1 FROM assessments a WHERE a.organisation_id = o.id"
        "  AND a.status = 'submitted' AND a.mode = 'self')"
        " AND NOT EXISTS (SELECT 1 FROM assessments a WHERE a.organisation_id = o.id"
        "  AND a.status = 'draft') ORDER BY o.id LIMIT ?",
        [count - len(people)],
    ).fetchall()
    for (organisation_id,) in free:
        email = f"load{organisation_id}@example.com"  # a second run (--port) takes other ones
        users.create(
            db,
            email=email,
            name=f"压测用户{organisation_id}",
            password=PASSWORD,
            role="enterprise",
            organisation_id=organisation_id,
        )
        people.append((organisation_id, email, PASSWORD))
    result = []
    for organisation_id, email, password in people:
        draft = assessments.draft_for(db, organisation_id)
        draft_id = draft["id"] if draft else None
        if draft_id is None:
            draft_id = assessments.create(
                db, organisation_id=organisation_id, questionnaire=q, created_by=None
            )
        rows = assessments.for_organisation(db, organisation_id)
        sector = db.execute(
            "SELECT sector FROM organisations WHERE id = ?", [organisation_id]
        ).fetchone()[0]
        result.append(
            Person(
                "enterprise",
                email,
                password,
                draft=draft_id,
                submitted=[
                    r["id"] for r in rows if r["status"] == "submitted" and r["mode"] == "self"
                ],
                revisions={k: s.revision for k, s in assessments.answers(db, draft_id).items()},
                complete=complete_answers(
                    versions, assessments.get(db, draft_id), sector, organisation_id
                ),
            )
        )
    return result


def prepare(database: str, q, count: int, versions) -> list[Person]:
    """The cast: about 1 in 8 authorities, 1 consultant, the rest enterprises of their own."""
    db = connect(database)
    authorities = [(e, p) for e, _, role, p, _ in ACCOUNTS if role == "authority"]
    authorities += [(PARK_ACCOUNT[0], PARK_ACCOUNT[2]), ("country-load@example.com", PASSWORD)]
    n_authorities = max(1, count // 8) if count > 1 else 0
    n_consultants = 1 if count > 2 else 0
    with write_transaction(db):
        if users.get_by_email(db, authorities[-1][0]) is None:  # made by an earlier run
            users.create(
                db,
                email=authorities[-1][0],
                name="全国",
                password=PASSWORD,
                role="authority",
                region_scope="",
            )
        people = enterprise_people(db, q, count - n_authorities - n_consultants, versions)
    people += [
        Person("authority", *authorities[i % len(authorities)]) for i in range(n_authorities)
    ]
    email, password = next((e, p) for e, _, role, p, _ in ACCOUNTS if role == "consultant")
    consultant_id = users.get_by_email(db, email)["id"]
    clients = [c["id"] for c in grants.clients(db, consultant_id)]
    seen = [
        a["id"]
        for c in clients
        for a in assessments.for_organisation(db, c)
        if a["status"] == "submitted"
        and (a["mode"] == "self" or a["consultant_id"] == consultant_id)
    ]
    if n_consultants:
        people.append(Person("consultant", email, password, seen, clients=clients))
    db.close()
    return people


class Load:
    """The shared record of one run: timings per kind, errors, acknowledged answers."""

    def __init__(self, port: int, seconds: float, think: float, reports: float, submits: float):
        self.port, self.think, self.seconds, self.reports = port, think, seconds, reports
        self.submits = submits
        self.submitted: list[int] = []  # the drafts submitted in this run
        self.deadline = time.perf_counter() + seconds
        self.timings: list[tuple[str, float]] = []
        self.errors: list[str] = []
        self.acked: dict[tuple[int, str], tuple[object, int]] = {}
        self.reports_asked: set[tuple[int, str]] = set()
        self.lock = threading.Lock()

    def running(self) -> bool:
        return time.perf_counter() < self.deadline

    def pause(self, rng: random.Random, low: float, high: float) -> None:
        """A think time, cut short at the end of the run."""
        if self.think:
            left = self.deadline - time.perf_counter()
            time.sleep(max(0.0, min(rng.uniform(low, high) * self.think, left)))

    def call(self, browser, kind, method, path, body=None, headers=None, expected=()):
        """One request, timed under its kind; (None, b"") after a connection error."""
        start = time.perf_counter()
        try:
            status, data = browser.request(method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"{kind}: {method} {path}: {error!r}")
            return None, b""
        elapsed = time.perf_counter() - start
        if status in expected:
            kind = f"{kind} ({status})"
        elif not 200 <= status < 400:
            self.errors.append(f"{kind}: {method} {path}: HTTP {status} {data[:120]!r}")
        self.timings.append((kind, elapsed))
        return status, data

    def log_in(self, person: Person, rng: random.Random) -> Browser | None:
        """A new session, after a random arrival in the first tenth of the run (at most 5 s)."""
        self.pause(rng, 0, min(5.0, self.seconds / 10) / (self.think or 1))
        browser = Browser(self.port, timeout=120)
        status, page = self.call(browser, "login", "GET", "/login")
        if status != 200:
            return None
        form = {"email": person.email, "password": person.password, "csrf_token": csrf_token(page)}
        status, _ = self.call(browser, "login", "POST", "/login", urlencode(form).encode(), FORM)
        if status != 302:
            self.errors.append(f"login: {person.email} refused (HTTP {status})")
            return None
        return browser

    def autosave(self, browser, token: str, person: Person, item: str, value: str) -> None:
        person.revisions[item] = revision = person.revisions.get(item, 0) + 1
        body = json.dumps({"answers": [{"item": item, "value": value, "revision": revision}]})
        headers = {"Content-Type": "application/json", "X-CSRFToken": token}
        path = f"/assessments/{person.draft}/answers"
        status, data = self.call(browser, "autosave", "POST", path, body.encode(), headers)
        if status != 200:
            return
        self.acknowledged(person, json.loads(data)["results"], f"{value} r{revision}")

    def acknowledged(self, person: Person, results: list[dict], sent: str = "") -> None:
        """Keep what the server acknowledged saving; anything else it answered is an error."""
        for result in results:
            if result["status"] in ("saved", "unchanged"):
                value = result["value"]
                value = tuple(value) if isinstance(value, list) else value  # multiple choice
                self.acked[(person.draft, result["item"])] = (value, result["revision"])
            else:
                self.errors.append(f"autosave: {result['item']} {sent}: {result}")

    def submit(self, browser, person: Person) -> None:
        """Complete the draft in one autosave (every answer of `complete` not yet given as it
        is there), open the submit page and submit, as a person who finished does."""
        entries = []
        for item, (value, reason) in person.complete.items():
            revision = person.revisions.get(item, 0) + 1
            person.revisions[item] = revision
            entries.append({"item": item, "value": value, "reason": reason, "revision": revision})
        draft = f"/assessments/{person.draft}"
        status, page = self.call(browser, "submit page", "GET", f"{draft}/submit")
        if status != 200:
            return
        headers = {"Content-Type": "application/json", "X-CSRFToken": csrf_token(page)}
        body = json.dumps({"answers": entries}).encode()
        status, data = self.call(
            browser, "autosave, all", "POST", f"{draft}/answers", body, headers
        )
        if status != 200:
            return
        self.acknowledged(person, json.loads(data)["results"], "(completing)")
        form = {"confirm_submit": "1", "confirm_carried": "1", "csrf_token": csrf_token(page)}
        status, data = self.call(
            browser, "submit", "POST", f"{draft}/submit", urlencode(form).encode(), FORM
        )
        if status != 302:  # refused: the page again, with what is missing
            self.errors.append(f"submit: {draft} refused (HTTP {status})")
            return
        with self.lock:
            self.submitted.append(person.draft)
        person.submitted.insert(0, person.draft)  # its newest result: downloaded from now on
        person.draft = None

    def report(self, browser, rng: random.Random, person: Person) -> None:
        """A download as a browser makes it: the PDF at once when it is cached, else the page
        that says 正在生成…, whose script reads the job's status when the status says to look
        again (when the render should be done by its typical time, at least 0.15 s and at most
        1 s away; 1 s while it waits) and then asks for the PDF again.
        Timed from the first request to the PDF."""
        # Mostly the latest assessment in Chinese: the first download renders, later ones are cached.
        latest = rng.random() < 0.75
        assessment_id = person.submitted[0] if latest else rng.choice(person.submitted)
        key = (assessment_id, "zh" if rng.random() < 0.75 else "en")
        with self.lock:
            kind = "report, cached" if key in self.reports_asked else "report, first render"
            self.reports_asked.add(key)
        path = f"/assessments/{key[0]}/report.pdf?lang={key[1]}"
        start = time.perf_counter()
        status, data = self.call(browser, "report request", "GET", path, expected=(202,))
        if status == 202:
            status_url = STATUS_URL.search(data).group(1).decode()
            deadline = time.perf_counter() + 120
            wait = float(LOOK_AGAIN.search(data).group(1))
            while True:
                time.sleep(wait)
                status, body = self.call(browser, "report status", "GET", status_url)
                state = json.loads(body)["state"] if status == 200 else "error"
                if state == "ready":
                    break
                if state not in ("queued", "rendering") or time.perf_counter() > deadline:
                    self.errors.append(f"{kind}: {path}: {state} {body[:120]!r}")
                    return
                wait = json.loads(body).get("look_again") or 1.0
            status, data = self.call(browser, "report request", "GET", path)
            kind = "report, first render" if kind == "report, cached" else kind
        if status != 200 or not data.startswith(b"%PDF"):
            self.errors.append(f"{kind}: {path}: not a PDF (HTTP {status}) {data[:80]!r}")
            return
        with self.lock:
            self.timings.append((kind, time.perf_counter() - start))


def enterprise(load: Load, person: Person, rng: random.Random, q, options: list[str]) -> None:
    """Answer (a wizard page, then autosaves), browse, or download a report."""
    browser = load.log_in(person, rng)
    draft = f"/assessments/{person.draft}"
    pages = wizard.pages(q)
    answerable = [p for p in pages if p.kind == "cmmm"]
    browse = ["/assessments", "/history", draft] + [
        f"/assessments/{a}/results{suffix}" for a in person.submitted for suffix in ("", ".json")
    ]
    actions = 0
    while browser and load.running():
        share = load.reports if person.submitted else 0
        submits = load.submits if person.draft and actions >= 3 else 0
        activity = rng.choices(
            ("answer", "browse", "report", "submit"),
            (
                5 * (1 - share) * (1 - submits) if person.draft else 0,
                4 * (1 - share) * (1 - submits),
                9 * share * (1 - submits),
                9 * submits,
            ),
        )
        actions += 1
        if activity[0] == "submit":
            load.submit(browser, person)
            if person.draft is None:  # submitted: its pages now are its results
                browse = [
                    f"/assessments/{a}/results{suffix}"
                    for a in person.submitted
                    for suffix in ("", ".json")
                ] + ["/assessments", "/history"]
            load.pause(rng, 2, 5)
        elif activity[0] == "answer":
            page = rng.choice(answerable)
            status, html = load.call(browser, "wizard page", "GET", f"{draft}/pages/{page.id}")
            load.pause(rng, 1, 3)
            if status != 200:
                continue
            token = csrf_token(html)
            for item in rng.sample(page.item_ids, min(len(page.item_ids), rng.randint(2, 6))):
                if not load.running():
                    break
                load.autosave(browser, token, person, item, rng.choice(options))
                load.pause(rng, 0.2, 1.0)
        elif activity[0] == "browse":
            if person.draft and rng.random() < 0.3:
                load.call(browser, "wizard page", "GET", f"{draft}/pages/{rng.choice(pages).id}")
            else:
                load.call(browser, "browse", "GET", rng.choice(browse))
            load.pause(rng, 1, 4)
        else:
            load.report(browser, rng, person)
            load.pause(rng, 3, 8)


def consultant(load: Load, person: Person, rng: random.Random, *_) -> None:
    """The portfolio, client pages and client results."""
    browser = load.log_in(person, rng)
    paths = ["/consultant"] + [f"/consultant/clients/{c}" for c in person.clients]
    paths += [f"/assessments/{a}/results" for a in person.submitted]
    while browser and load.running():
        load.call(browser, "browse", "GET", rng.choice(paths))
        load.pause(rng, 1, 4)


def authority(load: Load, person: Person, rng: random.Random, *_) -> None:
    """The dashboard page or its JSON twin, of its scope or a region seen in it."""
    browser = load.log_in(person, rng)
    regions = [""]  # its own scope; then regions seen in its dashboards
    while browser and load.running():
        region = rng.choice(regions)
        query = f"?region={region}" if region else ""
        if rng.random() < 0.5:
            load.call(browser, "dashboard page", "GET", f"/authority{query}")
        else:
            status, data = load.call(
                browser, "dashboard JSON", "GET", f"/authority/dashboard.json{query}"
            )
            if status == 200 and len(regions) < 40:
                rows = json.loads(data)["breakdowns"].get("regions", {}).get("rows", [])
                regions += [r["code"] for r in rows if r.get("code") and r["code"] not in regions]
        load.pause(rng, 2, 6)


ROLES = {"enterprise": enterprise, "consultant": consultant, "authority": authority}


def play(load: Load, person: Person, seed: int, q, options: list[str]) -> None:
    """One simulated user until the time is up; a crash of the simulation counts as an error."""
    try:
        ROLES[person.role](load, person, random.Random(seed), q, options)
    except Exception as error:
        load.errors.append(f"{person.role} {person.email}: simulation failed: {error!r}")


def ready(port: int) -> None:
    """Wait until a worker answers (the port opens before the workers have booted)."""
    for _ in range(300):
        try:
            if Browser(port, timeout=5).request("GET", "/login")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def lost_answers(database: str, acked: dict) -> int:
    """Items whose stored answer is not the last one the server acknowledged."""
    db = connect(database)
    stored: dict[int, dict] = {}
    lost = 0
    for (assessment_id, item), (value, revision) in acked.items():
        if assessment_id not in stored:
            stored[assessment_id] = assessments.answers(db, assessment_id)
        found = stored[assessment_id].get(item)
        lost += found is None or (found.answer.value, found.revision) != (value, revision)
    db.close()
    return lost


def run_mix(args, share: float) -> tuple[Load, float, int]:
    """One run on a fresh demo database with this share of report downloads."""
    with tempfile.TemporaryDirectory() as tmp:
        database = os.path.join(tmp, "load.sqlite")
        build_demo(tmp, database)
        os.environ["ASSESS_INSTANCE_PATH"] = tmp
        with gunicorn(database, tmp, args.workers, args.render_workers) as port:
            return drive(args, share, port, database)


def drive(args, share: float, port: int, database: str) -> tuple[Load, float, int]:
    """The users of one run against a server on this port whose database (with the demo's
    accounts) is this file."""
    app = ready_app({"SECRET_KEY": "bench", "DATABASE": database})
    with app.app_context():
        q, versions = questionnaires.latest(), questionnaires.versions()
    people = prepare(database, q, args.users, versions)
    options = [o.id for o in q.scales[q.cmmm.scale].options]
    cast = {role: sum(p.role == role for p in people) for role in ROLES}
    server = (
        f"gunicorn {args.workers} sync workers, {args.render_workers} render worker(s) on the"
        " embedded queue"
        if args.port is None
        else f"the server on port {args.port}"
    )
    print(
        f"settings: {server}, {len(people)} users "
        f"({', '.join(f'{n} {role}' for role, n in cast.items())}), "
        f"{args.seconds:g} s, think times x{args.think:g}, report share {share:g},"
        f" submit share {args.submits:g}",
        flush=True,
    )
    ready(port)
    load = Load(port, args.seconds, args.think, share, args.submits)
    threads = [
        threading.Thread(target=play, args=(load, p, i, q, options)) for i, p in enumerate(people)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    lost = lost_answers(database, load.acked)
    report(load, elapsed, lost)
    return load, elapsed, lost


PAGES = ("wizard page", "browse", "dashboard page", "autosave")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--render-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--think", type=float, default=1.0, help="think time factor; 0: none")
    parser.add_argument(
        "--reports", type=float, default=0.1, help="share of enterprise actions that are downloads"
    )
    parser.add_argument(
        "--submits",
        type=float,
        default=0.05,
        help="share of an enterprise's actions (after its third) that complete and submit its"
        " draft, once",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="drive a server already running on 127.0.0.1:PORT (one run, no comparison)",
    )
    parser.add_argument(
        "--database", help="with --port: that server's database (it must hold the demo data)"
    )
    args = parser.parse_args()
    if args.port is not None:
        if not args.database:
            parser.error("--port needs --database")
        load, _, lost = drive(args, args.reports, args.port, args.database)
        sys.exit(1 if load.errors or lost else 0)
    busy = os.getloadavg()[0]  # other work on the machine skews every figure: say so
    print(
        f"machine: {os.cpu_count()} CPUs, load average {busy:.1f} before the run,"
        f" Python {platform.python_version()}, {platform.system()}"
    )
    runs = {share: run_mix(args, share) for share in (args.reports, 0.0)}
    print(f"load average {os.getloadavg()[0]:.1f} after the runs")
    with_reports, without = (p99s(runs[share][0]) for share in (args.reports, 0.0))
    print(f"p99 with report share {args.reports:g} vs 0 (targets: <= 250 ms and <= 2x without)")
    for kind in PAGES:
        a, b = with_reports.get(kind), without.get(kind)
        if a is None or b is None:
            continue
        verdict = "ok" if a <= 250 and a <= 2 * b else "MISSED"
        print(f"  {kind:<16}{a:>8.0f} ms {b:>8.0f} ms  x{a / b:4.1f}  {verdict}")
    renders = sorted(t for k, t in runs[args.reports][0].timings if k == "report, first render")
    if renders:
        print(
            f"  first render to PDF: p50 {percentile(renders, 0.5):.2f} s"
            f" (target <= 2 s), p99 {percentile(renders, 0.99):.2f} s, {len(renders)} renders"
        )
    failed = any(load.errors or lost for load, _, lost in runs.values())
    sys.exit(1 if failed else 0)


def p99s(load: Load) -> dict[str, float]:
    by_kind: dict[str, list[float]] = {}
    for kind, seconds in load.timings:
        by_kind.setdefault(kind, []).append(seconds * 1000)
    return {kind: percentile(sorted(times), 0.99) for kind, times in by_kind.items()}


def report(load: Load, elapsed: float, lost: int) -> None:
    """Print throughput, latency per kind, errors and lost answers."""
    by_kind: dict[str, list[float]] = {}
    for kind, seconds in load.timings:
        by_kind.setdefault(kind, []).append(seconds * 1000)
    total = len(load.timings)
    print(f"requests: {total} in {elapsed:.1f} s = {total / elapsed:.1f} requests/s")
    print(f"  {'kind':<24}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind, times in sorted(by_kind.items()):
        times.sort()
        print(
            f"  {kind:<24}{len(times):>7}{percentile(times, 0.5):>9.0f}"
            f"{percentile(times, 0.99):>9.0f}{times[-1]:>9.0f}"
        )
    print(f"submissions: {len(load.submitted)}")
    print(f"errors: {len(load.errors)}")
    for sample in load.errors[:5]:
        print(f"  {sample}")
    print(f"answers lost: {lost} (of {len(load.acked)} items with an acknowledged autosave)")


if __name__ == "__main__":
    main()
