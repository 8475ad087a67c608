"""The deployment files: no container engine runs here, so the Dockerfile's and compose file's
references are checked against the repository, and the image's entrypoint script runs on the
host as the container would run it: against a temporary instance folder, the deploy step, then
gunicorn with the shipped configuration answering /healthz and /metrics; and the render worker."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
ENTRYPOINT = DEPLOY / "entrypoint.sh"
BIN = Path(sys.executable).parent


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", re.sub(r"^\s*#.*\n", "", dockerfile, flags=re.M))
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in text.splitlines()
        if line.strip()
    ]


def test_the_dockerfile_copies_what_exists_and_installs_what_the_makefile_does():
    steps = instructions(DOCKERFILE)
    bases = [args for op, args in steps if op == "FROM"]
    assert bases and all(re.match(r"python:3\.11-slim-bookworm\b", b) for b in bases)  # Debian 12
    for op, args in steps:
        if op == "COPY" and "--from=" not in args:
            *sources, _ = shlex.split(args)
            for source in sources:
                assert (ROOT / source).exists(), source
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    needed = {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-noto-cjk"}
    needed.add("fonts-noto-color-emoji")  # a name's emoji prints, not an empty box
    assert needed <= set(re.search(r"DEB_PACKAGES := (.*)", makefile).group(1).split())
    installs = " ".join(args for op, args in steps if op == "RUN" and "apt-get install" in args)
    assert needed <= set(installs.split())
    # the wheel is built (with the compiled catalogues) and installed, not the source tree
    assert any("pybabel compile" in a and "pip wheel" in a for op, a in steps if op == "RUN")
    assert any(re.search(r"pip install .*assess-\*\.whl", a) for op, a in steps if op == "RUN")
    # it runs as a user that is not root, through the entrypoint, the web app by default
    users = [args for op, args in steps if op == "USER"]
    assert users and users[-1] not in ("root", "0")
    (entrypoint,) = [json.loads(a) for op, a in steps if op == "ENTRYPOINT"]
    copied = dict(
        reversed(shlex.split(a)) for op, a in steps if op == "COPY" and len(shlex.split(a)) == 2
    )
    assert Path(copied[entrypoint[0]]) == Path("deploy/entrypoint.sh")
    assert [json.loads(a) for op, a in steps if op == "CMD"] == [["web"]]
    assert "/healthz" in " ".join(a for op, a in steps if op == "HEALTHCHECK")


def test_the_compose_file_runs_web_worker_and_redis_with_volumes():
    services = COMPOSE["services"]
    assert set(services) == {"web", "worker", "redis"}
    assert services["web"]["command"][0] == "web" and services["worker"]["command"][0] == "worker"
    for name in ("web", "worker"):
        assert services[name]["environment"]["ASSESS_REPORT_QUEUE"] == "redis://redis:6379/0"
    web = services["web"]
    mounts = {volume.split(":")[1] for volume in web["volumes"]}
    env = web["environment"]
    assert {env["ASSESS_DATABASE"].rsplit("/", 1)[0], env["ASSESS_EVIDENCE_DIR"]} <= mounts
    assert env["ASSESS_REPORT_CACHE_DIR"] in mounts
    assert {v.split(":")[0] for v in web["volumes"]} <= set(COMPOSE["volumes"])
    # a worker needs no database, evidence or secret key
    assert "volumes" not in services["worker"]
    assert not {"ASSESS_DATABASE", "ASSESS_SECRET_KEY"} & set(services["worker"]["environment"])
    # the worker's options are render-worker's
    from assess.cli.worker import render_worker_command

    options = {o for p in render_worker_command.params for o in p.opts}
    given = [a for a in services["worker"]["command"][1:] if a.startswith("--")]
    assert set(given) <= options


def test_the_systemd_units_start_the_entrypoint_the_guide_installs():
    for unit, role in (("assess-web.service", "web"), ("assess-worker.service", "worker")):
        text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
        (start,) = re.findall(r"^ExecStart=(.*)$", text, re.M)
        assert start.split()[:2] == ["/srv/assess/deploy/entrypoint.sh", role]
        assert "User=assess" in text


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers=headers or {}), timeout=5
        ) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def healthz_count(port: int) -> float:
    status, text = get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200
    line = rb'assess_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)'
    return float(re.search(line, text).group(1))


@pytest.fixture
def host_env(tmp_path):
    """The container's environment, on the host: the virtualenv's flask and gunicorn first on
    PATH, an instance folder of its own, production settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSESS_", "PROMETHEUS_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        ASSESS_ENV="production",
        ASSESS_SECRET_KEY="entrypoint-test-key",
        ASSESS_INSTANCE_PATH=str(tmp_path / "instance"),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
        WEB_CONCURRENCY="2",
    )
    return env


def test_the_entrypoint_deploys_then_serves_a_healthy_app_with_the_shipped_config(
    tmp_path, host_env
):
    port = free_port()
    log = open(tmp_path / "web.log", "w+")  # noqa: SIM115  # read after the process ends
    server = subprocess.Popen(
        ["sh", str(ENTRYPOINT), "web", "--bind", f"127.0.0.1:{port}"],
        env={**host_env, "ASSESS_LOG_FORMAT": "json"},
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        status, body = 0, b""
        for _ in range(1800):  # the deploy step and the workers boot first (a busy machine)
            if server.poll() is not None:
                break
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200, body
        checks = json.loads(body)["checks"]
        assert {name for name, check in checks.items() if check["ok"]} == set(checks)
        before = healthz_count(port)
        for _ in range(4):
            assert get(f"http://127.0.0.1:{port}/healthz")[0] == 200
        # every worker's count, summed across the processes (whichever worker answers)
        assert healthz_count(port) == before + 4
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    log.seek(0)
    output = log.read()
    log.close()
    instance = tmp_path / "instance"
    assert (instance / "assess.sqlite").exists()  # the deploy step made the database
    assert "Applied migrations:" in output and "Dashboards prepared:" in output
    assert "Booting worker" in output
    assert len(list((tmp_path / "metrics").glob("histogram_*.db"))) >= 2  # a file per worker
    assert server.returncode == 0


def test_the_entrypoint_starts_a_render_worker(tmp_path, host_env):
    worker = subprocess.Popen(
        ["sh", str(ENTRYPOINT), "worker", "--workers", "1"],
        env=host_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = ""
        deadline = time.monotonic() + 120
        while "Render worker:" not in line and time.monotonic() < deadline:
            line = worker.stdout.readline()
            if not line and worker.poll() is not None:
                break
        assert "Render worker: 1 process(es) on" in line
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.communicate(timeout=90)
