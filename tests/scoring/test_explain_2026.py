"""2026.1's words: tailoring first, results against benchmarks, rule states, the profile
answers that shaped a result, and why an item is not asked."""

from __future__ import annotations

import pytest

from assess.scoring import Answer, Benchmark, explain, score
from tests.scoring.test_worked_examples_2026 import _answers

SUPPLIER = {
    "profile.sector": Answer("construction_machinery"),
    "profile.own_design": Answer("no"),
    "profile.own_process_planning": Answer("yes"),
    "profile.products_in_field": Answer("no"),
    "tailoring.product_design": Answer("yes", "按客户图纸加工"),
    "tailoring.product_service": Answer("yes", "只供应零部件"),
    "tailoring.product_service.review": Answer("rejected", "有在役产品"),
}
BENCHMARKS = {
    "results.defect_rate": Benchmark(10.0),
    "results.labour_productivity": Benchmark(10.0),
}


@pytest.fixture(scope="module")
def supplier(new):
    """The "advanced" worked example as a build-to-print supplier, two benchmarks set."""
    return score(new, {**_answers(new, "advanced"), **SUPPLIER}, BENCHMARKS)


def test_tailoring_is_listed_with_its_reason_and_review(new, supplier):
    assert explain.tailoring_lines(new, supplier, "zh") == [
        "产品设计：已裁剪（按客户图纸加工）；尚未评审。",
        "产品服务：评审者不认可裁剪（有在役产品），照常评分。",
    ]
    assert explain.tailoring_lines(new, supplier, "en")[1] == (
        "Product service: tailoring rejected by the reviewer (有在役产品); it is scored."
    )


def test_the_summary_says_what_is_tailored_out(new, supplier):
    assert explain.summary(new, supplier, "zh")[:2] == [
        "企业当前为先进级，智能制造能力成熟度为二级（规范级），总分 S = 2.50。",
        "1 个能力子域已裁剪，不参与评分：产品设计。",
    ]


def test_a_level_subject_to_results_says_so(new):
    result = score(new, _answers(new, "basic"))
    assert explain.summary(new, result, "en")[1] == (
        "Basic is reached subject to results: no provincial sector benchmark decides the results"
        " rule yet (confirmed: not yet Basic)."
    )
    outcome = result.level_result("basic").rules[-1]
    assert (explain.rule_state(outcome, "zh"), explain.rule_state(outcome, "en")) == (
        "未评",
        "not assessed",
    )
    assert explain.rule_detail(new, outcome, "en") == (
        "No provincial sector benchmark is set for these indicators, so this rule is not"
        " assessed (it is not counted as met)."
    )


def test_indicators_read_against_their_benchmark(new, supplier):
    lines = [explain.indicator_line(new, supplier, i, "zh") for i in new.indicators]
    assert lines == [
        "全员劳动生产率：20 万元/人·年（基准值 10 万元/人·年，优于基准）。",
        "产品不良品率：5 %（基准值 10 %，优于基准）。",
        "每百元营业收入中的成本：20 元（未设定基准值）。",
        "新产品研制周期：不适用。",
        "单位产值综合能耗：20 吨标准煤/万元（未设定基准值）。",
    ]


def test_a_results_rule_with_some_benchmarks_says_what_is_missing(new, supplier):
    outcome = supplier.level_result("excellent").rules[-1]
    assert outcome.state == "not_assessed"  # 2 better, 2 without a benchmark: 3 still possible
    assert explain.rule_detail(new, outcome, "zh") == (
        "2 项指标优于本省同行业基准值（全员劳动生产率、产品不良品率）；至少需要 3 项。"
        "尚无基准值：每百元营业收入中的成本、单位产值综合能耗。"
    )


def test_named_scenarios_marked_not_applicable_are_said_not_reached(new, supplier):
    outcome = supplier.level_result("excellent").rules[6]
    assert explain.rule_detail(new, outcome, "en") == (
        "0 of the named scenarios at Excellent or above; at least 1 needed. Marked not"
        " applicable, so not reached: Digital product R&D and design, Data-driven product"
        " development."
    )


def test_the_profile_answers_that_shaped_the_result(new, supplier):
    lines = explain.profile_lines(new, supplier, "zh")
    assert (
        "企业是否自主研发设计产品：否——3 项内容或场景不再询问；1 项仅因此回答而询问；可裁剪产品设计；2 条改进建议据此选定。"
        in lines
    )
    assert (
        "企业开展了哪些业务环节：工厂建设、研发设计、生产作业、生产管理、运营管理——2 条等级规则据此判断。"
        in lines
    )


def test_why_items_are_not_asked(new, supplier):
    def reason(item_id, lang="zh"):
        return explain.skip_reason(new, supplier.skipped[item_id], lang)

    assert reason("product_design.1") == "“产品设计”已裁剪：按客户图纸加工"
    assert reason("s08.field.leading") == "不适用：企业产品不在用户现场运行"
    assert reason("tailoring.process_design", "en") == (
        "'Process design' can be tailored out only when: Does the enterprise write its own"
        " machining and assembly processes (routings, NC programs, work instructions)? = No."
    )


def test_a_roadmap_item_gets_the_next_step_its_sector_chose(new):
    """A construction-machinery maker: the Advanced step of the supply chain advises leading a
    supply-chain platform (the plan's task for its sector); online inspection, whose advice
    is for instrument makers, keeps its own next step."""
    from assess.scoring.gaps import analyse

    given = {**_answers(new, "basic"), "profile.sector": Answer("construction_machinery")}
    analysis = analyse(new, score(new, given), target_level="advanced")
    item = next(i for i in analysis.items if i.item_id == "s10.advanced")
    assert item.shaped_by == ("profile.sector",)
    assert explain.gap_next_step(new, item, "zh").startswith(
        "作为本行业骨干企业，牵头建设供应链协同平台"
    )
    general = next(i for i in analysis.items if i.item_id == "s07.advanced")
    assert general.advice is None and general.shaped_by == ()
    assert explain.gap_next_step(new, general, "en") == new.items["s07.advanced"].next_step.en


def test_item_labels_name_the_sub_domain_of_a_tailoring_and_the_unit_of_an_indicator(new):
    assert explain.item_label(new, "tailoring.product_design", "zh") == (
        "[产品设计] 是否裁剪本能力子域（裁剪后不参与评分）？"
    )
    assert explain.item_label(new, "tailoring.product_service.review", "en") == (
        "[Product service] Review: is this tailoring accepted?"
    )
    assert explain.item_label(new, "results.defect_rate", "zh") == "[建设成效] 产品不良品率 (%)"
