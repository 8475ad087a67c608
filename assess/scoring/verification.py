"""What "verified on site" means for an assessment: the one definition that the report, the
regional figures, the review queue and the dossier all use. Pure: counts in, answer out.

An assessment is verified on site when it is an on-site assessment (mode "consultant") and the
consultant marked verified at least MIN_COVERAGE of its rated answers (rated_items in
assess/scoring/result.py). 0.8 because it is the bar GB/T 39117 itself uses: a maturity level
counts as reached at a score of 0.8 ("largely met"), so an assessment called verified has
checked at least as much of its answers as a level needs of its requirements. An on-site
assessment below it is only partially verified and counts as a self-assessment wherever
assessments are counted as verified or not.
"""

from __future__ import annotations

MIN_COVERAGE = 0.8
ON_SITE = "consultant"  # the mode of an on-site assessment


def coverage(verified: int, rated: int) -> float:
    """Share of the rated answers verified (0 when none was rated)."""
    return verified / rated if rated else 0.0


def covered(verified: int, rated: int, min_coverage: float = MIN_COVERAGE) -> bool:
    """Whether enough of the rated answers were verified for the whole to be called verified."""
    return rated > 0 and coverage(verified, rated) >= min_coverage - 1e-9


def verified_on_site(
    mode: str, verified: int, rated: int, min_coverage: float = MIN_COVERAGE
) -> bool:
    """An on-site assessment with enough of its rated answers verified."""
    return mode == ON_SITE and covered(verified, rated, min_coverage)
