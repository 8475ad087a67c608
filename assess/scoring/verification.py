"""What "verified on site" means for an assessment: the one definition that the report, the
regional figures, the review queue and the dossier all use. Pure: answers and counts in, answer
out.

An assessment is verified on site when it is an on-site assessment (mode "consultant"), the
consultant marked verified at least MIN_COVERAGE of its rated answers (rated_items in
assess/scoring/result.py), AND every one of its deciding answers (deciding_items: the profile,
the basic requirements, whether each scenario applies, and the results, as answered and asked).
A tailoring is checked otherwise: by the consultant's verdict on it (a review item).

Why 0.8 of the rated answers: it is the bar GB/T 39117 itself uses: a maturity level counts as
reached at a score of 0.8 ("largely met"), so an assessment called verified has checked at
least as much of its answers as a level needs of its requirements. A rated answer is one of
many that a score averages: one left unchecked moves a score a little, and a sample of 80 % is a
fair check of the whole.

Why every deciding answer, and not a share of them in the same denominator: each decides a rule
of the gradient levels on its own ("规模以上" is the whole basic.above_scale rule, one basic
requirement answered yes is the whole basic.gate rule, one indicator can carry the results
rule, the links operated decide the links covered; the profile, and the enterprise's word that
a scenario does not apply, decide which scenarios and requirements are asked at all, and a
scenario left out raises the share of scenarios reached). Counted among ~120 rated answers, the
twenty or so deciding answers could all be left unchecked and the report still reach 80 %: a
"verified" level could then rest on a size or a gate nobody checked. So they must all be
verified, and the coverage figure stays the share of the rated answers. An on-site assessment
that falls short of either is only partially verified and counts as a self-assessment wherever
assessments are counted as verified or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from assess.questionnaire.definition import Questionnaire
from assess.scoring.result import Result

MIN_COVERAGE = 0.8
ON_SITE = "consultant"  # the mode of an on-site assessment


@cache
def deciding_ids(q: Questionnaire) -> tuple[str, ...]:
    """The items whose answers decide rules of the levels without being rated: the profile,
    the basic requirements (gate), whether each scenario applies, and the results (the year and
    the indicators)."""
    ids = [x.id for x in q.profile.questions] + [x.id for x in q.gate.questions]
    ids += [x.id for x in q.applicability_questions.values()]
    if q.results is not None:
        ids += [q.results.year.id, *q.indicators]
    return tuple(ids)


def deciding_items(q: Questionnaire, answered: Iterable[str], result: Result) -> frozenset[str]:
    """The deciding answers of an assessment: deciding items answered (`answered`: the ids of
    the items with an answer) and asked (not left out by the profile)."""
    given = set(answered)
    return frozenset(i for i in deciding_ids(q) if i in given and i not in result.skipped)


def verifiable(q: Questionnaire, item_id: str) -> bool:
    """Whether a consultant marks this item verified on site: a rated item or a deciding one."""
    item = q.items.get(item_id)
    return item is not None and (item.type == "rating" or item_id in deciding_ids(q))


def coverage(verified: int, rated: int) -> float:
    """Share of the rated answers verified (0 when none was rated)."""
    return verified / rated if rated else 0.0


def covered(verified: int, rated: int, min_coverage: float = MIN_COVERAGE) -> bool:
    """Whether enough of the rated answers were verified."""
    return rated > 0 and coverage(verified, rated) >= min_coverage - 1e-9


def checked(
    verified: int, rated: int, unverified_deciding: int, min_coverage: float = MIN_COVERAGE
) -> bool:
    """Whether an on-site assessment's checks make it verified: enough of its rated answers and
    every deciding answer (unverified_deciding: its deciding answers not verified)."""
    return unverified_deciding == 0 and covered(verified, rated, min_coverage)


def verified_on_site(
    mode: str,
    verified: int,
    rated: int,
    *,
    unverified_deciding: int,
    min_coverage: float = MIN_COVERAGE,
) -> bool:
    """An on-site assessment with enough of its rated answers and all its deciding answers
    verified."""
    return mode == ON_SITE and checked(verified, rated, unverified_deciding, min_coverage)
