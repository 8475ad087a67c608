"""Prometheus metrics of the web app: requests by route (the URL rule, never the raw path)
and status, their latency, autosaves, submissions, and the render queue's length (asked at each
scrape). /metrics is not public: only from METRICS_ALLOW's addresses or with METRICS_TOKEN as a
bearer token. Under gunicorn every worker counts in its own file and a scrape reads them all
(assess/report/metrics.py)."""

from __future__ import annotations

import hmac
import ipaddress
import time

from flask import Flask, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from assess.assessment import submission
from assess.config import ConfigError
from assess.report import metrics
from assess.report.queue import QueueUnavailable, RenderQueue
from assess.web import autosave

REQUESTS = Counter(
    "assess_http_requests_total",
    "Requests answered, by method, route (the URL rule) and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "assess_http_request_seconds",
    "Time to answer a request, by method and route (the URL rule).",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
AUTOSAVES = Counter(
    "assess_autosaves_total",
    "Autosave requests answered, by status and outcome (saved, partly refused, refused, stale).",
    ["status", "outcome"],
)
SUBMISSIONS = Counter("assess_submissions_total", "Assessments submitted.")

AUTOSAVE_ENDPOINTS = frozenset({"wizard.autosave"})
UNMATCHED = "(unmatched)"  # a path no route answers: one label, whatever was asked


class QueueLength:
    """The render queue's length at the scrape (-1 and up 0 when it cannot be reached)."""

    def __init__(self, queue: RenderQueue) -> None:
        self.queue = queue

    def collect(self):
        try:
            length, up = self.queue.length(), 1
        except QueueUnavailable:
            length, up = -1, 0
        yield GaugeMetricFamily(
            "assess_render_queue_length", "Renders waiting (queued and retries).", value=length
        )
        yield GaugeMetricFamily(
            "assess_render_queue_up", "Whether the render queue answered.", value=up
        )


def exposition() -> tuple[bytes, str]:
    """The text a Prometheus scrape reads."""
    queue = QueueLength(current_app.extensions["render_queue"])
    return generate_latest(metrics.registry(queue)), CONTENT_TYPE_LATEST


def may_read() -> bool:
    """Whether this request may read /metrics: from an allowed address (after PROXY_COUNT's
    proxies), or with the configured bearer token."""
    token = current_app.config["METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.extensions["metrics_allow"])


def _start() -> None:
    g.metrics_start = time.perf_counter()


def _count(response):
    start = g.pop("metrics_start", None)
    if start is None:  # a request refused before the app's own hooks ran
        return response
    route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    REQUESTS.labels(request.method, route, str(response.status_code)).inc()
    LATENCY.labels(request.method, route).observe(time.perf_counter() - start)
    if request.endpoint in AUTOSAVE_ENDPOINTS:
        # a 200 says how it went (autosave_answered); any other answer kept nothing
        outcome = g.pop("autosave_outcome", None) or autosave.REFUSED
        AUTOSAVES.labels(str(response.status_code), outcome).inc()
    return response


def autosave_answered(body: dict) -> None:
    """Note how an autosave answered (its JSON body), for assess_autosaves_total's outcome."""
    g.autosave_outcome = autosave.save_outcome(body)


def _submitted(assessment_id: int, language: str) -> None:
    SUBMISSIONS.inc()


def _networks(values: list[str]) -> list:
    try:
        return [ipaddress.ip_network(value, strict=False) for value in values]
    except (TypeError, ValueError) as error:
        raise ConfigError(
            f"METRICS_ALLOW: addresses or networks, such as 10.0.0.0/8: {error}"
        ) from error


def init_app(app: Flask) -> None:
    app.extensions["metrics_allow"] = _networks(app.config["METRICS_ALLOW"])
    app.before_request(_start)
    app.after_request(_count)
    if _submitted not in submission.AFTER_SUBMIT:
        submission.AFTER_SUBMIT.append(_submitted)
