"""Helpers shared by the benchmarks that drive gunicorn over loopback."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF_FIELD = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """A tiny cookie-keeping HTTP client for one simulated user."""

    def __init__(self, port: int, timeout: float = 30):
        self.port, self.timeout, self.cookies = port, timeout, {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        all_headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, data

    def csrf(self, path: str) -> str:
        _, page = self.request("GET", path)
        return csrf_token(page)


def csrf_token(page: bytes) -> str:
    """The CSRF token of the first form on a page, as a browser would post it."""
    return CSRF_FIELD.search(page).group(1).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(database: str, instance: str, workers: int, render_workers: int = 1) -> Iterator[int]:
    """The app under gunicorn (production settings) on a free loopback port, with render
    workers on its embedded queue (`flask render-worker`, as `make run` starts them); yields
    the port."""
    port = free_port()
    env = {
        **os.environ,
        "ASSESS_DATABASE": database,
        "ASSESS_INSTANCE_PATH": instance,
        "ASSESS_SECRET_KEY": "bench-secret",
        "ASSESS_ENV": "production",
        "ASSESS_SESSION_COOKIE_SECURE": "false",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "assess:create_app()",
        ],
        env=env,
        cwd=ROOT,
    )
    renderer = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/flask"),
            "--app",
            "assess",
            "render-worker",
            "--workers",
            str(render_workers),
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        renderer.terminate()
        server.wait(10)
        renderer.wait(30)


def percentile(ordered: list[float], fraction: float) -> float:
    """The value at this fraction of an ascending list (nearest rank)."""
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def ready_app(test_config: dict):
    """An app whose database had the deploy step (`init-db`): migrations and derived data."""
    from assess import create_app
    from assess.cli.database import init_database

    app = create_app(test_config)
    init_database(app)
    return app
