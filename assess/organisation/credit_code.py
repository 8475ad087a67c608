"""The unified social credit code (统一社会信用代码, GB 32100-2015): validation."""

from __future__ import annotations

# The 31 characters of the code: digits and capital letters without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
# Weights of positions 1-17: 3^(i-1) mod 31.
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18


class CreditCodeError(ValueError):
    """The code is not a valid unified social credit code; the message says why."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def normalise(code: str) -> str:
    """Upper-case and strip spaces and dashes people type."""
    return "".join(code.split()).replace("-", "").upper()


def check_character(first17: str) -> str:
    """The 18th character for the first 17."""
    total = sum(_VALUE[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


# The first two digits of a registration authority's region code: a province (GB/T 2260), or
# 10, the national administration (100000). Only the province is checked: county codes change
# when districts merge, and a code stays valid for the life of the enterprise.
REGISTRATION_PROVINCES = frozenset(
    {"10", "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36"}
    | {"37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63"}
    | {"64", "65", "71", "81", "82"}
)


def validate(code: str) -> str:
    """Return the normalised code, or raise CreditCodeError with the reason."""
    code = normalise(code)
    if len(code) != LENGTH:
        raise CreditCodeError(
            "length", f"the code has {len(code)} characters; it must have exactly 18"
        )
    bad = sorted({char for char in code if char not in _VALUE})
    if bad:
        raise CreditCodeError(
            "characters",
            f"the code contains {', '.join(bad)}; only digits and capital letters except "
            "I, O, S, V and Z are used",
        )
    if not code[2:8].isdigit() or code[2:4] not in REGISTRATION_PROVINCES:
        raise CreditCodeError(
            "region", "characters 3 to 8 must be the six digits of the registration region code"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError(
            "check", "the last character does not match the check character of the first 17"
        )
    return code
