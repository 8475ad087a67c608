"""What a fuzz case is: a route, a method, the world's account that sends it, how to build a
request from generated data, and how to tell that the app refused it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.fuzz.strategies import one_of_ids
from tests.support import Accounts


@dataclass
class Context:
    app: object
    db: object
    accounts: Accounts
    w: dict
    q: object  # the questionnaire new assessments are answered under
    versions: object  # every installed version (assess.web.questionnaires.versions())
    monkeypatch: object
    cache: dict = field(default_factory=dict)

    def fresh_client(self):
        return self.app.test_client()


def refused_if_error(response, flashed_error: bool) -> bool:
    return response.status_code >= 400 or flashed_error


def refused_unless_redirect(response, flashed_error: bool) -> bool:
    return response.status_code != 302 or flashed_error


def always(response, flashed_error: bool) -> bool:
    """A GET: whatever it answers, it changes nothing but the audit log."""
    return True


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    role: str | None  # the world's account to log in as; None: a fresh anonymous client
    build: Callable  # (ctx, data) -> (url, request arguments)
    refused: Callable | None = refused_if_error  # None: partial saves, check validity only
    prepare: Callable | None = None  # (ctx) -> None, once before the examples
    name: str = ""

    @property
    def id(self) -> str:
        return self.name or f"{self.method} {self.endpoint} as {self.role or 'anonymous'}"


def ids(ctx, data, key: str) -> int:
    return one_of_ids(data, ctx.w[key])
