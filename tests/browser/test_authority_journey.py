"""A province authority, in a browser, on the demo data: its dashboard against the plan's
targets, a drill-down into a city, the Excel export and the regional PDF of that city; and an
authority of another province that sees none of it."""

from __future__ import annotations

import io
import re
import subprocess  # nosec B404: pdftotext on a file the test wrote

from openpyxl import load_workbook

from assess.regional import regions

JIANGSU = ("jiangsu@example.com", "Jiangsu-demo-2026")
ZHEJIANG = ("zhejiang@example.com", "Zhejiang-demo-2026")
SUZHOU = "320500"


def login(page, base, email, password):
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("form.stack button[type=submit]")


def names_under(code: str) -> set[str]:
    return {region.name_zh for region in regions.children(code)}


def outside(province: str) -> set[str]:
    """The full names of every province and city that is not in the given province."""
    names = set()
    for other in regions.children(None):
        if other.code != province:
            names.add(other.name_zh)
            names |= {city.name_zh for city in regions.children(other.code) if not city.placeholder}
    return names


def table_rows(page, heading: str) -> list[list[str]]:
    """The body rows of the table under a heading, as the page shows them."""
    heading = f"h2:text-is('{heading}')"  # the table follows it, or its scrolling box does
    table = page.locator(f"{heading} ~ table, {heading} + .table-scroll > table").first
    return [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def sheet_rows(workbook, name: str) -> list[list[str]]:
    return [[str(c) for c in row] for row in workbook[name].iter_rows(min_row=2, values_only=True)]


def workbook_text(workbook) -> str:
    return "\n".join(
        str(value)
        for sheet in workbook
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_province_drills_into_a_city_exports_it_and_another_province_sees_none_of_it(
    demo_app, page, console, tmp_path
):
    base = demo_app.config["LIVE_URL"]
    login(page, base, *JIANGSU)
    page.wait_for_url(base + "/authority")  # an authority lands on its dashboard
    main = page.locator("main")
    assert page.locator("nav a[aria-current=page]").inner_text() == "区域看板"
    assert main.locator("h1").inner_text() == "江苏省"
    # the plan's targets: in the figures and as marks on the level-2 bar
    assert "实施方案目标：2027 年 50%，2030 年 60%" in main.inner_text()
    target = main.locator("svg.chart.target")
    assert target.locator("text").all_text_contents()[1:] == ["2027 50%", "2030 60%"]
    cities = [row[0] for row in table_rows(page, "按地区")[:-1]]
    assert "苏州市" in cities and set(cities) <= names_under("320000")

    main.get_by_role("link", name="苏州市", exact=True).click()
    page.wait_for_url(re.compile(rf".*/authority\?region={SUZHOU}$"))
    assert main.locator("h1").inner_text() == "江苏省 苏州市"
    enterprises = main.locator(".figure .value").first.inner_text()
    levels = table_rows(page, "智能工厂梯度")
    counties = table_rows(page, "按地区")
    assert int(enterprises) >= 5 and len(counties) > 1 and counties[-1][0] == "合计"
    assert {row[0] for row in counties[:-1]} <= names_under(SUZHOU)

    with page.expect_download() as download:
        main.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename == "dashboard-3205-now.xlsx"
    saved = tmp_path / "suzhou.xlsx"
    download.value.save_as(saved)
    workbook = load_workbook(saved)
    summary = dict(sheet_rows(workbook, "概况"))
    assert summary["范围"] == "江苏省 苏州市" and summary["参评企业"] == enterprises
    assert sheet_rows(workbook, "智能工厂梯度") == levels
    # the sheet as the page: each region's code, then its name; the total row last
    districts = sheet_rows(workbook, "下级地区")
    assert [row[1] for row in districts] == [r[0] for r in counties]
    assert all(row[0].startswith("3205") for row in districts)
    text = workbook_text(workbook)
    assert [name for name in outside("320000") if name in text] == []
    other_cities = names_under("320000") - {"苏州市"}
    assert [name for name in other_cities if name in text] == []

    with page.expect_download() as download:
        main.get_by_role("link", name="区域 PDF 汇总报告").click()
    pdf = tmp_path / "regional.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename == f"regional-summary-{SUZHOU[:4]}-now-zh.pdf"
    pdf_text = subprocess.run(  # nosec B603 B607
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "江苏省 苏州市" in pdf_text and "区域智能工厂成熟度汇总报告" in pdf_text

    # another province's authority
    page.click("button.link-button")  # log out
    login(page, base, *ZHEJIANG)
    page.wait_for_url(base + "/authority")
    assert main.locator("h1").inner_text() == "浙江省"
    assert "江苏" not in main.inner_text()
    zhejiang_cities = {row[0] for row in table_rows(page, "按地区")[:-1]}
    assert zhejiang_cities and zhejiang_cities <= names_under("330000")
    own_export = page.request.get(base + "/authority/export.xlsx")
    assert "江苏" not in workbook_text(load_workbook(io.BytesIO(own_export.body())))
    # asking for Jiangsu, or one of its cities, by code: not found, on every route
    console.expect(r"status of 404 \(NOT FOUND\)")
    for code in ("320000", SUZHOU, "320505"):
        response = page.goto(f"{base}/authority?region={code}")
        assert response.status == 404
        assert "苏州" not in main.inner_text()
        for route in ("dashboard.json", "export.xlsx", "export.csv", "report.pdf"):
            assert page.request.get(f"{base}/authority/{route}?region={code}").status == 404
