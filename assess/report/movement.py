"""History that shows what moved: two of an enterprise's submitted assessments side by side,
per sub-domain and scenario, with the answers that changed. No Flask."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.questionnaire.versions import Versions
from assess.report.content import answer_label
from assess.report.results import scored
from assess.scoring import explain
from assess.scoring.movement import what_moved
from assess.store import assessments
from assess.translation import translator

CHANGED = "changed"  # an answer's row: it is listed because it changed


@dataclass(frozen=True)
class Row:
    name: str
    before: str
    after: str
    change: str  # scoring.movement's up, down, same, (not_)applicable_now, not_compared


@dataclass(frozen=True)
class MovementView:
    before: dict  # the assessment rows
    after: dict
    sub_domains: tuple[Row, ...]
    scenarios: tuple[Row, ...]
    answers: tuple[tuple[str, tuple[Row, ...]], ...]  # per sub-domain or scenario
    lined_up: bool


def submitted_of(db: Database, organisation_id: int) -> list[dict]:
    """The organisation's submitted assessments, oldest first."""
    return [
        row
        for row in assessments.for_organisation(db, organisation_id)
        if row["status"] == "submitted"
    ]


def compare(db: Database, versions: Versions, before: dict, after: dict, lang: str) -> MovementView:
    """What moved from `before` to `after` (the earlier one first, whichever way they come)."""
    if (before["submitted_at"], before["id"]) > (after["submitted_at"], after["id"]):
        before, after = after, before
    t = translator(lang)
    old, new = scored(db, versions, before), scored(db, versions, after)
    q = new.q
    found = what_moved(old.q, old.result, old.answers, q, new.result, new.answers)

    def score(value, compared=True):
        if not compared:
            return "—"
        return t.gettext("not applicable") if value is None else f"{value:.2f}"

    def level(rank, compared=True):
        if not compared:
            return "—"
        if rank is None:
            return t.gettext("not applicable")
        return explain.gradient_name(q, q.gradient.levels[rank - 1].id if rank else None, lang)

    subs = tuple(
        Row(
            q.sub_domains[m.container].name.get(lang),
            score(m.before, m.compared),
            score(m.after),
            m.change,
        )
        for m in found.sub_domains
    )
    scenarios = tuple(
        Row(
            f"{q.scenario_map[m.container].number}. {q.scenario_map[m.container].name.get(lang)}",
            level(m.before, m.compared),
            level(m.after),
            m.change,
        )
        for m in found.scenarios
    )
    groups: dict[str, list[Row]] = {}
    for change in found.answers:
        node = q.items[change.item_id]
        shown = [
            "—" if value is None else answer_label(q, node, value, lang)
            for value in (change.before, change.after)
        ]
        container = (
            q.sub_domains[change.container].name.get(lang)
            if change.container in q.sub_domains
            else q.scenario_map[change.container].name.get(lang)
            if change.container in q.scenario_map
            else t.gettext("Profile, gate and results")
        )
        groups.setdefault(container, []).append(
            Row(explain.item_label(q, change.item_id, lang), *shown, CHANGED)
        )
    return MovementView(
        before,
        after,
        subs,
        scenarios,
        tuple((name, tuple(rows)) for name, rows in groups.items()),
        found.lined_up,
    )
