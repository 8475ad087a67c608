"""The region list for cascading selects: children of a region, as JSON."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify

from assess.regional import regions
from assess.web.access import PUBLIC, allow
from assess.web.i18n import lang

bp = Blueprint("regions", __name__)


@bp.get("/regions/<code>.json")
@allow(PUBLIC)
def children(code: str):
    """Provinces for code 'root'; otherwise the cities or counties under a region."""
    if code != "root" and regions.get(code) is None:
        abort(404)
    language = lang()
    rows = [
        {
            "code": region.code,
            "name": region.name(language),
            "leaf": region.code in regions.registrable(),
        }
        for region in regions.children(None if code == "root" else code)
    ]
    response = jsonify(rows)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    response.vary.add("Cookie")
    return response
