"""Rounds (申报批次): an authority opens one for a level and a year with a deadline; an
enterprise of its region declares in it while it is open. Dates are China's calendar days.
No Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from assess.declaration import chain
from assess.organisation.tiers import tier_of
from assess.questionnaire.definition import Questionnaire
from assess.regional import regions
from assess.store import audit, rounds
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.translation import translator

CHINA = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """The calendar day in China: a deadline ends at midnight there, wherever the server is."""
    return datetime.now(CHINA).date()


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_opener | unknown_level | exists | dates."""

    reason: str


def state(row: dict, day: date | None = None) -> str:
    """upcoming, open or closed (past its deadline)."""
    day = (day or today()).isoformat()
    if day < row["opens_on"]:
        return "upcoming"
    return "open" if day <= row["deadline"] else "closed"


def may_open(authority: dict, level: str) -> bool:
    """Whether an authority opens rounds of this level: the tier that takes the last step."""
    if level not in chain.DEFAULT_CHAINS or authority.get("park_id") is not None:
        return False
    return tier_of(authority["region_scope"]) == chain.opener(chain.DEFAULT_CHAINS[level])


def open_round(
    db: Database,
    authority: dict,
    level: str,
    year: int,
    opens_on: date,
    deadline: date,
    by: Actor,
) -> int | Refused:
    """Open a round for the authority's region with the default chain of the level."""
    if level not in chain.DEFAULT_CHAINS:
        return Refused("unknown_level")
    if not may_open(authority, level):
        return Refused("not_opener")
    if deadline < opens_on or not 2024 <= year <= 2100:
        return Refused("dates")
    with write_transaction(db):
        scope = authority["region_scope"]
        if rounds.find(db, level, year, scope) is not None:
            return Refused("exists")
        round_id = rounds.create(
            db,
            level=level,
            year=year,
            region_scope=scope,
            chain=chain.DEFAULT_CHAINS[level],
            opens_on=opens_on.isoformat(),
            deadline=deadline.isoformat(),
            opened_by=by.user_id,
        )
        audit.record_by(
            db,
            by,
            "round_opened",
            target_type="round",
            target_id=round_id,
            detail={"level": level, "year": year, "scope": scope, "deadline": str(deadline)},
        )
    return round_id


def open_for(db: Database, organisation: dict, day: date | None = None) -> list[dict]:
    """The rounds an enterprise may declare in now."""
    return [
        r for r in rounds.for_region(db, organisation["region_code"]) if state(r, day) == "open"
    ]


def title(q: Questionnaire, row: dict, lang: str) -> str:
    """「苏州市 2026年度基础级」: where, which year, which level."""
    level = next((lv.name.get(lang) for lv in q.gradient.levels if lv.id == row["level"]), "")
    where = (
        regions.short_name(row["region_scope"].ljust(6, "0"), lang)
        if row["region_scope"]
        else translator(lang).gettext("China")
    )
    return translator(lang).gettext(
        "%(region)s %(year)s round for %(level)s", region=where, year=row["year"], level=level
    )
