"""Rounds (申报批次): an authority opens one for a level and a year with a deadline; an
enterprise of its region declares in it while it is open. Dates are China's calendar days.
No Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from assess.declaration import chain
from assess.organisation.tiers import tier_of
from assess.questionnaire.definition import Questionnaire
from assess.regional import regions
from assess.store import audit, rounds
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.translation import today_in_china, translator

# A round's declarations are open for at most this many days: a longer window is a typo.
LONGEST_DAYS = 366


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_opener | unknown_level | exists | dates (see `nonsense`) |
    not_found | declared (someone declared in the round: it cannot be cancelled) |
    not_confirmed (cancelling deletes the round: the authority must confirm it first)."""

    reason: str
    detail: str = ""


def nonsense(year: int, opens_on: date, deadline: date, day: date | None = None) -> str | None:
    """What is wrong with a round's year and dates, or None: `order` (the deadline before the
    opening), `year` (the year is neither the opening's nor the deadline's, or out of range),
    `long` (open for more than LONGEST_DAYS), `past` (the deadline already passed)."""
    if deadline < opens_on:
        return "order"
    if not 2024 <= year <= 2100 or year not in (opens_on.year, deadline.year):
        return "year"
    if (deadline - opens_on).days > LONGEST_DAYS:
        return "long"
    if deadline < (day or today_in_china()):
        return "past"
    return None


def state(row: dict, day: date | None = None) -> str:
    """upcoming, open or closed (past its deadline)."""
    day = (day or today_in_china()).isoformat()
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
    day: date | None = None,
) -> int | Refused:
    """Open a round for the authority's region with the default chain of the level, when its
    year and dates make sense (`nonsense`) on `day` (today in China)."""
    if level not in chain.DEFAULT_CHAINS:
        return Refused("unknown_level")
    if not may_open(authority, level):
        return Refused("not_opener")
    wrong = nonsense(year, opens_on, deadline, day)
    if wrong:
        return Refused("dates", wrong)
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


def may_cancel(authority: dict, row: dict) -> bool:
    """An authority cancels the rounds it may open, of its own region."""
    return row["region_scope"] == authority["region_scope"] and may_open(authority, row["level"])


def cancel(
    db: Database, authority: dict, round_id: int, by: Actor, confirmed: bool
) -> bool | Refused:
    """Cancel (delete) a round opened by mistake, while nobody has declared in it (not even a
    draft): refused `declared` after that, when the round is the enterprises' to rely on. It
    cannot be undone, so it is done only once confirmed (refused `not_confirmed` otherwise)."""
    with write_transaction(db):
        row = rounds.get(db, round_id)
        if row is None or not may_cancel(authority, row):
            return Refused("not_found")
        if not confirmed:
            return Refused("not_confirmed")
        if not rounds.delete_if_unused(db, round_id):
            return Refused("declared")
        audit.record_by(
            db,
            by,
            "round_cancelled",
            target_type="round",
            target_id=round_id,
            detail={
                "level": row["level"],
                "year": row["year"],
                "scope": row["region_scope"],
                "opens_on": row["opens_on"],
                "deadline": row["deadline"],
            },
        )
    return True


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
