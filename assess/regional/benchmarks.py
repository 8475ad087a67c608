"""Provincial sector benchmarks of the results indicators (建设成效): who may set them, setting
them, and the stored results they decide. No Flask.

The element conditions ask for key indicators above the provincial industry average: a
benchmark is that average for one province and one sector, set by an authority whose region
covers the province (a provincial or the national one) or by an administrator. Every result is
scored with the benchmarks of its organisation's sector and province; without one, the rule
that compares indicators is "not assessed".

Changing a benchmark changes results. Stored results (assessments.gradient_level and
gradient_rank, result_facts and the regional sums read by dashboards) are re-scored in the
same write transaction as the change, for every submitted assessment of that sector and
province answered under a questionnaire with results: a dashboard never shows a level that the
results page no longer gives. (A report already downloaded keeps the level of its day; the
next download is made anew, its cache key includes the benchmarks.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlite_utils import Database

from assess.questionnaire.definition import Indicator, Questionnaire
from assess.questionnaire.versions import Versions
from assess.regional import result_facts
from assess.scoring import Benchmark, score
from assess.scoring.answers import AnswerError, check, clean_text
from assess.store import assessments, audit, organisations
from assess.store import benchmarks as store
from assess.store.audit import Actor
from assess.store.database import write_transaction

MAX_SOURCE = 200  # characters of a benchmark's source


def province_of(region_code: str) -> str:
    """The province (a two-digit code prefix) of a region code."""
    return region_code[:2]


def for_organisation(db: Database, q: Questionnaire, organisation: dict, sector: str | None = None):
    """The benchmarks a result of this organisation is scored with (its sector, or the one
    given, in its province); none under a questionnaire without results."""
    if q.results is None:
        return {}
    rows = store.for_sector(
        db, province_of(organisation["region_code"]), sector or organisation["sector"]
    )
    return {key: Benchmark(r["value"], r["year"], r["source"]) for key, r in rows.items()}


def digest(db: Database, organisation: dict) -> list[tuple]:
    """The benchmarks of an organisation's sector and province, as plain values (what a
    report made with them depends on)."""
    rows = store.for_sector(db, province_of(organisation["region_code"]), organisation["sector"])
    return [(key, r["value"], r["year"], r["source"]) for key, r in sorted(rows.items())]


def may_view(role: str, region_scope: str | None, province: str) -> bool:
    """An administrator sees every province; an authority the one its region is in or under."""
    if role == "admin":
        return True
    scope = region_scope or ""
    return role == "authority" and (province.startswith(scope) or scope.startswith(province))


def may_set(role: str, region_scope: str | None, park_id: int | None, province: str) -> bool:
    """An administrator, or an authority whose region covers the whole province (a province's
    or the country's): a city, county or park sees the benchmarks but does not set them."""
    if role == "admin":
        return True
    scope = region_scope or ""
    return role == "authority" and park_id is None and province.startswith(scope)


def indicators(versions: Versions) -> dict[str, Indicator]:
    """Every results indicator of the installed versions (the newest wording last)."""
    found: dict[str, Indicator] = {}
    for q in versions:
        found.update(q.indicators)
    return found


def _checker(versions: Versions) -> Questionnaire | None:
    """A version with results, whose checks a benchmark's value and year go through."""
    with_results = [q for q in versions if q.results is not None]
    return with_results[-1] if with_results else None


@dataclass(frozen=True)
class Line:
    """One indicator of a province's and sector's benchmarks, as the screen shows it."""

    indicator: Indicator
    stored: dict | None  # value, year, source, set_by_name, set_at; None: not set


def sheet(db: Database, versions: Versions, province: str, sector: str) -> list[Line]:
    """Every indicator with its benchmark for a province and sector (None where not set)."""
    stored = store.for_sector(db, province, sector)
    return [Line(indicator, stored.get(key)) for key, indicator in indicators(versions).items()]


def set_per_sector(db: Database, province: str) -> dict[str, int]:
    """How many indicators have a benchmark, per sector of a province."""
    counted: dict[str, int] = {}
    for row in store.for_province(db, province):
        counted[row["sector"]] = counted.get(row["sector"], 0) + 1
    return counted


@dataclass(frozen=True)
class Entry:
    """One indicator's benchmark as a form sends it: an empty value removes it."""

    value: str = ""
    year: str = ""
    source: str = ""


@dataclass(frozen=True)
class Saved:
    errors: dict[str, dict[str, str]] = field(default_factory=dict)  # indicator -> field -> code
    changed: int = 0  # benchmarks set, changed or removed
    rescored: int = 0  # stored results re-scored
    moved: int = 0  # of them, results whose level changed

    @property
    def refused(self) -> bool:
        return bool(self.errors)


def _checked(q: Questionnaire, indicator_id: str, entry: Entry) -> tuple[dict, tuple | None]:
    """(errors by field, (value, year, source) or None to remove)."""
    if not entry.value.strip():
        return {}, None
    errors, value, year = {}, None, None
    try:
        value = float(check(q, indicator_id, entry.value).value)
    except AnswerError as error:
        errors["value"] = error.code
    try:
        year = int(check(q, q.results.year.id, entry.year.strip()).value)
    except AnswerError:
        errors["year"] = "invalid_year"
    source = " ".join(clean_text(entry.source).split())  # one line, as shown
    if not source:
        errors["source"] = "source_required"
    elif len(source) > MAX_SOURCE:
        errors["source"] = "source_too_long"
    return errors, None if errors else (value, year, source)


def save(
    db: Database,
    versions: Versions,
    province: str,
    sector: str,
    entries: Mapping[str, Entry],
    by: Actor,
) -> Saved:
    """Set (or remove) the benchmarks of one province and sector, all or none, and re-score
    the stored results they decide. The caller checked may_set; an unknown sector or
    indicator is refused."""
    q = _checker(versions)
    known = indicators(versions)
    sectors = {o.id for v in versions for o in v.options_of(v.items["profile.sector"])}
    if q is None or sector not in sectors or len(province) != 2 or not province.isdigit():
        return Saved(errors={"": {"sector": "unknown"}})
    checked, errors = {}, {}
    for indicator_id, entry in entries.items():
        if indicator_id not in known:
            continue
        problems, wanted = _checked(q, indicator_id, entry)
        if problems:
            errors[indicator_id] = problems
        checked[indicator_id] = wanted
    if errors:
        return Saved(errors=errors)
    with write_transaction(db):
        before = store.for_sector(db, province, sector)
        changed = {}
        for indicator_id, wanted in checked.items():
            was = before.get(indicator_id)
            if wanted is None:
                if was is not None:
                    store.remove(db, province, sector, indicator_id)
                    changed[indicator_id] = None
            elif was is None or (was["value"], was["year"], was["source"]) != wanted:
                store.put(db, province, sector, indicator_id, *wanted, by.user_id)
                changed[indicator_id] = wanted[0]
        rescored = moved = 0
        if changed:
            audit.record_by(
                db,
                by,
                "benchmarks_set",
                target_type="benchmarks",
                target_id=f"{province}:{sector}",
                detail={"changed": changed},
            )
            rows = store.submitted_in(db, province, sector)
            rescored, moved = rescore(db, rows, _version_of(versions), versions.latest())
    return Saved(changed=len(changed), rescored=rescored, moved=moved)


def _version_of(versions: Versions) -> Callable[[dict], Questionnaire | None]:
    def of(row: dict) -> Questionnaire | None:
        try:
            return versions.of(row)
        except KeyError:
            return None

    return of


def rescore(
    db: Database,
    rows: Iterable[dict],
    questionnaire_of: Callable[[dict], Questionnaire | None],
    latest: Questionnaire,
) -> tuple[int, int]:
    """Score submitted assessments again with today's benchmarks (those under a questionnaire
    with results): their stored level, their facts and the sums of their counties. Returns
    (re-scored, whose level changed). Run it in a write transaction."""
    facts, count, moved = [], 0, 0
    seen: dict[int, tuple[dict, dict]] = {}
    for row in rows:
        q = questionnaire_of(row)
        if q is None or q.results is None:
            continue
        if row["organisation_id"] not in seen:
            organisation = organisations.get(db, row["organisation_id"])
            seen[row["organisation_id"]] = (organisation, for_organisation(db, q, organisation))
        organisation, benchmarks = seen[row["organisation_id"]]
        stored = assessments.answers(db, row["id"])
        answers = {item: s.answer for item, s in stored.items() if item in q.items}
        result = score(q, answers, benchmarks)
        count += 1
        before = (row["gradient_rank"], row["confirmed_rank"])
        if (result.gradient_rank, result.confirmed_rank) != before:
            assessments.set_gradient(db, row["id"], result)
            moved += 1
        facts.append(result_facts.of_submitted(db, q, result, row, organisation))
    result_facts.record(db, facts, latest)
    return count, moved
