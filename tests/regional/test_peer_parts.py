"""Benchmarks on the results page: quartiles of the part snapshots (assess/regional/peer_parts.py)
by hand, the minimum group size, and the figures on the page, in the JSON and in the report."""

from __future__ import annotations

from assess.regional.peer_parts import Quartiles, quartiles


def test_quartiles_by_the_nearest_rank_computed_by_hand():
    # 8 enterprises at scores 0.5 ×2, 1.0 ×3, 2.0 ×1, 3.0 ×2 (steps of 0.05: buckets 10, 20, 40, 60)
    counts = [0] * 101
    counts[10], counts[20], counts[40], counts[60] = 2, 3, 1, 2
    # ranks: Q1 = ceil(8·0.25) = 2nd -> 0.5; median = 4th -> 1.0; Q3 = 6th -> 2.0
    assert quartiles(counts, "2026-09-30", 0.05) == Quartiles("2026-09-30", 8, 0.5, 1.0, 2.0)


def test_a_group_below_the_minimum_size_is_not_shown():
    assert quartiles([1, 1, 1, 1, 0], "2026-09-30", 1.0) is None
    assert quartiles([1, 1, 1, 1, 1], "2026-09-30", 1.0) == Quartiles(
        "2026-09-30", 5, 1.0, 2.0, 3.0
    )


def test_the_demo_enterprise_sees_its_benchmarks_on_page_json_and_report(runner, accounts, db):
    runner.invoke(args=["demo"])
    accounts.login("enterprise@example.com", "Enterprise-demo-2026")
    client = accounts.client
    row = db.execute(
        "SELECT a.id FROM assessments a JOIN users u ON u.organisation_id = a.organisation_id"
        " WHERE u.email = 'enterprise@example.com' AND a.status = 'submitted'"
        " AND a.questionnaire_version = '2026.1' ORDER BY a.id DESC LIMIT 1"
    ).fetchone()
    page = client.get(f"/assessments/{row[0]}/results").get_data(as_text=True)
    assert 'id="benchmarks"' in page and "行业：" in page and "规模：" in page and "截至" in page
    document = client.get(f"/assessments/{row[0]}/results.json").get_json()
    groups = document["benchmarks"]["groups"]
    assert [g["label"].split("：")[0] for g in groups] == ["行业", "省份", "规模"]
    assert document["benchmarks"]["min_size"] == 5
    report = client.get(f"/assessments/{row[0]}/report").get_data(as_text=True)
    assert 'id="benchmarks"' in report
