"""The next step an item's gap gives: its own, or the one its profile selects (sector,
production mode, own design), where the seed or the reference guide names specific means."""

from __future__ import annotations

from collections.abc import Mapping

from assess.questionnaire.definition import Questionnaire, Text


def next_step(
    q: Questionnaire, item_id: str, profile: Mapping[str, object]
) -> tuple[Text | None, tuple[str, ...]]:
    """(next step, the profile questions that chose it); the first advice whose conditions all
    hold wins, else the item's own next step (chosen by nothing)."""
    item = q.items[item_id]
    for advice in getattr(item, "advice", ()):
        if all(condition.allows(profile.get(condition.question)) for condition in advice.when):
            return advice.next_step, tuple(dict.fromkeys(c.question for c in advice.when))
    return getattr(item, "next_step", None), ()
