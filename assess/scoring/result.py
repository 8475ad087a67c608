"""What the scoring engine returns: scores, levels, and the trace of why."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from assess.questionnaire.definition import Text


@dataclass(frozen=True)
class Skip:
    """Why an item is not asked: its container is not applicable, or a lower level failed."""

    kind: (
        str  # sub_domain_not_applicable | scenario_not_applicable | sub_domain_below | step_not_met
    )
    container: str  # the sub-domain or scenario id
    level: int | str | None = None  # the level that failed
    score: float | None = None  # the score that failed it
    reason: Text | str | None = None  # the data's reason (Text) or the user's reason (str)

    @property
    def not_applicable(self) -> bool:
        return self.kind.endswith("not_applicable")


@dataclass(frozen=True)
class ItemScore:
    """One item's contribution: status is answered, unanswered, skipped or not_applicable."""

    status: str
    value: float | None  # None when not applicable (out of every denominator)
    option: str | tuple[str, ...] | None = None


@dataclass(frozen=True)
class SubDomainScore:
    id: str
    applicable: bool
    level_scores: dict[int, float | None]  # per CMMM level; None: nothing applicable there
    total: float  # 0..5, the total-score method applied to this sub-domain alone


@dataclass(frozen=True)
class CmmmResult:
    level_scores: dict[int, float]
    reached: dict[int, bool]
    total_score: float  # S
    level: int | None  # None: below the first band
    sub_domains: dict[str, SubDomainScore]
    element_scores: dict[str, dict[int, float]]  # per element, per level


@dataclass(frozen=True)
class ScenarioResult:
    id: str
    applicable: bool
    applicability_answered: bool
    not_applicable_reason: Text | str | None
    level: str | None  # highest gradient level reached; None below the first
    rank: int  # 0 below the first level, 1 basic .. 4 leading
    step_values: dict[str, float]


@dataclass(frozen=True)
class RuleOutcome:
    rule_id: str
    level_id: str
    type: str
    passed: bool
    actual: dict
    needed: dict


@dataclass(frozen=True)
class LevelResult:
    id: str
    rules_pass: bool  # this level's own rules
    reached: bool  # its rules and every level below
    rules: tuple[RuleOutcome, ...]


@dataclass(frozen=True)
class Result:
    questionnaire_id: str
    questionnaire_version: str
    gradient_level: str | None  # None: 尚未达到基础级
    gradient_rank: int  # 0 .. number of levels
    levels: tuple[LevelResult, ...]
    cmmm: CmmmResult
    scenarios: dict[str, ScenarioResult]
    items: dict[str, ItemScore]
    skipped: dict[str, Skip]

    def to_dict(self) -> dict:
        """Plain data for JSON (texts as {zh, en})."""
        return asdict(self)

    def level_result(self, level_id: str) -> LevelResult:
        return next(level for level in self.levels if level.id == level_id)


def rated_items(result: Result) -> set[str]:
    """The rated answers a consultant can mark verified: requirements and steps answered, those
    answered "not applicable" included, not those left unasked (a scenario that does not apply
    by the profile, the staircase). The submit page and the report count the same."""
    return {
        item_id
        for item_id, item in result.items.items()
        if item.status in ("answered", "not_applicable") and item_id not in result.skipped
    }
