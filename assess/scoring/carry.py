"""A re-assessment under a newer questionnaire version: which answers carry over, and which
items are new. Pure: answers in, answers out.

The mapping is data (`carried_from` in the newer version's file, checked by the loader): an
item id means the same statement in every version, so an answer carries to the item with the
same id; `renamed` carries to a new id; `dropped` items carry nowhere, for the reason given. A
carried answer is checked against the newer version: one it no longer allows (a requirement's
"not applicable", where whole sub-domains are tailored instead) is refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.questionnaire.definition import Questionnaire, Text
from assess.scoring.answers import Answer, AnswerError, Answers, check


@dataclass(frozen=True)
class CarryOver:
    answers: dict[str, Answer]  # the answers carried, valid under the newer version
    carried: dict[str, str]  # newer item id -> the older item id its answer came from
    new: tuple[str, ...]  # items of the newer version nothing carries to: say they are new
    dropped: dict[str, Text]  # older items answered whose answers do not carry, and why
    refused: dict[str, str]  # newer item id -> AnswerError code: the carried value does not fit


def carry_map(old: Questionnaire, new: Questionnaire) -> dict[str, str]:
    """Older item id -> newer item id, for every item whose answer can carry."""
    carried = new.carried_from
    if carried is None or carried.version != old.version or new.id != old.id:
        raise ValueError(f"{new.id} {new.version} does not carry answers from {old.version}")
    mapping = {item_id: item_id for item_id in old.items if item_id in new.items}
    mapping.update(carried.renamed)
    return mapping


def new_items(old: Questionnaire, new: Questionnaire) -> tuple[str, ...]:
    """The newer version's items that no older item carries to, in questionnaire order."""
    targets = set(carry_map(old, new).values())
    return tuple(item_id for item_id in new.items if item_id not in targets)


def carry_over(old: Questionnaire, new: Questionnaire, answers: Answers) -> CarryOver:
    """The answers of an assessment under `old` as a start under `new`."""
    mapping = carry_map(old, new)
    carried: dict[str, Answer] = {}
    sources: dict[str, str] = {}
    refused: dict[str, str] = {}
    for old_id, answer in answers.items():
        new_id = mapping.get(old_id)
        if new_id is None or answer.value is None:
            continue
        try:
            carried[new_id] = check(new, new_id, answer.value, answer.reason)
            sources[new_id] = old_id
        except AnswerError as error:
            refused[new_id] = error.code
    dropped = {
        old_id: reason for old_id, reason in new.carried_from.dropped.items() if old_id in answers
    }
    return CarryOver(carried, sources, new_items(old, new), dropped, refused)
