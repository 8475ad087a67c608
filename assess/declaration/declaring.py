"""An enterprise declares (申报) for a level in an open round of its region, from a submitted
assessment that reaches that level: it starts a draft, fills in what the product does not know
(a contact, the national self-diagnosis platform's CMMM result, a description per scenario,
the attachments), submits before the deadline, amends a returned declaration and submits it
again, or withdraws it. Submitting is the enterprise's consent to show its named result and
dossier to the authorities of its region. No Flask."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlite_utils import Database

from assess.declaration import attachments, rounds
from assess.declaration.chain import REQUIRES
from assess.organisation.accounts import EMAIL_ADDRESS
from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.versions import Versions
from assess.report.results import scored
from assess.scoring.answers import CONTROL as TEXT_CONTROL  # keeps line breaks
from assess.scoring.answers import clean_line
from assess.scoring.result import Result
from assess.store import assessments, audit, result_facts, summaries
from assess.store import declarations as store
from assess.store import recognitions as recognition_store
from assess.store import rounds as round_store
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.translation import today_in_china

MAX_DESCRIPTION = 1000  # characters per scenario, as the programme's notices limit them
MAX_NAME, MAX_PHONE, MAX_EMAIL = 50, 30, 254
EARLIEST_PLATFORM_DATE = "2020-01-01"
PHONE = re.compile(r"[0-9+\-() ]+")
EDITABLE = ("draft", "returned")


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_found | round_closed | round_not_open | not_in_region |
    exists | not_eligible | requires | locked | incomplete. detail: what is missing, the
    deadline, the level required."""

    reason: str
    detail: object = None


def editable(row: dict) -> bool:
    """A declaration changes only while a draft, or returned for amendment."""
    return row["status"] in EDITABLE


def level_rank(q: Questionnaire, level_id: str) -> int:
    return next((i for i, lv in enumerate(q.gradient.levels, start=1) if lv.id == level_id), 99)


def eligible(db: Database, versions: Versions, organisation_id: int, level: str) -> list[dict]:
    """The enterprise's submitted assessments whose result reaches the level, newest first,
    each saying whether it counts as verified on site (verified_on_site)."""
    found = []
    verified = result_facts.verified_of(db, organisation_id)
    for row in assessments.for_organisation(db, organisation_id):
        if row["status"] != "submitted":
            continue
        try:
            q = versions.of(row)
        except KeyError:
            continue
        if (row["gradient_rank"] or 0) >= level_rank(q, level):
            found.append({**row, "verified_on_site": row["id"] in verified})
    return sorted(found, key=lambda r: (r["submitted_at"] or "", r["id"]), reverse=True)


def required_scenarios(q: Questionnaire, result: Result, level: str) -> list[str]:
    """The scenarios a declaration rests on, each to be described: those that apply and reach
    the declared level, in questionnaire order."""
    needed = level_rank(q, level)
    return [
        s.id
        for s in q.scenarios.items
        if result.scenarios[s.id].applicable and result.scenarios[s.id].rank >= needed
    ]


def start(
    db: Database,
    versions: Versions,
    organisation: dict,
    round_id: int,
    assessment_id: int,
    by: Actor,
    day: date | None = None,
) -> int | Refused:
    """A draft declaration in a round, from an assessment; its id (the existing one's when the
    enterprise already has one in the round)."""
    with write_transaction(db):
        row = round_store.get(db, round_id)
        if row is None or not organisation["region_code"].startswith(row["region_scope"]):
            return Refused("not_found")
        existing = store.in_round(db, round_id, organisation["id"])
        if existing is not None and not (
            existing["status"] == "withdrawn" and not existing["revision"]
        ):
            return existing["id"]  # a draft taken back may be started again
        state = rounds.state(row, day)
        if state != "open":
            return Refused("round_closed" if state == "closed" else "round_not_open", row)
        if assessment_id not in {
            a["id"] for a in eligible(db, versions, organisation["id"], row["level"])
        }:
            return Refused("not_eligible")
        required = REQUIRES.get(row["level"])
        if required and not any(
            r["level"] == required and r["kind"] == "recognised"
            for r in recognition_store.current(db, organisation["id"])
        ):
            return Refused("requires", required)
        if existing is not None:
            declaration_id = existing["id"]
            store.update(db, declaration_id, status="draft", assessment_id=assessment_id)
        else:
            declaration_id = store.create(
                db, round_id, organisation["id"], assessment_id, row["level"], by.user_id
            )
        store.update(
            db,
            declaration_id,
            contact_name=organisation.get("contact_name") or "",
            contact_phone=organisation.get("contact_phone") or "",
            contact_email=organisation.get("contact_email") or "",
        )
        audit.record_by(
            db,
            by,
            "declaration_started",
            target_type="declaration",
            target_id=declaration_id,
            detail={"round_id": round_id, "assessment_id": assessment_id},
        )
    return declaration_id


@dataclass
class Fields:
    """What the enterprise types into its declaration (raw strings, as posted); None: not
    sent, left as it is."""

    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    platform_level: str | None = None
    platform_score: str | None = None
    platform_date: str | None = None
    descriptions: dict[str, str] = field(default_factory=dict)


line = clean_line  # a one-line text as stored


def text(value: str) -> str:
    """A description as stored: line breaks kept (as \\n), other control characters go."""
    return TEXT_CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _contact(fields: Fields) -> tuple[dict, dict]:
    values, problems = {}, {}
    checks = (
        ("contact_name", MAX_NAME, None),
        ("contact_phone", MAX_PHONE, PHONE),
        ("contact_email", MAX_EMAIL, EMAIL_ADDRESS),
    )
    for name, limit, pattern in checks:
        raw = getattr(fields, name)
        if raw is None:
            continue
        value = line(raw)
        if name == "contact_email":
            value = value.lower()
        if len(value) > limit:
            problems[name] = "too_long"
        elif value and pattern is not None and not pattern.fullmatch(value):
            problems[name] = "invalid"
        else:
            values[name] = value
    return values, problems


def _platform(fields: Fields, day: date) -> tuple[dict, dict]:
    values, problems = {}, {}
    if fields.platform_level is not None:
        raw = fields.platform_level.strip()
        if not raw:
            values["platform_level"] = None
        elif raw in ("1", "2", "3", "4", "5"):
            values["platform_level"] = int(raw)
        else:
            problems["platform_level"] = "invalid"
    if fields.platform_score is not None:
        raw = fields.platform_score.strip()
        try:
            score = round(float(raw), 2) if raw else None
        except ValueError:
            score = -1.0
        if score is not None and not 0 <= score <= 5:  # nan fails both comparisons too
            problems["platform_score"] = "invalid"
        else:
            values["platform_score"] = score
    if fields.platform_date is not None:
        raw = fields.platform_date.strip()
        try:
            when = date.fromisoformat(raw).isoformat() if raw else None
        except ValueError:
            when = "invalid"
        if when is not None and not EARLIEST_PLATFORM_DATE <= when <= day.isoformat():
            problems["platform_date"] = "invalid"
        else:
            values["platform_date"] = when
    return values, problems


def save(
    db: Database,
    versions: Versions,
    declaration_id: int,
    fields: Fields,
    by: Actor,
    day: date | None = None,
) -> dict[str, str] | Refused:
    """Keep what is valid of what the enterprise typed; per field, why the rest was refused
    (too_long, invalid). Only while the declaration may change."""
    day = day or today_in_china()
    contact, problems = _contact(fields)
    platform, platform_problems = _platform(fields, day)
    problems.update(platform_problems)
    with write_transaction(db):
        row = store.get(db, declaration_id)
        if row is None or not editable(row):
            return Refused("locked")
        wanted = set(scenarios_of(db, versions, row))
        described = []
        for scenario_id, raw in fields.descriptions.items():
            if scenario_id not in wanted:
                continue
            value = text(raw)
            if len(value) > MAX_DESCRIPTION:
                problems[f"description:{scenario_id}"] = "too_long"
                continue
            store.set_description(db, declaration_id, scenario_id, value)
            described.append(scenario_id)
        if contact or platform or described:
            store.update(db, declaration_id, **contact, **platform)
            audit.record_by(
                db,
                by,
                "declaration_saved",
                target_type="declaration",
                target_id=declaration_id,
                detail={
                    "fields": sorted({*contact, *platform}),
                    "descriptions": described,
                    "refused": sorted(problems),
                },
            )
    return problems


def scenarios_of(db: Database, versions: Versions, row: dict) -> list[str]:
    """The scenarios a declaration must describe, from its assessment's result."""
    found = scored(db, versions, assessments.get(db, row["assessment_id"]))
    return required_scenarios(found.q, found.result, row["level"])


def missing(db: Database, versions: Versions, row: dict) -> list[str]:
    """What a declaration lacks before it can be submitted: contact, platform, a description
    per scenario (description:<id>), each required attachment kind (file:<kind>)."""
    found = []
    if not (row["contact_name"] and row["contact_phone"] and row["contact_email"]):
        found.append("contact")
    if row["platform_level"] is None or row["platform_score"] is None or not row["platform_date"]:
        found.append("platform")
    described = store.descriptions(db, row["id"])
    found += [f"description:{s}" for s in scenarios_of(db, versions, row) if not described.get(s)]
    found += [f"file:{kind}" for kind in attachments.missing(store.files(db, row["id"]))]
    return found


@dataclass(frozen=True)
class Submitted:
    declaration_id: int
    resubmitted: bool


def submit(
    db: Database, versions: Versions, declaration_id: int, by: Actor, day: date | None = None
) -> Submitted | Refused:
    """Send a complete draft for review before its round's deadline, or a returned one again
    (amended; the deadline was met by its first submission). It goes to the step that returned
    it, or to the chain's first step."""
    day = day or today_in_china()
    with write_transaction(db):
        row = store.get(db, declaration_id)
        if row is None or not editable(row):
            return Refused("locked")
        round_row = round_store.get(db, row["round_id"])
        first = row["status"] == "draft"
        if first and rounds.state(round_row, day) != "open":
            state = rounds.state(round_row, day)
            return Refused("round_closed" if state == "closed" else "round_not_open", round_row)
        lacking = missing(db, versions, row)
        if lacking:
            return Refused("incomplete", lacking)
        now = _now()
        if first:
            store.update(
                db, declaration_id, status="in_review", stage=0, revision=1, submitted_at=now
            )
            store.mark_declared(db, row["assessment_id"], now)
        else:
            store.update(
                db,
                declaration_id,
                status="in_review",
                revision=row["revision"] + 1,
                resubmitted_at=now,
            )
        summaries.touch(db)  # the figures count this result as known, and count declarations
        audit.record_by(
            db,
            by,
            "declaration_resubmitted" if not first else "declaration_submitted",
            target_type="declaration",
            target_id=declaration_id,
            detail={"organisation_id": row["organisation_id"], "stage": row["stage"]},
        )
    return Submitted(declaration_id, not first)


def withdraw(db: Database, declaration_id: int, by: Actor) -> bool:
    """The enterprise takes back a declaration not decided yet (a draft, one in review or
    returned); what the authorities saw stays in the audit log."""
    with write_transaction(db):
        row = store.get(db, declaration_id)
        if row is None or row["status"] not in ("draft", "in_review", "returned"):
            return False
        store.update(db, declaration_id, status="withdrawn", decided_at=_now())
        summaries.touch(db)
        audit.record_by(
            db,
            by,
            "declaration_withdrawn",
            target_type="declaration",
            target_id=declaration_id,
            detail={"organisation_id": row["organisation_id"], "status": row["status"]},
        )
    return True


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
