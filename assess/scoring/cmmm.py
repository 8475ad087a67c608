"""The capability maturity score and level, by the GB/T 39117 method (see questionnaires/README)."""

from __future__ import annotations

from assess.questionnaire.definition import Questionnaire
from assess.scoring.result import CmmmResult, ItemScore, SubDomainScore

DIGITS = 6  # scores are rounded so that 0.8 stays 0.8 through weighted means


def total_score(level_scores: list[float | None], threshold: float) -> float:
    """S: level scores from level 1 up to and including the first one below the threshold.

    A level with nothing applicable (None) neither adds nor stops the sum.
    """
    total = 0.0
    for score in level_scores:
        if score is None:
            continue
        total += score
        if score < threshold:
            break
    return round(total, DIGITS)


def band_level(q: Questionnaire, score: float) -> int | None:
    level = None
    for band in q.cmmm.bands:
        if score >= band.min_score:
            level = band.level
    return level


def _sub_domain_levels(q: Questionnaire, sub_id: str, items, levels) -> dict[int, float | None]:
    """Mean applicable requirement score per level (None where nothing applies)."""
    by_level = q.requirement_ids_at[sub_id]
    per_level: dict[int, float | None] = {}
    for level in levels:
        values = [v for i in by_level.get(level, ()) if (v := items[i].value) is not None]
        per_level[level] = round(sum(values) / len(values), DIGITS) if values else None
    return per_level


def _weighted(pairs, by_sub: dict, level: int) -> float:
    """Weighted mean of the sub-domain scores at a level over (sub-domain id, weight) pairs,
    leaving out those with no score (None) and renormalising the weights."""
    total_weight = total = 0.0
    for sub_id, weight in pairs:
        score = by_sub[sub_id][level]
        if score is not None:
            total_weight += weight
            total += weight * score
    return round(total / total_weight, DIGITS) if total_weight else 0.0


def score_cmmm(q: Questionnaire, items: dict[str, ItemScore]) -> CmmmResult:
    """Sub-domain, element and level scores, the total score S and the CMMM level."""
    levels = [level.level for level in q.cmmm.levels]
    threshold = q.cmmm.reach_threshold
    sub_scores: dict[str, SubDomainScore] = {}
    for sub in q.sub_domains.values():
        per_level = _sub_domain_levels(q, sub.id, items, levels)
        applicable = any(score is not None for score in per_level.values())
        total = total_score(list(per_level.values()), threshold)
        sub_scores[sub.id] = SubDomainScore(sub.id, applicable, per_level, total)
    by_sub = {sub_id: score.level_scores for sub_id, score in sub_scores.items()}
    element_scores = {
        element_id: {level: _weighted(pairs, by_sub, level) for level in levels}
        for element_id, pairs in q.weights
    }
    level_scores = {level: _weighted(q.model_weights, by_sub, level) for level in levels}
    reached, below = {}, False
    for level in levels:
        below = below or level_scores[level] < threshold
        reached[level] = not below
    total = total_score(list(level_scores.values()), threshold)
    return CmmmResult(
        level_scores=level_scores,
        reached=reached,
        total_score=total,
        level=band_level(q, total),
        sub_domains=sub_scores,
        element_scores=element_scores,
    )
