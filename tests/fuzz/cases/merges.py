"""Fuzz cases of merging duplicate enterprises: the search, the comparison and the merge, with
ids, choices and typed names of any shape."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.fuzz.cases.base import Case, always, refused_if_error
from tests.fuzz.strategies import NASTY, TEXT, form_body


def _org(ctx, data, label: str):
    known = [str(i) for i in ctx.w["org_ids"]]
    return data.draw(st.sampled_from([*known, "", "0", "99999999999999"]) | NASTY, label=label)


def merge_body(ctx, data) -> tuple[str, dict]:
    valid = {
        "a": _org(ctx, data, "a"),
        "b": _org(ctx, data, "b"),
        "kept": data.draw(st.sampled_from(["a", "b", ""]) | NASTY, label="kept"),
        "name": data.draw(
            st.sampled_from(["甲机械有限公司", "乙机械有限公司", ""]) | TEXT | NASTY, label="name"
        ),
    }
    return "/admin/merges", form_body(data, valid)


def search_query(ctx, data) -> tuple[str, dict]:
    query = {"q": data.draw(st.sampled_from(["机械", "9132", "pending:"]) | TEXT | NASTY)}
    if data.draw(st.booleans(), label="first"):
        query["a"] = _org(ctx, data, "a")
    return "/admin/merges", {"query_string": query}


def compare_query(ctx, data) -> tuple[str, dict]:
    query = {"a": _org(ctx, data, "a"), "b": _org(ctx, data, "b")}
    return "/admin/merges/compare", {"query_string": query}


CASES = [
    Case("merges.merge", "POST", "admin", merge_body, refused_if_error),
    Case("merges.index", "GET", "admin", search_query, always, name="GET merges search"),
    Case("merges.compare", "GET", "admin", compare_query, always, name="GET merges compare"),
]
