"""Tailoring (裁剪): which whole sub-domains are out of the score, and why.

A sub-domain is tailored out when the questionnaire marks it tailorable, its profile
condition holds, the enterprise claimed it with a reason, no reviewer rejected the claim,
and fewer than `tailoring.max` sub-domains before it (in questionnaire order) are tailored.
"""

from __future__ import annotations

from assess.questionnaire.definition import Questionnaire, review_id, tailoring_id
from assess.scoring.answers import Answers
from assess.scoring.conditions import conditions_hold
from assess.scoring.result import TailoringOutcome

ACCEPTED, REJECTED = "accepted", "rejected"


def tailoring_outcomes(q: Questionnaire, answers: Answers) -> tuple[TailoringOutcome, ...]:
    """One outcome per tailorable sub-domain, in questionnaire order."""
    if q.tailoring is None:
        return ()
    outcomes, applied = [], 0
    for sub in q.tailorable.values():
        eligible = conditions_hold(sub.tailorable.when, answers)
        claim = answers.get(tailoring_id(sub.id))
        claimed = claim is not None and claim.value == "yes" and bool(claim.reason)
        review = answers.get(review_id(sub.id)) if claimed else None
        verdict = (
            review.value if review is not None and review.value in (ACCEPTED, REJECTED) else None
        )
        standing = eligible and claimed and verdict != REJECTED
        over_cap = standing and applied >= q.tailoring.max
        if standing and not over_cap:
            applied += 1
        outcomes.append(
            TailoringOutcome(
                sub_domain=sub.id,
                eligible=eligible,
                claimed=claimed,
                reason=claim.reason if claimed else "",
                review=verdict,
                review_reason=review.reason if verdict == REJECTED else "",
                applied=standing and not over_cap,
                over_cap=over_cap,
            )
        )
    return tuple(outcomes)
