"""Ids typed into forms and query strings: only ASCII numbers SQLite can hold are ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.web.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", 1),
        (" 42 ", 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-3", None),
        ("", None),
        (None, None),
        ("²", None),  # str.isdigit says yes; int() raises
        ("١٢", None),  # Arabic-Indic digits: int() reads 12
        ("１２", None),  # full-width digits: int() reads 12 too
        ("1e3", None),
        ("9" * 400, None),
    ],
)
def test_an_id_is_a_positive_ascii_number_sqlite_holds(value, expected):
    assert parse_id(value) == expected


@given(st.text(max_size=30))
def test_no_text_makes_it_raise_and_every_id_it_gives_fits(value):
    found = parse_id(value)
    assert found is None or (0 < found <= MAX_ID and str(found) == value.strip().lstrip("0"))


def test_the_pages_that_read_ids_from_forms_answer_unicode_digits_without_an_error(accounts, db):
    accounts.login(accounts.user("admin", email="admin@example.com"))
    for path in ("/admin/merges?a=²", "/admin/merges/compare?a=1&b=²"):
        assert accounts.client.get(path).status_code in (200, 302, 400, 404), path
    assert accounts.client.post(
        "/admin/merges", data={"a": "²", "b": "١٢", "kept": "²"}
    ).status_code in (
        200,
        302,
        400,
    )
