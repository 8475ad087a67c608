"""Ids from URLs and query strings: only numbers SQLite can hold, so a huge one is a miss."""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1  # SQLite's largest INTEGER


def parse_id(value: str | None) -> int | None:
    """A positive id from a form field or query value: ASCII digits only ("²" and "١٢" are
    digits to str.isdigit but not to int, or not ours), at most what SQLite holds; else None."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) < 20):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """<int:...> in a URL: an id SQLite can hold; a larger number is a 404, not an overflow."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def id_arg(name: str) -> int | None:
    """A positive id from the query string, or None when absent or not one SQLite can hold."""
    return parse_id(request.args.get(name))


def id_form(name: str) -> int | None:
    """A positive id from the posted form, or None when absent or not one SQLite can hold."""
    return parse_id(request.form.get(name))
