"""Where an authority account looks: its region (a province, a city, a county, or the whole
country) and, below a county, one park. The administrator changes it; the account sees the new
region at its next page. No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.regional import regions
from assess.store import audit, users
from assess.store import parks as park_store
from assess.store.audit import Actor
from assess.store.database import write_transaction

COUNTRY = "000000"  # typed for the whole country; stored as the empty scope


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_found | not_authority | region | park."""

    reason: str


def scope_of(region_code: str) -> str | None:
    """The stored scope of a region code (None: not a region)."""
    if region_code == COUNTRY:
        return ""
    region = regions.get(region_code)
    return None if region is None else regions.scope_prefix(region_code)


def region_code_of(scope: str | None) -> str:
    """The six-digit code an authority's stored scope stands for (the inverse of scope_of;
    "000000": the whole country, "": not an authority)."""
    if scope is None:
        return ""
    return scope.ljust(6, "0") if scope else COUNTRY


def set_scope(
    db: Database, user_id: int, region_code: str, park_id: int | None, by: Actor
) -> Refused | None:
    """Give an authority account a region, and a park of that region's county (or none)."""
    scope = scope_of(region_code)
    if scope is None:
        return Refused("region")
    with write_transaction(db):
        user = users.get(db, user_id)
        if user is None:
            return Refused("not_found")
        if user["role"] != "authority":
            return Refused("not_authority")
        if park_id is not None:
            park = park_store.park(db, park_id)
            if park is None or park["county_code"] != region_code:
                return Refused("park")
        users.set_region_scope(db, user_id, scope, park_id)
        audit.record_by(
            db,
            by,
            "region_scope_changed",
            target_type="user",
            target_id=user_id,
            detail={
                "region": {"before": user["region_scope"], "after": scope},
                "park": {"before": user["park_id"], "after": park_id},
            },
        )
    return None
