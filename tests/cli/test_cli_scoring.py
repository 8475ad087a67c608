"""The questionnaire check and score commands."""

from __future__ import annotations

import json
from pathlib import Path

from assess.scoring import Answer, score
from assess.web import questionnaires

EXAMPLE = str(
    Path(__file__).parent.parent.parent / "assess/questionnaires/examples/basic-enterprise.json"
)


def test_questionnaire_check_prints_counts_per_part(runner):
    result = runner.invoke(args=["questionnaire", "check"])
    assert result.exit_code == 0, result.output
    assert "machinery-smart-factory 2025.1" in result.output
    assert "20 sub-domains, 100 requirements, 5 levels" in result.output
    assert "10 scenarios, 40 steps" in result.output
    assert result.output.rstrip().endswith("OK")


def test_questionnaire_check_fails_on_a_broken_file(runner, app, tmp_path):
    (tmp_path / "bad-1.yaml").write_text("id: bad\nversion: '1'\n", encoding="utf-8")
    app.config["QUESTIONNAIRE_DIR"] = str(tmp_path)
    result = runner.invoke(args=["questionnaire", "check"])
    assert result.exit_code == 1
    assert "bad-1.yaml: (top): missing key 'cmmm'" in result.output


def test_score_prints_level_rules_and_roadmap(runner, app):
    result = runner.invoke(args=["score", EXAMPLE])
    assert result.exit_code == 0, result.output
    assert "智能工厂梯度：基础级" in result.output
    assert "✓ 基础级" in result.output and "✗ 先进级" in result.output
    assert "近期行动" in result.output and "→ " in result.output
    english = runner.invoke(args=["score", EXAMPLE, "--lang", "en"])
    assert "Smart-factory level: Basic" in english.output


def test_score_json_matches_the_engine(runner, app):
    result = runner.invoke(args=["score", EXAMPLE, "--json"])
    data = json.loads(result.output)
    raw = json.loads(Path(EXAMPLE).read_text(encoding="utf-8"))["answers"]
    with app.app_context():
        q = questionnaires.latest()
        answers = {
            k: Answer(
                tuple(v) if isinstance(v, list) else v["value"] if isinstance(v, dict) else v,
                v["reason"] if isinstance(v, dict) else "",
            )
            for k, v in raw.items()
        }
        expected = score(q, answers)
    assert data["gradient_level"] == expected.gradient_level == "basic"
    assert data["cmmm"]["total_score"] == expected.cmmm.total_score
    assert data["roadmap"]["target_level"] == "advanced"
    assert data["summary"]["zh"][0].startswith("企业当前为基础级")
    assert all("next_step" in item for item in data["roadmap"]["items"])


def test_score_reports_a_bad_file_clearly(runner, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["score", str(bad)])
    assert result.exit_code == 1 and "not a JSON file" in result.output
    bad.write_text('{"answers": {"gate.sound_operations": "maybe"}}', encoding="utf-8")
    result = runner.invoke(args=["score", str(bad)])
    assert result.exit_code == 0
    assert "ignored: gate.sound_operations: invalid_value" in result.output


def test_demo_assessments_follow_a_realistic_spread(runner, db):
    runner.invoke(args=["demo"])
    latest = list(
        db.query(
            "SELECT gradient_rank, cmmm_level FROM assessments a WHERE status = 'submitted'"
            " AND organisation_id <= 26 AND"
            " submitted_at = (SELECT max(submitted_at) FROM assessments b WHERE"
            " b.organisation_id = a.organisation_id AND b.status = 'submitted')"
        )
    )
    ranks = [row["gradient_rank"] for row in latest]
    assert len(ranks) == 25
    assert sum(1 for r in ranks if r <= 1) >= 0.65 * len(ranks)  # most basic or below
    assert 1 <= sum(1 for r in ranks if r >= 3) <= 4  # few excellent or leading
    assert set(ranks) == {0, 1, 2, 3, 4}
    # the demo's own enterprises have one draft; the synthetic ones that started an assessment
    # and did not submit it (the participation funnel) have theirs
    drafts = "SELECT count(*) FROM assessments WHERE status = 'draft' AND organisation_id <= 26"
    assert db.execute(drafts).fetchone()[0] == 1


NEW_EXAMPLE = str(
    Path(__file__).parent.parent.parent
    / "assess/questionnaires/examples/build-to-print-2026.1.json"
)
BENCHMARKS = str(
    Path(__file__).parent.parent.parent
    / "assess/questionnaires/examples/benchmarks-example-2026.1.json"
)


def test_questionnaire_check_validates_both_versions(runner):
    result = runner.invoke(args=["questionnaire", "check"])
    assert result.exit_code == 0, result.output
    assert "machinery-smart-factory 2026.1: " in result.output and "(draft)" not in result.output
    assert "12 scenarios, 52 steps" in result.output
    assert (
        "3 tailorable sub-domains (product_design, process_design, product_service), at most 3"
        in result.output
    )
    assert "15 of 23 rules are this product's choice" in result.output
    assert "carried from 2025.1    156 items carried, 3 dropped, 30 new" in result.output


def test_score_a_2026_file_shows_tailoring_first_and_results_not_assessed(runner):
    """Without benchmarks the results rules are not assessed (?), and the level is reached
    subject to results; the tailored sub-domains come before the level."""
    output = runner.invoke(args=["score", NEW_EXAMPLE]).output
    lines = output.splitlines()
    assert lines.index("能力子域裁剪：") < lines.index("智能工厂梯度：先进级")
    assert "  产品设计：已裁剪（企业按客户图纸加工，不自主研发设计产品）；尚未评审。" in lines
    assert (
        "先进级待成效核验：尚无本省同行业基准值判定建设成效规则（已确认：尚未达到基础级）。"
        in lines
    )
    assert "  ? 先进级" in lines
    assert any(line.startswith("      ? 建设成效：至少 2 项关键指标") for line in lines)
    assert "影响结果的概况回答：" in lines


def test_score_a_2026_file_with_benchmarks_confirms_the_level(runner, app):
    result = runner.invoke(args=["score", NEW_EXAMPLE, "--benchmarks", BENCHMARKS, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["gradient_level"], data["confirmed_level"]) == ("advanced", "advanced")
    assert data["subject_to_results"] is False
    assert [t["sub_domain"] for t in data["tailoring"] if t["applied"]] == [
        "product_design",
        "product_service",
    ]
    states = {r["rule_id"]: r["state"] for lv in data["levels"] for r in lv["rules"]}
    assert states["advanced.results"] == "passed" and states["excellent.results"] == "failed"
    bases = {r["rule_id"]: r["basis"] for lv in data["levels"] for r in lv["rules"]}
    assert bases["excellent.supply_chain"] == "policy" and bases["advanced.scenarios"] == "own"
    assert data["indicators"]["results.development_cycle"]["applicable"] is False
    product_design = {f"product_design.{i}" for i in range(1, 6)}
    assert not product_design & {item["item_id"] for item in data["roadmap"]["items"]}
