"""The one translation system, outside a request too: the gettext catalogues that Flask-Babel
serves to pages, for the pure modules (explanations, the report's content, the dashboard's
labels, the CLI). No Flask: a module asks for the translator of a language.

English is the source language of every message; `zh` comes from its catalogue. Formatting
is gettext's `%(name)s`, as with Flask-Babel's `gettext(message, **variables)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations

LANGUAGES = ("zh", "en")
SOURCE_LANGUAGE = "en"
# Every reader is in China: the days users read (pages, exports, PDFs, file names) and the day
# a deadline ends are China's, whatever the server's clock or time zone.
CHINA = ZoneInfo("Asia/Shanghai")


def today_in_china() -> date:
    """Today's date in China (at 02:00 Beijing time it is already tomorrow's date there,
    while UTC is still on yesterday's)."""
    return datetime.now(CHINA).date()


def local_date(stamp: str | None) -> str:
    """A stored timestamp (UTC, '2026-12-06T17:30:00Z') as the ISO day it was in China
    ('2026-12-07'); a bare day ('2026-12-06') stays as it is; '' for none."""
    if not stamp:
        return ""
    if len(stamp) <= 10:
        return stamp
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:  # stored without a zone: UTC, as every stamp is stored
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(CHINA).date().isoformat()


@dataclass(frozen=True)
class Translator:
    """gettext and ngettext in one language, with the language's own punctuation."""

    lang: str
    catalogue: NullTranslations

    def gettext(self, message: str, **variables) -> str:
        text = self.catalogue.gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        return self.catalogue.ngettext(singular, plural, num) % variables

    def listing(self, items: Iterable[str]) -> str:
        """Items in a run: 甲、乙、丙 in Chinese, "a, b, c" in English."""
        return ("、" if self.lang == "zh" else ", ").join(items)

    def sentences(self, *parts: str) -> str:
        """Sentences in a row: no space after a Chinese full stop, one in English."""
        return ("" if self.lang == "zh" else " ").join(part for part in parts if part)


@cache
def translator(lang: str) -> Translator:
    """The translator of a language (an unknown one falls back to the source language)."""
    if lang not in LANGUAGES or lang == SOURCE_LANGUAGE:
        return Translator(SOURCE_LANGUAGE, NullTranslations())
    directory = str(files("assess").joinpath("translations"))
    return Translator(lang, Translations.load(directory, [lang], domain="messages"))
