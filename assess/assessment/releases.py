"""Questionnaire versions from the web: an administrator uploads a version as a draft (checked by
the same loader and checks as the shipped files), publishes it, retires one. No Flask.

Publishing or retiring changes which version new assessments start on; when it does, the
regional sums are made anew with the new version's gradient rules in the same write
transaction as the release log's entry, so a dashboard shows either the old sums (before the
commit) or the new ones, never a mix. Assessments already started keep their version.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlite_utils import Database

from assess.questionnaire import releases as release_states
from assess.questionnaire.checks import check_carried_from, column_moves
from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.loader import QuestionnaireError, load_text
from assess.questionnaire.versions import Versions
from assess.regional import result_facts
from assess.regional.periods import quarter_ends
from assess.store import audit, summaries
from assess.store import questionnaire_releases as store
from assess.store.audit import Actor
from assess.store.database import write_transaction

MAX_BYTES = 2 * 1024 * 1024
Key = tuple[str, str]


@dataclass(frozen=True)
class Refused:
    """Nothing was changed: why (a code the page words), and the loader's problems if any."""

    reason: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Released:
    """A version published or retired: what new assessments used before and use now, and the
    seconds the regional sums took to make anew (None: the newest version did not change)."""

    key: Key
    newest_before: str
    newest_after: str
    rebuild_seconds: float | None = None
    periods: list[str] = field(default_factory=list)


def check_upload(versions: Versions, data: bytes, file_name: str) -> Questionnaire | Refused:
    """An uploaded file as a questionnaire version, checked as a shipped file is: parsed and
    validated node by node, references, the carry-over from its earlier version, room in the
    regional facts; a version already installed or of an unknown questionnaire is refused."""
    if not data:
        return Refused("empty")
    if len(data) > MAX_BYTES:
        return Refused("too_big")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Refused("not_utf8")
    name = file_name or "upload.yaml"
    try:
        q = load_text(text, name, check_name=False)
    except QuestionnaireError as error:
        return Refused("invalid", tuple(error.problems))
    if q.id not in {v.id for v in versions}:
        return Refused("unknown_questionnaire")
    if any(v.key == q.key for v in versions):
        return Refused("duplicate")
    loaded = {v.key: v for v in versions} | {q.key: q}
    problems = check_carried_from(q, loaded) + column_moves(q, versions)
    try:
        result_facts.check_fits(q)
    except ValueError as error:
        problems.append(str(error))
    if problems:
        return Refused("invalid", tuple(problems))
    return q


def upload(
    db: Database, versions: Versions, data: bytes, file_name: str, by: Actor
) -> Questionnaire | Refused:
    """Keep a checked version as a draft (nothing starts on it until it is published)."""
    checked = check_upload(versions, data, file_name)
    if isinstance(checked, Refused):
        return checked
    with write_transaction(db):
        if store.exists(db, checked.key):  # uploaded meanwhile by another request
            return Refused("duplicate")
        store.add_upload(db, checked.key, data.decode("utf-8-sig"), file_name[:200], by.user_id)
        store.append(db, checked.key, "uploaded", by.user_id)
        audit.record_by(
            db,
            by,
            "questionnaire_uploaded",
            target_type="questionnaire",
            target_id=" ".join(checked.key),
            detail={"version": checked.version, "file": file_name[:200]},
        )
    return checked


def publish(db: Database, versions: Versions, key: Key, by: Actor) -> Released | Refused:
    """Publish a draft (or a retired version again)."""
    return _release(db, versions, key, "published", by)


def retire(db: Database, versions: Versions, key: Key, by: Actor) -> Released | Refused:
    """Retire a published version: nothing new starts on it; assessments on it stay readable
    and are scored with it. The only published version of its questionnaire is not retired."""
    return _release(db, versions, key, "retired", by)


def _release(
    db: Database, versions: Versions, key: Key, action: str, by: Actor
) -> Released | Refused:
    loaded = {q.key: q for q in versions}
    with write_transaction(db):
        # the states as the log stands now, read under the write lock (another worker may have
        # published since this request read its versions)
        found = release_states.states(loaded, versions.uploaded, store.log(db))
        check = (
            release_states.publish_refusal
            if action == "published"
            else release_states.retire_refusal
        )
        refusal = check(found, key)
        if refusal:
            return Refused(refusal)
        before = release_states.newest_published(found, key[0])
        store.append(db, key, action, by.user_id)
        found[key] = release_states.ACTIONS[action]
        after = release_states.newest_published(found, key[0])
        seconds, periods = None, []
        if after != before and key[0] == versions.default_id:
            started = time.perf_counter()
            summaries.refresh(db, list(loaded[after].rules), periods=quarter_ends())
            periods = sorted(summaries.kept_periods(db))
            seconds = time.perf_counter() - started
        audit.record_by(
            db,
            by,
            f"questionnaire_{action}",
            target_type="questionnaire",
            target_id=" ".join(key),
            detail={
                "version": key[1],
                "new_assessments": {"before": _version(before), "after": _version(after)},
                "regional_sums_remade": seconds is not None,
            },
        )
    return Released(key, _version(before), _version(after), seconds, periods)


def _version(key: Key | None) -> str:
    return key[1] if key else ""
