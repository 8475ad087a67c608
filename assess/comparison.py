"""Self-assessment against a consultant-verified assessment: where the enterprise over-claimed.

Pure: two sets of answers (and their results) in, the differences out. An over-claim is an
item the enterprise rated higher than the consultant verified it; an under-claim the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.model import Questionnaire
from assess.scoring import Answers
from assess.scoring.result import Result


@dataclass(frozen=True)
class ItemDifference:
    item_id: str
    self_value: float | None  # None: not answered or not applicable there
    verified_value: float | None
    self_option: str | None
    verified_option: str | None

    @property
    def over_claim(self) -> bool:
        return (self.self_value or 0.0) > (self.verified_value or 0.0)


@dataclass(frozen=True)
class GroupDifference:
    """A sub-domain (total score 0-5) or a scenario (rank 0-4): self vs verified."""

    id: str
    self_score: float
    verified_score: float
    over_claims: int
    under_claims: int

    @property
    def over_claim(self) -> bool:
        return self.self_score > self.verified_score + 1e-9


@dataclass(frozen=True)
class Comparison:
    items: tuple[ItemDifference, ...]  # only items whose rating differs
    sub_domains: tuple[GroupDifference, ...]
    scenarios: tuple[GroupDifference, ...]
    self_gradient_rank: int
    verified_gradient_rank: int
    self_cmmm: tuple[int | None, float]
    verified_cmmm: tuple[int | None, float]

    @property
    def over_claims(self) -> list[ItemDifference]:
        return [item for item in self.items if item.over_claim]


def _rated(
    q: Questionnaire, answers: Answers, result: Result, item_id: str
) -> tuple[float | None, str | None]:
    score = result.items.get(item_id)
    answer = answers.get(item_id)
    option = answer.value if answer is not None and isinstance(answer.value, str) else None
    if score is None or score.status in ("not_applicable",):
        return None, option
    return score.value, option


def compare(
    q: Questionnaire,
    self_answers: Answers,
    self_result: Result,
    verified_answers: Answers,
    verified_result: Result,
) -> Comparison:
    """Item by item, sub-domain by sub-domain, scenario by scenario, and the levels."""
    differences = []
    for item_id in (*q.requirements, *q.steps):
        self_value, self_option = _rated(q, self_answers, self_result, item_id)
        verified_value, verified_option = _rated(q, verified_answers, verified_result, item_id)
        if (self_value or 0.0) != (verified_value or 0.0) or self_option != verified_option:
            differences.append(
                ItemDifference(item_id, self_value, verified_value, self_option, verified_option)
            )
    by_container: dict[str, list[ItemDifference]] = {}
    for difference in differences:
        node = q.items[difference.item_id]
        container = getattr(node, "sub_domain", None) or node.scenario
        by_container.setdefault(container, []).append(difference)

    def counts(container: str) -> tuple[int, int]:
        found = by_container.get(container, [])
        over = sum(1 for d in found if d.over_claim)
        under = sum(1 for d in found if (d.verified_value or 0.0) > (d.self_value or 0.0))
        return over, under

    sub_domains = tuple(
        GroupDifference(
            sub_id,
            self_result.cmmm.sub_domains[sub_id].total,
            verified_result.cmmm.sub_domains[sub_id].total,
            *counts(sub_id),
        )
        for sub_id in q.sub_domains
    )
    scenarios = tuple(
        GroupDifference(
            s.id,
            float(self_result.scenarios[s.id].rank),
            float(verified_result.scenarios[s.id].rank),
            *counts(s.id),
        )
        for s in q.scenarios.items
    )
    return Comparison(
        items=tuple(differences),
        sub_domains=sub_domains,
        scenarios=scenarios,
        self_gradient_rank=self_result.gradient_rank,
        verified_gradient_rank=verified_result.gradient_rank,
        self_cmmm=(self_result.cmmm.level, self_result.cmmm.total_score),
        verified_cmmm=(verified_result.cmmm.level, verified_result.cmmm.total_score),
    )
