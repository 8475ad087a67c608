"""The wizard's background saves: the JSON body a page sends, read (a body that could never be
saved is refused with a message: nested too deeply, or text with a lone surrogate) and parsed,
and the JSON it gets back (what was saved, what is now skipped, the progress)."""

from __future__ import annotations

import json
import re

from flask_babel import lazy_gettext as _l

from assess.assessment.answering import MAX_NOTE, Outcome, Proposed, State
from assess.assessment.evidence_quality import QUALITIES
from assess.questionnaire.definition import Questionnaire
from assess.scoring import explain
from assess.scoring.answers import clean_text
from assess.web.i18n import lang
from assess.web.questions import error_text

MAX_AUTOSAVE_ITEMS = 200
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

    {"answers": [{item, value, reason, revision}], "evidence": [{item, note, quality, verified}]}
    (evidence only for an on-site assessment). Each answer's revision is checked with its item
    (assess/assessment/answering.py): one bad revision does not sink the batch.
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
        if not isinstance(note, str) or quality not in (None, *QUALITIES):
            return None
        evidence_rows.append(
            (entry["item"], clean_text(note)[:MAX_NOTE], quality, bool(entry.get("verified")))
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
    q: Questionnaire, row: dict, outcomes: list[Outcome], current: State, verified: dict
) -> dict:
    """What a page learns from a save: each item's outcome, the skips and the progress."""
    language = lang()
    on_site = row["mode"] == "consultant"
    return {
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
                "code": o.error,  # why it is invalid, for the page (revision: out of step)
            }
            for o in outcomes
        ],
        "skipped": {
            item: explain.skip_reason(q, skip, language, current.answers)
            for item, skip in current.skipped.items()
        },
        "progress": {
            "answered": current.progress.answered,
            "asked": current.progress.asked,
            "percent": current.progress.percent,
            "pages": {p.page.id: p.state for p in current.progress.pages},
        },
    }
