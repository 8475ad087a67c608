"""Self-assessment against verification, on the tiny questionnaire (worked by hand)."""

from __future__ import annotations

from assess.scoring import score
from assess.scoring.comparison import compare
from tests.domain import answers

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
    # the consultant's raise is listed beside the over-claims, never hidden
    assert [d.item_id for d in result.under_claims] == ["b1.3"]
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


def _compare(tiny, self_given, verified_given):
    mine, checked = answers(**self_given), answers(**verified_given)
    return compare(tiny, mine, score(tiny, mine), checked, score(tiny, checked))


def test_calling_an_item_not_applicable_that_applies_is_an_over_claim(tiny):
    """Self: a1.3 not applicable (out of the score). Verified: it applies, not met: an over-claim.
    The reverse (rated by the enterprise, out of scope for the consultant) is neither."""
    result = _compare(tiny, {**SELF, "a1.3": ("na", "外协")}, SELF | {"a1.3": "none"})
    (item,) = result.items
    assert (item.item_id, item.self_status, item.verified_status) == (
        "a1.3",
        "not_applicable",
        "answered",
    )
    assert (item.not_applicable_claim, item.over_claim, item.under_claim) == (True, True, False)
    reverse = _compare(tiny, SELF, {**SELF, "b1.3": ("na", "不涉及")})
    (item,) = reverse.items
    assert (item.item_id, item.over_claim, item.under_claim) == ("b1.3", False, False)


def test_an_item_not_asked_shows_no_stale_answer(tiny):
    """Verified a1.2 not met: a1's level 2 scores 0, so a1.3 is not asked (counts 0). Its old
    answer 'largely met' is still stored but is not what the consultant rated."""
    result = _compare(tiny, SELF, {**SELF, "a1.2": "none"})
    item = next(d for d in result.items if d.item_id == "a1.3")
    assert (item.self_option, item.verified_option, item.verified_status) == (
        "most",
        None,
        "skipped",
    )
    assert (item.verified_value, item.over_claim) == (0.0, True)
    # not asked on site: nothing there could have been verified (no 核实 tag)
    assert not item.rated_on_site
    asked = next(d for d in result.items if d.item_id == "a1.2")
    assert asked.rated_on_site


def test_a_tailoring_the_consultant_does_not_accept_is_an_over_claim(new):
    """The enterprise tailored product design out; the consultant's verified assessment
    rejects it (and so scores it): the comparison names it."""
    from assess.scoring import Answer

    claim = {
        "profile.own_design": Answer("no"),
        "profile.own_process_planning": Answer("yes"),
        "tailoring.product_design": Answer("yes", "按图加工"),
    }
    verified = {**claim, "tailoring.product_design.review": Answer("rejected", "有自主产品")}
    mine, checked = score(new, claim), score(new, verified)
    comparison = compare(new, claim, mine, verified, checked)
    assert (comparison.self_tailored, comparison.verified_tailored) == (("product_design",), ())
    assert comparison.tailoring_over_claims == ("product_design",)


def test_the_effect_on_each_level_worked_by_hand(tiny):
    """Verified: a1.2 full -> partial, s3.advanced most -> none, b1.3 none -> most.

    Model weights: a1 .6 x .5 = .3, a2 .3, b1 .4. Self: L1 1; L2 .3 x 1 + .3 x .8 + .4 x 1
    = .94; L3 .3 x .8 = .24; S = 1 + .94 + .24 = 2.18. Verified: L1 1; L2 .3 x .5 + .3 x .8
    + .4 x 1 = .79 (< .8: lost); L3 (a1.3 still asked: .5 is not below skip_below) .3 x .8
    + .4 x .8 = .56; S = 1 + .79 = 1.79 (it stops at the first level below .8). The gradient:
    Advanced needs maturity level 2, so it is claimed and not confirmed; Basic holds.
    """
    from assess.scoring.comparison import LevelEffect

    verified = {**SELF, "a1.2": "partial", "s3.advanced": "none", "b1.3": "most"}
    result = _compare(tiny, SELF, verified)
    gradient = [e for e in result.levels if e.kind == "gradient"]
    assert [(e.level, e.effect) for e in gradient[:2]] == [("basic", "kept"), ("advanced", "lost")]
    assert all(e.effect == "not_reached" for e in gradient[2:])
    maturity = [e for e in result.levels if e.kind == "cmmm"]
    assert [(e.level, e.self_reached, e.verified_reached, e.effect) for e in maturity] == [
        (1, True, True, "kept"),
        (2, True, False, "lost"),
        (3, False, False, "not_reached"),
    ]
    assert [round(e.self_score, 2) for e in maturity] == [1.0, 0.94, 0.24]
    assert [round(e.verified_score, 2) for e in maturity] == [1.0, 0.79, 0.56]
    assert round(result.self_cmmm[1], 2) == 2.18 and round(result.verified_cmmm[1], 2) == 1.79
    assert round(result.total_change, 2) == -0.39
    assert LevelEffect("cmmm", 3, False, True).effect == "gained"
