"""The regional figures an authority may ask for: which scope (a region or park inside its own,
a quarter end offered) and the dashboard of it, suppressed exactly as the page (one function
makes both: assess/regional/dashboard.py). No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire
from assess.regional import regions
from assess.regional.dashboard import dashboard_data
from assess.regional.periods import quarter_ends
from assess.store import parks
from assess.store.regional import Scope


@dataclass(frozen=True)
class Refused:
    """Nothing shown. reason: region (not a region inside the authority's own) | park (not a
    park of it) | period (not one of the quarter ends offered)."""

    reason: str


def scope_for(
    db: Database,
    authority: dict,
    region: str | None = None,
    park: int | None = None,
    as_of: str | None = None,
) -> Scope | Refused:
    """The scope asked for (a region code, a park id, a quarter end), inside the authority's
    own (region_scope, park_id); nothing asked: its own, now."""
    own = authority.get("region_scope") or ""
    prefix = own
    if region:
        found = regions.get(region)
        if found is None or not found.prefix.startswith(own):
            return Refused("region")
        prefix = found.prefix
    park_id = authority.get("park_id")
    if park is not None:
        found_park = parks.park(db, park)
        if (
            found_park is None
            or not found_park["county_code"].startswith(own)
            or (park_id and park_id != park)
        ):
            return Refused("park")
        park_id, prefix = park, found_park["county_code"]
    if as_of is not None and as_of not in quarter_ends():
        # Only the quarter ends the page offers: two dates a day apart would show the one
        # enterprise that submitted in between.
        return Refused("period")
    return Scope(prefix, park_id, as_of)


def figures(
    db: Database,
    q: Questionnaire,
    authority: dict,
    lang: str,
    region: str | None = None,
    park: int | None = None,
    as_of: str | None = None,
) -> dict | Refused:
    """The dashboard of the scope asked for, as the page shows it (small cells suppressed)."""
    scope = scope_for(db, authority, region, park, as_of)
    if isinstance(scope, Refused):
        return scope
    return dashboard_data(db, q, scope, lang)
