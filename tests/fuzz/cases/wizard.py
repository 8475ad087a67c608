"""Fuzz cases of the wizard: its pages (as the enterprise, as a consultant on site, after the
session expired), the autosave endpoint, starting and submitting; and the report and results an
assessment has."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from assess.assessment.evidence_quality import QUALITIES
from assess.questionnaire import pages as wizard
from assess.questionnaire.definition import NOT_APPLICABLE, Question, Requirement
from assess.store import users
from assess.web.questions import field_name
from tests.fuzz.cases.base import Case, always, ids
from tests.fuzz.strategies import (
    DEEP_JSON,
    INTS,
    JSON_ANY,
    LANG,
    LONE_SURROGATES,
    NASTY,
    SPECIAL,
    TEXT,
    encoded,
    form_body,
    mutated_pairs,
    one_of_ids,
    query,
)
from tests.support import PDF, PNG


def page_fields(ctx, assessment_id: int, page_id: str) -> dict[str, object]:
    """The inputs of a rendered wizard page, each with a valid value."""
    key = (assessment_id, page_id)
    if key not in ctx.cache:
        html = ctx.accounts.client.get(f"/assessments/{assessment_id}/pages/{page_id}")
        parser = InputNames()
        parser.feed(html.get_data(as_text=True))
        ctx.cache[key] = parser.inputs
    inputs = ctx.cache[key]
    values = {}
    items = {field_name(i): ctx.q.items[i] for i in wizard.page(ctx.q, page_id).item_ids}
    for name, value in inputs.items():
        _base, _, suffix = name.partition("--")
        if name == "csrf_token":
            continue
        if name in items:
            item = items[name]
            values[name] = valid_option(ctx.q, item)
        elif suffix == "reason":
            values[name] = "不适用的理由"
        elif suffix == "rev":
            values[name] = value or "1"
        elif suffix == "note":
            values[name] = "现场查看"
        elif suffix == "quality":
            values[name] = "documented"
        elif suffix == "verified":
            values[name] = "y"
        elif suffix == "file":
            values[name] = None
        else:
            values[name] = value
    values["go"] = "stay"
    return values


FIGURES = {"number": "12.5", "year": "2025"}  # a valid typed answer of each typed type


def valid_option(q, item) -> str:
    if item.type in FIGURES:
        return FIGURES[item.type]
    if isinstance(item, Question):
        return q.options_of(item)[0].id
    if isinstance(item, Requirement):
        return (
            NOT_APPLICABLE if item.not_applicable_allowed else q.scales[q.cmmm.scale].options[0].id
        )
    return q.scales[q.scenarios.scale].options[0].id


class InputNames(HTMLParser):
    """Names and values of a page's inputs, selects and text areas."""

    def __init__(self):
        super().__init__()
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "button" and attrs.get("name") in ("verify_page", "same_as_above"):
            # on site: the page's own actions (verify all, same evidence as above)
            self.inputs.setdefault(attrs["name"], attrs.get("value") or "")
            return
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") in ("radio", "checkbox") and attrs["name"] in self.inputs:
                return
            self.inputs.setdefault(attrs["name"], attrs.get("value") or "")


def wizard_page_post(assessment_key: str, uploads: bool):
    def build(ctx, data):
        assessment_id = ctx.w[assessment_key]
        page_ids = [p.id for p in wizard.pages(ctx.q)]
        page_id = data.draw(st.sampled_from(page_ids), label="page")
        pairs = mutated_pairs(data, page_fields(ctx, assessment_id, page_id))
        pairs = [(k, v) for k, v in pairs if v is not None]
        url = f"/assessments/{assessment_id}/pages/{page_id}"
        if data.draw(st.integers(0, 9), label="odd page") == 0:
            url = f"/assessments/{one_of_ids(data, [assessment_id])}/pages/{data.draw(TEXT)}"
        if uploads and data.draw(st.booleans(), label="files"):
            item = field_name(data.draw(st.sampled_from(wizard.page(ctx.q, page_id).item_ids)))
            content = data.draw(
                st.sampled_from(
                    [
                        PNG,
                        PDF,
                        b"",
                        b"<svg onload=alert(1)>",
                        b"RIFF0000WEBPVP8 ",
                        b"PK\x03\x04 not a document",
                        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy",
                        b"\xff\xd8\xff\xe1 truncated jpeg",
                    ]
                )
                | st.binary(max_size=64)
            )
            name = data.draw(NASTY | st.sampled_from(["../../x.png", "a\x00.pdf", "C:\\x\\y.pdf"]))
            files = [(item + "--file", (io.BytesIO(content), name or "f"))]
            return url, {"data": MultiDict(pairs + files), "content_type": "multipart/form-data"}
        return url, encoded(data, pairs)

    return build


def autosave_body(ctx, data, on_site: bool):
    item_ids = sorted(ctx.q.items)
    options = sorted(
        {
            o.id
            for item in ctx.q.items.values()
            if isinstance(item, Question)
            for o in ctx.q.options_of(item)
        }
        | {o.id for scale in ctx.q.scales.values() for o in scale.options}
        | {NOT_APPLICABLE, *FIGURES.values(), "-1", "1e9", "nan"}
    )
    item = st.sampled_from(item_ids) | TEXT | JSON_ANY
    value = st.sampled_from(options) | st.lists(st.sampled_from(options), max_size=3) | JSON_ANY
    revision = st.integers(1, 5) | INTS | JSON_ANY
    entry = st.fixed_dictionaries(
        {"item": item, "value": value, "revision": revision},
        optional={"reason": NASTY | JSON_ANY | LONE_SURROGATES},
    )
    note = st.fixed_dictionaries(
        {"item": item},
        optional={
            "note": NASTY | JSON_ANY | LONE_SURROGATES,
            "quality": st.sampled_from([*QUALITIES, None]) | JSON_ANY,
            "verified": JSON_ANY,
            "shown": TEXT | JSON_ANY,  # the evidence as the page showed it
        },
    )
    payload = data.draw(
        st.one_of(
            st.fixed_dictionaries(
                {"answers": st.lists(entry | JSON_ANY, max_size=4)},
                optional={"evidence": st.lists(note | JSON_ANY, max_size=3) | JSON_ANY},
            ),
            st.fixed_dictionaries({"answers": JSON_ANY}),
            st.just({"answers": [{"item": item_ids[0], "value": "x", "revision": 1}] * 201}),
            JSON_ANY,
        ),
        label="payload",
    )
    how = data.draw(st.sampled_from(["json"] * 6 + ["broken", "form", "deep"]), label="encoding")
    if how == "json":
        return {"data": json.dumps(payload), "content_type": "application/json"}
    if how == "deep":  # nested as deep as a parser goes, alone or as an answer's value
        deep = data.draw(DEEP_JSON, label="deep")
        wrapped = f'{{"answers": [{{"item": "{item_ids[0]}", "revision": 1, "value": {deep}}}]}}'
        body = data.draw(st.sampled_from([deep, wrapped]), label="where")
        return {"data": body, "content_type": "application/json"}
    if how == "broken":
        return {"data": json.dumps(payload)[:-1] + "\x00", "content_type": "application/json"}
    return {"data": {"answers": json.dumps(payload)}}


def owner_token(ctx) -> str:
    from assess.assessment import pending

    user = users.get_by_email(ctx.db, ctx.w["ent"])
    return pending.owner_token(
        ctx.app.config["SECRET_KEY"], user["id"], ctx.w["self_draft"], user["session_version"]
    )


CASES = [
    Case(
        "wizard.listing",
        "POST",
        "ent",
        lambda ctx, data: ("/organisation/listing", form_body(data, {"listed": "1"})),
        None,
    ),
    Case(
        "wizard.start",
        "POST",
        "ent",
        lambda ctx, data: ("/assessments/new", form_body(data, {"prefill": "last"})),
        None,
    ),
    Case("wizard.page", "POST", "ent", wizard_page_post("self_draft", uploads=False), None),
    Case("wizard.page", "POST", "con", wizard_page_post("on_site", uploads=True), None),
    Case(
        "wizard.page",
        "POST",
        None,
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_draft']}/pages/gate",
            form_body(
                data,
                {
                    "owner": data.draw(
                        st.sampled_from([ctx.cache["owner"], ctx.cache["owner"] + "x"]) | NASTY
                    ),
                    "gate-sound_operations": "yes",
                    "gate-sound_operations--rev": "1",
                },
            ),
        ),
        None,
        prepare=lambda ctx: ctx.cache.update(owner=owner_token(ctx)),
        name="POST wizard.page after the session expired",
    ),
    Case(
        "wizard.autosave",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/assessments/{one_of_ids(data, [ctx.w['self_draft']] * 3 + [ctx.w['self_done']])}"
            "/answers",
            autosave_body(ctx, data, on_site=False),
        ),
        lambda response, flashed: response.status_code >= 400,
    ),
    Case(
        "wizard.autosave",
        "POST",
        "con",
        lambda ctx, data: (
            f"/assessments/{ctx.w['on_site']}/answers",
            autosave_body(ctx, data, on_site=True),
        ),
        lambda response, flashed: response.status_code >= 400,
    ),
    Case(
        "wizard.submit",
        "POST",
        "ent",
        lambda ctx, data: (f"/assessments/{ids(ctx, data, 'drafts')}/submit", form_body(data, {})),
        lambda response, flashed: response.status_code != 302,
    ),
    Case(
        "roadmap.save",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/assessments/{ids(ctx, data, 'assessment_ids')}/roadmap",
            form_body(
                data,
                {
                    "target_level": "advanced",
                    "target_cmmm": "3",
                    "owner-org_strategy.2": "张三",
                    "due-org_strategy.2": "2027-06-30",
                },
            ),
        ),
    ),
    # GET routes that read query parameters
    Case(
        "report.preview",
        "GET",
        "ent",
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_done']}/report" + query(data, {"lang": LANG}),
            {},
        ),
        always,
    ),
    Case(
        "report.download",
        "GET",
        "ent",
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_done']}/report.pdf" + query(data, {"lang": LANG}),
            {},
        ),
        always,
    ),
    Case(
        "report.annex",
        "GET",
        "ent",
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_done']}/annex.pdf" + query(data, {"lang": LANG}),
            {},
        ),
        always,
    ),
    Case(
        "report.signed_copy",
        "GET",
        "con",
        lambda ctx, data: (
            f"/assessments/{data.draw(st.sampled_from([ctx.w['on_site'], ctx.w['self_done']]))}"
            "/signed.pdf" + query(data, {"lang": LANG}),
            {},
        ),
        always,
    ),
    Case(
        "documents.status_json",
        "GET",
        "ent",
        lambda ctx, data: (
            "/documents/"
            + data.draw(st.text("0123456789abcdef", min_size=64, max_size=64) | TEXT | SPECIAL)
            + ".json",
            {},
        ),
        always,
    ),
    Case(
        "results.what_moved",
        "GET",
        "ent",
        lambda ctx, data: (
            "/history/compare"
            + query(
                data,
                {
                    "before": st.sampled_from(ctx.w["assessment_ids"]) | INTS | TEXT,
                    "after": st.sampled_from(ctx.w["assessment_ids"]) | INTS | TEXT,
                },
            ),
            {},
        ),
        always,
    ),
    Case(
        "results.show_json",
        "GET",
        "authority",
        lambda ctx, data: (f"/assessments/{ids(ctx, data, 'assessment_ids')}/results.json", {}),
        always,
    ),
    Case(
        "wizard.page",
        "GET",
        "ent",
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_draft']}/pages/"
            + data.draw(st.sampled_from(["gate", "profile"]) | TEXT | SPECIAL),
            {},
        ),
        always,
    ),
]
