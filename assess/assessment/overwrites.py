"""Answers saved over by a colleague, in a team that answers one assessment together. No Flask.

Every answer carries a revision (assess/assessment/answering.py): a save proposed from an older
one is refused as stale and the newer answer is kept. The one whose save came too late is told
who changed the answer and when (not "another window" when it was a colleague), and what they
sent is handed back to them to choose again: no answer is lost. Before that happens, the owner,
who may answer every section, is warned on a page whose sections are assigned to a
contributor that saving there replaces the contributor's answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.assessment.answering import Outcome
from assess.questionnaire.definition import Text
from assess.questionnaire.pages import Page
from assess.questionnaire.sections import section_map
from assess.scoring import Answer
from assess.store import team


@dataclass(frozen=True)
class Overwritten:
    """An answer the user sent that came after a newer one (stale)."""

    item_id: str
    by: str  # the colleague who saved the answer kept; "" when it was the user (another window)
    at: str  # when it was saved (UTC)
    yours: Answer | None  # what the user sent, handed back
    current: Answer | None  # the answer kept


def overwritten(db: Database, user_id: int, outcomes: list[Outcome]) -> dict[str, Overwritten]:
    """Per item sent too late, who saved the newer answer, when, and what the user sent."""
    stale = [o for o in outcomes if o.status == "stale"]
    names = team.names(db, {o.changed_by for o in stale if o.changed_by != user_id})
    return {
        o.item_id: Overwritten(
            o.item_id,
            "" if o.changed_by in (None, user_id) else names.get(o.changed_by, ""),
            o.changed_at or "",
            o.proposed,
            o.current,
        )
        for o in stale
    }


@dataclass(frozen=True)
class ChangedByColleague:
    """An answer of the user's own sections last saved by someone else."""

    by: str  # their name
    at: str  # when (UTC)


def changed_by_colleagues(
    db: Database, assessment_id: int, item_ids, user_id: int
) -> dict[str, ChangedByColleague]:
    """Of these items (a contributor's own on a page), those whose stored answer someone else
    saved last: the contributor coming back sees who changed what, and when, even if they were
    not typing when it happened."""
    saved = team.last_answers(db, assessment_id)
    others = {
        item: saved[item]
        for item in item_ids
        if item in saved and saved[item][1] not in (None, user_id)
    }
    names = team.names(db, {by for _, by in others.values()})
    return {item: ChangedByColleague(names.get(by, ""), at) for item, (at, by) in others.items()}


@dataclass(frozen=True)
class AssignedSection:
    """A section of a page that a contributor answers."""

    section_id: str
    title: Text
    assignee: str  # the contributor's name


def assigned_to_others(
    db: Database, row: dict, q, page: Page, user_id: int
) -> tuple[AssignedSection, ...]:
    """The sections of this page assigned to a contributor other than the user, in the page's
    order: the owner saving there replaces that colleague's answers, and is told so first.
    Nothing on site (the consultant answers every item of an on-site assessment)."""
    if row["mode"] == "consultant":
        return ()
    assigned = team.assignments(db, row["organisation_id"])
    found = [
        section
        for section_id, section in section_map(q).items()
        if section.page_id == page.id and assigned.get(section_id) not in (None, user_id)
    ]
    names = team.names(db, {assigned[s.id] for s in found})
    return tuple(AssignedSection(s.id, s.title, names.get(assigned[s.id], "")) for s in found)
