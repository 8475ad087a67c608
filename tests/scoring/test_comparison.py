"""Self-assessment against verification, on the tiny questionnaire (worked by hand)."""

from __future__ import annotations

from assess.comparison import compare
from assess.scoring import score
from tests.scoring.conftest import answers

SELF = {
    "p.design": "yes",
    "g.sound": "yes",
    "a1.1": "full",
    "a1.2": "full",
    "a1.3": "most",
    "a2.1": "full",
    "a2.2": "most",
    "a2.3": "none",
    "b1.1": "full",
    "b1.2a": "full",
    "b1.2b": "full",
    "b1.3": "none",
    "s1.basic": "full",
    "s1.advanced": "full",
    "s2.basic": "full",
    "s2.advanced": "most",
    "s3.basic": "most",
    "s3.advanced": "most",
}


def test_over_claims_are_the_items_rated_higher_than_verified(tiny):
    """Verified: a1.2 full -> partial (over), s3.advanced most -> none (over), b1.3 none -> most (under).

    a1 self: 1 + 1 + .8 = 2.8; verified: L1 1, L2 .5 (< .8, stop) = 1.5.
    s3 self advanced (2), verified basic (1).
    """
    verified = {**SELF, "a1.2": "partial", "s3.advanced": "none", "b1.3": "most"}
    self_answers, verified_answers = answers(**SELF), answers(**verified)
    result = compare(
        tiny,
        self_answers,
        score(tiny, self_answers),
        verified_answers,
        score(tiny, verified_answers),
    )
    assert [(d.item_id, d.self_option, d.verified_option, d.over_claim) for d in result.items] == [
        ("a1.2", "full", "partial", True),
        ("b1.3", "none", "most", False),
        ("s3.advanced", "most", "none", True),
    ]
    assert [d.item_id for d in result.over_claims] == ["a1.2", "s3.advanced"]
    a1 = next(g for g in result.sub_domains if g.id == "a1")
    assert (a1.self_score, a1.verified_score, a1.over_claims, a1.under_claims, a1.over_claim) == (
        2.8,
        1.5,
        1,
        0,
        True,
    )
    b1 = next(g for g in result.sub_domains if g.id == "b1")
    assert (b1.over_claims, b1.under_claims, b1.over_claim) == (0, 1, False)
    s3 = next(g for g in result.scenarios if g.id == "s3")
    assert (s3.self_score, s3.verified_score, s3.over_claim) == (2.0, 1.0, True)
    assert (result.self_gradient_rank, result.verified_gradient_rank) == (2, 1)


def test_identical_answers_have_no_difference(tiny):
    same = answers(**SELF)
    result = compare(tiny, same, score(tiny, same), same, score(tiny, same))
    assert result.items == () and result.over_claims == []
    assert not any(g.over_claim for g in (*result.sub_domains, *result.scenarios))
