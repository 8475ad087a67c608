"""The Chinese catalogue covers every UI string, and is compiled."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parent.parent.parent
PO = ROOT / "assess/translations/zh/LC_MESSAGES/messages.po"
METHODS = [("assess/**.py", "python"), ("assess/templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "ngettext": (1, 2)}


def _extracted() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        ROOT, METHODS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_ui_string_has_a_chinese_translation():
    with PO.open("rb") as f:
        catalog = read_po(f)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if (all(m.string) if isinstance(m.string, tuple) else m.string)  # every plural form
    }
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    missing = sorted(_extracted() - translated)
    assert missing == [], "run `make messages` and translate these in messages.po"
    assert fuzzy == []


def test_the_compiled_catalogue_is_up_to_date():
    mo = PO.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= PO.stat().st_mtime, "run make"


def test_a_run_of_items_uses_the_enumeration_comma_in_chinese():
    from assess.web.i18n import listing

    assert listing(["数字化设计", "计划调度"], "zh") == "数字化设计、计划调度"
    assert listing(["design", "scheduling"], "en") == "design, scheduling"
    assert listing([], "zh") == ""


def test_sentences_follow_each_other_without_a_space_after_a_chinese_full_stop(client):
    """The page footer is two sentences: in Chinese the second follows the 。 directly."""
    import re

    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', client.get("/").text, re.S)
    assert "非官方评定。依据" in footer.group(1)
    client.post("/lang", data={"lang": "en"})
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', client.get("/").text, re.S)
    assert "not official ratings. Grounded" in footer.group(1)


def test_sentences_escape_what_is_not_markup(app):
    from assess.web.i18n import sentences

    with app.test_request_context():
        assert str(sentences("甲。", "<b>乙</b>", None)) == "甲。&lt;b&gt;乙&lt;/b&gt;"
