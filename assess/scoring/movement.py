"""What moved between two of an enterprise's assessments: each sub-domain's score, each
scenario's level, and the answers that changed. Pure: no Flask, no database.

The two may be answered under different questionnaire versions: answers are lined up through
the newer version's carry-over mapping (assess/scoring/carry.py), sub-domains by their id, and
scenarios by the seed's number (an id may change between versions, the number does not).
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.questionnaire.definition import Questionnaire, Requirement, Step
from assess.scoring.answers import Answer
from assess.scoring.carry import carry_map
from assess.scoring.result import Result

UP, DOWN, SAME, NOT_COMPARED = "up", "down", "same", "not_compared"
NOT_APPLICABLE_NOW, APPLICABLE_NOW = "not_applicable_now", "applicable_now"


@dataclass(frozen=True)
class Moved:
    container: str  # the sub-domain or scenario id, as the later version has it
    before: float | None  # sub-domain score S (0–5) or scenario rank; None: not applicable
    after: float | None
    compared: bool = True  # False: the earlier version has no such sub-domain or scenario

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def change(self) -> str:
        """up, down, same; or not_applicable_now / applicable_now when the area went to or came
        back from not applicable (N/A): a move to N/A takes the area out of the score, so it is
        marked as plainly as a score that went down; not_compared when the earlier version has none."""
        if not self.compared:
            return NOT_COMPARED
        if self.before == self.after:
            return SAME
        if self.after is None:
            return NOT_APPLICABLE_NOW
        if self.before is None:
            return APPLICABLE_NOW
        return UP if self.after > self.before else DOWN


@dataclass(frozen=True)
class AnswerChange:
    item_id: str  # as the later version has it
    container: str  # its sub-domain, scenario or section
    before: object  # the earlier answer's value (None: not answered, or no counterpart)
    after: object


@dataclass(frozen=True)
class Movement:
    sub_domains: tuple[Moved, ...]
    scenarios: tuple[Moved, ...]
    answers: tuple[AnswerChange, ...]
    lined_up: bool  # False: the versions carry no answers between them (answers not compared)


def container_of(q: Questionnaire, item_id: str) -> str:
    """The sub-domain or scenario an item belongs to, else its section."""
    node = q.items[item_id]
    if isinstance(node, Requirement):
        return node.sub_domain
    if isinstance(node, Step):
        return node.scenario
    if item_id in q.scenario_of_applicability:
        return q.scenario_of_applicability[item_id]
    return getattr(node, "section", "")


def what_moved(
    before_q: Questionnaire,
    before: Result,
    before_answers: dict[str, Answer],
    after_q: Questionnaire,
    after: Result,
    after_answers: dict[str, Answer],
) -> Movement:
    """Per sub-domain and scenario of the later version, the earlier and later figures; and
    every answer that differs."""
    subs = []
    for sub_id in after_q.sub_domains:
        was = before.cmmm.sub_domains.get(sub_id)
        now = after.cmmm.sub_domains[sub_id]
        subs.append(
            Moved(
                sub_id,
                round(was.total, 2) if was is not None and was.applicable else None,
                round(now.total, 2) if now.applicable else None,
                was is not None,
            )
        )
    by_number = {s.number: s.id for s in before_q.scenarios.items}
    scenarios = []
    for scenario in sorted(after_q.scenarios.items, key=lambda s: s.number):
        old_id = by_number.get(scenario.number)
        was = before.scenarios.get(old_id) if old_id else None
        now = after.scenarios[scenario.id]
        scenarios.append(
            Moved(
                scenario.id,
                was.rank if was is not None and was.applicable else None,
                now.rank if now.applicable else None,
                was is not None,
            )
        )
    if before_q is after_q:
        mapping = {item_id: item_id for item_id in after_q.items}
    else:
        try:
            mapping = carry_map(before_q, after_q)
        except ValueError:
            return Movement(tuple(subs), tuple(scenarios), (), False)
    earlier = {new: before_answers.get(old) for old, new in mapping.items()}
    changes = []
    for item_id in after_q.items:
        was, now = earlier.get(item_id), after_answers.get(item_id)
        was_value = was.value if was is not None else None
        now_value = now.value if now is not None else None
        if was_value != now_value:
            changes.append(
                AnswerChange(item_id, container_of(after_q, item_id), was_value, now_value)
            )
    return Movement(tuple(subs), tuple(scenarios), tuple(changes), True)
