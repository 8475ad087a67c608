"""For whoever runs the service: /healthz for the load balancer (anonymous, JSON, 200 or 503)
and /metrics for Prometheus (from allowed addresses or with the bearer token only)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify

from assess.web import health
from assess.web import metrics as exporter
from assess.web.access import PUBLIC, allow

bp = Blueprint("operations", __name__)


@bp.get("/healthz")
@allow(PUBLIC)
def healthz():
    ok, checks = health.checks()
    return jsonify({"status": "ok" if ok else "failing", "checks": checks}), 200 if ok else 503


@bp.get("/metrics")
@allow(PUBLIC)  # not public: may_read() decides by address or token, not by role
def metrics():
    if not exporter.may_read():
        abort(403)
    body, content_type = exporter.exposition()
    return Response(body, content_type=content_type)
