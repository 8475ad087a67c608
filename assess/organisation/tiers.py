"""The tiers of local authorities (park, county, city, province, the country) and which
enterprises an authority covers: one place for "inside its region". No Flask."""

from __future__ import annotations

TIERS = ("park", "county", "city", "province", "country")  # bottom up
SCOPE_TIERS = {6: "county", 4: "city", 2: "province", 0: "country"}


def tier_of(region_scope: str | None, park_id: int | None = None) -> str:
    """An authority's tier from its scope (a GB/T 2260 code prefix) and park."""
    if park_id is not None:
        return "park"
    return SCOPE_TIERS.get(len(region_scope or ""), "county")


def rank(tier: str) -> int:
    """0 for a park up to 4 for the country."""
    return TIERS.index(tier)


def in_region(region_code: str, scope: str | None) -> bool:
    """Whether a 6-digit region code lies inside an authority's scope (a code prefix)."""
    return scope is not None and region_code.startswith(scope)


def covers(authority: dict, organisation: dict) -> bool:
    """Whether an authority (region_scope, park_id) has the organisation inside its region:
    its scope contains the organisation's region, and a park's authority only its park's."""
    if not in_region(organisation["region_code"], authority.get("region_scope")):
        return False
    park_id = authority.get("park_id")
    return park_id is None or organisation.get("park_id") == park_id
