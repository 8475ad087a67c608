"""The region's declarations breakdown adds up: in review + recognised + recommended to the
ministry + rejected + withdrawn or revoked = declared, also after a recognition is withdrawn;
a level no round recommends to the ministry has no ministry count. Page, JSON and PDF table."""

from __future__ import annotations

from assess.declaration import review
from assess.regional import dashboard, figures
from assess.regional.figures import Scope
from assess.report.dashboard_tables import dashboard_tables
from tests.programme import actor, decide, declared


def breakdown(world, prefix="32"):
    return dashboard.programme(world["db"], world["q"], Scope(prefix), "zh")["levels"]


def test_a_withdrawn_recognition_is_counted_as_revoked_and_the_row_adds_up(world, evidence):
    db = world["db"]
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    decide(world, "suzhou", declaration_id, "recognise")
    [recognised] = breakdown(world)
    assert (recognised["declared"], recognised["recognised"], recognised["withdrawn"]) == (1, 1, 0)
    [found] = db.query("SELECT id FROM recognitions")
    assert review.withdraw_recognition(
        db, world["suzhou"], found["id"], "复核发现财务数据不实", actor(world["suzhou"])
    )
    [row] = breakdown(world)
    assert row == {
        "level": "basic",
        "name": "基础级",
        "declared": 1,
        "in_review": 0,
        "recognised": 0,
        "recommended": None,  # 基础级 is recognised by the city, never recommended to MIIT
        "rejected": 0,
        "withdrawn": 1,
    }
    parts = ("in_review", "recognised", "recommended", "rejected", "withdrawn")
    assert sum(row[p] or 0 for p in parts) == row["declared"]


def test_the_page_and_excel_show_the_revoked_column_and_no_ministry_column_for_basic(
    world, evidence, accounts
):
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend")
    official = accounts.user("authority", email="city@example.com", region_scope="3205")
    assert accounts.login(official).status_code == 302
    page = accounts.client.get("/authority").get_data(as_text=True)
    programme = page[page.index('class="programme"') :]
    programme = programme[: programme.index("</table>")]
    assert "已撤销" in programme and "已推荐至工业和信息化部" not in programme
    data = figures.figures(world["db"], world["q"], world["suzhou"], "zh")
    headers, rows = dashboard_tables(data, "zh")["declarations"]
    assert headers[-1] == "已撤销" and rows == [["基础级", 1, 1, 0, "—", 0, 0]]
