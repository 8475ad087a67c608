"""The dossier as data and the summary table, from a declared assessment."""

from __future__ import annotations

import random

from assess.declaration import declaring, dossier, listing
from assess.demo.synthetic import answers_for_outcome
from assess.scoring import score
from assess.store import declarations as store
from tests.programme import decide, declared


def test_the_dossier_assembles_what_the_product_knows_in_the_programme_s_order(world, evidence):
    declaration_id = declared(world)
    row = store.get(world["db"], declaration_id)
    data = dossier.build(world["db"], world["versions"], row, "zh")
    assert list(data) == [
        "declaration",
        "enterprise",
        "assessment",
        "basic_requirements",
        "cmmm",
        "links",
        "indicators",
        "attachments",
        "review",
        "rechecks",
        "recognition",
        "notice",
    ]
    assert data["declaration"]["round"]["title"] == "苏州市2026年度基础级"
    assert data["declaration"]["level_name"] == "基础级"
    enterprise = data["enterprise"]
    assert (enterprise["name"], enterprise["park"], enterprise["region"]) == (
        "甲机械有限公司",
        "测试智能制造园",
        "江苏省 苏州市 虎丘区",
    )
    assert enterprise["contact"] == {
        "name": "李工",
        "phone": "0512-87654321",
        "email": "li@example.com",
    }
    q = world["q"]
    assert [g["id"] for g in data["basic_requirements"]] == [x.id for x in q.gate.questions]
    # the declared scenarios are described, and their steps met are listed
    declared_scenarios = [s for link in data["links"] for s in link["scenarios"] if s["declared"]]
    assert declared_scenarios and all(
        s["description"] and s["rank"] >= 1 for s in declared_scenarios
    )
    assert all(s["steps"] for s in declared_scenarios)
    # the one photo, under the scenario it was attached to (the first declared by the helper)
    photographed = [(s["id"], p["name"]) for s in declared_scenarios for p in s["photos"]]
    assert photographed == [
        (declaring.scenarios_of(world["db"], world["versions"], row)[0], "车间.png")
    ]
    assert [a["kind"] for a in data["attachments"]] == [
        "licence",
        "financials",
        "commitment",
        "platform_report",
    ]
    assert all(len(a["files"]) == 1 for a in data["attachments"])
    # 2026.1 asks for results indicators; with no benchmark set here none is assessed
    assert data["indicators"]
    assert {i["id"] for i in data["indicators"]} <= set(q.indicators)
    assert all(i["benchmark"] is None for i in data["indicators"])
    assert {i["state"] for i in data["indicators"]} <= {"not_assessed", "not_entered"}


def test_the_platform_result_is_recorded_beside_the_indicative_one_and_a_gap_flagged(
    world, evidence
):
    declaration_id = declared(world)
    row = store.get(world["db"], declaration_id)
    cmmm = dossier.build(world["db"], world["versions"], row, "en")["cmmm"]
    indicative = cmmm["indicative"]["level"]
    assert cmmm["platform"]["level"] == 2 and cmmm["platform"]["score"] == 2.31
    assert cmmm["platform"]["date"] == "2026-04-10" and len(cmmm["platform"]["report"]) == 1
    assert cmmm["differs"] == (abs(indicative - 2) >= 1)
    for platform, differs in ((indicative, False), (min(5, indicative + 1), True)):
        row = {**row, "platform_level": platform}
        assert dossier.build(world["db"], world["versions"], row, "en")["cmmm"]["differs"] is (
            differs and platform != indicative
        )


def test_results_indicators_read_from_the_answers_are_not_assessed_without_a_benchmark(world):
    """Under 2026.1, an enterprise's figures are shown, each 'not assessed' (the dossier scores
    without provincial benchmarks)."""
    q = world["versions"].get("machinery-smart-factory", "2026.1")
    answers = answers_for_outcome(q, random.Random(3), "basic", sector="machine_tools")
    rows = dossier._indicators(q, score(q, answers), "zh")
    assert rows and {r["state"] for r in rows} == {"not_assessed"}
    assert all(r["value"] is not None and r["benchmark"] is None for r in rows)


def test_the_summary_table_lists_one_enterprise_a_row(world, evidence):
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    decide(world, "suzhou", declaration_id, "recognise")
    rows = listing.recognised(world["db"], world["jiangsu"])
    headers, table = listing.summary_table(world["db"], world["versions"], rows, "zh")
    assert headers[:4] == ["序号", "企业", "统一社会信用代码", "所在地区"]
    [line] = table
    assert line[0] == 1 and line[1] == "甲机械有限公司"
    assert line[4] == "测试智能制造园" and line[7] == "基础级"
    assert line[11:14] == ["", "", "已认定"] and line[15:] == ["李工", "0512-87654321"]
    assert listing.recognised(world["db"], world["zhejiang"]) == []


def test_a_re_check_attached_before_only_verified_ones_could_be_is_not_called_verified(
    world, evidence
):
    """Re-checks attached before attach() took only assessments verified on site: the dossier
    says which result was verified on site and which only partly (a self-assessment)."""
    from assess.declaration import recheck
    from assess.store.database import write_transaction
    from tests.programme import actor, partly_and_fully_verified

    db = world["db"]
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    for assessment_id in partly_and_fully_verified(world, seed=7):
        recheck_id = recheck.request(
            db, world["suzhou"], declaration_id, "expert@example.com", "", actor(world["suzhou"])
        )
        with write_transaction(db):  # as the data of before: attached whatever its coverage
            store.attach_recheck(db, recheck_id, assessment_id)
    data = dossier.build(db, world["versions"], store.get(db, declaration_id), "zh")
    assert [c["result"]["verified_on_site"] for c in data["rechecks"]] == [False, True]
