"""/api/docs: the API's OpenAPI document as a page to read (no script: the site's content
security policy allows none from elsewhere), with a link to the document itself."""

from __future__ import annotations

from flask import Blueprint, render_template

from assess.web import api
from assess.web.access import PUBLIC, allow

bp = Blueprint("api_docs", __name__)


@bp.get("/api/docs")
@allow(PUBLIC)
def index():
    document = api.document()
    return render_template("api/docs.html", document=document, operations=api.operations(document))
