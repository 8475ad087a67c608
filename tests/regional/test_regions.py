"""The bundled GB/T 2260 region list and authority scopes."""

from __future__ import annotations

import pytest

from assess.organisation.permissions import in_region
from assess.regional import regions


def test_every_parent_exists_and_levels_nest():
    everything = regions.all_regions()
    assert len([r for r in everything.values() if r.level == "province"]) >= 31
    for region in everything.values():
        if region.parent is not None:
            parent = everything[region.parent]
            assert region.code.startswith(parent.prefix), region


@pytest.mark.parametrize(
    ("code", "prefix"), [("320000", "32"), ("320500", "3205"), ("320505", "320505")]
)
def test_scope_prefix(code, prefix):
    assert regions.scope_prefix(code) == prefix


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("320505", "江苏省 苏州市 虎丘区", "Huqiu District, Suzhou, Jiangsu"),
        ("110101", "北京市 东城区", "Dongcheng District, Beijing"),
        ("441900", "广东省 东莞市", "Dongguan, Guangdong"),
        ("999999", "999999", "999999"),
    ],
)
def test_label_names_the_region_without_placeholders(code, zh, en):
    assert regions.label(code) == zh
    assert regions.label(code, "en") == en


def test_registrable_codes_are_the_leaves():
    leaves = regions.registrable()
    assert {"320505", "441900", "110101"} <= leaves
    assert not {"320000", "320500", "110100"} & leaves


@pytest.mark.parametrize(
    ("code", "scope", "inside"),
    [
        ("320505", "32", True),
        ("320505", "3205", True),
        ("320505", "3206", False),
        ("330110", "32", False),
        ("320505", "320505", True),
    ],
)
def test_in_region(code, scope, inside):
    assert in_region(code, scope) is inside
