"""Fuzz cases of the authority dashboard, its exports and regional report, and the region list."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.fuzz.cases.base import Case, always
from tests.fuzz.strategies import AS_OF, INTS, LANG, NASTY, REGION, TEXT, form_body, query


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


PROVINCE = st.one_of(st.sampled_from(["32", "32", "33", "11", "99", "320000", ""]), NASTY)
SECTOR = st.one_of(st.sampled_from(["machine_tools", "rail", "other", "unknown"]), NASTY)
FIGURE = st.one_of(
    st.sampled_from(["1.2", "0", "35", "-1", "1e400", "nan", "1,234.5", "101", ""]), NASTY
)
YEAR = st.one_of(st.sampled_from(["2025", "1999", "2101", "20.5", ""]), NASTY)
INDICATORS = ("results-labour_productivity", "results-defect_rate", "results-energy_intensity")


def benchmark_form(ctx, data) -> tuple[str, dict]:
    """A province's benchmarks of one sector: values, years and sources, valid or not."""
    province = data.draw(PROVINCE.filter(lambda s: "/" not in s and s))
    valid = {"sector": data.draw(SECTOR)}
    for name in INDICATORS:
        valid[name + "--value"] = data.draw(FIGURE)
        valid[name + "--year"] = data.draw(YEAR)
        valid[name + "--source"] = data.draw(st.sampled_from(["省统计年鉴 2025", ""]) | NASTY)
    return f"/benchmarks/{province}", form_body(data, valid)


CASES = [
    Case("benchmarks.sheet", "POST", "authority", benchmark_form),
    Case("benchmarks.sheet", "POST", "admin", benchmark_form),
    Case(
        "benchmarks.sheet",
        "GET",
        "admin",
        lambda ctx, data: (
            "/benchmarks/"
            + data.draw(PROVINCE.filter(lambda s: "/" not in s and s))
            + query(data, {"sector": SECTOR}),
            {},
        ),
        always,
    ),
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
