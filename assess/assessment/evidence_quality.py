"""How good a consultant judged an answer's evidence: a scale of its own, beside the rating
(evidence quality is not the score). No Flask."""

from __future__ import annotations

from assess.translation import translator

QUALITIES = ("none", "stated", "documented", "observed")


def quality_name(quality: str, lang: str) -> str:
    """The quality in words ('documented' -> 有文件记录 / Documented)."""
    t = translator(lang)
    names = {
        "none": t.gettext("No evidence"),
        "stated": t.gettext("Stated by the enterprise"),
        "documented": t.gettext("Documented"),
        "observed": t.gettext("Observed on site"),
    }
    return names.get(quality, quality)
