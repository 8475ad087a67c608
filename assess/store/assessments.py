"""Assessments and their answers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire
from assess.scoring import Answer
from assess.scoring.result import Result


@dataclass(frozen=True)
class StoredAnswer:
    answer: Answer
    revision: int


def create(
    db: Database,
    *,
    organisation_id: int,
    questionnaire: Questionnaire,
    created_by: int | None,
    mode: str = "self",
    consultant_id: int | None = None,
    created_at: str | None = None,
) -> int:
    """A new draft assessment under a questionnaire version (mode consultant: on site)."""
    row = {
        "organisation_id": organisation_id,
        "questionnaire_id": questionnaire.id,
        "questionnaire_version": questionnaire.version,
        "created_by": created_by,
        "mode": mode,
        "consultant_id": consultant_id,
    }
    if created_at:
        row.update(created_at=created_at, updated_at=created_at)
    return db["assessments"].insert(row).last_pk


def get(db: Database, assessment_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM assessments WHERE id = ?", [assessment_id]))
    return rows[0] if rows else None


def for_organisation(db: Database, organisation_id: int) -> list[dict]:
    """Every assessment of an organisation, newest first."""
    return list(
        db.query(
            "SELECT * FROM assessments WHERE organisation_id = ? ORDER BY created_at DESC, id DESC",
            [organisation_id],
        )
    )


def _decode(value: str | None) -> str | tuple[str, ...] | None:
    if value is not None and value.startswith("["):
        return tuple(json.loads(value))
    return value


def _encode(value: str | tuple[str, ...] | None) -> str | None:
    if isinstance(value, tuple | list):
        return json.dumps(list(value), ensure_ascii=False)
    return value


def answers(db: Database, assessment_id: int) -> dict[str, StoredAnswer]:
    """The current answers of an assessment, with their revisions."""
    return {
        row["item_id"]: StoredAnswer(Answer(_decode(row["value"]), row["reason"]), row["revision"])
        for row in db.query(
            "SELECT item_id, value, reason, revision FROM answers WHERE assessment_id = ?",
            [assessment_id],
        )
    }


def put_answers(
    db: Database, assessment_id: int, answers: Iterable[tuple[str, Answer]], user_id: int | None
) -> None:
    """Write answers unconditionally (new revision each): for imports, pre-fill and demo data."""
    db.conn.executemany(
        "INSERT INTO answers (assessment_id, item_id, value, reason, revision, updated_by)"
        " VALUES (?, ?, ?, ?, 1, ?)"
        " ON CONFLICT (assessment_id, item_id) DO UPDATE SET value = excluded.value,"
        " reason = excluded.reason, revision = answers.revision + 1,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        [
            (assessment_id, item_id, _encode(answer.value), answer.reason, user_id)
            for item_id, answer in answers
        ],
    )


def record_result(
    db: Database,
    assessment_id: int,
    result: Result,
    *,
    submitted_by: int | None,
    submitted_at: str | None = None,
) -> None:
    """Mark submitted and keep the result snapshot used by lists and aggregates."""
    db.execute(
        "UPDATE assessments SET status = 'submitted', submitted_by = ?,"
        " submitted_at = coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
        " updated_at = coalesce(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
        " gradient_level = ?, gradient_rank = ?, confirmed_rank = ?, cmmm_level = ?,"
        " cmmm_score = ? WHERE id = ?",
        [
            submitted_by,
            submitted_at,
            submitted_at,
            result.gradient_level,
            result.gradient_rank,
            result.confirmed_rank,
            result.cmmm.level or 0,
            result.cmmm.total_score,
            assessment_id,
        ],
    )
    db.execute("DELETE FROM assessment_scenarios WHERE assessment_id = ?", [assessment_id])
    db.execute("DELETE FROM assessment_sub_domains WHERE assessment_id = ?", [assessment_id])
    db.conn.executemany(
        "INSERT INTO assessment_scenarios VALUES (?, ?, ?, ?)",
        [(assessment_id, s.id, int(s.applicable), s.rank) for s in result.scenarios.values()],
    )
    db.conn.executemany(
        "INSERT INTO assessment_sub_domains VALUES (?, ?, ?, ?)",
        [
            (assessment_id, s.id, int(s.applicable), s.total)
            for s in result.cmmm.sub_domains.values()
        ],
    )


def subject_to_results(row: dict) -> bool:
    """A stored result whose level is reached only subject to results (a results rule not
    assessed: no benchmark yet)."""
    confirmed = row.get("confirmed_rank")
    return confirmed is not None and confirmed < (row.get("gradient_rank") or 0)


def set_gradient(db: Database, assessment_id: int, result: Result) -> None:
    """A submitted assessment's level, scored again (a benchmark changed): nothing else moves."""
    db.execute(
        "UPDATE assessments SET gradient_level = ?, gradient_rank = ?, confirmed_rank = ?"
        " WHERE id = ?",
        [result.gradient_level, result.gradient_rank, result.confirmed_rank, assessment_id],
    )


@dataclass(frozen=True)
class SaveOutcome:
    """saved (written), unchanged (same answer: a retry or nothing changed) or stale (a newer
    revision is stored; `current` is what is kept)."""

    status: str
    revision: int
    current: Answer
    by: int | None = None  # stale: who saved the answer kept
    at: str | None = None  # stale: when (UTC)


def save_answer(
    db: Database,
    assessment_id: int,
    item_id: str,
    answer: Answer,
    revision: int,
    user_id: int | None,
) -> SaveOutcome:
    """Store an answer proposed as `revision`: written only when newer than what is stored.

    Retries of the same save change nothing; an older save arriving late never overwrites a
    newer one. Run it inside write_transaction so that the read and the write are one step.
    """
    row = db.execute(
        "SELECT value, reason, revision, updated_by, updated_at FROM answers"
        " WHERE assessment_id = ? AND item_id = ?",
        [assessment_id, item_id],
    ).fetchone()
    encoded = _encode(answer.value)
    if row is None:
        db.execute(
            "INSERT INTO answers (assessment_id, item_id, value, reason, revision, updated_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [assessment_id, item_id, encoded, answer.reason, max(revision, 1), user_id],
        )
        return SaveOutcome("saved", max(revision, 1), answer)
    stored = Answer(_decode(row[0]), row[1])
    if (row[0], row[1]) == (encoded, answer.reason):
        return SaveOutcome("unchanged", row[2], stored)
    if revision <= row[2]:
        return SaveOutcome("stale", row[2], stored, row[3], row[4])
    # A verification is of a value: a new value is not verified until someone verifies it.
    db.execute(
        "UPDATE answers SET value = ?, reason = ?, revision = ?, updated_by = ?,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),"
        " verified_by = CASE WHEN value IS ? THEN verified_by END,"
        " verified_at = CASE WHEN value IS ? THEN verified_at END"
        " WHERE assessment_id = ? AND item_id = ?",
        [encoded, answer.reason, revision, user_id, encoded, encoded, assessment_id, item_id],
    )
    return SaveOutcome("saved", revision, answer)


def set_prefilled_from(db: Database, assessment_id: int, source_id: int) -> None:
    """Remember which assessment a draft's answers were carried over from."""
    db.execute("UPDATE assessments SET prefilled_from = ? WHERE id = ?", [source_id, assessment_id])


def answers_digest(db: Database, assessment_id: int) -> tuple:
    """(count, sum of revisions, last change) of an assessment's answers: changes with any."""
    return tuple(
        db.execute(
            "SELECT count(*), coalesce(sum(revision), 0), max(updated_at) FROM answers"
            " WHERE assessment_id = ?",
            [assessment_id],
        ).fetchone()
    )


def set_updated_at(db: Database, assessment_id: int, when: str) -> None:
    db.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", [when, assessment_id])


def touch(db: Database, assessment_id: int) -> None:
    db.execute(
        "UPDATE assessments SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
        [assessment_id],
    )


def draft_for(
    db: Database, organisation_id: int, mode: str = "self", consultant_id: int | None = None
) -> dict | None:
    """The organisation's assessment in progress in a mode (on site: of that consultant)."""
    rows = list(
        db.query(
            "SELECT * FROM assessments WHERE organisation_id = ? AND status = 'draft' AND mode = ?"
            " AND (? IS NULL OR consultant_id = ?) ORDER BY id DESC LIMIT 1",
            [organisation_id, mode, consultant_id, consultant_id],
        )
    )
    return rows[0] if rows else None


def latest_submitted(db: Database, organisation_id: int, mode: str | None = None) -> dict | None:
    """The newest submitted assessment of an organisation (of one mode, if given)."""
    rows = list(
        db.query(
            "SELECT * FROM assessments WHERE organisation_id = ? AND status = 'submitted'"
            " AND (? IS NULL OR mode = ?) ORDER BY submitted_at DESC, id DESC LIMIT 1",
            [organisation_id, mode, mode],
        )
    )
    return rows[0] if rows else None


def self_assessment_checked_by(db: Database, on_site: dict) -> dict | None:
    """The submitted self-assessment an on-site assessment checks: the one its answers were
    carried over from, else the newest submitted before it was."""
    source = get(db, on_site["prefilled_from"]) if on_site.get("prefilled_from") else None
    if source is not None and source["mode"] == "self" and source["status"] == "submitted":
        return source
    rows = list(
        db.query(
            "SELECT * FROM assessments WHERE organisation_id = ? AND status = 'submitted'"
            " AND mode = 'self' AND submitted_at <= coalesce(?, '9999')"
            " ORDER BY submitted_at DESC, id DESC LIMIT 1",
            [on_site["organisation_id"], on_site["submitted_at"]],
        )
    )
    return rows[0] if rows else None


def mark_submitted(db: Database, assessment_id: int) -> bool:
    """Lock a draft; False when it was not a draft any more (a double submit)."""
    cursor = db.execute(
        "UPDATE assessments SET status = 'submitted' WHERE id = ? AND status = 'draft'",
        [assessment_id],
    )
    return cursor.rowcount == 1


def count_by_version(db: Database) -> dict[tuple[str, str], dict[str, int]]:
    """How many assessments each questionnaire version has, by status (draft, submitted)."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for qid, version, status, number in db.execute(
        "SELECT questionnaire_id, questionnaire_version, status, count(*) FROM assessments"
        " GROUP BY questionnaire_id, questionnaire_version, status"
    ):
        counts.setdefault((qid, version), {})[status] = number
    return counts
