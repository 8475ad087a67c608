"""Fuzz cases of questionnaire versions: an uploaded file of any bytes (empty, not UTF-8, not
YAML, a definition with a broken node or an odd version), publishing and retiring any version
(only 2025.1 can really be retired: the world's new assessments keep 2026.1)."""

from __future__ import annotations

import io

from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from assess.questionnaire.versions import installed_directory
from tests.fuzz.cases.base import Case
from tests.fuzz.strategies import NASTY, TEXT, form_body

SHIPPED = (installed_directory() / "machinery-smart-factory-2026.1.yaml").read_text("utf-8")


def _definition(data) -> bytes:
    version = data.draw(st.sampled_from(["2027.1", "2026.1", "2027.x"]) | TEXT, label="version")
    text = SHIPPED.replace('version: "2026.1"', f"version: {version!r}", 1)
    if data.draw(st.booleans(), label="break a node"):
        text = text.replace("weight:", "weight: -", 1)
    return text.encode()


def upload_body(ctx, data) -> tuple[str, dict]:
    kind = data.draw(st.sampled_from(["fixed", "bytes", "definition"]), label="kind")
    if kind == "definition":
        content = _definition(data)
    elif kind == "bytes":
        content = data.draw(st.binary(max_size=200), label="file")
    else:
        content = data.draw(
            st.sampled_from([b"", b"\xff\xfe not utf-8", b"id: [", b"- a\n- b\n", b"version: 1\n"])
        )
    pairs = [("file", (io.BytesIO(content), data.draw(NASTY, label="file name") or "q.yaml"))]
    if data.draw(st.booleans(), label="drop the file"):
        pairs.pop()
    return "/admin/questionnaires", {
        "data": MultiDict(pairs),
        "content_type": "multipart/form-data",
    }


def release(action: str):
    def build(ctx, data) -> tuple[str, dict]:
        questionnaire = data.draw(st.just("machinery-smart-factory") | NASTY.filter(bool))
        version = data.draw(st.sampled_from(["2025.1", "2026.1"]) | NASTY.filter(bool))
        return (
            f"/admin/questionnaires/{questionnaire}/{version}/{action}".replace("?", "%3F"),
            form_body(data, {}),
        )

    return build


CASES = [
    Case("questionnaire_versions.upload", "POST", "admin", upload_body),
    Case("questionnaire_versions.publish", "POST", "admin", release("publish")),
    Case("questionnaire_versions.retire", "POST", "admin", release("retire")),
]
