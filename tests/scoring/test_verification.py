"""What "verified on site" means, from worked examples: on site, at least 80 % of the rated
answers verified, and every deciding answer (profile, basic requirements, scenario
applicability, results) verified (assess/scoring/verification.py)."""

from __future__ import annotations

import pytest

from assess.scoring import Answer, score
from assess.scoring.verification import (
    MIN_COVERAGE,
    coverage,
    deciding_items,
    verifiable,
    verified_on_site,
)
from tests.domain import BASIC_ENTERPRISE, answers, enterprise


@pytest.mark.parametrize(
    ("mode", "verified", "rated", "unverified_deciding", "expected"),
    [
        ("consultant", 0, 117, 0, False),  # the review's 72 of 73: on site, nothing verified
        ("consultant", 93, 117, 0, False),  # 79.5 %: below the bar
        ("consultant", 94, 117, 0, True),  # 80.3 %
        ("consultant", 80, 100, 0, True),  # at the bar
        ("consultant", 0, 0, 0, False),  # nothing rated is nothing verified
        ("self", 117, 117, 0, False),  # a self-assessment is never verified on site
        # every rated answer checked, but 规模以上 (one deciding answer) not: not verified
        ("consultant", 117, 117, 1, False),
        ("consultant", 94, 117, 3, False),
    ],
)
def test_verified_on_site_needs_enough_rated_and_every_deciding_answer_verified(
    mode, verified, rated, unverified_deciding, expected
):
    assert verified_on_site(mode, verified, rated, unverified_deciding=unverified_deciding) is (
        expected
    )


def test_the_bar_is_the_level_bar_of_gb_t_39117_and_can_be_set():
    assert (MIN_COVERAGE, coverage(47, 94), coverage(0, 0)) == (0.8, 0.5, 0.0)
    assert verified_on_site("consultant", 47, 94, unverified_deciding=0, min_coverage=0.5)
    assert not verified_on_site("consultant", 47, 94, unverified_deciding=1, min_coverage=0.5)


def test_the_deciding_answers_of_the_tiny_enterprise_are_its_profile_gate_and_scenarios(tiny):
    # tiny-1.0: profile p.design, gate g.sound, scenarios s1..s3 (their applicability
    # questions). The basic enterprise answers p.design and g.sound and no applicability
    # question: s1.applies and s3.applies are not answered, s2.applies is not asked (s2
    # applies only to an enterprise that designs: p.design is "no")
    given = answers(**BASIC_ENTERPRISE)
    result = score(tiny, given)
    assert deciding_items(tiny, given, result) == {"p.design", "g.sound"}
    more = {**given, "s1.applies": Answer("yes"), "s2.applies": Answer("yes")}
    assert deciding_items(tiny, more, score(tiny, more)) == {"p.design", "g.sound", "s1.applies"}


def test_the_deciding_answers_of_a_real_enterprise(new):
    # 2026.1: 7 profile questions, of which own_process_planning is asked only of an
    # enterprise without its own design (this one designs); 3 basic requirements; 12 scenarios
    # applicability; the results year and 5 indicators, of which 2 are entered here
    given = enterprise(
        new,
        dict.fromkeys(range(1, 6), "most"),
        {},
        dict.fromkeys(("basic", "advanced", "excellent", "leading"), "most"),
        **{"results.year": Answer(2025), "results.defect_rate": Answer(1.2)},
        **{"results.labour_productivity": Answer(80.0)},
    )
    found = deciding_items(new, given, score(new, given))
    profile = {q.id for q in new.profile.questions} - {"profile.own_process_planning"}
    gate = {q.id for q in new.gate.questions}
    scenarios = {f"{s.id}.applies" for s in new.scenarios.items}
    results = {"results.year", "results.defect_rate", "results.labour_productivity"}
    assert (len(profile), len(gate), len(scenarios)) == (6, 3, 12)
    assert found == profile | gate | scenarios | results


@pytest.mark.parametrize(
    ("item_id", "expected"),
    [
        ("profile.above_scale", True),  # decides basic.above_scale
        ("gate.sound_operations", True),  # decides basic.gate
        ("s04_intelligent_scheduling.applies", True),
        ("results.year", True),
        ("results.defect_rate", True),
        ("org_strategy.1", True),  # a rated requirement
        # a tailoring is checked by the consultant's verdict on it, not by a tick
        ("tailoring.product_design", False),
        ("tailoring.product_design.review", False),
        ("no.such.item", False),
    ],
)
def test_what_a_consultant_marks_verified_on_site(new, item_id, expected):
    assert verifiable(new, item_id) is expected
