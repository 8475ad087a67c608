"""Generated values for the fuzzer: strings of every kind, numbers, JSON, and the ways a valid
form is mutated and encoded before it is sent."""

from __future__ import annotations

import os
from datetime import date
from urllib.parse import urlencode

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from assess.organisation import credit_code

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- generated values -------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\t\r\n",
        "-1",
        "0",
        "1.5",
        "99999999999999999999999999",
        "²",  # a digit to str.isdigit, not to int(): int("²") raises
        "١٢",  # Arabic-Indic digits: int() reads them as 12
        "-99999999999999999999999999",
        "1e309",
        "NaN",
        "null",
        "true",
        "[]",
        "{}",
        "None",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        '"><svg onload=alert(1)>',
        '=HYPERLINK("http://x")',
        "{{7*7}}",
        "%s%n%x",
        "\u202eevil",
        "ｅｘａｍｐｌｅ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "a@b.c",
        "2026-02-30",
        "0000-00-00",
        "9999-12-31",
        "320505",
        "913205050000000015",
    ]
)
HUGE = st.builds(
    lambda n, c: c * n, st.sampled_from([300, 5000, 100_000]), st.sampled_from(["A", "中", "\x00"])
)
NASTY = st.one_of(TEXT, SPECIAL, SPECIAL, HUGE)
INTS = st.one_of(
    st.integers(-5, 50),
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]),
)
FIELD_NAMES = st.one_of(
    TEXT, st.sampled_from(["csrf_token", "owner", "go", "id", "role", "x--rev"])
)
# Half of a UTF-16 pair: JSON carries it escaped ("\ud800"); it is no character and cannot be
# stored as UTF-8 (only JSON bodies can carry it: a form's percent-encoding cannot).
LONE_SURROGATES = st.sampled_from(["\ud800", "原因\udfff", "\udbff", "a\ud83d b"])
JSON_ANY = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, 10**40, -(2**70)])
    | st.floats()
    | NASTY
    | LONE_SURROGATES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
# JSON nested deeper than any body needs, deeper than Python's parser goes too (RecursionError)
DEEP_JSON = st.sampled_from([8, 50, 2_000, 200_000]).map(lambda n: "[" * n + "]" * n)
GARBAGE_TYPES = st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
AS_OF = st.one_of(
    st.dates().map(date.isoformat), st.sampled_from(["2026-02-30", "20260101", "2026-W01"]), NASTY
)
REGION = st.one_of(
    st.sampled_from(["320000", "320500", "320505", "330000", "32", "", "root"]), NASTY
)
LANG = st.one_of(st.sampled_from(["zh", "en", "fr", ""]), NASTY)


def credit_code_for(region_code: str, serial: int) -> str:
    """A valid unified social credit code in a region."""
    body = "91" + region_code + f"{serial % 10**9:09d}"
    return body + credit_code.check_character(body)


# --- encodings and mutations ------------------------------------------------------------


def encoded(data, pairs: list[tuple[str, object]]) -> dict:
    """Request arguments carrying the pairs: mostly a form, sometimes JSON or raw bytes."""
    how = data.draw(
        st.sampled_from(["urlencoded"] * 5 + ["multipart", "json", "garbage"]), label="body"
    )
    if how == "urlencoded":
        return {
            "data": urlencode([(k, str(v)) for k, v in pairs]).encode(),
            "content_type": "application/x-www-form-urlencoded",
        }
    if how == "multipart":
        return {"data": MultiDict(pairs), "content_type": "multipart/form-data"}
    if how == "json":
        return {"json": {k: v for k, v in pairs}}
    return {"data": data.draw(st.binary(max_size=300)), "content_type": data.draw(GARBAGE_TYPES)}


def mutated_pairs(data, valid: dict[str, object]) -> list[tuple[str, object]]:
    """The valid values, with a few fields dropped, replaced, repeated; plus unknown fields.

    A value of None is a field left out unless mutated (a submit button, an optional code).
    """
    names = sorted(valid)
    chosen = (
        data.draw(st.sets(st.sampled_from(names), max_size=3), label="mutated fields")
        if names
        else set()
    )
    pairs: list[tuple[str, object]] = []
    for name in names:
        good = valid[name]
        if name not in chosen:
            if good is not None:
                pairs.append((name, good))
            continue
        how = data.draw(st.sampled_from(["drop", "replace", "repeat", "append"]), label=name)
        if how == "replace":
            pairs.append((name, data.draw(NASTY, label=name)))
        elif how == "repeat":
            pairs += [(name, v) for v in data.draw(st.lists(NASTY, min_size=2, max_size=4))]
        elif how == "append":
            pairs += [(name, good if good is not None else ""), (name, data.draw(NASTY))]
    pairs += data.draw(st.lists(st.tuples(FIELD_NAMES, NASTY), max_size=2), label="unknown")
    return pairs


def form_body(data, valid: dict[str, object]) -> dict:
    return encoded(data, mutated_pairs(data, valid))


def one_of_ids(data, good: list[int]) -> int:
    return data.draw(st.one_of(st.sampled_from(good), INTS), label="id")


def query(data, params: dict[str, st.SearchStrategy]) -> str:
    """A query string: each parameter absent, once, or repeated."""
    pairs = []
    for name, values in params.items():
        count = data.draw(st.sampled_from([0, 1, 1, 1, 2]), label=f"{name}?")
        pairs += [(name, str(data.draw(values, label=name))) for _ in range(count)]
    pairs += data.draw(st.lists(st.tuples(TEXT, NASTY), max_size=1), label="unknown params")
    return "?" + urlencode(pairs) if pairs else ""


def fields_of(form_class) -> set[str]:
    """The fields a WTForms form class declares (its rendered inputs, without csrf_token)."""
    return {name for name in dir(form_class) if isinstance(getattr(form_class, name), UnboundField)}


def valid_form(form_class, **values) -> dict[str, object]:
    """Valid values for every field of a form; fails when the form gains a field not fuzzed."""
    assert set(values) == fields_of(form_class), (
        f"{form_class.__name__} has fields {sorted(fields_of(form_class))}: "
        f"give the fuzzer a valid value for each (got {sorted(values)})"
    )
    return values
