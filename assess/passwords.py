"""Password rules: long enough, not a common password, not the e-mail."""

from __future__ import annotations

from flask_babel import gettext as _

MIN_LENGTH = 8
# The most common passwords (and patterns people type when asked for 8 characters).
COMMON = frozenset(
    [
        "12345678",
        "123456789",
        "1234567890",
        "11111111",
        "00000000",
        "88888888",
        "66666666",
        "87654321",
        "12341234",
        "password",
        "password1",
        "password123",
        "passw0rd",
        "qwertyui",
        "qwerty123",
        "qwertyuiop",
        "1qaz2wsx",
        "abc12345",
        "abcd1234",
        "a1234567",
        "aa123456",
        "123qweasd",
        "qweasdzxc",
        "iloveyou",
        "woaini520",
        "woaini1314",
        "admin123",
        "administrator",
        "welcome1",
        "sunshine",
        "1q2w3e4r",
        "1q2w3e4r5t",
        "zxcvbnm1",
        "asdfghjk",
        "11223344",
        "12344321",
        "147258369",
        "123123123",
        "5201314520",
        "changeme",
        "letmein1",
        "trustno1",
    ]
)


def password_problem(password: str, email: str = "") -> str | None:
    """Why a password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)s characters.", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) <= 2:
        return _("This password is too common. Choose one that is harder to guess.")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return _("Do not use your e-mail address in the password.")
    return None
