"""Where an authority account looks: its region (a province, a city, a county, or the whole
country) and, below a county, one park. The administrator changes it; the account sees the new
region at its next page. The administrator also changes the role of a staff account (a
consultant, an authority, an administrator), with the region an authority needs. No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.regional import regions
from assess.store import api_tokens, audit, grants, users
from assess.store import parks as park_store
from assess.store.audit import Actor
from assess.store.database import write_transaction

COUNTRY = "000000"  # typed for the whole country; stored as the empty scope


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_found | not_authority | region | park | own_account |
    enterprise | same | role | clients."""

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
        if park_id is not None and not _in_county(db, park_id, region_code):
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


STAFF_ROLES = ("consultant", "authority", "admin")


def change_role(
    db: Database, user_id: int, role: str, region_code: str, park_id: int | None, by: Actor
) -> Refused | None:
    """Make a staff account a consultant, an authority (of a region, and a park of its county
    or none) or an administrator.

    An enterprise's account is refused: its role is its place in its team (its owner changes
    it, or the enterprise is handed over). So is one's own account (an administrator cannot
    lock themselves out), and a consultant who still has clients or an on-site assessment
    under way (hand them over first: a client granted access to that person as a consultant).
    A consultant leaves its consultancy; an authority leaves its region. Every session of the
    account ends and its API tokens are revoked: what it may see has changed."""
    if role not in STAFF_ROLES:
        return Refused("role")
    if user_id == by.user_id:
        return Refused("own_account")
    scope = scope_of(region_code) if role == "authority" else None
    if role == "authority" and scope is None:
        return Refused("region")
    with write_transaction(db):
        user = users.get(db, user_id)
        if user is None:
            return Refused("not_found")
        if user["role"] not in STAFF_ROLES:
            return Refused("enterprise")
        if user["role"] == role:
            return Refused("same")
        if park_id is not None and (
            role != "authority" or not _in_county(db, park_id, region_code)
        ):
            return Refused("park")
        if user["role"] == "consultant" and grants.consultant_has_work(db, user_id):
            return Refused("clients")
        users.set_role(db, user_id, role, scope, park_id if role == "authority" else None)
        users.end_sessions(db, user_id)
        api_tokens.revoke_all(db, user_id)
        audit.record_by(
            db,
            by,
            "role_changed",
            target_type="user",
            target_id=user_id,
            detail={
                key: {"before": before, "after": after}
                for key, before, after in (
                    ("role", user["role"], role),
                    ("region", user["region_scope"], scope),
                    ("park", user["park_id"], park_id if role == "authority" else None),
                    ("firm", user["firm_id"], None),
                )
                if before != after
            },
        )
    return None


def _in_county(db: Database, park_id: int, region_code: str) -> bool:
    """Whether the park exists and lies in that county (an authority's park is its county's)."""
    park = park_store.park(db, park_id)
    return park is not None and park["county_code"] == region_code
