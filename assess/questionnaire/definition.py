"""The questionnaire model: frozen dataclasses built by the loader, read by scoring and views."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

CMMM_LEVEL_NA = 0
NOT_APPLICABLE = "na"  # the answer value of a requirement marked not applicable

# Rule types of the gradient levels and the parameters each takes (see questionnaires/README.md).
RULE_PARAMS: dict[str, tuple[str, ...]] = {
    "answer_equals": ("question", "equals"),
    "all_yes": ("section",),
    "cmmm_min": ("level",),
    "scenario_count": ("at_least", "min"),
    "scenario_share": ("at_least", "min_share"),
    "links_covered": ("at_least", "links"),
    "links_count": ("at_least", "min"),
}


@dataclass(frozen=True)
class Text:
    """A bilingual text."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    value: float | None = None


@dataclass(frozen=True, eq=False)
class Scale:
    id: str
    options: tuple[Option, ...]

    @cached_property
    def values(self) -> dict[str, float | None]:
        return {option.id: option.value for option in self.options}

    def value(self, option_id: str) -> float | None:
        return self.values.get(option_id)


@dataclass(frozen=True)
class Link:
    id: str
    name: Text


@dataclass(frozen=True)
class Condition:
    """Applies when the profile question `question` is answered `equals`."""

    question: str
    equals: str


@dataclass(frozen=True)
class Question:
    """A profile question, a gate question, or a scenario's applicability question."""

    id: str
    type: str
    section: str
    text: Text
    help: Text | None = None
    evidence: Text | None = None
    next_step: Text | None = None
    options: tuple[Option, ...] = ()
    options_from: str | None = None
    scale: str | None = None


@dataclass(frozen=True)
class Requirement:
    """A CMMM requirement statement at one level of one sub-domain, rated on the rating scale."""

    id: str
    level: int
    sub_domain: str
    text: Text
    help: Text | None
    evidence: Text | None
    next_step: Text
    effort: int
    type: str = "rating"
    not_applicable_allowed: bool = True  # False in an element that applies to every enterprise


@dataclass(frozen=True)
class Step:
    """A scenario staircase statement at one gradient level, rated on the rating scale."""

    id: str
    level: str
    scenario: str
    text: Text
    help: Text | None
    evidence: Text | None
    next_step: Text
    effort: int
    type: str = "rating"


@dataclass(frozen=True)
class Section:
    title: Text
    intro: Text | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class SubDomain:
    id: str
    name: Text
    element: str
    weight: float
    link: str | None
    scenarios: tuple[str, ...]
    applies_when: Condition | None
    not_applicable_reason: Text | None
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Element:
    id: str
    name: Text
    weight: float
    sub_domains: tuple[SubDomain, ...]
    always_applies: bool = False  # its requirements cannot be marked not applicable


@dataclass(frozen=True)
class CmmmLevel:
    level: int
    name: Text


@dataclass(frozen=True)
class Band:
    level: int
    min_score: float


@dataclass(frozen=True)
class Cmmm:
    title: Text
    scale: str
    reach_threshold: float
    skip_below: float
    levels: tuple[CmmmLevel, ...]
    bands: tuple[Band, ...]
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Scenario:
    id: str
    number: int
    name: Text
    link: str
    pain_point: Text
    target: Text
    means: Text
    applicability_help: Text | None
    applies_when: Condition | None
    not_applicable_reason: Text | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Scenarios:
    title: Text
    scale: str
    met_threshold: float
    applicability_text: Text
    items: tuple[Scenario, ...]


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    params: dict = field(hash=False)
    text: Text = field(default_factory=lambda: Text("", ""))
    next_step: Text | None = None


@dataclass(frozen=True)
class GradientLevel:
    id: str
    name: Text
    description: Text
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Gradient:
    title: Text
    below_first: Text
    levels: tuple[GradientLevel, ...]


@dataclass(frozen=True, eq=False)
class Questionnaire:
    """One version of a questionnaire, with indexes for the scoring engine and the views."""

    id: str
    version: str
    title: Text
    source: Text
    scales: dict[str, Scale]
    links: tuple[Link, ...]
    profile: Section
    gate: Section
    cmmm: Cmmm
    scenarios: Scenarios
    gradient: Gradient

    # ---- derived indexes (computed once) ----

    @cached_property
    def sub_domains(self) -> dict[str, SubDomain]:
        return {s.id: s for e in self.cmmm.elements for s in e.sub_domains}

    @cached_property
    def requirements(self) -> dict[str, Requirement]:
        return {r.id: r for s in self.sub_domains.values() for r in s.requirements}

    @cached_property
    def requirements_by_level(self) -> dict[str, dict[int, tuple[Requirement, ...]]]:
        """Per sub-domain, its requirements grouped by CMMM level, lowest level first."""
        grouped: dict[str, dict[int, tuple[Requirement, ...]]] = {}
        for sub in self.sub_domains.values():
            levels = sorted({r.level for r in sub.requirements})
            grouped[sub.id] = {
                level: tuple(r for r in sub.requirements if r.level == level) for level in levels
            }
        return grouped

    @cached_property
    def steps_by_level(self) -> dict[str, dict[str, tuple[Step, ...]]]:
        """Per scenario, its steps grouped by gradient level, lowest level first."""
        return {
            s.id: {
                level.id: tuple(st for st in s.steps if st.level == level.id)
                for level in self.gradient.levels
            }
            for s in self.scenarios.items
        }

    @cached_property
    def scenario_map(self) -> dict[str, Scenario]:
        return {s.id: s for s in self.scenarios.items}

    @cached_property
    def steps(self) -> dict[str, Step]:
        return {st.id: st for s in self.scenarios.items for st in s.steps}

    @cached_property
    def applicability_questions(self) -> dict[str, Question]:
        """One yes/no question per scenario, id '<scenario id>.applies'."""
        return {
            s.id: Question(
                id=applicability_id(s.id),
                type="yes_no",
                section="scenarios",
                text=self.scenarios.applicability_text,
                help=s.applicability_help,
                scale="yes_no",
            )
            for s in self.scenarios.items
        }

    @cached_property
    def scenario_of_applicability(self) -> dict[str, str]:
        """Applicability question id -> its scenario id."""
        return {question.id: sid for sid, question in self.applicability_questions.items()}

    @cached_property
    def items(self) -> dict[str, Question | Requirement | Step]:
        """Every answerable item by id, in questionnaire order."""
        items: dict = {q.id: q for q in self.profile.questions}
        items.update({q.id: q for q in self.gate.questions})
        items.update(self.requirements)
        for scenario in self.scenarios.items:
            question = self.applicability_questions[scenario.id]
            items[question.id] = question
            items.update({step.id: step for step in scenario.steps})
        return items

    @cached_property
    def level_rank(self) -> dict[str, int]:
        """Gradient level id -> 1 (lowest) .. n."""
        return {level.id: i for i, level in enumerate(self.gradient.levels, start=1)}

    @cached_property
    def rules(self) -> dict[str, Rule]:
        return {rule.id: rule for level in self.gradient.levels for rule in level.rules}

    @cached_property
    def link_map(self) -> dict[str, Link]:
        return {link.id: link for link in self.links}

    def options_of(self, question: Question) -> tuple[Option, ...]:
        """The options a choice question offers."""
        if question.options:
            return question.options
        if question.options_from == "links":
            return tuple(Option(id=link.id, label=link.name) for link in self.links)
        if question.scale and question.scale in self.scales:
            return self.scales[question.scale].options
        return ()

    def gradient_level(self, level_id: str) -> GradientLevel:
        return self.gradient.levels[self.level_rank[level_id] - 1]

    def cmmm_level_name(self, level: int) -> Text:
        return self.cmmm.levels[level - 1].name

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)


def applicability_id(scenario_id: str) -> str:
    return f"{scenario_id}.applies"
