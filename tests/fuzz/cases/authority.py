"""Fuzz cases of the authority dashboard, its exports and regional report, and the region list."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.fuzz.cases.base import Case, always
from tests.fuzz.strategies import AS_OF, INTS, LANG, NASTY, REGION, TEXT, query


def stub_pdf(ctx) -> None:
    """Only the parameters matter here: tests/report/test_report.py renders real PDFs."""
    ctx.monkeypatch.setattr("assess.report.pdf.html_to_pdf", lambda html: b"%PDF-1.4 stub")
    ctx.accounts.login(ctx.w["authority"])


def authority_params(ctx, data) -> str:
    return query(
        data,
        {
            "region": REGION,
            "park": st.one_of(st.just(ctx.w["park"]), INTS, NASTY),
            "as_of": AS_OF,
            "table": st.sampled_from(["levels", "summary", "regions", "candidates"]) | NASTY,
            "lang": LANG,
        },
    )


CASES = [
    # GET routes that read query parameters
    Case(
        "authority.show",
        "GET",
        "authority",
        lambda ctx, data: ("/authority" + authority_params(ctx, data), {}),
        always,
    ),
    Case(
        "authority.show_json",
        "GET",
        "authority",
        lambda ctx, data: ("/authority/dashboard.json" + authority_params(ctx, data), {}),
        always,
    ),
    Case(
        "authority.export",
        "GET",
        "authority",
        lambda ctx, data: (
            "/authority/export."
            + data.draw(st.sampled_from(["csv", "xlsx"]) | TEXT.filter(lambda s: "/" not in s))
            + authority_params(ctx, data),
            {},
        ),
        always,
    ),
    Case(
        "authority.regional_report",
        "GET",
        None,
        lambda ctx, data: ("/authority/report.pdf" + authority_params(ctx, data), {}),
        always,
        prepare=stub_pdf,
        name="GET authority.regional_report as authority",
    ),
    Case(
        "regions.children",
        "GET",
        None,
        lambda ctx, data: (
            "/regions/" + data.draw(REGION.filter(lambda s: "/" not in s and s)) + ".json",
            {},
        ),
        always,
    ),
]
