"""Self-assessment against a consultant-verified assessment: where the enterprise over-claimed.

Pure: two sets of answers (and their results) in, the differences out. An over-claim is an
item the enterprise rated higher than the consultant verified it; an under-claim the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.questionnaire.definition import Questionnaire
from assess.scoring import Answers
from assess.scoring.result import Result


@dataclass(frozen=True)
class ItemDifference:
    """One item rated differently. status: answered, unanswered, skipped (not asked because of
    the staircase; counts as not met) or not_applicable."""

    item_id: str
    self_value: float | None  # None: not applicable there
    verified_value: float | None
    self_option: str | None  # None: not answered, or not asked
    verified_option: str | None
    self_status: str = "answered"
    verified_status: str = "answered"

    @property
    def not_applicable_claim(self) -> bool:
        """The enterprise called it not applicable; the consultant found that it applies."""
        return self.self_status == NA and self.verified_status != NA

    @property
    def over_claim(self) -> bool:
        """Rated higher by the enterprise than verified, or claimed not applicable."""
        if self.not_applicable_claim:
            return True
        if NA in (self.self_status, self.verified_status):
            return False  # the consultant found it not applicable: out of the score
        return (self.self_value or 0.0) > (self.verified_value or 0.0)

    @property
    def under_claim(self) -> bool:
        """Rated higher on site than by the enterprise (the consultant raised it)."""
        if NA in (self.self_status, self.verified_status):
            return False
        return (self.verified_value or 0.0) > (self.self_value or 0.0)

    @property
    def rated_on_site(self) -> bool:
        """The consultant gave it an answer: an item not asked (staircase) or left unanswered on
        site has nothing that could have been verified."""
        return self.verified_status in ("answered", NA)


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
class LevelEffect:
    """What the verification did to one level: a gradient level (scores None) or a maturity
    level (its level score, 0-1), reached by the self-assessment and on site."""

    kind: str  # gradient | cmmm
    level: str | int
    self_reached: bool
    verified_reached: bool
    self_score: float | None = None
    verified_score: float | None = None

    @property
    def effect(self) -> str:
        """lost (claimed, not verified), gained, kept, or not_reached (by neither)."""
        if self.self_reached and not self.verified_reached:
            return "lost"
        if self.verified_reached and not self.self_reached:
            return "gained"
        return "kept" if self.self_reached else "not_reached"


def level_effects(q: Questionnaire, mine: Result, checked: Result) -> tuple[LevelEffect, ...]:
    """Each gradient level, then each maturity level: reached by the self-assessment, on site,
    and (maturity) the level score each gave."""
    gradient = tuple(
        LevelEffect("gradient", own.id, own.reached, verified.reached)
        for own, verified in zip(mine.levels, checked.levels, strict=True)
    )
    maturity = tuple(
        LevelEffect(
            "cmmm",
            level.level,
            mine.cmmm.reached[level.level],
            checked.cmmm.reached[level.level],
            mine.cmmm.level_scores[level.level],
            checked.cmmm.level_scores[level.level],
        )
        for level in q.cmmm.levels
    )
    return gradient + maturity


@dataclass(frozen=True)
class Comparison:
    items: tuple[ItemDifference, ...]  # only items whose rating differs
    sub_domains: tuple[GroupDifference, ...]
    scenarios: tuple[GroupDifference, ...]
    self_gradient_rank: int
    verified_gradient_rank: int
    self_cmmm: tuple[int | None, float]
    verified_cmmm: tuple[int | None, float]
    self_tailored: tuple[str, ...] = ()  # sub-domains tailored out (2026.1)
    verified_tailored: tuple[str, ...] = ()
    levels: tuple[LevelEffect, ...] = ()  # each level's effect, gradient then maturity

    @property
    def total_change(self) -> float:
        """S on site minus S self-assessed."""
        return self.verified_cmmm[1] - self.self_cmmm[1]

    @property
    def over_claims(self) -> list[ItemDifference]:
        return [item for item in self.items if item.over_claim]

    @property
    def under_claims(self) -> list[ItemDifference]:
        """The items the consultant rated higher than the enterprise: a raise the report shows
        beside the over-claims, never hidden."""
        return [item for item in self.items if item.under_claim]

    @property
    def tailoring_over_claims(self) -> tuple[str, ...]:
        """Sub-domains the enterprise tailored out that the verified assessment scores."""
        return tuple(s for s in self.self_tailored if s not in self.verified_tailored)


NA = "not_applicable"


def _rated(answers: Answers, result: Result, item_id: str) -> tuple[float | None, str | None, str]:
    """(score, option, status) of an item: no option when it was not asked (a stale answer
    left from before the staircase folded it is not what was rated)."""
    score = result.items.get(item_id)
    status = score.status if score is not None else "unanswered"
    answer = answers.get(item_id)
    option = answer.value if answer is not None and isinstance(answer.value, str) else None
    if status == "skipped":
        option = None
    return (None if status == NA else (score.value if score else 0.0)), option, status


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
        mine = _rated(self_answers, self_result, item_id)
        checked = _rated(verified_answers, verified_result, item_id)
        if mine != checked:
            differences.append(
                ItemDifference(
                    item_id, mine[0], checked[0], mine[1], checked[1], mine[2], checked[2]
                )
            )
    by_container: dict[str, list[ItemDifference]] = {}
    for difference in differences:
        node = q.items[difference.item_id]
        container = getattr(node, "sub_domain", None) or node.scenario
        by_container.setdefault(container, []).append(difference)

    def counts(container: str) -> tuple[int, int]:
        found = by_container.get(container, [])
        return sum(d.over_claim for d in found), sum(d.under_claim for d in found)

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
        self_tailored=self_result.tailored,
        verified_tailored=verified_result.tailored,
        levels=level_effects(q, self_result, verified_result),
    )
