"""The API's example client (docs/api_client.py) run as a user runs it, against the app served
on a loopback port: an authority pulls its recognised factories as CSV; a consultancy assesses
a client on site and downloads the verified report."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from assess.demo.synthetic import answers_for_outcome
from assess.scoring.verification import verifiable
from assess.store.database import write_transaction
from tests.support import api_token, recognise

CLIENT = Path(__file__).resolve().parent.parent / "docs" / "api_client.py"


@pytest.fixture
def live(app):
    """The app on a loopback port, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def run_client(live: str, token: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CLIENT), "--base", live, *args],
        env={**os.environ, "ASSESS_API_TOKEN": token},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def sent_answer(answer):
    """An answer as the client's JSON file holds it: its value, with its reason if it has one."""
    value = list(answer.value) if isinstance(answer.value, tuple) else answer.value
    return {"value": value, "reason": answer.reason} if answer.reason else value


def test_an_authority_pulls_its_recognised_factories_as_csv(app, db, accounts, live, tmp_path):
    from tests.programme import submitted

    with app.app_context():
        from assess.web import questionnaires

        q = questionnaires.latest()
    made = {}
    for name, region in (
        ("苏州精锐数控机床有限公司", "320505"),
        ("杭州启明智能控制有限公司", "330106"),
    ):
        organisation = accounts.organisation(name=name, region_code=region)
        with write_transaction(db):
            assessment = submitted(db, q, organisation, "basic")
        recognise(db, organisation, assessment, 2026, region)
        made[name] = organisation
    accounts.user("authority", email="jiangsu@example.com", region_scope="32")
    token = api_token(db, "jiangsu@example.com", "read")
    out = tmp_path / "recognised.csv"
    done = run_client(live, token, "authority", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["序号", "企业", "统一社会信用代码"]
    assert [row[1] for row in rows[1:]] == ["苏州精锐数控机床有限公司"]  # not Zhejiang's
    # a filter that matches nothing gives the headers only; a bad token is refused, nothing written
    assert run_client(live, token, "authority", "--out", str(out), "--year", "2025").returncode == 0
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1
    refused = run_client(
        live, "ast_000000000000_nothing", "authority", "--out", str(tmp_path / "x")
    )
    assert refused.returncode == 1
    assert "401 invalid_token" in refused.stderr
    assert not (tmp_path / "x").exists()


def test_a_consultancy_assesses_a_client_on_site_and_downloads_the_verified_report(
    app, db, accounts, live, tmp_path, monkeypatch
):
    from assess.report import jobs
    from assess.store import assessments, grants, users
    from assess.web import documents

    # the report is queued at the first ask (202: the client waits as told), its render fails
    # at the second (503: the client asks again with retry=1), and is made at the third
    asked, requested = [], documents.requested

    def queued_then_failed(key, html, retry=None):
        from flask import request

        asked.append(request.args.get("retry"))
        if len(asked) == 1:
            return jobs.Status("queued", position=1)
        if len(asked) == 2:
            return jobs.Status("failed", error="killed")
        return requested(key, html, retry)

    monkeypatch.setattr(documents, "requested", queued_then_failed)

    with app.app_context():
        from assess.web import questionnaires

        q = questionnaires.latest()
    client = accounts.organisation(name="苏州精锐数控机床有限公司", region_code="320505")
    consultant = accounts.user("consultant", email="consultant@example.com", name="王顾问")
    accounts.confirm(consultant)  # submitting is for a proven address
    with write_transaction(db):
        grants.grant_registered(db, client, users.get_by_email(db, consultant)["id"])
    answers = answers_for_outcome(q, random.Random(5), "basic", sector="machine_tools")
    sent = {
        "answers": {item: sent_answer(answer) for item, answer in answers.items()},
        "evidence": {
            item: {"note": "现场查看记录与系统截图", "verified": True}
            for item in answers
            if verifiable(q, item)  # the rated and the deciding answers
        },
        "visits": [
            {"visit_date": date.today().isoformat(), "site": "总装车间", "participants": "厂长"}
        ],
    }
    (tmp_path / "answers.json").write_text(json.dumps(sent, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "report.pdf"

    def consultancy(scope: str, report: Path) -> subprocess.CompletedProcess:
        arguments = ["--client", str(client), "--answers", str(tmp_path / "answers.json")]
        token = api_token(db, consultant, scope)
        return run_client(live, token, "consultancy", *arguments, "--out", str(report))

    done = consultancy("write", out)
    assert done.returncode == 0, done.stderr
    [row] = [r for r in assessments.for_organisation(db, client) if r["mode"] == "consultant"]
    assert row["status"] == "submitted"
    assert out.read_bytes().startswith(b"%PDF")
    assert asked == [None, None, "1"]  # 202, 503, then the PDF asked for again
    text = subprocess.run(  # the verified report: its title, not 部分核实
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "现场评估报告" in text
    assert "部分核实" not in text
    # a token with only the read scope writes nothing: the run stops at its first request
    refused = consultancy("read", tmp_path / "none.pdf")
    assert (refused.returncode, "403 insufficient_scope" in refused.stderr) == (1, True)
    assert not (tmp_path / "none.pdf").exists()
