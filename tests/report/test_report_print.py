"""The printed report's stylesheet: WeasyPrint takes all of it, in both languages, and nothing
it prints runs past the page's margin."""

from __future__ import annotations

import logging
import re
import subprocess

from tests.report.test_report import demo, latest_per_outcome  # noqa: F401 (a fixture)

MM = 72 / 25.4
RIGHT_MARGIN = 16 * MM  # @page { margin: 20mm 16mm 18mm } in report.css
WORD = re.compile(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)"')


def words_past_the_margin(body: bytes) -> list[tuple[int, str, float]]:
    """(page, word, how far past) for every word whose right edge is beyond the right margin."""
    layout = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()
    found = []
    for number, page in enumerate(layout.split("</page>")[:-1], start=1):
        right = float(PAGE.search(page).group(1)) - RIGHT_MARGIN
        found += [
            (number, word, round(float(x_max) - right, 1))
            for x_max, word in WORD.findall(page)
            if float(x_max) > right + 0.5
        ]
    return found


def largest_report(demo, db) -> int:  # noqa: F811
    """The submitted demo assessment with the longest report (the on-site one, 29 actions)."""
    ids = [row["id"] for row in db.query("SELECT id FROM assessments WHERE status = 'submitted'")]
    sizes = {i: len(demo.client.get(f"/assessments/{i}/report").data) for i in ids}
    return max(sizes, key=sizes.get)


def test_the_report_prints_without_a_warning_or_a_word_past_the_margin_in_either_language(
    demo,  # noqa: F811
    db,
    caplog,
):
    """e.g. `width: fit-content` (the cover's notice) was ignored with a warning; the roadmap's
    column widths added up to more than the page with their padding, so its last column ran off
    the paper, cut mid-word."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    for assessment_id in (latest_per_outcome(db)["basic"], largest_report(demo, db)):
        for lang in ("zh", "en"):
            for part in ("report.pdf", "annex.pdf"):
                response = demo.client.get(f"/assessments/{assessment_id}/{part}?lang={lang}")
                assert response.status_code == 200, (assessment_id, lang, part)
                assert response.mimetype == "application/pdf", (assessment_id, lang, part)
                past = words_past_the_margin(response.data)
                assert past == [], (assessment_id, lang, part, past[:5])
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_the_page_number_stays_on_one_line_beside_a_long_english_notice():
    """The footer's notice (string(notice)) is long in English: it wraps, and the page number
    beside it keeps its own room ("2 / 2", never "2 /" over "2")."""
    from assess.report.pdf import html_to_pdf

    notice = (
        "The levels in this dossier are the enterprise's self-assessment or a consultant's"
        " diagnosis, not an official rating; recognition is the authority's act."
    )
    html = (
        '<html lang="en"><head><link rel="stylesheet" href="/static/report.css"></head><body>'
        f'<p class="cover-notice">{notice}</p><p style="page-break-before: always">Two</p>'
        "</body></html>"
    )
    pages = subprocess.run(
        ["pdftotext", "-", "-"], input=html_to_pdf(html), capture_output=True, check=True
    ).stdout.decode()
    numbers = [re.findall(r"^\s*(\d+) ?/ ?(\d+)\s*$", page, re.M) for page in pages.split("\f")]
    assert numbers[:2] == [[("1", "2")], [("2", "2")]]


def test_a_name_with_an_emoji_prints_the_emoji_not_an_empty_box(caplog, tmp_path):
    """An enterprise or a person may put an emoji in a name: the PDF prints it from the emoji
    font (fonts-noto-color-emoji, installed by the Makefile), never WeasyPrint's .notdef box."""
    from assess.report.pdf import html_to_pdf

    html = (
        '<html lang="zh-CN"><head><link rel="stylesheet" href="/static/report.css"></head>'
        '<body><h1 class="cover-org">🚀 火箭机械有限公司</h1><p>联系人：李雷 👍 ✅</p></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        body = html_to_pdf(html)
    assert [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()] == []
    saved = tmp_path / "emoji.pdf"
    saved.write_bytes(body)
    fonts = subprocess.run(["pdffonts", saved], capture_output=True, check=True).stdout.decode()
    assert "Noto-Color-Emoji" in fonts
