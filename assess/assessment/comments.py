"""The enterprise's comment on an answer: saved through the autosave path of a
self-assessment, shown to its consultant and carried into the report's appendix. A comment
never changes a score."""

from __future__ import annotations

from sqlite_utils import Database

from assess.assessment.answering import Locked
from assess.questionnaire.definition import Questionnaire
from assess.scoring.answers import clean_text
from assess.store import answer_comments, assessments
from assess.store.database import write_transaction

MAX_COMMENT = 500


def save(
    db: Database,
    q: Questionnaire,
    assessment_id: int,
    user_id: int | None,
    comments: list[tuple[str, str]],
) -> dict[str, str]:
    """Store each (item, comment) of a draft self-assessment in one write transaction; per
    item: saved, unchanged, or invalid (an unknown item, too long, or an on-site assessment,
    whose consultant keeps evidence notes instead). Raises Locked once submitted."""
    statuses = {}
    with write_transaction(db):
        row = assessments.get(db, assessment_id)
        if row is None or row["status"] != "draft":
            raise Locked(assessment_id)
        for item_id, text in comments:
            text = clean_text(text)
            if row["mode"] == "consultant" or item_id not in q.items or len(text) > MAX_COMMENT:
                statuses[item_id] = "invalid"
                continue
            changed = answer_comments.put(db, assessment_id, item_id, text, user_id)
            statuses[item_id] = "saved" if changed else "unchanged"
        if "saved" in statuses.values():
            assessments.touch(db, assessment_id)
    return statuses


def of_assessment(db: Database, assessment_id: int) -> dict[str, str]:
    """Per item, the enterprise's comment."""
    return answer_comments.for_assessment(db, assessment_id)
