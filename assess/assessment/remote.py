"""Assessments for other systems (the API): which a user may list, their answers as data, and
answers another system sends, saved through the wizard's own path (answering.save_page: the
same checks, revisions, sections of a contributor, evidence on site, and history). No Flask.

A revision says which stored answer the sender last saw, as in the wizard. An answer sent
without one replaces what is stored: it is proposed as the stored revision + 1, read just
before the save, so that a save made in between (the wizard's, another system's) is not
overwritten: the sent answer comes back "stale" with the newer one, and nothing is lost."""

from __future__ import annotations

from dataclasses import replace

from sqlite_utils import Database

from assess.assessment import answering
from assess.assessment.answering import Outcome, Proposed
from assess.organisation.permissions import may_see
from assess.questionnaire.definition import Questionnaire
from assess.store import assessments, grants


def visible(db: Database, user, organisation_id: int | None = None) -> list[dict]:
    """The assessments the user may see (permissions.may_see), newest first: an enterprise's
    of its own organisation, a consultant's of the clients that granted it access; only of
    one organisation when asked."""
    if user.role == "enterprise":
        organisations = [user.organisation_id]
    elif user.role == "consultant":
        organisations = [org["id"] for org in grants.clients(db, user.id)]
    else:
        organisations = []
    if organisation_id is not None:
        organisations = [org for org in organisations if org == organisation_id]
    return [
        row
        for org in organisations
        for row in assessments.for_organisation(db, org)
        if may_see(db, user, row)
    ]


def answers_of(db: Database, assessment_id: int) -> list[dict]:
    """Every stored answer: item, value (a list for several options), reason, revision."""
    return [
        {
            "item": item_id,
            "value": list(stored.answer.value)
            if isinstance(stored.answer.value, tuple)
            else stored.answer.value,
            "reason": stored.answer.reason,
            "revision": stored.revision,
        }
        for item_id, stored in assessments.answers(db, assessment_id).items()
    ]


def save_sent(
    db: Database,
    q: Questionnaire,
    row: dict,
    user_id: int,
    proposed: list[Proposed],
    evidence_rows: list[tuple] = (),
    allowed: frozenset[str] | None = None,
) -> list[Outcome]:
    """Save answers (and on site evidence notes) sent by another system, as the wizard saves
    a page; an answer without a revision replaces the stored one (see above). Raises
    answering.Locked once the assessment is submitted."""
    stored = assessments.answers(db, row["id"])
    proposed = [
        p
        if p.revision is not None
        else replace(p, revision=(stored[p.item_id].revision if p.item_id in stored else 0) + 1)
        for p in proposed
    ]
    return answering.save_page(db, q, row, user_id, proposed, evidence_rows, allowed)
