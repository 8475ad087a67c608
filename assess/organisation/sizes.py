"""Enterprise sizes (大型、中型、小型、微型): the one list, and their names. No Flask."""

from __future__ import annotations

from assess.translation import translator

SIZES = ("large", "medium", "small", "micro")


def size_name(size: str, lang: str) -> str:
    """The size in words, in a language ('medium' -> 中型 / Medium)."""
    t = translator(lang)
    names = {
        "large": t.gettext("Large"),
        "medium": t.gettext("Medium"),
        "small": t.gettext("Small"),
        "micro": t.gettext("Micro"),
    }
    return names.get(size, size)
