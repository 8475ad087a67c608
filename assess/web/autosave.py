"""The wizard's background saves: the JSON body a page sends, read (a body that could never be
saved is refused with a message: nested too deeply, or text with a lone surrogate) and parsed,
and the JSON it gets back (what was saved, what is now skipped, the progress)."""

from __future__ import annotations

import json
import re

from flask_babel import lazy_gettext as _l

from assess.assessment.answering import (
    MAX_NOTE,
    Outcome,
    Proposed,
    State,
    evidence_shown,
    note_conflict,
    note_refused,
    note_unchanged,
)
from assess.assessment.evidence_quality import QUALITIES
from assess.questionnaire.definition import Questionnaire
from assess.scoring import explain
from assess.scoring.answers import clean_text
from assess.web.i18n import lang
from assess.web.questions import error_text
from assess.web.templating import format_datetime

MAX_AUTOSAVE_ITEMS = 200
MAX_SHOWN = 40  # answering.evidence_shown: a 16-digit digest, a quality, a mark
MAX_DEPTH = 6  # a save nests 4 deep: {"answers": [{"value": ["option", …]}]}
SURROGATE = re.compile("[\ud800-\udfff]")  # half of a UTF-16 pair: not a character, unstorable
BODY_PROBLEMS = {
    "empty": _l("Nothing to save was sent."),
    "too_deep": _l("What was sent is not a save of answers: it is nested too deeply."),
    "unsavable_text": _l(
        "Some text holds a broken character (half of an emoji or symbol) that cannot be saved."
        " Retype it, then save again."
    ),
}


def read_body(raw: bytes) -> tuple[object, str]:
    """(payload, "") for a JSON body a save could be, or (None, why not: a BODY_PROBLEMS key)."""
    try:
        payload = json.loads(raw)
    except RecursionError:  # nested deeper than the parser goes
        return None, "too_deep"
    except ValueError:  # not JSON, or not UTF-8
        return None, "empty"
    problem = _problem(payload, 0)
    return (None, problem) if problem else (payload, "")


def _problem(value, depth: int) -> str:
    """Why a parsed body cannot be saved at all, or ""."""
    if depth > MAX_DEPTH:
        return "too_deep"
    if isinstance(value, str):
        return "unsavable_text" if SURROGATE.search(value) else ""
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        for part in value:
            problem = _problem(part, depth + 1)
            if problem:
                return problem
    return ""


def parse_body(payload, on_site: bool):
    """(answers, evidence) of an autosave body, or None when it is malformed.

    {"answers": [{item, value, reason, revision}],
     "evidence": [{item, note, quality, verified, shown}]}
    (evidence only for an on-site assessment). Each answer's revision is checked with its item
    (assess/assessment/answering.py): one bad revision does not sink the batch. An evidence
    entry's `shown` is the evidence as the page showed it (answering.evidence_shown) when its
    note was typed: only what the page changed is written, and a note changed elsewhere
    meanwhile is kept beside the one sent (no longer the last write wins).
    """
    if not isinstance(payload, dict):
        return None
    entries = payload.get("answers") or []
    notes = payload.get("evidence") or [] if on_site else []
    comments = parse_comments(payload)
    if not isinstance(entries, list) or not isinstance(notes, list) or comments is None:
        return None
    if not 0 < len(entries) + len(notes) + len(comments) <= MAX_AUTOSAVE_ITEMS:
        return None
    proposed = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("item"), str):
            return None
        reason = entry.get("reason") or ""
        proposed.append(
            Proposed(
                entry["item"],
                entry.get("value"),
                reason if isinstance(reason, str) else "",
                entry.get("revision"),
            )
        )
    evidence_rows = []
    for entry in notes:
        if not isinstance(entry, dict) or not isinstance(entry.get("item"), str):
            return None
        note = entry.get("note") or ""
        quality = entry.get("quality") or None
        shown = entry.get("shown") or None
        if not isinstance(note, str) or quality not in (None, *QUALITIES):
            return None
        if not isinstance(shown, str | None) or len(shown or "") > MAX_SHOWN:
            return None
        note = clean_text(note)
        if not note_unchanged(note, shown):
            note = note[:MAX_NOTE]  # typed here; one sent back unchanged stays whole (merged)
        evidence_rows.append(
            (
                entry["item"],
                note,
                quality,
                bool(entry.get("verified")),
                shown,
            )
        )
    return proposed, evidence_rows


def parse_comments(payload: dict) -> list[tuple[str, str]] | None:
    """The enterprise's comments of an autosave body: {"comments": [{item, comment}]}; None
    when they are malformed."""
    entries = payload.get("comments") or []
    if not isinstance(entries, list):
        return None
    out = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("item"), str):
            return None
        comment = entry.get("comment") or ""
        if not isinstance(comment, str):
            return None
        out.append((entry["item"], comment))
    return out


def saved_body(
    q: Questionnaire,
    row: dict,
    outcomes: list[Outcome],
    current: State,
    verified: dict,
    evidence_rows: list[tuple] = (),
    overwrites: dict | None = None,
) -> dict:
    """What a page learns from a save: each item's outcome, the skips and the progress; on
    site, the evidence of each item sent as it is stored now (`verified`: per item, as
    evidence_store.for_assessment), with the token the page sends its next change with, and
    whether a note was changed elsewhere meanwhile (both texts kept; or, too long together,
    the stored one, the page keeping the one sent: refused). `overwrites`: per stale item, who
    saved the newer answer and when (assessment/overwrites.py), said to the page by name."""
    language = lang()
    on_site = row["mode"] == "consultant"
    return {
        "evidence": [
            _evidence_result(item, note, shown, verified.get(item) or {})
            for item, note, _quality, _verified, shown in evidence_rows
            if item in q.items
        ],
        # on site: answers changed now whose verification lapsed (the page unticks them)
        "unverified": [
            o.item_id
            for o in outcomes
            if o.status == "saved"
            and on_site
            and not (verified.get(o.item_id) or {}).get("verified_by")
        ],
        "results": [
            {
                "item": o.item_id,
                "status": o.status,
                "revision": o.revision,
                "value": list(o.current.value)
                if o.current and isinstance(o.current.value, tuple)
                else (o.current.value if o.current else None),
                "reason": o.current.reason if o.current else "",
                "error": error_text(q, o.item_id, o.error) if o.error else "",
                **_changed_by((overwrites or {}).get(o.item_id)),
                "code": o.error,  # why it is invalid, for the page (revision: out of step)
            }
            for o in outcomes
        ],
        "skipped": {
            item: explain.skip_reason(q, skip, language, current.answers)
            for item, skip in current.skipped.items()
        },
        "progress": {
            **current.progress.figures(),
            "pages": {p.page.id: p.state for p in current.progress.pages},
        },
    }


def _changed_by(found) -> dict:
    """A colleague's newer answer kept over the one sent: their name and when (to the minute,
    in the page's language); nothing when it was the user in another window."""
    if found is None or not found.by:
        return {}
    return {"changed_by": found.by, "changed_at": format_datetime(found.at)}


def _evidence_result(item: str, sent: str, shown: str | None, stored: dict) -> dict:
    note, quality = stored.get("note", ""), stored.get("evidence_quality")
    checked = bool(stored.get("verified_by"))
    return {
        "item": item,
        "note": note,
        "quality": quality or "",
        "verified": checked,
        "shown": evidence_shown(note, quality, checked),
        "conflict": note_conflict(sent, shown, note),
        "refused": note_refused(sent, shown, note),  # too long together: kept by the page
    }


# How a save answered, for assess_autosaves_total's outcome label
SAVED, PARTLY_REFUSED, REFUSED, STALE = "saved", "partly refused", "refused", "stale"


def save_outcome(body: dict) -> str:
    """How an autosave answered 200, from the body a page gets (saved_body and its comments):
    refused when nothing sent was kept (every answer invalid, every note and comment refused),
    partly refused when some of it was refused and some kept, stale when nothing was refused
    but an answer was out of date (the page sends it again), else saved (unchanged counts as
    kept: a retry)."""
    statuses = [r["status"] for r in body.get("results", [])]
    refused = statuses.count("invalid")
    refused += sum(1 for e in body.get("evidence", []) if e["refused"])
    comments = list(body.get("comments", {}).values())
    refused += comments.count("invalid")
    sent = len(statuses) + len(body.get("evidence", [])) + len(comments)
    if refused:
        return REFUSED if refused == sent else PARTLY_REFUSED
    return STALE if STALE in statuses else SAVED
