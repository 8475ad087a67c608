"""What the scoring engine returns: scores, levels, and the trace of why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from assess.questionnaire.definition import Text

PASSED, FAILED, NOT_ASSESSED = "passed", "failed", "not_assessed"  # the states of a rule
TAILORED = "sub_domain_tailored"


@dataclass(frozen=True)
class Skip:
    """Why an item is not asked: its container or itself does not apply (by the profile or the
    enterprise's word), its sub-domain is tailored out, or a lower level failed.

    kind: sub_domain_not_applicable | scenario_not_applicable | requirement_not_applicable |
    step_not_applicable | question_not_applicable | tailoring_not_offered | review_not_needed |
    sub_domain_tailored | sub_domain_below | step_not_met
    """

    kind: str
    container: str  # the sub-domain, scenario, question or indicator id
    level: int | str | None = None  # the level that failed
    score: float | None = None  # the score that failed it
    reason: Text | str | None = None  # the data's reason (Text) or the user's reason (str)

    @property
    def not_applicable(self) -> bool:
        """Out of every denominator (not applicable, or tailored out), rather than counted 0."""
        return self.kind not in COUNTED_ZERO


COUNTED_ZERO = frozenset({"sub_domain_below", "step_not_met"})  # the staircase's skips


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
    state: str = ""  # passed | failed | not_assessed (a results rule without a benchmark)

    def __post_init__(self) -> None:
        if not self.state:
            object.__setattr__(self, "state", PASSED if self.passed else FAILED)


@dataclass(frozen=True)
class LevelResult:
    id: str
    rules_pass: bool  # no rule of this level fails (a rule not assessed does not fail)
    reached: bool  # its rules and every level below
    rules: tuple[RuleOutcome, ...]
    pending: tuple[str, ...] = ()  # its rules not assessed: reached only subject to results


@dataclass(frozen=True)
class TailoringOutcome:
    """A tailorable sub-domain: whether it may be tailored, was claimed, reviewed, applied."""

    sub_domain: str
    eligible: bool  # the profile condition holds
    claimed: bool  # the enterprise tailored it out, with a reason
    reason: str
    review: str | None  # accepted | rejected | None (not reviewed)
    review_reason: str
    applied: bool  # out of the score: eligible, claimed, not rejected, within the cap
    over_cap: bool  # eligible and claimed, but beyond the questionnaire's maximum


@dataclass(frozen=True)
class Benchmark:
    """A provincial sector benchmark of one indicator, set by an authority or administrator."""

    value: float
    year: int | None = None
    source: str = ""  # who set it, for display


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    applicable: bool
    value: float | None  # None: not entered
    benchmark: Benchmark | None
    better: bool | None  # None: not compared (no value, or no benchmark)


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
    tailoring: tuple[TailoringOutcome, ...] = ()
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    profile: dict[str, object] = field(default_factory=dict)  # the profile answers' values
    confirmed_rank: int | None = None  # highest level reached with no rule left not assessed

    def __post_init__(self) -> None:
        if self.confirmed_rank is None:
            confirmed = 0
            for i, level in enumerate(self.levels, start=1):
                if not level.reached or level.pending:
                    break
                confirmed = i
            object.__setattr__(self, "confirmed_rank", confirmed)

    @property
    def subject_to_results(self) -> bool:
        """The level is reached only subject to a results rule not yet assessed."""
        return self.confirmed_rank < self.gradient_rank

    @property
    def confirmed_level(self) -> str | None:
        return self.levels[self.confirmed_rank - 1].id if self.confirmed_rank else None

    @property
    def tailored(self) -> tuple[str, ...]:
        """The sub-domains tailored out of the score."""
        return tuple(t.sub_domain for t in self.tailoring if t.applied)

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
