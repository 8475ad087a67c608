"""The questionnaire model: frozen dataclasses built by the loader, read by scoring and views."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

CMMM_LEVEL_NA = 0
NOT_APPLICABLE = "na"  # the answer value of a requirement marked not applicable

# How a staircase decides which higher items are not asked (see questionnaires/README.md):
# "decided" (2025.1) folds a level's higher items once every item of a failing level is
# answered; "progressive" asks a level only while every level below it, counting unanswered
# items as not met, is not failing, so that answering or raising an item never lowers a score.
STAIRCASES = ("decided", "progressive")
# Where a threshold or a count comes from: the policy texts, a public report of how the
# programme is run, a national standard, or this product's own choice.
BASES = ("policy", "reported", "standard", "own")

# Rule types of the gradient levels and the parameters each takes (see questionnaires/README.md).
RULE_PARAMS: dict[str, tuple[str, ...]] = {
    "answer_equals": ("question", "equals"),
    "all_yes": ("section",),
    "cmmm_min": ("level",),
    "scenario_count": ("at_least", "min"),
    "scenario_share": ("at_least", "min_share"),
    "links_covered": ("at_least", "links"),
    "links_count": ("at_least", "min"),
    "scenarios_reached": ("scenarios", "at_least", "min"),
    "results_better": ("min",),
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
    """Applies when the profile question `question` is answered `equals` (or one of `any_of`)."""

    question: str
    equals: str = ""
    any_of: tuple[str, ...] = ()

    def allows(self, value: object) -> bool:
        """The answer `value` satisfies the condition."""
        return value == self.equals if not self.any_of else value in self.any_of

    @property
    def options(self) -> tuple[str, ...]:
        return self.any_of or (self.equals,)


@dataclass(frozen=True)
class Advice:
    """A next step for an item that replaces its general one when the profile says so: the
    seed or the reference guide names sector- or mode-specific means (e.g. NC-Link for
    machine-tool makers)."""

    when: tuple[Condition, ...]
    next_step: Text
    source: Text | None = None


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
    applies_when: tuple[Condition, ...] = ()  # asked only when every condition holds
    not_applicable_reason: Text | None = None


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
    applies_when: tuple[Condition, ...] = ()  # asked only when every condition holds
    not_applicable_reason: Text | None = None
    advice: tuple[Advice, ...] = ()


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
    applies_when: tuple[Condition, ...] = ()  # asked only when every condition holds
    not_applicable_reason: Text | None = None
    advice: tuple[Advice, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """A key result indicator (建设成效): a number in a fixed unit for the results year."""

    id: str
    name: Text
    unit: Text
    better: str  # higher | lower: the direction in which the indicator beats a benchmark
    help: Text
    source: Text
    next_step: Text
    minimum: float = 0.0
    maximum: float | None = None
    applies_when: tuple[Condition, ...] = ()
    not_applicable_reason: Text | None = None
    effort: int = 3
    type: str = "number"
    section: str = "results"

    @property
    def text(self) -> Text:
        return self.name

    def beats(self, value: float, benchmark: float) -> bool:
        """Strictly better than the benchmark, in the indicator's direction."""
        return value > benchmark if self.better == "higher" else value < benchmark


@dataclass(frozen=True)
class Results:
    """The results part of the element conditions: the year of the figures, and indicators."""

    title: Text
    intro: Text | None
    year: Question
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Tailorable:
    """A sub-domain that may be tailored out (裁剪) when every condition of `when` holds."""

    when: tuple[Condition, ...]
    reason: Text  # the reason suggested to the enterprise
    help: Text | None = None


@dataclass(frozen=True)
class Tailoring:
    """Tailoring of whole capability sub-domains: the texts of its questions and the cap."""

    title: Text
    intro: Text | None
    question: Text  # "tailor this sub-domain out?" (yes needs a reason)
    review: Text  # the reviewer's question (rejected needs a reason)
    review_options: tuple[Option, ...]
    max: int  # at most this many sub-domains tailored per assessment


@dataclass(frozen=True)
class Note:
    """A method note or a glossary entry: where a rule of the method comes from, or a term."""

    id: str
    title: Text
    text: Text
    basis: str | None = None


@dataclass(frozen=True)
class CarriedFrom:
    """How answers of an earlier version carry over (see assess.questionnaire.carry).

    An item id means the same statement in every version: an answer to an item with the same
    id carries over; `renamed` maps old ids to new ones; `dropped` lists old items whose
    answers do not carry, with the reason. Every old item is in exactly one of these.
    """

    version: str
    renamed: dict[str, str] = field(hash=False, default_factory=dict)
    dropped: dict[str, Text] = field(hash=False, default_factory=dict)


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
    tailorable: Tailorable | None = None


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
    requirement_not_applicable: bool = True  # False: no per-requirement N/A (tailoring instead)
    staircase: str = "decided"


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
    source: Text | None = None


@dataclass(frozen=True)
class Scenarios:
    title: Text
    scale: str
    met_threshold: float
    applicability_text: Text
    items: tuple[Scenario, ...]
    # per gradient level, the rating value a step needs to count as met (default met_threshold)
    met_by_level: dict[str, float] = field(hash=False, default_factory=dict)
    staircase: str = "decided"

    def met(self, level_id: str) -> float:
        """The value a step at this gradient level needs to count as met."""
        return self.met_by_level.get(level_id, self.met_threshold)


@dataclass(frozen=True)
class Rule:
    id: str
    type: str
    params: dict = field(hash=False)
    text: Text = field(default_factory=lambda: Text("", ""))
    next_step: Text | None = None
    basis: str | None = None  # policy | reported | standard | own (None: not said, 2025.1)
    basis_note: Text | None = None
    # the rule as worded for an on-site assessment, where it names who answered (None: the
    # same words whoever answered)
    on_site_text: Text | None = None

    def text_for(self, on_site: bool) -> Text:
        """The rule's words for a self-assessment or an on-site one."""
        return self.on_site_text if on_site and self.on_site_text else self.text


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
    status: str = "published"  # draft: loaded and scored, but new assessments do not start on it
    tailoring: Tailoring | None = None
    results: Results | None = None
    method: tuple[Note, ...] = ()
    glossary: tuple[Note, ...] = ()
    carried_from: CarriedFrom | None = None

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
    def requirement_ids_by_level(self) -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
        """Per sub-domain, (level, requirement ids) lowest level first: the staircase's loop."""
        return {
            sub_id: tuple((level, tuple(r.id for r in reqs)) for level, reqs in levels.items())
            for sub_id, levels in self.requirements_by_level.items()
        }

    @cached_property
    def step_ids_by_level(self) -> dict[str, tuple[tuple[str, tuple[str, ...], float], ...]]:
        """Per scenario, (gradient level id, step ids, the value a step there needs)."""
        return {
            sid: tuple(
                (level_id, tuple(step.id for step in steps), self.scenarios.met(level_id))
                for level_id, steps in levels.items()
            )
            for sid, levels in self.steps_by_level.items()
        }

    @cached_property
    def requirement_ids_at(self) -> dict[str, dict[int, tuple[str, ...]]]:
        """Per sub-domain, per level, its requirement ids."""
        return {sub_id: dict(levels) for sub_id, levels in self.requirement_ids_by_level.items()}

    @cached_property
    def weights(self) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
        """Per element, (sub-domain id, its weight within the element)."""
        return tuple(
            (element.id, tuple((s.id, s.weight) for s in element.sub_domains))
            for element in self.cmmm.elements
        )

    @cached_property
    def model_weights(self) -> tuple[tuple[str, float], ...]:
        """(sub-domain id, element weight x sub-domain weight), in questionnaire order."""
        return tuple(
            (s.id, element.weight * s.weight)
            for element in self.cmmm.elements
            for s in element.sub_domains
        )

    @cached_property
    def conditional_items(self) -> dict[str, tuple]:
        """Per sub-domain or scenario, its requirements or steps asked only under conditions."""
        found: dict[str, tuple] = {}
        for sub in self.sub_domains.values():
            found[sub.id] = tuple(r for r in sub.requirements if r.applies_when)
        for scenario in self.scenarios.items:
            found[scenario.id] = tuple(s for s in scenario.steps if s.applies_when)
        return found

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
    def tailorable(self) -> dict[str, SubDomain]:
        """The sub-domains that may be tailored out, in questionnaire order."""
        return {s.id: s for s in self.sub_domains.values() if s.tailorable is not None}

    @cached_property
    def tailoring_questions(self) -> dict[str, tuple[Question, Question]]:
        """Per tailorable sub-domain: the enterprise's claim and the reviewer's verdict."""
        if self.tailoring is None:
            return {}
        return {
            sub.id: (
                Question(
                    id=tailoring_id(sub.id),
                    type="yes_no",
                    section="tailoring",
                    text=self.tailoring.question,
                    help=sub.tailorable.help,
                    scale="yes_no",
                    applies_when=sub.tailorable.when,
                ),
                Question(
                    id=review_id(sub.id),
                    type="choice",
                    section="tailoring",
                    text=self.tailoring.review,
                    options=self.tailoring.review_options,
                ),
            )
            for sub in self.tailorable.values()
        }

    @cached_property
    def sub_domain_of_tailoring(self) -> dict[str, str]:
        """Tailoring claim or review question id -> its sub-domain id."""
        return {
            question.id: sub_id
            for sub_id, pair in self.tailoring_questions.items()
            for question in pair
        }

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.results.indicators} if self.results else {}

    @cached_property
    def items(self) -> dict[str, Question | Requirement | Step | Indicator]:
        """Every answerable item by id, in questionnaire order."""
        items: dict = {q.id: q for q in self.profile.questions}
        for claim, review in self.tailoring_questions.values():
            items[claim.id] = claim
            items[review.id] = review
        items.update({q.id: q for q in self.gate.questions})
        items.update(self.requirements)
        for scenario in self.scenarios.items:
            question = self.applicability_questions[scenario.id]
            items[question.id] = question
            items.update({step.id: step for step in scenario.steps})
        if self.results is not None:
            items[self.results.year.id] = self.results.year
            items.update(self.indicators)
        return items

    @cached_property
    def links_question(self) -> Question | None:
        """The profile question that asks which links the enterprise operates."""
        return next((x for x in self.profile.questions if x.options_from == "links"), None)

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


def tailoring_id(sub_domain_id: str) -> str:
    """The enterprise's claim that a sub-domain is tailored out."""
    return f"tailoring.{sub_domain_id}"


def review_id(sub_domain_id: str) -> str:
    """A reviewer's verdict on that claim: accepted, or rejected with a reason."""
    return f"tailoring.{sub_domain_id}.review"
