"""China's administrative divisions (GB/T 2260): provinces, cities, counties, and scopes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

# City-level entries of the code list that are no real city (the districts of a municipality,
# counties administered directly by a province): skipped when a region is named.
PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})


@dataclass(frozen=True)
class Region:
    code: str
    name_zh: str
    name_en: str
    parent: str | None

    @property
    def level(self) -> str:
        """'province', 'city' or 'county'."""
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "city"
        return "county"

    @property
    def prefix(self) -> str:
        """The code prefix that every region inside this one starts with."""
        return scope_prefix(self.code)

    @property
    def placeholder(self) -> bool:
        return self.name_zh in PLACEHOLDER_NAMES

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


def scope_prefix(code: str) -> str:
    """320000 -> '32', 320500 -> '3205', 320505 -> '320505'."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


@cache
def all_regions() -> dict[str, Region]:
    """Every region by code, loaded once from the bundled list."""
    raw = json.loads(resources.files("assess").joinpath("data/regions.json").read_text("utf-8"))
    return {row["code"]: Region(**row) for row in raw}


def get(code: str) -> Region | None:
    return all_regions().get(code)


@cache
def _children_index() -> dict[str | None, tuple[Region, ...]]:
    index: dict[str | None, list[Region]] = {}
    for region in all_regions().values():
        index.setdefault(region.parent, []).append(region)
    return {parent: tuple(items) for parent, items in index.items()}


def children(code: str | None) -> tuple[Region, ...]:
    """The regions directly under a code (provinces when None)."""
    return _children_index().get(code, ())


@cache
def registrable() -> frozenset[str]:
    """Codes an organisation may be registered in: the leaves (counties, cities without any)."""
    regions = all_regions()
    parents = {region.parent for region in regions.values()}
    return frozenset(code for code in regions if code not in parents)


def path(code: str) -> list[Region]:
    """The region and its ancestors, province first."""
    chain = []
    region = get(code)
    while region is not None:
        chain.append(region)
        region = get(region.parent) if region.parent else None
    return list(reversed(chain))


def short_name(code: str, lang: str = "zh") -> str:
    """The region's own name ('苏州市'); a placeholder city takes its province's name."""
    region = get(code)
    if region is None:
        return code
    if region.placeholder and region.parent:
        return short_name(region.parent, lang)
    return region.name(lang)


def label(code: str, lang: str = "zh") -> str:
    """'江苏省 苏州市 虎丘区' for a code; the code itself when unknown."""
    chain = path(code)
    if not chain:
        return code
    sep = ", " if lang == "en" else " "
    names = [region.name(lang) for region in chain if not region.placeholder]
    return sep.join(reversed(names)) if lang == "en" else sep.join(names)


def scope_label(scope: str, lang: str = "zh") -> str:
    """The name of the region an authority scope prefix stands for."""
    code = scope.ljust(6, "0")
    return label(code, lang)
