"""Questionnaires and answers for the domain tests (tests/scoring, tests/questionnaire): no app,
no database. Plain values and functions; the fixtures are in tests/scoring/conftest.py."""

from __future__ import annotations

from pathlib import Path

from assess.questionnaire.definition import Question, Questionnaire
from assess.scoring import Answer

ROOT = Path(__file__).parent.parent
REAL = ROOT / "assess" / "questionnaires" / "machinery-smart-factory-2025.1.yaml"
NEW = ROOT / "assess" / "questionnaires" / "machinery-smart-factory-2026.1.yaml"
TINY = ROOT / "tests" / "fixtures" / "tiny-1.0.yaml"

# An enterprise at the basic level of the tiny questionnaire (tests/fixtures/tiny-1.0.yaml).
BASIC_ENTERPRISE = {
    "p.design": "no",
    "g.sound": "yes",
    "a1.1": "full",
    "a1.2": "most",
    "a1.3": "partial",
    "b1.1": "full",
    "b1.2a": "most",
    "b1.2b": "most",
    "b1.3": "none",
    "s1.basic": "full",
    "s1.advanced": "partial",
    "s3.basic": "most",
    "s3.advanced": "full",
}


def answers(**values) -> dict[str, Answer]:
    """answers(**{"a1.1": "full", "s3.applies": ("no", "reason")})."""
    out = {}
    for item_id, value in values.items():
        if isinstance(value, tuple) and len(value) == 2 and value[0] in ("na", "no"):
            out[item_id] = Answer(value[0], value[1])
        else:
            out[item_id] = Answer(value)
    return out


def enterprise(
    q: Questionnaire,
    cmmm: dict[int, str],
    steps: dict[str, dict[str, str]],
    default_steps: dict[str, str],
    **overrides,
) -> dict[str, Answer]:
    """A whole enterprise's answers for the real questionnaire (either version), by pattern.

    cmmm: rating per CMMM level for every requirement; steps: per scenario id, rating per
    gradient level; default_steps for scenarios not listed. Overrides replace single answers.
    The enterprise designs its own products and has products in the field, so that every item
    is asked; under 2026.1 it tailors nothing and enters no results.
    """
    out: dict[str, Answer] = {}
    for question in (*q.profile.questions, *q.gate.questions):
        if not question.applies_when:
            out[question.id] = Answer(_first_or_all(q, question))
    out["profile.above_scale"] = Answer("yes")
    out["profile.own_design"] = Answer("yes")
    out["profile.products_in_field"] = Answer("yes")
    for question in q.gate.questions:
        out[question.id] = Answer("yes")
    for requirement in q.requirements.values():
        out[requirement.id] = Answer(cmmm[requirement.level])
    for scenario in q.scenarios.items:
        out[f"{scenario.id}.applies"] = Answer("yes")
        pattern = steps.get(scenario.id, default_steps)
        for step in scenario.steps:
            out[step.id] = Answer(pattern[step.level])
    for item_id, value in overrides.items():
        out[item_id.replace("__", ".")] = value if isinstance(value, Answer) else Answer(value)
    return out


def _first_or_all(q: Questionnaire, question: Question):
    options = q.options_of(question)
    if question.type == "multi_choice":
        return tuple(option.id for option in options)
    return options[0].id


# Regions for the suppression tests (tests/regional): an enterprise is (place, sector, gradient
# rank, cmmm level, verified, rule gaps[, declared]); a region's row is what the store gives for
# it (assess/store/regional.py: sub_regions), counted here by hand.


def region_counts(enterprises: list[tuple]) -> dict:
    counts = {"enterprises": len(enterprises), "score_sum": 0.0}
    counts["verified"] = sum(e[4] for e in enterprises)
    counts |= {f"rank_{r}": sum(e[2] == r for e in enterprises) for r in range(5)}
    counts |= {f"cmmm_{c}": sum(e[3] == c for e in enterprises) for c in range(6)}
    counts["cmmm_2_plus"] = sum(e[3] >= 2 for e in enterprises)
    counts["excellent_plus"] = sum(e[2] >= 3 for e in enterprises)
    counts["one_step"] = sum(len(e[5]) == 1 for e in enterprises)
    counts |= {"s1_na": 0, **{f"s1_{r}": counts[f"rank_{r}"] for r in range(5)}}
    return counts


def region_row(enterprises: list[tuple], participation: dict | None = None) -> dict:
    """A region's store row; declared enterprises (a seventh field true) make its "declared"
    row; participation: registered, started, declared, recognised (the funnel)."""
    groups = {}
    for sector in sorted({e[1] for e in enterprises}):
        members = [e for e in enterprises if e[1] == sector]
        groups[("sector", sector)] = {
            "enterprises": len(members),
            **{f"rank_{r}": sum(e[2] == r for e in members) for r in range(5)},
        }
    row = {
        "counts": region_counts(enterprises),
        "gaps": {rule: sum(rule in e[5] for e in enterprises) for rule in ("r1", "r2")},
        "quarters": {},
        "groups": groups,
    }
    declared = [e for e in enterprises if len(e) > 6 and e[6]]
    if declared:
        row["declared"] = region_row([e[:6] for e in declared])
    if participation is not None:
        row["participation"] = participation
    return row


# r1 is a rule of Basic (missed by enterprises below it), r2 one of Advanced (missed at Basic)
BOUNDS = {"gap_r1": "rank_0", "gap_r2": "rank_1"}


def next_version_source(version: str = "2027.1", rule: str = "basic.operations_2027") -> str:
    """The 2026.1 file as a new version carried from it (every item kept) with one gradient
    rule given a new id: what an administrator would upload."""
    text = NEW.read_text(encoding="utf-8")
    text = text.replace('version: "2026.1"', f'version: "{version}"', 1)
    start = text.index("carried_from:\n")
    end = text.index("\nscales:", start)
    carried = 'carried_from:\n  version: "2026.1"\n  renamed: {}\n  dropped: []\n'
    text = text[:start] + carried + text[end:]
    return text.replace("- id: basic.operations\n", f"- id: {rule}\n", 1)
