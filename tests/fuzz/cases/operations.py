"""Fuzz cases of what operators poll: /healthz and /metrics, anonymously, with junk in the query
string, a junk bearer token and a junk request id (headers as a client may send them)."""

from __future__ import annotations

from hypothesis import strategies as st

from tests.fuzz.cases.base import Case, always
from tests.fuzz.strategies import NASTY, query

HEADER = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)


def _headers(data) -> dict:
    return {
        "headers": {
            "Authorization": data.draw(HEADER | HEADER.map("Bearer {}".format)),
            "X-Request-ID": data.draw(HEADER),
        }
    }


CASES = [
    Case(
        "operations.healthz",
        "GET",
        None,
        lambda ctx, data: ("/healthz" + query(data, {"full": NASTY}), _headers(data)),
        always,
    ),
    Case(
        "operations.metrics",
        "GET",
        None,
        lambda ctx, data: ("/metrics" + query(data, {"name[]": NASTY}), _headers(data)),
        always,
    ),
]
