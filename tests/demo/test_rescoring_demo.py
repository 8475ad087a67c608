"""Every submitted assessment of the demo re-scores exactly as its stored result (issue 13):
the level, the maturity level and S, every scenario's rank and every sub-domain's score, under
the questionnaire version it was answered under."""

from __future__ import annotations

from assess.assessment.answering import state
from assess.scoring import score
from assess.web import questionnaires


def test_the_demo_results_re_score_as_stored(runner, app, db):
    runner.invoke(args=["demo"])
    rows = list(db.query("SELECT * FROM assessments WHERE status = 'submitted' ORDER BY id"))
    assert len(rows) > 25
    with app.app_context():
        for row in rows:
            q = questionnaires.versions().of(row)
            result = score(q, state(db, q, row["id"]).answers)
            stored = (
                row["gradient_level"],
                row["gradient_rank"],
                row["cmmm_level"],
                row["cmmm_score"],
            )
            assert stored == (
                result.gradient_level,
                result.gradient_rank,
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
