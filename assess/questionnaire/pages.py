"""The questionnaire as wizard pages, and the progress through them. Pure: no Flask.

Pages: the profile, the tailoring of sub-domains (when the questionnaire has any), the basic
requirements, each CMMM element (a large element is split so that a page holds at most
MAX_SUB_DOMAINS sub-domains), the typical scenarios grouped by link, and the results (when the
questionnaire has them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from assess.questionnaire.definition import Questionnaire, Text, applicability_id

MAX_SCENARIOS = 4  # scenarios per wizard page (each has up to 8 steps)
MAX_SUB_DOMAINS = 5


@dataclass(frozen=True)
class Page:
    id: str
    kind: str  # profile | tailoring | gate | cmmm | scenarios | results
    title: Text
    item_ids: tuple[str, ...]
    sub_domains: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageProgress:
    page: Page
    asked: int
    answered: int
    to_answer: int = 0  # of the rest, the questions the user must answer; the others wait

    @property
    def complete(self) -> bool:
        return self.answered >= self.asked

    @property
    def state(self) -> str:
        """complete, partial or empty (for the section list)."""
        if self.complete:
            return "complete"
        return "partial" if self.answered else "empty"


@dataclass(frozen=True)
class Progress:
    pages: tuple[PageProgress, ...]
    missing: tuple[str, ...]  # relevant unanswered items, in questionnaire order

    @property
    def asked(self) -> int:
        return sum(p.asked for p in self.pages)

    @property
    def answered(self) -> int:
        return sum(p.answered for p in self.pages)

    @property
    def to_answer(self) -> int:
        """The questions still to answer (the missing ones: what the submit page lists)."""
        return sum(p.to_answer for p in self.pages)

    @property
    def waiting(self) -> int:
        """The rest not done: levels folded until the answers to the levels below them decide
        them; they need no answer of their own. answered + to_answer + waiting == asked."""
        return self.asked - self.answered - self.to_answer

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.asked) if self.asked else 100

    def figures(self) -> dict[str, int]:
        """The numbers as the page, autosave and the API give them."""
        return {
            "answered": self.answered,
            "asked": self.asked,
            "to_answer": self.to_answer,
            "waiting": self.waiting,
            "percent": self.percent,
        }


def _chunks(items: tuple, size: int) -> list[tuple]:
    count = -(-len(items) // size)
    per_page = -(-len(items) // count)
    return [items[i : i + per_page] for i in range(0, len(items), per_page)]


@cache
def pages(q: Questionnaire) -> tuple[Page, ...]:
    """The wizard's pages, in order."""
    result = [Page("profile", "profile", q.profile.title, tuple(x.id for x in q.profile.questions))]
    if q.tailoring is not None and q.tailoring_questions:
        items = tuple(question.id for pair in q.tailoring_questions.values() for question in pair)
        result.append(
            Page(
                "tailoring", "tailoring", q.tailoring.title, items, sub_domains=tuple(q.tailorable)
            )
        )
    result.append(Page("gate", "gate", q.gate.title, tuple(x.id for x in q.gate.questions)))
    for element in q.cmmm.elements:
        groups = _chunks(element.sub_domains, MAX_SUB_DOMAINS)
        for i, group in enumerate(groups, start=1):
            title = element.name
            page_id = f"cmmm-{element.id}"
            if len(groups) > 1:
                title = Text(
                    f"{element.name.zh}（{i}/{len(groups)}）",
                    f"{element.name.en} ({i}/{len(groups)})",
                )
                page_id = f"{page_id}-{i}"
            items = tuple(r.id for sub in group for r in sub.requirements)
            result.append(
                Page(page_id, "cmmm", title, items, sub_domains=tuple(s.id for s in group))
            )
    # in the seed's numbering (1, 2, 3, 4…), a few to a page, rather than grouped by link
    ordered = tuple(sorted(q.scenarios.items, key=lambda s: s.number))
    for scenarios in _chunks(ordered, MAX_SCENARIOS) if ordered else ():
        first, last = scenarios[0].number, scenarios[-1].number
        items = tuple(
            item
            for s in scenarios
            for item in (applicability_id(s.id), *(step.id for step in s.steps))
        )
        span = f"{first}" if first == last else f"{first}—{last}"
        title = Text(
            f"{q.scenarios.title.zh}（{span}）",
            f"{q.scenarios.title.en} ({span.replace('—', '–')})",
        )
        result.append(
            Page(
                f"scenarios-{first}-{last}",
                "scenarios",
                title,
                items,
                scenarios=tuple(s.id for s in scenarios),
            )
        )
    if q.results is not None:
        items = (q.results.year.id, *q.indicators)
        result.append(Page("results", "results", q.results.title, items))
    return tuple(result)


@cache
def _page_index(q: Questionnaire) -> dict[str, Page]:
    index = {}
    for page in pages(q):
        index[page.id] = page
        for item_id in page.item_ids:
            index[item_id] = page
    return index


def page(q: Questionnaire, page_id: str) -> Page | None:
    found = _page_index(q).get(page_id)
    return found if found is not None and found.id == page_id else None


def page_of(q: Questionnaire, item_id: str) -> Page:
    return _page_index(q)[item_id]


def neighbours(q: Questionnaire, current: Page) -> tuple[Page | None, Page | None]:
    """The pages before and after a page."""
    all_pages = pages(q)
    i = all_pages.index(current)
    return (all_pages[i - 1] if i else None, all_pages[i + 1] if i + 1 < len(all_pages) else None)


def progress(
    q: Questionnaire,
    missing: list[str],
    skipped: Mapping[str, object],
    waiting: frozenset[str] = frozenset(),
) -> Progress:
    """How many items each page may ask and how many are done, with a total that stays put
    while the user rates: it leaves out only what does not apply (the profile, a scenario's
    applicability, tailoring), never the levels a staircase folds. A folded item is done once
    the answers below it decide it (it counts as not met); while it waits for them to be
    answered (`waiting`) it is still to do. skipped: the items not asked, by id (Skip)."""
    to_answer = set(missing)
    missing_set = to_answer | set(waiting)
    rows = []
    for p in pages(q):
        asked = [i for i in p.item_ids if not getattr(skipped.get(i), "not_applicable", False)]
        done = sum(1 for i in asked if i not in missing_set)
        rows.append(PageProgress(p, len(asked), done, sum(1 for i in asked if i in to_answer)))
    return Progress(tuple(rows), tuple(missing))
