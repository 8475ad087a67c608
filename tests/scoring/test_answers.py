"""Validating answers against the questionnaire."""

from __future__ import annotations

import pytest

from assess.scoring.answers import Answer, AnswerError, check, parse


@pytest.mark.parametrize(
    ("item", "value", "reason", "expected"),
    [
        ("a1.1", "most", "", Answer("most")),
        ("a1.1", "na", " 外协加工 ", Answer("na", "外协加工")),
        ("a1.1", "full", "ignored", Answer("full")),
        ("s1.basic", "partial", "", Answer("partial")),
        ("g.sound", "no", "", Answer("no")),
        ("s3.applies", "no", "不销售", Answer("no", "不销售")),
        ("s3.applies", "yes", "", Answer("yes")),
        ("p.design", "yes", "", Answer("yes")),
    ],
)
def test_valid_answers_are_normalised(tiny, item, value, reason, expected):
    assert check(tiny, item, value, reason) == expected


@pytest.mark.parametrize(
    ("item", "value", "reason", "code"),
    [
        ("zz.9", "full", "", "unknown_item"),
        ("a1.1", "great", "", "invalid_value"),
        ("a1.1", "na", "", "reason_required"),
        ("a1.1", "na", "x" * 2001, "reason_too_long"),
        ("s1.basic", "na", "nope", "invalid_value"),  # steps cannot be N/A
        ("g.sound", "most", "", "invalid_value"),
        ("s3.applies", "no", "  ", "reason_required"),
        ("a1.1", ["full"], "", "invalid_value"),
        ("a1.1", None, "", "invalid_value"),
    ],
)
def test_invalid_answers_are_refused_with_a_code(tiny, item, value, reason, code):
    with pytest.raises(AnswerError) as error:
        check(tiny, item, value, reason)
    assert (error.value.item_id, error.value.code) == (item, code)


def test_not_applicable_is_refused_where_the_element_applies_to_every_enterprise(real):
    """Organisational strategy (personnel) applies to all; energy (manufacturing) may not."""
    with pytest.raises(AnswerError) as error:
        check(real, "org_strategy.1", "na", "集团统一规划")
    assert error.value.code == "invalid_value"
    assert check(real, "energy.1", "na", "园区集中供能") == Answer("na", "园区集中供能")


def test_every_cmmm_level_has_requirements_that_cannot_be_not_applicable(real):
    """So that no level's score is ever left without anything to judge."""
    judged = {r.level for r in real.requirements.values() if not r.not_applicable_allowed}
    assert judged == {level.level for level in real.cmmm.levels}


def test_multi_choice_keeps_questionnaire_order(real):
    assert check(real, "profile.links", ["operations", "factory"]).value == (
        "factory",
        "operations",
    )
    with pytest.raises(AnswerError):
        check(real, "profile.links", ["operations", "moon"])


def test_parse_keeps_the_valid_and_reports_the_rest(tiny):
    answers, errors = parse(
        tiny, {"a1.1": "full", "a1.2": {"value": "na", "reason": "无"}, "a1.3": "bad", "x": "full"}
    )
    assert answers == {"a1.1": Answer("full"), "a1.2": Answer("na", "无")}
    assert [(e.item_id, e.code) for e in errors] == [
        ("a1.3", "invalid_value"),
        ("x", "unknown_item"),
    ]


def test_control_characters_never_reach_a_stored_reason(tiny):
    """A pasted reason keeps its line breaks and tabs, loses NUL, bell, escape and the like."""
    answer = check(tiny, "a1.1", "na", " 外协\x00加工\x1b[31m\t说明\r\n第二行\x7f ")
    assert answer == Answer("na", "外协加工[31m\t说明\r\n第二行")
    with pytest.raises(AnswerError) as error:
        check(tiny, "a1.1", "na", "\x00\x07")  # nothing left: no reason
    assert error.value.code == "reason_required"


@pytest.mark.parametrize(
    ("item", "value", "reason", "expected"),
    [
        ("tailoring.product_design", "yes", " 按图加工 ", Answer("yes", "按图加工")),
        ("tailoring.product_design", "no", "ignored", Answer("no")),
        (
            "tailoring.product_design.review",
            "rejected",
            "有自主产品",
            Answer("rejected", "有自主产品"),
        ),
        ("tailoring.product_design.review", "accepted", "", Answer("accepted")),
        ("results.defect_rate", "1.250", "", Answer("1.25")),
        ("results.defect_rate", 0, "", Answer("0")),
        ("results.labour_productivity", " 1,234.5 ", "", Answer("1234.5")),
        ("results.year", "2025", "", Answer("2025")),
        ("results.year", 2024.0, "", Answer("2024")),
        ("product_design.1", "partial", "", Answer("partial")),
    ],
)
def test_2026_answers_are_normalised(new, item, value, reason, expected):
    assert check(new, item, value, reason) == expected


@pytest.mark.parametrize(
    ("item", "value", "reason", "code"),
    [
        ("tailoring.product_design", "yes", "", "reason_required"),
        ("tailoring.product_design.review", "rejected", " ", "reason_required"),
        ("tailoring.product_design.review", "maybe", "", "invalid_value"),
        ("product_design.1", "na", "不设计", "invalid_value"),  # no per-requirement N/A
        ("results.defect_rate", "101", "", "out_of_range"),
        ("results.defect_rate", "-1", "", "out_of_range"),
        ("results.defect_rate", "abc", "", "invalid_value"),
        ("results.defect_rate", "nan", "", "invalid_value"),
        ("results.defect_rate", True, "", "invalid_value"),
        ("results.year", "2025.5", "", "out_of_range"),
        ("results.year", "1999", "", "out_of_range"),
    ],
)
def test_2026_answers_that_do_not_fit_are_refused(new, item, value, reason, code):
    with pytest.raises(AnswerError) as error:
        check(new, item, value, reason)
    assert error.value.code == code


def test_a_reviewers_verdict_is_never_missing_but_a_reasonless_tailoring_is(new):
    from assess.scoring import missing_items, skipped_items

    given = {
        "profile.own_design": Answer("no"),
        "profile.own_process_planning": Answer("yes"),
        "tailoring.product_design": Answer("yes"),
    }
    missing = missing_items(new, given, skipped_items(new, given))
    assert "tailoring.product_design" in missing  # yes without a reason
    assert "tailoring.product_design.review" not in missing
    assert "tailoring.process_design" not in missing  # not offered: the supplier plans processes


@pytest.mark.parametrize(
    ("typed", "line", "text"),
    [
        # a right-to-left override shows "CAD/PDM RT☒" as "CAD/PDM ☒TR": text meant for an
        # authority would read otherwise than it was written
        ("CAD/PDM \u202eRT☒", "CAD/PDM RT☒", "CAD/PDM RT☒"),
        ("a\u2066b\u2069c\u202ad\u202c", "abcd", "abcd"),
        (" 柔性\t产线\r\n第二行 ", "柔性 产线 第二行", "柔性\t产线\r\n第二行"),
        ("\x00x\x85y\x9f", "x y", "xy"),
        ("שלום 机床", "שלום 机床", "שלום 机床"),  # right-to-left letters themselves stay
    ],
)
def test_stored_text_loses_control_characters_and_bidirectional_marks(typed, line, text):
    from assess.scoring.answers import clean_line, clean_text

    assert clean_line(typed) == line
    assert clean_text(typed) == text
