"""The status of a PDF being made, as JSON: what the page that waits for it reads."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from assess.web.access import allow
from assess.web.documents import KEY, shown, status

bp = Blueprint("documents", __name__)


@bp.get("/documents/<key>.json")
@allow("enterprise", "consultant", "authority", "admin")
def status_json(key: str):
    """Queued (where), rendering (how far), ready, failed or unavailable. The key is a cache key
    (a hash of the document): it says nothing of what the document holds, and the PDF itself
    is only sent by the document's own route, which checks who may read it."""
    if not KEY.fullmatch(key):
        abort(404)
    response = jsonify(shown(status(key)))
    response.headers["Cache-Control"] = "no-store"
    return response
