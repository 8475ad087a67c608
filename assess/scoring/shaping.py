"""Which profile answers shaped a result: the items they left out or added, the sub-domains
they let the enterprise tailor out, the next steps they chose, and the rules that read them.

The report lists these, so that a reader sees why a build-to-print supplier is not asked
product-design items, or why a construction-machinery maker is asked about unmanned work.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from assess.questionnaire.definition import Condition, Questionnaire
from assess.scoring.advice import next_step
from assess.scoring.result import Result


@dataclass(frozen=True)
class ProfileEffect:
    question: str
    value: object
    not_asked: tuple[str, ...] = ()  # items, sub-domains or scenarios left out by this answer
    asked: tuple[str, ...] = ()  # items asked only because of this answer
    tailorable: tuple[str, ...] = ()  # sub-domains this answer lets the enterprise tailor out
    advice: tuple[str, ...] = ()  # items whose next step this answer chose
    rules: tuple[str, ...] = ()  # gradient rules that read this answer


@cache
def _conditional(q: Questionnaire) -> tuple[tuple[str, tuple[Condition, ...]], ...]:
    """Every node asked only under profile conditions: (id, its conditions)."""
    nodes = []
    for sub in q.sub_domains.values():
        if sub.applies_when:
            nodes.append((sub.id, (sub.applies_when,)))
    for scenario in q.scenarios.items:
        if scenario.applies_when:
            nodes.append((scenario.id, (scenario.applies_when,)))
    for item_id, item in q.items.items():
        conditions = getattr(item, "applies_when", ())
        if conditions and getattr(item, "section", "") != "tailoring":
            nodes.append((item_id, conditions))
    return tuple(nodes)


def _rules_reading(q: Questionnaire, question_id: str) -> tuple[str, ...]:
    links = q.links_question.id if q.links_question else None
    return tuple(
        rule.id
        for rule in q.rules.values()
        if rule.params.get("question") == question_id
        or (question_id == links and rule.params.get("links") == "operated")
    )


def profile_effects(q: Questionnaire, result: Result, items=None) -> tuple[ProfileEffect, ...]:
    """Per answered profile question with an effect, what it did. `items`: the roadmap's item
    ids whose next steps to report (default: every item whose next step the profile chose)."""
    profile = result.profile
    effects = []
    candidates = items if items is not None else list(q.items)
    for question in q.profile.questions:
        if question.id not in profile:
            continue
        value = profile[question.id]
        asked, not_asked = [], []
        for node_id, conditions in _conditional(q):
            mine = [c for c in conditions if c.question == question.id]
            if not mine:
                continue
            if all(c.allows(value) for c in mine):
                if all(c.allows(profile.get(c.question)) for c in conditions):
                    asked.append(node_id)
            else:
                not_asked.append(node_id)
        tailorable = tuple(
            sub.id
            for sub in q.tailorable.values()
            if any(c.question == question.id for c in sub.tailorable.when)
            and all(c.allows(profile.get(c.question)) for c in sub.tailorable.when)
        )
        advice = tuple(i for i in candidates if question.id in next_step(q, i, profile)[1])
        effect = ProfileEffect(
            question.id,
            value,
            tuple(not_asked),
            tuple(asked),
            tailorable,
            advice,
            _rules_reading(q, question.id),
        )
        if effect.not_asked or effect.asked or effect.tailorable or effect.advice or effect.rules:
            effects.append(effect)
    return tuple(effects)
