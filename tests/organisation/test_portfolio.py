"""The portfolio: a status per client, the verified share, over-claims, and filters."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook

from assess.organisation.portfolio import Filters
from assess.store import assessments, grants, users
from tests.support import lower_every_rating, verify_on_site


def rows_of(page: str) -> dict[str, str]:
    """Per client's name, its table row."""
    body = page.split('<table class="portfolio')[1].split(">", 1)[1].split("</table>")[0]
    return {re.search(r'">([^<]+)</a>', row).group(1): row for row in body.split("<tr class=")[1:]}


def test_statuses_verified_share_and_over_claims(app, accounts, on_site, db):
    consultant = users.get_by_email(db, "c@example.com")["id"]
    waiting = accounts.organisation(name="待评估机械有限公司")
    with db.conn:
        grants.grant_registered(db, waiting, consultant)
    client = accounts.client
    page = client.get("/consultant").get_data(as_text=True)
    rows = rows_of(page)
    assert rows["客户机械有限公司"].startswith('"status-on_site"')
    assert "0 / " in rows["客户机械有限公司"]  # nothing verified yet
    assert "尚无评估" in rows["待评估机械有限公司"]
    # the consultant rates every answer a step lower and verifies each: the self-assessment
    # claimed more than was verified
    lower_every_rating(app, db, client, on_site["id"])
    done, rated = verify_on_site(app, db, client, on_site["id"], 1.0)
    client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    row = assessments.get(db, on_site["id"])
    assert row["status"] == "submitted"
    own = assessments.get(db, on_site["self"])
    claimed_more = (own["gradient_rank"], own["cmmm_level"]) > (
        row["gradient_rank"],
        row["cmmm_level"],
    )
    assert claimed_more
    rows = rows_of(client.get("/consultant").get_data(as_text=True))
    mine = rows["客户机械有限公司"]
    assert "status-verified" in mine and f"{done} / {rated} (100 %)" in mine
    assert "自评等级高于核实等级" in mine
    # filters: by status, over-claims only, by part of the name or code; junk is no filter
    only = rows_of(client.get("/consultant?status=verified").get_data(as_text=True))
    assert list(only) == ["客户机械有限公司"]
    only = client.get("/consultant?status=no_assessment&q=待评估").get_data(as_text=True)
    assert list(rows_of(only)) == ["待评估机械有限公司"]
    none = client.get("/consultant?q=不存在的企业").get_data(as_text=True)
    assert "没有符合筛选条件的客户" in none
    over = client.get("/consultant?over_claims=1").get_data(as_text=True)
    assert list(rows_of(over)) == ["客户机械有限公司"]
    junk = client.get("/consultant?status=%00<script>&over_claims=yes&q=" + "x" * 500)
    assert junk.status_code == 200 and "<script>" not in junk.get_data(as_text=True)
    # the exports carry the same status columns, and the page's filters
    page = client.get("/consultant?over_claims=1").get_data(as_text=True)
    assert "/consultant/portfolio.xlsx?over_claims=1" in page
    table = exported(client, "/consultant/portfolio.csv")
    assert {name: {k: row[k] for k in STATUS_COLUMNS} for name, row in table.items()} == {
        "客户机械有限公司": {
            "状态": "现场评估已提交（已核实）",
            "已核实的回答": str(done),
            "已评分的回答": str(rated),
            "已核实比例": "1.0",
            "高报": "自评等级高于核实等级",
        },
        "待评估机械有限公司": {
            "状态": "尚无评估",
            "已核实的回答": "",
            "已评分的回答": "",
            "已核实比例": "",
            "高报": "",
        },
    }
    assert list(exported(client, "/consultant/portfolio.csv?status=no_assessment")) == [
        "待评估机械有限公司"
    ]
    # submitted at 01:30 in Beijing (still the day before in UTC): China's day, and S as the
    # page shows it
    with db.conn:
        db.execute(
            "UPDATE assessments SET submitted_at = '2026-12-06T17:30:00Z', cmmm_score = 1.4525"
            " WHERE id = ?",
            [on_site["id"]],
        )
    mine = exported(client, "/consultant/portfolio.csv")["客户机械有限公司"]
    assert (mine["现场核实：提交日期"], mine["现场核实：总分 S"]) == ("2026-12-07", "1.45")
    sheet = load_workbook(io.BytesIO(client.get("/consultant/portfolio.xlsx").data)).active
    headers = [c.value for c in sheet[1]]
    share = sheet.cell(row=2, column=headers.index("已核实比例") + 1)
    assert (share.value, share.number_format) == (1.0, "0.0%")


def test_an_on_site_assessment_submitted_partly_verified_is_not_called_verified(
    app, accounts, on_site, db
):
    # every deciding answer but only half the rated ones verified: below the programme's bar
    client = accounts.client
    done, rated = verify_on_site(app, db, client, on_site["id"], 0.5)
    assert 0 < done < 0.8 * rated
    client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert assessments.get(db, on_site["id"])["status"] == "submitted"
    mine = rows_of(client.get("/consultant").get_data(as_text=True))["客户机械有限公司"]
    assert mine.startswith('"status-partly_verified"') and "部分核实" in mine
    assert "tag ok" not in mine
    assert "没有符合筛选条件的客户" in client.get("/consultant?status=verified").get_data(
        as_text=True
    )
    partly = client.get("/consultant?status=partly_verified").get_data(as_text=True)
    assert list(rows_of(partly)) == ["客户机械有限公司"]
    row = exported(client, "/consultant/portfolio.csv")["客户机械有限公司"]
    assert row["状态"] == "现场评估已提交（部分核实）"


STATUS_COLUMNS = ("状态", "已核实的回答", "已评分的回答", "已核实比例", "高报")


def exported(client, url: str) -> dict[str, dict]:
    """Per client's name, its row of a portfolio CSV."""
    text = client.get(url).get_data(as_text=True).lstrip("\ufeff")
    return {row["企业"]: row for row in csv.DictReader(io.StringIO(text))}


def test_filters_parse_anything_into_a_filter_or_none():
    assert Filters.parse({}) == Filters()
    assert Filters.parse(
        {"status": "on_site", "over_claims": "1", "q": "  苏州  精锐 "}
    ) == Filters("on_site", True, "苏州 精锐")
    assert Filters.parse({"status": "DROP TABLE", "over_claims": "true", "q": "x" * 99}) == Filters(
        "", False, "x" * 60
    )


def test_filters_give_back_the_arguments_that_make_them():
    chosen = Filters.parse({"status": "on_site", "over_claims": "1", "q": "  苏州  精锐 "})
    assert chosen.arguments() == {"status": "on_site", "over_claims": "1", "q": "苏州 精锐"}
    assert Filters.parse(chosen.arguments()) == chosen
    assert Filters().arguments() == {}
