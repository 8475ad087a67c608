"""The review before submitting: every answer by section, what was left out and why, the levels
the answers would give, and (self-assessment only) the near misses with the answers that would
reach the next level. An on-site assessment shows no near misses: the independent verifier is
not told which answers would lift the level. Flask-free: the submit page shows it as it is
built here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.assessment import submission
from assess.assessment.answering import State
from assess.questionnaire import pages
from assess.questionnaire.definition import Question, Questionnaire, Text
from assess.report.content import answer_label
from assess.scoring import explain, score
from assess.scoring.explain_scope import tailoring_lines
from assess.scoring.near_miss import NearMiss, near_misses
from assess.scoring.words import cmmm_name, gradient_name
from assess.store import organisations
from assess.translation import translator


@dataclass(frozen=True)
class AnswerLine:
    item_id: str
    label: str
    answer: str  # the option label(s), or the figure
    reason: str


@dataclass(frozen=True)
class Section:
    page: pages.Page
    lines: tuple[AnswerLine, ...]
    not_asked: int  # items of the page not asked (not applicable, tailored, staircase)


@dataclass(frozen=True)
class Warning:
    text: str  # what is within reach
    lead: str  # introduces the lifts: they reach the level, or only bring it closer
    lifts: tuple[str, ...]  # "Raise X from A to B", one per answer to change


@dataclass(frozen=True)
class Review:
    sections: tuple[Section, ...]
    tailoring: tuple[str, ...]  # each tailoring claimed, with its reason and review
    not_applicable: tuple[tuple[str, str], ...]  # (scenario name, reason)
    gradient_level: str
    cmmm_level: str
    total_score: float
    warnings: tuple[Warning, ...]


def review(db: Database, q: Questionnaire, row: dict, current: State, lang: str) -> Review:
    """What the submitter checks: complete answers give levels and near misses too."""
    organisation = organisations.get(db, row["organisation_id"])
    answers = current.answers
    benchmarks = submission.scoring_benchmarks(db, q, organisation, answers)
    result = score(q, answers, benchmarks)
    on_site = row["mode"] == "consultant"
    misses = near_misses(q, answers, benchmarks) if not (current.missing or on_site) else ()
    na = tuple(
        (q.scenario_map[s.id].name.get(lang), _reason(s.not_applicable_reason, lang))
        for s in result.scenarios.values()
        if not s.applicable
    )
    return Review(
        sections=tuple(_sections(q, current, lang)),
        tailoring=tuple(tailoring_lines(q, result, lang)),
        not_applicable=na,
        gradient_level=explain.level_label(q, result, lang),
        cmmm_level=cmmm_name(q, result.cmmm.level, lang),
        total_score=result.cmmm.total_score,
        warnings=tuple(warning(q, miss, answers, lang) for miss in misses),
    )


def _reason(reason: Text | str | None, lang: str) -> str:
    """A reason as given: the data's (by the profile) or the enterprise's own words."""
    return reason.get(lang) if isinstance(reason, Text) else (reason or "")


def _sections(q: Questionnaire, current: State, lang: str):
    for page in pages.pages(q):
        lines, not_asked = [], 0
        for item_id in page.item_ids:
            if item_id in current.skipped:
                not_asked += 1
                continue
            answer = current.answers.get(item_id)
            item = q.items[item_id]
            if answer is None or answer.value is None:
                text = translator(lang).gettext("not answered")
            elif isinstance(item, Question) or item_id in q.requirements or item_id in q.steps:
                text = answer_label(q, item, answer.value, lang)
            else:
                text = str(answer.value)
            label = explain.item_label(q, item_id, lang)
            lines.append(AnswerLine(item_id, label, text, answer.reason if answer else ""))
        yield Section(page, tuple(lines), not_asked)


def warning(q: Questionnaire, miss: NearMiss, answers, lang: str) -> Warning:
    """A near miss in words: what is within reach and the answers that would reach it."""
    t = translator(lang)
    if miss.kind == "cmmm":
        text = t.gettext(
            "The total score S is %(short).2f below %(level)s.",
            short=miss.short_by,
            level=cmmm_name(q, miss.target, lang),
        )
    else:
        text = t.gettext(
            "%(level)s is one rule away: %(rule)s.",
            level=gradient_name(q, miss.target, lang),
            rule=explain.rule_text(q, miss.rule, lang),
        )
    lifts = []
    for lift in miss.lifts:
        item = q.items[lift.item_id]
        label = explain.item_label(q, lift.item_id, lang)
        to = answer_label(q, item, lift.to_option, lang)
        if lift.from_option is None:
            lifts.append(t.gettext("Answer %(item)s: %(to)s", item=label, to=to))
        else:
            lifts.append(
                t.gettext(
                    "Raise %(item)s from %(from)s to %(to)s",
                    item=label,
                    to=to,
                    **{"from": answer_label(q, item, lift.from_option, lang)},
                )
            )
    if miss.reached:
        lead = t.gettext("These answers would reach it, if they describe the enterprise truly:")
    else:
        lead = t.gettext("These answers would bring it closer, not all the way:")
    return Warning(text, lead, tuple(lifts))
