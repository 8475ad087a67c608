"""The API's own document and who a token acts for."""

from __future__ import annotations

import marshmallow as ma
from flask import g, jsonify
from flask_login import current_user

from assess.store.users import ROLES
from assess.web import api
from assess.web.access import PUBLIC, allow
from assess.web.api import N_

bp = api.blueprint("meta", __name__, "The API itself: its document, and who a token acts for.")


class Me(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    role = ma.fields.String(required=True, metadata={"enum": list(ROLES)})
    member_role = ma.fields.String(
        allow_none=True,
        metadata={"description": "in an enterprise's team: owner | contributor | viewer"},
    )
    organisation_id = ma.fields.Integer(allow_none=True)
    region_scope = ma.fields.String(allow_none=True)
    scopes = ma.fields.List(ma.fields.String(), required=True)


@bp.get("/openapi.json")
@allow(PUBLIC)
@bp.doc(security=[], summary=N_("This OpenAPI document"))
@bp.response(200, description=N_("the OpenAPI 3 document of this API"))
def openapi():
    return jsonify(api.document())


@bp.get("/me")
@allow(*ROLES)
@bp.doc(summary=N_("The account this token acts for, and the token's scopes"))
@bp.response(200, Me)
def me():
    return {
        "id": current_user.id,
        "name": current_user.name,
        "email": current_user.email,
        "role": current_user.role,
        "member_role": current_user.member_role,
        "organisation_id": current_user.organisation_id,
        "region_scope": current_user.region_scope,
        "scopes": sorted(g.api_scopes),
    }
