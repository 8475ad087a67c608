"""The questionnaires: the published versions, their items and answer scales (read)."""

from __future__ import annotations

import marshmallow as ma

from assess.questionnaire import document
from assess.questionnaire.versions import version_key
from assess.store.users import ROLES
from assess.web import api, questionnaires
from assess.web.access import allow
from assess.web.api import N_

bp = api.blueprint(
    "questionnaires", __name__, "The published questionnaire versions, their items and scales."
)


class TextSchema(ma.Schema):
    zh = ma.fields.String(required=True)
    en = ma.fields.String(required=True)


class OptionSchema(ma.Schema):
    id = ma.fields.String(required=True)
    label = ma.fields.Nested(TextSchema, allow_none=True)
    value = ma.fields.Float(allow_none=True, metadata={"description": "what scoring counts"})


class ScaleSchema(ma.Schema):
    id = ma.fields.String(required=True)
    options = ma.fields.List(ma.fields.Nested(OptionSchema), required=True)


class VersionSchema(ma.Schema):
    questionnaire = ma.fields.String(required=True)
    version = ma.fields.String(required=True)
    title = ma.fields.Nested(TextSchema, required=True)
    status = ma.fields.String(required=True)
    newest = ma.fields.Boolean(
        required=True, metadata={"description": "new assessments are answered under it"}
    )
    items = ma.fields.Integer(required=True, metadata={"description": "how many items"})
    scales = ma.fields.List(ma.fields.String(), required=True)


class VersionDetailSchema(VersionSchema):
    answer_scales = ma.fields.List(ma.fields.Nested(ScaleSchema), required=True)


class ItemSchema(ma.Schema):
    id = ma.fields.String(required=True)
    kind = ma.fields.String(
        required=True, metadata={"enum": ["question", "requirement", "step", "indicator"]}
    )
    part = ma.fields.String(
        required=True, metadata={"description": "section, sub-domain or scenario"}
    )
    text = ma.fields.Nested(TextSchema, allow_none=True)
    help = ma.fields.Nested(TextSchema, allow_none=True)
    conditional = ma.fields.Boolean(
        required=True, metadata={"description": "asked only when other answers say so"}
    )
    answer = ma.fields.String(
        required=True,
        metadata={
            "enum": ["option", "options", "number"],
            "description": "one option id, a list of option ids, or a number",
        },
    )
    scale = ma.fields.String(allow_none=True, metadata={"description": "its options' scale"})
    options = ma.fields.List(ma.fields.Nested(OptionSchema), required=True)
    not_applicable = ma.fields.Boolean(
        required=True, metadata={"description": "'na' is allowed (with a reason)"}
    )
    minimum = ma.fields.Float(allow_none=True)
    maximum = ma.fields.Float(allow_none=True)
    unit = ma.fields.Nested(TextSchema, allow_none=True)


VersionPage = api.page_schema(VersionSchema, "VersionPage")
ItemPage = api.page_schema(ItemSchema, "ItemPage")


def _published():
    versions = questionnaires.versions()
    found = [q for q in versions if versions.state(q) != "draft"]
    newest = {q.id: versions.latest(q.id).key for q in found}
    found.sort(key=lambda q: (q.id, version_key(q.version)), reverse=True)
    return found, newest, versions


def _version(questionnaire: str, version: str):
    versions = questionnaires.versions()
    try:
        q = versions.get(questionnaire, version)
    except KeyError:
        api.refuse(404, "not_found")
    if versions.state(q) == "draft":
        api.refuse(404, "not_found")
    return q


@bp.get("/questionnaires")
@allow(*ROLES)
@bp.doc(summary=N_("The published questionnaire versions, newest first"))
@bp.arguments(api.PageArgs, location="query", as_kwargs=True)
@bp.response(200, VersionPage)
def versions(**args):
    found, newest, states = _published()
    rows = [document.summary(q, newest.get(q.id) == q.key, states.state(q)) for q in found]
    return api.listing(rows, args, VersionSchema())


@bp.get("/questionnaires/<questionnaire>/<version>")
@allow(*ROLES)
@bp.doc(summary=N_("One published version with its answer scales"))
@bp.response(200, VersionDetailSchema)
def version(questionnaire: str, version: str):
    q = _version(questionnaire, version)
    _, newest, states = _published()
    summary = document.summary(q, newest.get(q.id) == q.key, states.state(q))
    body = {**summary, "answer_scales": document.scales(q)}
    return api.tagged(VersionDetailSchema().dump(body))


@bp.get("/questionnaires/<questionnaire>/<version>/items")
@allow(*ROLES)
@bp.doc(summary=N_("A version's answerable items in order, each with what its answer may be"))
@bp.arguments(api.PageArgs, location="query", as_kwargs=True)
@bp.response(200, ItemPage)
def items(questionnaire: str, version: str, **args):
    q = _version(questionnaire, version)
    return api.listing(document.items(q), args, ItemSchema())
