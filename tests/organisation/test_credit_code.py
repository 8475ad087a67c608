"""The unified social credit code check character (GB 32100-2015), from worked examples."""

from __future__ import annotations

import pytest

from assess.organisation.credit_code import CreditCodeError, check_character, validate

# Worked by hand for 91320505000000001?:
#   values 9 1 3 2 0 5 0 5 0 0 0 0 0 0 0 0 1, weights 3^i mod 31 =
#   1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
#   sum = 9 + 3 + 27 + 54 + 0 + 130 + 0 + 85 + 0*9 + 28 = 336; 336 mod 31 = 26; 31 - 26 = 5.
# For 9131000013221158X?: X is the 30th character of the alphabet (value 29):
#   9 + 3 + 27 + 27 + 0 + 0 + 0 + 0 + 20 + 87 + 50 + 26 + 8 + 24 + 50 + 240 + 812 = 1383;
#   1383 mod 31 = 19; 31 - 19 = 12, the character C.
CASES = [("91320505000000001", "5"), ("9131000013221158X", "C")]


@pytest.mark.parametrize(("first17", "expected"), CASES)
def test_check_character_worked_examples(first17, expected):
    assert check_character(first17) == expected


def test_validate_normalises_spaces_dashes_and_case():
    assert validate(" 9132 0505-0000 00001 5 ") == "913205050000000015"
    assert validate("9131000013221158xc") == "9131000013221158XC"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91320505000000001", "length"),
        ("9132050500000000155", "length"),
        ("91320505000000001I", "characters"),
        ("9132050500000O0015", "characters"),
        ("91A20505000000001X", "region"),
        ("91999999MA1QA7K3XG", "region"),  # no province 99 (the check character is right)
        ("91000000MA1QA7K3XK", "region"),
        ("913205050000000016", "check"),
        ("913205050000000105", "check"),
    ],
)
def test_validate_rejects_with_the_reason(code, reason):
    if reason == "region" and code[2:8].isdigit():  # the code is otherwise well formed
        assert check_character(code[:17]) == code[17]
    with pytest.raises(CreditCodeError) as error:
        validate(code)
    assert error.value.reason == reason
