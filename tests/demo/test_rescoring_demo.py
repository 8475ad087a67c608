"""Every submitted assessment of the demo re-scores exactly as its stored result (issue 13):
the level (and the level it confirms), the maturity level and S, every scenario's rank and
every sub-domain's score, under the questionnaire version it was answered under and with the
benchmarks of its organisation's sector and province."""

from __future__ import annotations

from assess.assessment.answering import state
from assess.regional.benchmarks import for_organisation
from assess.scoring import score
from assess.store import organisations
from assess.web import questionnaires


def test_the_demo_results_re_score_as_stored(runner, app, db):
    runner.invoke(args=["demo"])
    rows = list(db.query("SELECT * FROM assessments WHERE status = 'submitted' ORDER BY id"))
    assert len(rows) > 25
    with app.app_context():
        for row in rows:
            q = questionnaires.versions().of(row)
            organisation = organisations.get(db, row["organisation_id"])
            benchmarks = for_organisation(db, q, organisation)
            result = score(q, state(db, q, row["id"]).answers, benchmarks)
            stored = (
                row["gradient_level"],
                row["gradient_rank"],
                row["confirmed_rank"],
                row["cmmm_level"],
                row["cmmm_score"],
            )
            assert stored == (
                result.gradient_level,
                result.gradient_rank,
                result.confirmed_rank,
                result.cmmm.level or 0,
                result.cmmm.total_score,
            ), row["id"]
            scenarios = {
                r["scenario_id"]: (bool(r["applicable"]), r["rank"])
                for r in db.query(
                    "SELECT * FROM assessment_scenarios WHERE assessment_id = ?", [row["id"]]
                )
            }
            assert scenarios == {s.id: (s.applicable, s.rank) for s in result.scenarios.values()}, (
                row["id"]
            )
            sub_domains = {
                r["sub_domain_id"]: (bool(r["applicable"]), r["score"])
                for r in db.query(
                    "SELECT * FROM assessment_sub_domains WHERE assessment_id = ?", [row["id"]]
                )
            }
            assert sub_domains == {
                s.id: (s.applicable, s.total) for s in result.cmmm.sub_domains.values()
            }, row["id"]


def test_the_demo_answers_2026_with_a_spread_of_levels_and_keeps_some_2025_assessments(runner, db):
    """Its named enterprises: a spread of levels under 2026.1 (the synthetic population is
    scored the same way), a year before under 2025.1; benchmarks in some provinces only, so
    that some levels are confirmed and others reached subject to results; a build-to-print
    supplier that tailored product design out; an Excellent and a Leading enterprise."""
    runner.invoke(args=["demo"])
    named = list(
        db.query(
            "SELECT a.*, o.name, o.region_code FROM assessments a"
            " JOIN organisations o ON o.id = a.organisation_id"
            " WHERE o.name NOT LIKE '合成样本企业%' AND a.status = 'submitted'"
        )
    )
    versions = {(r["questionnaire_version"], r["mode"]) for r in named}
    assert versions == {("2025.1", "self"), ("2026.1", "self"), ("2026.1", "consultant")}
    latest = [r for r in named if r["questionnaire_version"] == "2026.1"]
    assert {r["gradient_level"] for r in latest} == {
        None,
        "basic",
        "advanced",
        "excellent",
        "leading",
    }
    pending = [r for r in latest if r["confirmed_rank"] < r["gradient_rank"]]
    assert pending and all(r["region_code"][:2] not in ("32", "33", "43") for r in pending)
    assert db.execute("SELECT count(DISTINCT province) FROM benchmarks").fetchone()[0] == 3
    supplier = next(r for r in latest if r["name"] == "长沙星沙重工配套有限公司")
    tailored = {
        row["item_id"]: row["value"]
        for row in db.query(
            "SELECT item_id, value FROM answers WHERE assessment_id = ? AND item_id LIKE 'tailoring.%'",
            [supplier["id"]],
        )
    }
    assert tailored == {"tailoring.product_design": "yes", "tailoring.product_service": "yes"}
    synthetic = db.execute(
        "SELECT count(DISTINCT gradient_rank) FROM assessments a JOIN organisations o"
        " ON o.id = a.organisation_id WHERE o.name LIKE '合成样本企业%'"
        " AND a.questionnaire_version = '2026.1'"
    ).fetchone()[0]
    assert synthetic >= 4
