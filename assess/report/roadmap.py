"""The phased roadmap as the results page, the report and the Excel export show it, with the
target the enterprise chose and the owner and due date it gave each action (kept per
enterprise, so a re-assessment carries them and shows which planned actions are now done);
and the use case that saves them. No Flask."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire, Requirement, Step
from assess.questionnaire.guide import guide_of
from assess.questionnaire.versions import Versions
from assess.regional import benchmarks
from assess.report.view import gap_row
from assess.scoring import explain
from assess.scoring.answers import clean_text
from assess.scoring.result import Result
from assess.scoring.roadmap import CMMM_TARGET, Roadmap, plan, target_choices
from assess.store import organisations
from assess.store import roadmap_plans as store
from assess.store.audit import Actor, record_by
from assess.store.database import write_transaction
from assess.translation import translator

MAX_OWNER = 100


@dataclass(frozen=True)
class ActionRow:
    item_id: str
    number: str  # "1.3": phase 1, third action
    text: str
    where: str  # the sub-domain or scenario, with the level
    link: str
    rules: str  # the rules it moves, as written
    time_band: str
    cost_band: str
    indicators: str  # the key indicators it is expected to improve (indicative)
    current: str
    needed: str
    next_step: str
    owner: str = ""
    due_date: str = ""


@dataclass(frozen=True)
class PhaseRow:
    number: int
    title: str
    rules: str  # the rules still open at the start of the phase
    actions: tuple[ActionRow, ...]


@dataclass(frozen=True)
class DoneRow:
    item_id: str
    text: str
    where: str
    owner: str
    due_date: str


@dataclass(frozen=True)
class RoadmapView:
    target_level: str | None
    target_cmmm: int | None
    target_text: str
    level_choices: tuple[tuple[str, str], ...]  # (id, name) of the levels above the one reached
    cmmm_choices: tuple[tuple[int, str], ...]
    phases: tuple[PhaseRow, ...]
    done: tuple[DoneRow, ...]  # planned on an earlier assessment, met now
    has_indicators: bool = True  # the questionnaire version has results indicators

    def actions(self) -> list[ActionRow]:
        return [action for phase in self.phases for action in phase.actions]


def time_band_name(band: str, lang: str) -> str:
    t = translator(lang)
    return {
        "up_to_3_months": t.gettext("up to 3 months"),
        "3_to_12_months": t.gettext("3–12 months"),
        "12_to_24_months": t.gettext("12–24 months"),
    }.get(band, band)


def cost_band_name(band: str, lang: str) -> str:
    t = translator(lang)
    return {
        "low": t.gettext("low (under CNY 0.5 million)"),
        "medium": t.gettext("medium (CNY 0.5–5 million)"),
        "high": t.gettext("high (over CNY 5 million)"),
    }.get(band, band)


def compute(
    q: Questionnaire,
    answers: dict,
    result: Result,
    found_benchmarks,
    target_level: str | None,
    target_cmmm: int | None,
) -> Roadmap:
    """The phased roadmap toward the stored target (the default when none or out of reach)."""
    return plan(q, answers, found_benchmarks, target_level, target_cmmm, guide_of(q), result)


def build(
    q: Questionnaire,
    result: Result,
    roadmap: Roadmap,
    lang: str,
    planned: dict[str, dict] | None = None,
    on_site: bool = False,
) -> RoadmapView:
    """The roadmap in one language, with the owners and due dates planned (by item id); an
    on-site assessment's rules are worded as on-site (现场评估), as its level page words them."""
    t = translator(lang)
    planned = {_current_id(q, item_id): row for item_id, row in (planned or {}).items()}
    phases = []
    for phase in roadmap.phases:
        texts = {o.rule_id: explain.rule_text(q, o, lang, on_site) for o in phase.rules}
        if phase.cmmm_level:
            texts[CMMM_TARGET] = t.gettext(
                "Target: %(level)s", level=explain.cmmm_name(q, phase.cmmm_level, lang)
            )
        actions = []
        for index, action in enumerate(phase.actions, start=1):
            row = gap_row(q, action.item, lang)
            entry = planned.get(action.item_id, {})
            actions.append(
                ActionRow(
                    item_id=action.item_id,
                    number=f"{phase.number}.{index}",
                    text=row.text,
                    where=row.where,
                    link=row.link,
                    rules=t.listing(texts.get(r, r) for r in action.item.rules),
                    time_band=time_band_name(action.time_band, lang),
                    cost_band=cost_band_name(action.cost_band, lang),
                    indicators=t.listing(q.indicators[i].name.get(lang) for i in action.indicators),
                    current=row.current,
                    needed=row.needed,
                    next_step=row.next_step,
                    owner=entry.get("owner") or "",
                    due_date=entry.get("due_date") or "",
                )
            )
        if phase.level_id:
            title = t.gettext(
                "Phase %(n)s: what closes %(level)s",
                n=phase.number,
                level=explain.gradient_name(q, phase.level_id, lang),
            )
        else:
            title = t.gettext(
                "Phase %(n)s: what reaches %(level)s",
                n=phase.number,
                level=explain.cmmm_name(q, phase.cmmm_level, lang),
            )
        phases.append(PhaseRow(phase.number, title, t.listing(texts.values()), tuple(actions)))
    in_plan = {a.item_id for p in roadmap.phases for a in p.actions}
    done = tuple(
        DoneRow(item_id, *_where(q, item_id, lang), row["owner"], row["due_date"] or "")
        for item_id, row in planned.items()
        if item_id in q.items and item_id not in in_plan and _met(q, result, item_id)
    )
    levels, cmmm = target_choices(q, result)
    return RoadmapView(
        target_level=roadmap.target_level,
        target_cmmm=roadmap.target_cmmm,
        target_text=t.gettext(
            "Target: %(gradient)s, with capability at %(cmmm)s.",
            gradient=explain.gradient_name(q, roadmap.target_level, lang)
            if roadmap.target_level
            else "—",
            cmmm=explain.cmmm_name(q, roadmap.target_cmmm, lang) if roadmap.target_cmmm else "—",
        ),
        level_choices=tuple((lv, explain.gradient_name(q, lv, lang)) for lv in levels),
        cmmm_choices=tuple((lv, explain.cmmm_name(q, lv, lang)) for lv in cmmm),
        phases=tuple(phases),
        done=done,
        has_indicators=bool(q.indicators),
    )


def _current_id(q: Questionnaire, item_id: str) -> str:
    """An item id planned under an earlier version, as this version calls it."""
    carried = q.carried_from
    return carried.renamed.get(item_id, item_id) if carried is not None else item_id


def _where(q: Questionnaire, item_id: str, lang: str) -> tuple[str, str]:
    node = q.items[item_id]
    if isinstance(node, Requirement):
        where = f"{q.sub_domains[node.sub_domain].name.get(lang)} · {explain.cmmm_name(q, node.level, lang)}"
    elif isinstance(node, Step):
        where = f"{q.scenario_map[node.scenario].name.get(lang)} · {explain.gradient_name(q, node.level, lang)}"
    else:
        where = ""
    return node.text.get(lang), where


def _met(q: Questionnaire, result: Result, item_id: str) -> bool:
    """Whether an action is done by this assessment's answers."""
    node = q.items[item_id]
    if item_id in q.indicators:
        return bool(result.indicators[item_id].better)
    value = result.items[item_id].value if item_id in result.items else None
    if value is None:
        return False
    if isinstance(node, Requirement):
        return value >= q.cmmm.reach_threshold - 1e-9
    if isinstance(node, Step):
        return value >= q.scenarios.met(node.level) - 1e-9
    return value >= 1.0 - 1e-9  # a gate question answered yes


def of_assessment(db: Database, versions: Versions, row: dict, found, lang: str) -> RoadmapView:
    """The roadmap of a submitted assessment (`found`: its report.results.Scored)."""
    organisation = organisations.get(db, row["organisation_id"])
    target_level, target_cmmm = store.target(db, row["organisation_id"])
    roadmap = compute(
        found.q,
        found.answers,
        found.result,
        benchmarks.for_organisation(db, found.q, organisation),
        target_level,
        target_cmmm,
    )
    planned = store.entries(db, row["organisation_id"])
    return build(found.q, found.result, roadmap, lang, planned, row["mode"] == "consultant")


@dataclass(frozen=True)
class Refusal:
    reason: str  # bad_target | bad_owner | bad_date | unknown_item


def save(
    db: Database,
    actor: Actor,
    q: Questionnaire,
    row: dict,
    target_level: str,
    target_cmmm: str,
    entries: dict[str, tuple[str, str]],
) -> Refusal | None:
    """Save the target and each action's owner and due date (YYYY-MM-DD; both empty: not
    planned). Everything is checked before anything is written."""
    if target_level and target_level not in q.level_rank:
        return Refusal("bad_target")
    levels = {str(level.level): level.level for level in q.cmmm.levels}
    if target_cmmm and target_cmmm not in levels:
        return Refusal("bad_target")
    cleaned = {}
    for item_id, (owner, due) in entries.items():
        if item_id not in q.items:
            return Refusal("unknown_item")
        owner, due = clean_text(owner).replace("\n", " "), (due or "").strip()
        if len(owner) > MAX_OWNER:
            return Refusal("bad_owner")
        if due:
            try:
                dt.date.fromisoformat(due)
            except ValueError:
                return Refusal("bad_date")
            if len(due) != 10:
                return Refusal("bad_date")
        cleaned[item_id] = (owner, due or None)
    with write_transaction(db):
        store.set_target(
            db,
            row["organisation_id"],
            target_level or None,
            levels.get(target_cmmm),
            actor.user_id,
        )
        for item_id, (owner, due) in cleaned.items():
            store.set_entry(
                db, row["organisation_id"], item_id, owner, due, row["id"], actor.user_id
            )
        record_by(
            db,
            actor,
            "roadmap_saved",
            target_type="assessment",
            target_id=row["id"],
            detail={"target": [target_level, target_cmmm], "actions": len(cleaned)},
        )
    return None


def sheets(shown: RoadmapView, lang: str) -> dict[str, tuple[list[str], list[list]]]:
    """The roadmap as an Excel workbook: a sheet per phase, and the actions done since."""
    _ = translator(lang).gettext
    headers = [
        "#",
        _("Sub-domain or scenario"),
        _("Link"),
        _("Action to take"),
        _("Now"),
        _("Needed"),
        _("Next step"),
        _("Rule it moves"),
        _("Time frame (indicative)"),
        _("Cost (indicative)"),
        _("Indicators it should improve (indicative)"),
        _("Owner"),
        _("Due"),
    ]
    out: dict[str, tuple[list[str], list[list]]] = {}
    for phase in shown.phases:
        out[_("Phase %(n)s", n=phase.number)] = (
            headers,
            [
                [
                    a.number,
                    a.where,
                    a.link,
                    a.text,
                    a.current,
                    a.needed,
                    a.next_step,
                    a.rules,
                    a.time_band,
                    a.cost_band,
                    a.indicators,
                    a.owner,
                    a.due_date,
                ]
                for a in phase.actions
            ],
        )
    out[_("Done")] = (
        [_("Sub-domain or scenario"), _("Action to take"), _("Owner"), _("Due")],
        [[d.where, d.text, d.owner, d.due_date] for d in shown.done],
    )
    out[_("About")] = (
        [_("Target"), _("Note")],
        [
            [
                shown.target_text,
                _(
                    "Time frames, cost bands and the indicators each action is expected to"
                    " improve are indicative: this product's own estimates from the"
                    " questionnaire data, not a quotation."
                ),
            ]
        ],
    )
    return out
