"""Industrial parks as the administrator manages them: a named area below a county, and the
enterprises in it. Moving an enterprise into or out of a park moves its facts and the sums of
the park and the county with it, so the park's dashboard counts it at once. No Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire
from assess.regional import regions, result_facts
from assess.store import audit, organisations
from assess.store import parks as store
from assess.store.audit import Actor
from assess.store.database import write_transaction

MAX_NAME = 60
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: county | name | name_taken | not_found | outside."""

    reason: str
    names: tuple[str, ...] = ()  # the enterprises outside the park's county


def name_problem(name: str, required: bool = True) -> str | None:
    if required and not name:
        return "name"
    if len(name) > MAX_NAME or CONTROL.search(name) or name != name.strip():
        return "name"
    return None


def listing(db: Database, lang: str) -> list[dict]:
    """Every park with its number of enterprises and its county's label in a language."""
    return [{**p, "county": regions.label(p["county_code"], lang)} for p in store.all_parks(db)]


def create(db: Database, county_code: str, name_zh: str, name_en: str, by: Actor) -> int | Refused:
    """A new park in a county (a region where enterprises register: a county, or a city without
    counties); the Chinese name is required and unique in the county, the English one optional."""
    if county_code not in regions.registrable():
        return Refused("county")
    if name_problem(name_zh) or name_problem(name_en, required=False):
        return Refused("name")
    with write_transaction(db):
        if store.by_name(db, county_code, name_zh) is not None:
            return Refused("name_taken")
        park_id = store.create(db, county_code, name_zh, name_en)
        audit.record_by(db, by, "park_created", target_type="park", target_id=park_id,
                        detail={"county": county_code, "name": name_zh})  # fmt: skip
    return park_id


def move(
    db: Database, park_id: int, organisation_ids: list[int], q: Questionnaire, by: Actor
) -> int | Refused:
    """Put enterprises of the park's county into the park (how many moved); all or none."""
    with write_transaction(db):
        park = store.park(db, park_id)
        if park is None:
            return Refused("not_found")
        found = [organisations.get(db, i) for i in dict.fromkeys(organisation_ids)]
        if any(org is None for org in found):
            return Refused("not_found")
        outside = tuple(org["name"] for org in found if org["region_code"] != park["county_code"])
        if outside:
            return Refused("outside", outside)
        moving = [org for org in found if org["park_id"] != park_id]
        for org in moving:
            _place(db, org, park_id, q, by)
    return len(moving)


def take_out(db: Database, park_id: int, organisation_id: int, q: Questionnaire, by: Actor) -> bool:
    """Take an enterprise out of the park (it stays in its county); False when it is not in it."""
    with write_transaction(db):
        org = organisations.get(db, organisation_id)
        if org is None or org["park_id"] != park_id:
            return False
        _place(db, org, None, q, by)
    return True


def _place(db: Database, org: dict, park_id: int | None, q: Questionnaire, by: Actor) -> None:
    store.place(db, org["id"], park_id)
    result_facts.update_organisation(db, organisations.get(db, org["id"]), q)
    audit.record_by(db, by, "park_changed", target_type="organisation", target_id=org["id"],
                    detail={"park": {"before": org["park_id"], "after": park_id}})  # fmt: skip
