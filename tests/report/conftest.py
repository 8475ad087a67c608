"""Fixtures of the report tests: a real redis-server of their own (on a free loopback port, in a
temporary folder, stopped after the test) and render workers as separate processes."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server in a folder of its own; stop() and start() again on the same port."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("Debian's redis-server is not installed (make test installs it as root)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


class Workers:
    """render-worker processes (each in a process group of its own, so that a test can kill
    one with everything it forked); all stopped at the end of the test."""

    def __init__(self, tmp_path: Path):
        self.tmp_path, self.started = tmp_path, []

    def start(self, queue_url: str, lease: float = 30.0, name: str = "worker") -> subprocess.Popen:
        folder = self.tmp_path / name
        folder.mkdir()
        env = {
            **os.environ,
            "ASSESS_INSTANCE_PATH": str(folder / "instance"),
            # no database, no evidence: paths in a folder that does not exist
            "ASSESS_DATABASE": str(folder / "absent" / "assess.sqlite"),
            "ASSESS_EVIDENCE_DIR": str(folder / "absent" / "evidence"),
            "ASSESS_REPORT_QUEUE": queue_url,
            "ASSESS_REPORT_LEASE": str(lease),
        }
        env.pop("ASSESS_ENV", None)
        log = (folder / "worker.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "assess", "render-worker", "--workers", "1"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        process.folder = folder
        self.started.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL to the worker and every process it forked: no chance to finish anything."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(10)


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    yield started
    started.stop_all()
