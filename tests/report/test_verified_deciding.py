"""A report's identity and sign-off with the deciding answers (profile, basic requirements,
which scenarios apply, results: assess/scoring/verification.py), from worked examples: every
rated answer verified is not enough while one deciding answer is not."""

from __future__ import annotations

import pytest

from assess.report import verified
from assess.report.results import Verification


def checked(verified_rated: int, deciding_verified: int) -> Verification:
    return Verification(
        verified=verified_rated,
        rated=98,
        consultant="王咨询",
        visits=("2026-10-19",),
        deciding=27,
        deciding_verified=deciding_verified,
    )


@pytest.mark.parametrize(
    ("verified_rated", "deciding_verified", "kind"),
    [
        (98, 27, "verified"),
        (79, 27, "verified"),  # 80.6 % of the rated answers, every deciding one
        (98, 26, "partial"),  # e.g. 规模以上 not checked
        (78, 27, "partial"),  # 79.6 %
    ],
)
def test_a_report_is_verified_with_enough_rated_and_every_deciding_answer(
    verified_rated, deciding_verified, kind
):
    found = checked(verified_rated, deciding_verified)
    assert verified.kind_of(found) == kind
    assert verified.verified_on_site("consultant", found) is (kind == "verified")
    assert not verified.verified_on_site("self", found)


def test_the_cover_says_how_many_deciding_answers_were_verified_and_what_the_levels_rest_on():
    whole, short = checked(98, 27), checked(98, 26)
    assert verified.deciding_line(whole, "zh") == (
        "决定性答案（企业概况、基本要求、场景适用性、建设成效）27 项全部核实"
    )
    assert verified.deciding_line(short, "en") == (
        "26 of 27 deciding answers (profile, basic requirements, which scenarios apply,"
        " results) verified: the report is not verified until all are"
    )
    assert verified.levels_basis(whole, "zh") == "本报告所列等级依据核实后的答案得出。"
    assert verified.levels_basis(short, "zh") == (
        "本报告所列等级依据全部答案得出，其中 0 项评分答案、1 项决定性答案未经核实。"
    )
    assert verified.levels_basis(checked(90, 27), "zh") == (
        "本报告所列等级依据全部评分答案得出，其中 8 项未经核实。"
    )
