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
    assert db.execute("SELECT count(*) FROM assessments WHERE status = 'draft'").fetchone()[0] == 1
