"""Fuzz cases of declarations: the enterprise's forms and uploads, the dossier's language, the
authorities' rounds, decisions, re-checks, lists and exports, and the expert's attachment."""

from __future__ import annotations

import io

from hypothesis import strategies as st

from tests.fuzz.cases.base import Case, always, ids
from tests.fuzz.strategies import AS_OF, INTS, LANG, NASTY, TEXT, form_body, one_of_ids, query
from tests.support import PDF, PNG


def declaration_id(ctx, data) -> int:
    return one_of_ids(data, [ctx.w["draft_declaration"]] * 3 + [ctx.w["declaration"]])


def stub_pdf_as_ent(ctx) -> None:
    ctx.monkeypatch.setattr("assess.report.pdf.html_to_pdf", lambda html: b"%PDF-1.4 stub")
    ctx.accounts.login(ctx.w["ent"])


FIELDS = {
    "contact_name": "王工",
    "contact_phone": "0512-12345678",
    "contact_email": "wang@example.com",
    "platform_level": "2",
    "platform_score": "2.31",
    "platform_date": "2026-04-10",
}


def save_body(ctx, data) -> dict:
    values = {**FIELDS, **{f"description:{s.id}": "部署MES系统" for s in ctx.q.scenarios.items[:3]}}
    return form_body(data, values)


def upload_body(ctx, data) -> dict:
    kind = data.draw(st.sampled_from(["licence", "financials", "photo", "platform_report"]) | TEXT)
    content = data.draw(st.sampled_from([PDF, PNG, b"", b"<html>", b"%PDF" + b"\0" * 100]))
    scenario = data.draw(st.sampled_from([s.id for s in ctx.q.scenarios.items]) | NASTY)
    pairs = [("kind", kind), ("scenario", scenario), ("file", (io.BytesIO(content), "f.pdf"))]
    if data.draw(st.booleans(), label="drop the file"):
        pairs.pop()
    from werkzeug.datastructures import MultiDict

    return {"data": MultiDict(pairs), "content_type": "multipart/form-data"}


DOSSIER_ROUTES = (
    ("declaration.dossier_preview", ""),
    ("declaration.dossier_json", ".json"),
    ("declaration.dossier_download", ".pdf"),
)

CASES = [
    Case(
        "declaration.start",
        "POST",
        "ent",
        lambda ctx, data: (
            "/declarations/new",
            form_body(
                data,
                {
                    "round": one_of_ids(data, ctx.w["round_ids"]),
                    "assessment": ids(ctx, data, "assessment_ids"),
                },
            ),
        ),
        lambda response, flashed: (
            "/declarations/new" in response.headers.get("Location", "") or flashed
        ),
    ),
    Case(
        "declaration.save",
        "POST",
        "ent",
        lambda ctx, data: (f"/declarations/{declaration_id(ctx, data)}", save_body(ctx, data)),
        None,  # what is valid is kept, what is not is refused: checked by the database check
    ),
    Case(
        "declaration.upload",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/declarations/{declaration_id(ctx, data)}/files",
            upload_body(ctx, data),
        ),
    ),
    Case(
        "declaration.remove_file",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/declarations/{declaration_id(ctx, data)}/files/{one_of_ids(data, [1, 2])}/delete",
            form_body(data, {}),
        ),
    ),
    Case(
        "declaration.submit",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/declarations/{declaration_id(ctx, data)}/submit",
            form_body(data, {}),
        ),
    ),
    Case(
        "declaration.withdraw",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/declarations/{declaration_id(ctx, data)}/withdraw",
            form_body(data, {}),
        ),
    ),
    *(
        Case(
            endpoint,
            "GET",
            None,
            lambda ctx, data, suffix=suffix: (
                f"/declarations/{declaration_id(ctx, data)}/dossier{suffix}"
                + query(data, {"lang": LANG}),
                {},
            ),
            always,
            prepare=stub_pdf_as_ent,
            name=f"GET {endpoint} as ent",
        )
        for endpoint, suffix in DOSSIER_ROUTES
    ),
    Case(
        "review.queue",
        "GET",
        "authority",
        lambda ctx, data: (
            "/review" + query(data, {"round": INTS | NASTY, "status": NASTY | st.just("returned")}),
            {},
        ),
        always,
    ),
    Case(
        "review.recognised",
        "GET",
        "authority",
        lambda ctx, data: (
            "/review/recognised" + query(data, {"level": NASTY | st.just("basic"), "year": INTS}),
            {},
        ),
        always,
    ),
    Case(
        "review.export",
        "GET",
        "authority",
        lambda ctx, data: (
            "/review/export.xlsx"
            + query(
                data,
                {
                    "list": st.sampled_from(["declarations", "recognised"]) | NASTY,
                    "round": INTS,
                    "status": NASTY,
                    "level": NASTY,
                    "year": INTS | NASTY,
                },
            ),
            {},
        ),
        always,
    ),
    Case(
        "review.open_round",
        "POST",
        "authority",
        lambda ctx, data: (
            "/review/rounds",
            form_body(
                data,
                {
                    "level": data.draw(st.sampled_from(["basic", "advanced", "excellent"])),
                    "year": "2026",
                    "opens_on": data.draw(AS_OF | st.just("2026-01-01")),
                    "deadline": data.draw(AS_OF | st.just("2026-12-31")),
                },
            ),
        ),
    ),
    Case(
        "review.cancel_round",
        "POST",
        "authority",
        lambda ctx, data: (
            f"/review/rounds/{one_of_ids(data, ctx.w['round_ids'])}/cancel",
            form_body(data, {}),
        ),
    ),
    Case(
        "review.decide",
        "POST",
        "authority",
        lambda ctx, data: (
            f"/review/declarations/{one_of_ids(data, [ctx.w['declaration']])}/decide",
            form_body(
                data,
                {
                    "stage": "0",
                    "revision": "1",
                    "outcome": data.draw(st.sampled_from(["recommend", "return", "reject"])),
                    "comments": data.draw(st.sampled_from(["", "请补充材料"]) | NASTY),
                    **{
                        f"check:{name}": data.draw(st.sampled_from(["1", ""]) | NASTY)
                        for name in ("licence", "financials", "commitment")
                    },
                },
            ),
        ),
    ),
    Case(
        "review.request_recheck",
        "POST",
        "authority",
        lambda ctx, data: (
            f"/review/declarations/{one_of_ids(data, [ctx.w['declaration']])}/recheck",
            form_body(data, {"email": ctx.w["con2"], "note": "核查排产系统"}),
        ),
    ),
    Case(
        "review.withdraw",
        "POST",
        "authority",
        lambda ctx, data: (
            f"/review/recognitions/{one_of_ids(data, [ctx.w['recognition']])}/withdraw",
            form_body(data, {"reason": "不再符合条件"}),
        ),
    ),
    Case(
        "review.attach",
        "POST",
        "con",
        lambda ctx, data: (
            f"/rechecks/{one_of_ids(data, [ctx.w['recheck']])}/attach",
            form_body(data, {"assessment": ids(ctx, data, "assessment_ids")}),
        ),
    ),
]
