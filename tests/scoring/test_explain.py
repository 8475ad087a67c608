"""The trace in plain words, in both languages."""

from __future__ import annotations

from assess.scoring import explain, score
from tests.domain import BASIC_ENTERPRISE, answers


def test_summary_in_two_sentences(tiny):
    result = score(tiny, answers(**BASIC_ENTERPRISE))
    assert explain.summary(tiny, result, "zh") == [
        "企业当前为基础，智能制造能力成熟度为二级，总分 S = 2.01。",
        "距离先进还需满足：两环节。",
    ]
    assert explain.summary(tiny, result, "en") == [
        "The enterprise is at Basic, with capability at L2 (total score S = 2.01).",
        "To reach Advanced it still needs: Two links.",
    ]


def test_summary_below_the_first_level(tiny):
    result = score(tiny, {})
    assert (
        explain.summary(tiny, result, "zh")[0]
        == "企业未达基础，智能制造能力成熟度尚未达到一级，总分 S = 0.00。"
    )


def test_rule_details_carry_the_numbers(tiny):
    result = score(tiny, answers(**BASIC_ENTERPRISE))
    details = {
        o.rule_id: explain.rule_detail(tiny, o, "zh")
        for level in result.levels
        for o in level.rules
    }
    assert details == {
        "basic.gate": "1/1 项满足。",
        "basic.cmmm": "当前成熟度：二级（总分 S = 2.01）；需要：一级（S ≥ 0.8）。",
        "basic.count": "达到基础及以上的适用场景 2 个（场景一、场景三）；需要至少 2 个。",
        "basic.make": "已覆盖：生产；未覆盖：无。",
        "advanced.cmmm": "当前成熟度：二级（总分 S = 2.01）；需要：二级（S ≥ 1.8）。",
        "advanced.share": "达到先进及以上的适用场景 1/2 个（50%）；需要至少 50%。",
        "advanced.links": "达到先进及以上的场景覆盖 1 个环节（销售）；需要至少 2 个。",
    }
    english = explain.rule_detail(tiny, result.levels[1].rules[1], "en")
    assert english == "1 of 2 applicable scenarios (50%) at Advanced or above; at least 50% needed."
    english = {o.rule_id: explain.rule_detail(tiny, o, "en") for o in result.levels[1].rules}
    assert english["advanced.links"] == (
        "Scenarios at Advanced or above cover 1 link (Selling); at least 2 needed."
    )
    basic = {o.rule_id: explain.rule_detail(tiny, o, "en") for o in result.levels[0].rules}
    assert basic["basic.count"].startswith("2 applicable scenarios at Basic or above")


def test_skip_reasons(tiny):
    result = score(
        tiny,
        answers(
            **{
                "p.design": "no",
                "a1.1": "none",
                "s1.basic": "partial",
                "s3.applies": ("no", "不对外销售"),
            }
        ),
    )
    reasons = {item: explain.skip_reason(tiny, skip, "zh") for item, skip in result.skipped.items()}
    assert reasons["a1.2"] == "「甲一」一级的要求平均低于“部分满足”，更高等级不再询问，按不满足计。"
    assert reasons["a2.1"] == "不适用：不设计"
    assert (
        reasons["s1.advanced"]
        == "「场景一」的基础要求尚未满足，更高等级的步骤不再询问，按不满足计。"
    )
    assert reasons["s3.basic"] == "不适用：不对外销售"
    assert explain.skip_reason(tiny, result.skipped["a2.1"], "en") == "Not applicable: No design"


def test_item_label_says_where_the_item_sits(tiny):
    assert explain.item_label(tiny, "b1.2a", "zh") == "[乙一 · 二级] 乙一2a"
    assert explain.item_label(tiny, "s3.advanced", "en") == "[S3 · Advanced] S3 adv"
    assert explain.item_label(tiny, "g.sound", "zh") == "经营正常"
    # the applicability question is the same text for every scenario: named by its scenario
    assert explain.item_label(tiny, "s2.applies", "zh") == "[场景二] 适用吗"


def test_every_rule_type_has_an_evaluator_and_an_explanation(tiny):
    from assess.questionnaire.definition import RULE_PARAMS
    from assess.scoring.explain import DETAILS
    from assess.scoring.gradient import RULES

    assert set(RULES) == set(RULE_PARAMS) == set(DETAILS)


def test_the_appendix_gives_a_not_applicable_reason_once(tiny):
    """「场景三」 does not apply (不对外销售): its steps' row reads "不适用 · 不对外销售", not
    "不适用 · 不适用：不对外销售"; the same in English."""
    from assess.report.content import appendix
    from assess.store.assessments import StoredAnswer

    given = answers(**{"p.design": "no", "a1.1": "none", "s3.applies": ("no", "不对外销售")})
    result = score(tiny, given)
    stored = {item_id: StoredAnswer(answer, 1) for item_id, answer in given.items()}
    for lang, shown in (("zh", "不适用"), ("en", "not applicable")):
        rows = [row for section in appendix(tiny, stored, result, lang) for row in section.rows]
        scenario_three = [row for row in rows if row.answer == shown and "不对外销售" in row.reason]
        assert scenario_three, lang
        assert all(row.reason == "不对外销售" for row in scenario_three), lang
