"""On-site visits through the API: a consultancy's client system records the visits of an
on-site assessment (one at least before it is submitted), as the check page does."""

from __future__ import annotations

import marshmallow as ma
from flask_babel import lazy_gettext as _l

from assess.assessment import on_site
from assess.assessment.answering import Locked
from assess.web import api
from assess.web.access import allow
from assess.web.api import N_
from assess.web.database import get_db
from assess.web.forms import one_line
from assess.web.login import current_actor

bp = api.blueprint("visits", __name__, "On-site visits of a consultant's on-site assessment.")
REFUSED = _l(
    "Give the date of the visit (not in the future, nor more than a year before the"
    " assessment was started) and the site visited."
)


class VisitBody(ma.Schema):
    visit_date = ma.fields.Date(required=True, metadata={"description": "YYYY-MM-DD"})
    site = api.Text(required=True, validate=ma.validate.Length(min=1, max=200))
    participants = api.Text(load_default="", validate=ma.validate.Length(max=1000))


class Visit(ma.Schema):
    visit_date = ma.fields.Date(required=True)
    site = ma.fields.String(required=True)
    participants = ma.fields.String(required=True)


@bp.post("/assessments/<int:assessment_id>/visits")
@allow("consultant")
@bp.doc(summary=N_("Record an on-site visit of your on-site assessment (a draft)"))
@bp.arguments(VisitBody)
@bp.response(201, Visit)
@bp.alt_response(404, description=N_("not your on-site draft"))
def add(body: dict, assessment_id: int):
    row = api.assessment_to_answer(assessment_id)
    if row["status"] != "draft" or row["mode"] != "consultant":
        api.refuse(404, "not_found")
    visit = {
        "visit_date": body["visit_date"],
        "site": one_line(body["site"])[:200],
        "participants": one_line(body["participants"])[:1000],
    }
    try:
        recorded = on_site.add_visit(get_db(), row, **visit, by=current_actor())
    except Locked:
        api.refuse(404, "not_found")
    if not recorded:
        api.refuse(422, "invalid", errors={"json": {"visit_date": [str(REFUSED)]}})
    return visit
