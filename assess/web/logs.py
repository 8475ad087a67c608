"""Logs: a request id for every request (a trusted proxy's X-Request-ID, else a new one) in
every log line of that request, in the response's X-Request-ID header and on error pages; and,
with LOG_FORMAT = "json", one JSON object a line on stderr (stdlib logging, our formatter)."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app, g, has_request_context, request
from flask.logging import default_handler

from assess.config import ConfigError

HEADER = "X-Request-ID"
# what a proxy's id may look like (nginx's $request_id is 32 hex digits): safe in a header, a
# log line and a page
GIVEN_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
QUIET = frozenset({"operations.healthz", "operations.metrics"})  # polled: their lines at DEBUG
FIELDS = ("method", "route", "path", "status", "duration_ms")
TEXT_FORMAT = "[%(asctime)s] %(levelname)s %(request_id)s %(name)s: %(message)s"
requests_log = logging.getLogger("assess.requests")


def request_id() -> str:
    """The id of the request under way ("-" outside a request)."""
    return (g.get("request_id") if has_request_context() else None) or "-"


def _with_request_id(make: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    """A log record factory that puts the request id on every record, of every logger and for
    every handler (Flask's, ours, pytest's)."""

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = make(*args, **kwargs)
        record.request_id = request_id()
        return record

    factory.assess = True  # type: ignore[attr-defined]
    return factory


def _tag_records() -> None:
    current = logging.getLogRecordFactory()
    if not getattr(current, "assess", False):
        logging.setLogRecordFactory(_with_request_id(current))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, process, the
    request fields of a request line, the exception's traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "pid": record.process,
        }
        entry.update({key: getattr(record, key) for key in FIELDS if hasattr(record, key)})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _assign() -> None:
    g.request_started = time.perf_counter()
    given = request.headers.get(HEADER, "")
    # only a proxy in front sets it; without one (PROXY_COUNT 0) a client could choose it
    trusted = int(current_app.config["PROXY_COUNT"]) > 0 and GIVEN_ID.fullmatch(given)
    g.request_id = given if trusted else uuid.uuid4().hex


def _tag(response):
    if "request_id" not in g:
        return response
    response.headers[HEADER] = g.request_id
    started = g.get("request_started", time.perf_counter())
    level = logging.DEBUG if request.endpoint in QUIET else logging.INFO
    route = request.url_rule.rule if request.url_rule is not None else None
    duration = round((time.perf_counter() - started) * 1000, 1)
    requests_log.log(
        level,
        "%s %s %s %.1f ms",
        request.method,
        request.path,
        response.status_code,
        duration,
        extra={
            "method": request.method,
            "route": route,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration,
        },
    )
    return response


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a line is written (not when it was made)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def json_to_stderr(level: str) -> None:
    """Every logger's lines as JSON on stderr, from this level (the app's and the render
    worker's processes); idempotent."""
    _drop_json()
    handler = _Stderr()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    _root_level.append(root.level)
    root.addHandler(handler)
    root.setLevel(level)


_root_level: list[int] = []  # the root's level before JSON lines were turned on
_removed: list[logging.Handler] = []  # Flask's handler, taken off while JSON lines are on


def _drop_json() -> None:
    """Back to the logging there was before json_to_stderr (an app made again as text)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(handler)
    if _root_level:
        root.setLevel(_root_level[0])
        _root_level.clear()


def configure(app: Flask) -> None:
    """The app's log lines: JSON on stderr (LOG_FORMAT json, from INFO: a line per request), or
    Flask's own handler with the request id in each line (text, from the root's level, WARNING
    unless set: gunicorn's access log has the requests). Once per process: the last app made
    decides."""
    form = app.config["LOG_FORMAT"]
    if form not in ("text", "json"):
        raise ConfigError(f'LOG_FORMAT must be "text" or "json", not {form!r}')
    level = app.config["LOG_LEVEL"] or "INFO"
    if form == "json":
        json_to_stderr(level)
        if default_handler in app.logger.handlers:  # the root's handler writes its lines
            app.logger.removeHandler(default_handler)
            _removed.append(default_handler)
    else:
        _drop_json()
        while _removed:
            app.logger.addHandler(_removed.pop())
        default_handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    # text without a level: as Flask leaves it (the root's level, e.g. the render worker's INFO)
    explicit = form == "json" or app.config["LOG_LEVEL"]
    logging.getLogger("assess").setLevel(level if explicit else logging.NOTSET)


def init_app(app: Flask) -> None:
    _tag_records()
    configure(app)
    app.before_request(_assign)
    app.after_request(_tag)
