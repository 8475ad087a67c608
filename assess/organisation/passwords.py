"""Password rules: long enough, not a common password, not the e-mail. No Flask."""

from __future__ import annotations

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from assess.translation import translator

MIN_LENGTH = 8
# The most common passwords (and patterns people type when asked for 8 characters).
CHINESE_COMMON = [
    "woaini520",
    "woaini1314",
    "5201314520",
    "1314520",
    "qwe123456",
    "a123456789",
    "123qweasd",
    "qweasdzxc",
    "zxcvbnm123",
    "aa123456",
    "abc123456",
    "88888888",
    "66666666",
]
# zxcvbn's list of the 30,000 most common passwords, and some common in China.
COMMON = frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(CHINESE_COMMON)


def password_problem(password: str, email: str, lang: str) -> str | None:
    """Why a password is refused (in a language), or None when it is acceptable."""
    _ = translator(lang).gettext
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)s characters.", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) <= 2:
        return _("This password is too common. Choose one that is harder to guess.")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return _("Do not use your e-mail address in the password.")
    return None
