"""Local authorities: aggregates by hand count, scope on every route, suppression, opt-in."""

from __future__ import annotations

import csv
import io
import itertools
import subprocess  # nosec B404: pdftotext on the PDF the test got
from datetime import date

import pytest
from openpyxl import load_workbook

from assess.demo import programme
from assess.regional import dashboard, regions
from assess.regional import publication as region_suppression
from assess.regional import result_facts as facts
from assess.regional.dashboard import HIDDEN
from assess.regional.entries import HEADLINE
from assess.regional.periods import quarter_ends
from assess.store import summaries
from assess.store.database import write_transaction
from assess.store.regional import Scope
from assess.web import questionnaires
from tests.support import REGION_FIXTURE, insert_facts, recognise

FIXTURE = REGION_FIXTURE  # (region, sector, size, gradient rank, cmmm level, score, mode, opted in)


@pytest.fixture
def region(app, db):
    """Seventeen enterprises with known facts (eleven in Jiangsu, one in Zhejiang, five in
    Shandong)."""
    return insert_facts(app, db, FIXTURE)


def test_aggregates_equal_a_hand_count(app, db, region):
    """Jiangsu, counted by hand from FIXTURE[:11] before any suppression:
    ranks 0,0,0,0,0,1,1,1,1,1,2 -> 5 / 5 / 1 / 0 / 0; CMMM 1,1,0,1,2,2,2,2,2,2,3 -> 1 / 3 / 6 /
    1 / 0 / 0 (7 at level 2 or above); verified on site: 2; cities 苏州 6, 无锡 3, 南京 2;
    sectors machine tools 6, rail 5; scenario 1 follows the rank; next-level gaps as the fixture
    sets them: basic.cmmm for the 5 below Basic and the 1 at Advanced, advanced.scenarios for
    the 5 at Basic, one rule from the next level."""
    with app.test_request_context():
        published = region_suppression.published(db, region, Scope("32"))
    c = published.own.counts
    assert (c["n"], c["self"], c["verified"]) == (11, 9, 2)
    assert [c[f"rank_{r}"] for r in range(5)] == [5, 5, 1, 0, 0]
    assert [c[f"cmmm_{level}"] for level in range(6)] == [1, 3, 6, 1, 0, 0]
    assert (c["cmmm_low"], c["cmmm_high"], c["excellent_plus"], c["one_step"]) == (4, 7, 0, 5)
    assert (c["gap_basic.cmmm"], c["gap_advanced.scenarios"]) == (6, 5)
    assert [c[f"s1_{r}"] for r in ("na", 0, 1, 2, 3, 4)] == [0, 5, 5, 1, 0, 0]
    assert (c["sector:machine_tools|n"], c["sector:rail|n"]) == (6, 5)
    assert published.own.sums["score_sum"] == pytest.approx(sum(f[5] for f in FIXTURE[:11]))
    # every city of Jiangsu is a row, the ten without an enterprise too (13 cities)
    assert {key: child.counts["n"] for key, child in published.children.items()} == {
        **{f"32{city:02d}": 0 for city in range(1, 14)},
        "3201": 2,
        "3202": 3,
        "3205": 6,
    }


def test_the_dashboard_shows_each_count_or_hides_it(app, db, region):
    """Every figure is its count or "×"; every count below 5 is hidden; and the hidden parts of a
    distribution whose total is shown never add up to fewer than 5: Jiangsu's Advanced and above
    (1 + 0 + 0) cannot be left as the only hidden levels, so Basic or below goes too."""
    with app.test_request_context():
        data = dashboard.build(db, region, Scope("32"), "zh")
        published = region_suppression.published(db, region, Scope("32"))
    c = published.own.counts
    shown = {"n": data["enterprises"], "self": data["self_assessed"]}
    shown |= {f"rank_{r}": row["count"] for r, row in enumerate(data["levels"])}
    shown |= {f"cmmm_{i}": row["count"] for i, row in enumerate(data["cmmm_levels"])}
    shown |= {f"gap_{g['rule']}": g["count"] for g in data["gaps"]}
    for name, value in shown.items():
        assert value == (HIDDEN if name in published.own.hidden else c[name]), name
        if c[name] < 5:
            assert value == HIDDEN, name
    levels = [row["count"] for row in data["levels"]]
    assert levels[2:] == [HIDDEN, HIDDEN, HIDDEN] and HIDDEN in levels[:2]
    # a mean is shown with its count only: "—", not "×", when hidden
    assert (data["mean_score"] == "—") == (data["enterprises"] == HIDDEN)
    # a province's headline figures are always shown: 11 assessed, 7 of them at level 2 or
    # above (4 below), none Excellent (docs/suppression.md, rule 11)
    assert (data["enterprises"], data["cmmm_2_plus_share"], data["excellent_plus"]) == (
        11,
        7 / 11,
        0,
    )
    assert data["cmmm_merged"][0]["count"] == 7


def test_every_line_of_every_table_hides_none_or_at_least_two(app, db, region):
    with app.test_request_context():
        data = dashboard.build(db, region, Scope("32"), "zh")
    for name in ("regions", "sectors", "sizes"):
        table = data["breakdowns"][name]
        lines = [row["counts"] + [row["total"]] for row in table["rows"]]
        columns = list(zip(*[row["counts"] for row in table["rows"]], strict=True))
        lines += [[*col, total] for col, total in zip(columns, table["column_totals"], strict=True)]
        lines.append([row["total"] for row in table["rows"]] + [table["total"]])
        for line in lines:
            assert sum(1 for v in line if v == HIDDEN) != 1, (name, line)


def test_differencing_a_region_by_its_sub_regions_recovers_no_hidden_one(app, db, region):
    """Suzhou (6: 虎丘 3, 昆山 3, and seven counties without any): every county is a row, both
    small ones are hidden, and a total shown less the counties shown never leaves a small sum."""
    with app.test_request_context():
        for prefix in ("32", "3205"):
            table = dashboard.build(db, region, Scope(prefix), "zh")["breakdowns"]["regions"]
            keys = [row["key"] for row in table["rows"]]
            assert keys == [
                r.code[: len(prefix) + 2] for r in regions.children(prefix.ljust(6, "0"))
            ]
            totals = {row["key"]: row["total"] for row in table["rows"]}
            if prefix == "3205":
                assert totals["320505"] == totals["320583"] == HIDDEN
            if table["total"] != HIDDEN:
                remainder = table["total"] - sum(t for t in totals.values() if t != HIDDEN)
                assert remainder == 0 or remainder >= 5, (prefix, totals)


def _published(data: dict) -> dict:
    """Every additive figure a dashboard publishes, by a name an attacker would give it."""
    out = {"n": data["enterprises"], "self": data["self_assessed"], "verified": data["verified"]}
    out["excellent_plus"], out["one_step"] = data["excellent_plus"], data["one_step"]
    out |= {f"level {i}": row["count"] for i, row in enumerate(data["levels"])}
    out |= {f"cmmm {i}": row["count"] for i, row in enumerate(data["cmmm_levels"])}
    for s in data["scenarios"]:
        out[f"scenario {s['number']} n/a"] = s["not_applicable"]
        out |= {f"scenario {s['number']} {i}": v for i, v in enumerate(s["counts"])}
    out |= {f"gap {g['rule']}": g["count"] for g in data["gaps"]}
    for table in ("sectors", "sizes"):
        for row in data["breakdowns"][table]["rows"]:
            out[f"{table} {row['key']} n"] = row["total"]
            out |= {f"{table} {row['key']} {i}": v for i, v in enumerate(row["counts"])}
    return out


def _tree(app, db, q, prefix: str) -> list[tuple[dict, list[dict]]]:
    """(a region's dashboard, its sub-regions' dashboards), for the region and every region
    below it: all that an authority of the region can open."""
    with app.test_request_context():
        data = dashboard.build(db, q, Scope(prefix), "zh")
        codes = [row["code"] for row in data["breakdowns"].get("regions", {}).get("rows", [])]
        children = [dashboard.build(db, q, Scope(regions.get(c).prefix), "zh") for c in codes]
    found = [(data, children)]
    for code in codes:
        found += _tree(app, db, q, regions.get(code).prefix)
    return found


def test_no_figure_of_any_dashboard_follows_from_the_others_by_subtraction(app, db, region):
    """A province authority opens its province and every city and county below. For every
    figure, the region's value is the sum of its sub-regions' values: no such sum may have
    exactly one hidden term (it would be the total minus the others). Inside each dashboard,
    the sector and size tables hide none or at least two entries of each row and column."""
    checked = 0
    for data, children in _tree(app, db, region, "32"):
        parent = _published(data)
        parts = [_published(child) for child in children]
        if parts:
            for name, value in parent.items():
                line = [value] + [part.get(name, 0) for part in parts]  # no row: a known zero
                assert sum(1 for v in line if v == HIDDEN) != 1, (data["scope"], name, line)
                checked += 1
        for table in ("sectors", "sizes"):
            t = data["breakdowns"][table]
            lines = [row["counts"] + [row["total"]] for row in t["rows"]]
            columns = zip(*[row["counts"] for row in t["rows"]], strict=True)
            lines += [[*c, k] for c, k in zip(columns, t["column_totals"], strict=True)]
            lines.append([row["total"] for row in t["rows"]] + [t["total"]])
            for line in lines:
                assert sum(1 for v in line if v == HIDDEN) != 1, (data["scope"], table, line)
    assert checked > 100


def test_a_sector_hidden_in_one_city_is_not_the_province_minus_the_other_city(app, db):
    """Guangzhou: 9 rail. Shenzhen: 3 rail, 6 machine tools. Shenzhen's 3 rail are hidden in
    its own sector table; had Guangdong's table shown rail 12 and Guangzhou's rail 9, the
    subtraction would give them away: one of those two must be hidden as well. Guangdong was
    decided first (in the country's table), so Guangzhou's rail goes, and with it Guangzhou's
    total, which is the same figure (every enterprise there is in rail)."""
    rows = [("440106", "rail", "medium", 1, 2, 2.0, "self", 0)] * 9
    rows += [("440305", "rail", "medium", 1, 2, 2.0, "self", 0)] * 3
    rows += [("440305", "machine_tools", "medium", 1, 2, 2.0, "self", 0)] * 6
    q = insert_facts(app, db, rows)
    with app.test_request_context():
        province = dashboard.build(db, q, Scope("44"), "zh")
        cities = {c: dashboard.build(db, q, Scope(c), "zh") for c in ("4401", "4403")}

    def rail(data):
        return next(r["total"] for r in data["breakdowns"]["sectors"]["rows"] if r["key"] == "rail")

    assert rail(cities["4403"]) == HIDDEN
    assert HIDDEN in (rail(province), rail(cities["4401"]))
    # the cities' and the province's enterprises are headline figures, always shown: they
    # give away no sector
    assert (
        province["enterprises"],
        cities["4401"]["enterprises"],
        cities["4403"]["enterprises"],
    ) == (18, 9, 9)


def test_comparing_two_periods_tells_nothing_about_the_enterprise_in_between(app, db):
    """Hubei: 8 enterprises by March, one more (below Basic) in August. Comparing the dashboard
    of 30 June with that of 30 September or of now would show the newcomer (8 -> 9, one more
    below Basic...). Every figure shown in two periods differs by 0 or by 5 or more."""
    rows = [
        ("420106", "rail", "medium", r, 2, 2.0, "self", 0, "2026-03-01T00:00:00Z")
        for r in (0, 0, 0, 1, 1, 1, 1, 2)
    ]
    rows.append(("420106", "rail", "medium", 0, 1, 1.2, "self", 0, "2026-08-01T00:00:00Z"))
    q = insert_facts(app, db, rows)
    today = date(2026, 11, 30)
    views = {}
    for prefix in ("42", "4201", "420106"):
        for period in (None, "2026-09-30", "2026-06-30"):
            with app.test_request_context():
                views[prefix, period] = region_suppression.published(
                    db, q, Scope(prefix, None, period), today
                )
    assert views["420106", "2026-06-30"].own.counts["n"] == 8
    assert views["420106", None].own.counts["n"] == 9
    # the county's 8 shown beside its 9 would say it
    assert (
        "n" in views["420106", "2026-06-30"].own.hidden or "n" in views["420106", None].own.hidden
    )
    # the province's and the city's are headline figures, shown in every period: the accepted
    # disclosure of docs/suppression.md (rule 11), no other figure of theirs differs by 1 to 4
    assert [
        views[p, period].own.shown("n") for p in ("42", "4201") for period in (None, "2026-06-30")
    ] == [9, 8, 9, 8]
    for prefix in ("42", "4201", "420106"):
        figures = [views[prefix, period] for period in (None, "2026-09-30", "2026-06-30")]
        for a, b in itertools.combinations(figures, 2):
            pairs = [(a.own, b.own, prefix)] + [
                (a.children[k], b.children[k], k) for k in a.children if k in b.children
            ]
            for x, y, where in pairs:
                always = HEADLINE if len(where) <= 4 else frozenset()
                for name in set(x.counts) & set(y.counts) - always:
                    if name not in x.hidden and name not in y.hidden:
                        assert abs(x.counts[name] - y.counts[name]) in (0, *range(5, 10**6)), (
                            prefix,
                            name,
                        )


def test_the_candidate_list_does_not_reveal_what_the_figures_hide(app, db):
    """Zhengzhou: 6 below Basic; 4 at Basic, 3 of them listed by name; 2 at Advanced, both
    listed. Showing "below Basic: 6" of 12 would leave 6 above it, 5 of whom the list names:
    the sixth, not listed, would be known to be at Basic or above. So below Basic is hidden."""
    rows = [("410102", "rail", "medium", 0, 1, 1.0, "self", 0)] * 6
    rows += [("410102", "rail", "medium", 1, 2, 2.0, "self", 1)] * 3
    rows += [("410102", "rail", "medium", 1, 2, 2.0, "self", 0)]
    rows += [("410102", "rail", "medium", 2, 2, 2.5, "self", 1)] * 2
    q = insert_facts(app, db, rows)
    with app.test_request_context():
        published = region_suppression.published(db, q, Scope("41"))
    assert (published.own.counts["n"], published.own.counts["rank_0"]) == (12, 6)
    assert "rank_0" in published.own.hidden
    hidden_rest = (
        sum(
            published.own.counts[f"rank_{r}"]
            for r in range(5)
            if f"rank_{r}" in published.own.hidden
        )
        - 5
    )  # less the five the list names
    assert "n" in published.own.hidden or hidden_rest >= 5
    # the list shows their scores, so their capability levels too: six at level 2, five of them
    # listed, would place the sixth
    assert published.own.counts["cmmm_2"] == 6 and "cmmm_2" in published.own.hidden


def test_a_region_shows_in_its_own_dashboard_what_its_parent_shows_of_it(app, db, region):
    """Kunshan (3 enterprises) is hidden in Suzhou's table of counties: so is its own total.
    Wuxi (3 enterprises, a city) is a headline figure: shown in Jiangsu's table and its own."""
    for data, children in _tree(app, db, region, "32"):
        rows = data["breakdowns"].get("regions", {}).get("rows", [])
        for row, child in zip(rows, children, strict=True):
            assert row["total"] == child["enterprises"], row["name"]
            assert row["counts"] == [level["count"] for level in child["levels"]], row["name"]
            assert row["basic_plus"] == child["levels_merged"][0]["count"], row["name"]
    with app.test_request_context():
        kunshan = dashboard.build(db, region, Scope("320583"), "zh")
        wuxi = dashboard.build(db, region, Scope("3202"), "zh")
    assert kunshan["enterprises"] == HIDDEN and wuxi["enterprises"] == 3


def login_authority(accounts, scope, email):
    accounts.login(accounts.user("authority", region_scope=scope, email=email))


ROUTES = [
    "/authority",
    "/authority/dashboard.json",
    "/authority/export.xlsx",
    "/authority/export.csv?table=levels",
    "/authority/report.pdf",
]


@pytest.mark.parametrize("route", ROUTES)
def test_an_authority_of_another_province_sees_none_of_it(accounts, region, route):
    login_authority(accounts, "33", "zj@example.com")
    joiner = "&" if "?" in route else "?"
    assert accounts.client.get(f"{route}{joiner}region=320000").status_code == 404
    assert accounts.client.get(f"{route}{joiner}region=320500").status_code == 404
    own = accounts.client.get(route)
    assert own.status_code == 200
    if route.endswith(".json"):
        # its one enterprise: a province's headline figure, shown; its level is not
        data = own.get_json()
        assert data["enterprises"] == 1 and data["levels"][3]["count"] == HIDDEN


@pytest.mark.parametrize("role", ["enterprise", "consultant", "admin"])
def test_other_roles_cannot_open_the_dashboard(accounts, region, role):
    accounts.login(accounts.user(role))
    for route in ROUTES:
        assert accounts.client.get(route).status_code == 403


def test_drill_down_stays_inside_the_scope(accounts, region):
    login_authority(accounts, "3205", "sz@example.com")
    client = accounts.client
    data = client.get("/authority/dashboard.json").get_json()
    assert data["scope"]["name"] == "江苏省 苏州市"
    assert client.get("/authority/dashboard.json?region=320583").status_code == 200
    assert client.get("/authority/dashboard.json?region=320000").status_code == 404
    assert client.get("/authority/dashboard.json?region=320206").status_code == 404
    assert client.get("/authority/dashboard.json?as_of=not-a-date").status_code == 400


def test_only_opted_in_enterprises_are_listed_or_opened(accounts, region, db):
    login_authority(accounts, "32", "js@example.com")
    candidates = accounts.client.get("/authority/dashboard.json").get_json()["candidates"]
    assert sorted(c["name"] for c in candidates) == ["企业5", "企业8"]
    opted = db.execute("SELECT id FROM assessments WHERE organisation_id = 6").fetchone()[0]
    hidden = db.execute("SELECT id FROM assessments WHERE organisation_id = 7").fetchone()[0]
    assert accounts.client.get(f"/assessments/{opted}/results").status_code == 200
    assert accounts.client.get(f"/assessments/{hidden}/results").status_code == 404


def test_exports_carry_the_suppressed_figures(accounts, region):
    login_authority(accounts, "32", "js@example.com")
    csv = accounts.client.get("/authority/export.csv?table=levels").get_data(as_text=True)
    assert HIDDEN in csv and "尚未达到基础级" in csv
    response = accounts.client.get("/authority/export.xlsx")
    assert "dashboard-32-now.xlsx" in response.headers["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.data))
    assert {"概况", "智能工厂梯度", "下级地区", "行业", "典型场景", "候选企业"} <= set(
        workbook.sheetnames
    )
    summary = {row[0].value: row[1] for row in workbook["概况"].iter_rows(min_row=2)}
    target = summary["2027 年目标：能力成熟度二级及以上占比"]
    assert target.value == 0.5 and target.number_format == "0.0%"
    sizes = [row[0] for row in workbook["企业规模"].iter_rows(min_row=2, values_only=True)]
    # names, not the codes behind them, and the total row as on the page
    assert sizes == ["大型", "中型", "小型", "微型", "合计"]
    end = quarter_ends()[0]
    response = accounts.client.get(f"/authority/export.csv?table=sizes&as_of={end}")
    assert f"dashboard-32-{end}-sizes.csv" in response.headers["Content-Disposition"]
    assert "小型" in response.get_data(as_text=True)
    assert accounts.client.get("/authority/export.csv?table=nothing").status_code == 404
    # a candidate one rule from the next level: the export names the rule, as the page does
    data = accounts.client.get("/authority/dashboard.json").get_json()
    csv = accounts.client.get("/authority/export.csv?table=candidates").get_data(as_text=True)
    missing = [c["missing"] for c in data["candidates"] if c["missing"]]
    assert missing and all("; ".join(m) in csv for m in missing)


def test_the_excellent_target_is_set_beside_recognitions_not_results(accounts, region, db):
    """The plan's 200 / 500 count Excellent factories built (recognised), not results: in
    Zhejiang one enterprise assessed itself at Excellent (FIXTURE) and none is recognised, so
    the card, the JSON, the CSV and the page set 0 beside the target and show the 1 apart,
    labelled; a Basic recognition does not count, an Excellent one recommended to the
    ministry by the province does."""
    login_authority(accounts, "33", "zj@example.com")
    client = accounts.client

    def figures():
        data = client.get("/authority/dashboard.json").get_json()
        table = client.get("/authority/export.csv?table=summary").get_data(as_text=True)
        rows = dict(row[:2] for row in csv.reader(io.StringIO(table.lstrip("\ufeff"))) if row)
        shown = {k: rows.get(k) for k in ("卓越级工厂（已认定）", "评估为卓越级及以上（非认定）")}
        return data["excellent_recognised"], data["excellent_plus"], shown

    assert figures() == (0, 1, {"卓越级工厂（已认定）": "0", "评估为卓越级及以上（非认定）": "1"})
    page = client.get("/authority").get_data(as_text=True)
    assert "评估为卓越级及以上（非认定）：1" in page
    organisation, assessment = db.execute(
        "SELECT organisation_id, id FROM assessments WHERE organisation_id = 12"
    ).fetchone()
    recognise(db, organisation, assessment, 2026, "330110")
    assert figures()[0] == 0
    recognise(db, organisation, assessment, 2026, "330110", "excellent", "recommended")
    assert figures() == (1, 1, {"卓越级工厂（已认定）": "1", "评估为卓越级及以上（非认定）": "1"})


def test_the_regional_pdf_breaks_names_between_their_parts(accounts, region, db):
    """In the candidates table of the regional PDF a place (江苏省 苏州市 昆山市) breaks between
    its parts, never inside one, a level's name (尚未达到基础级) not at all, and the "verified"
    tag beside a long name never breaks:
    pdftotext gives each part and the tag whole on their lines."""
    db.execute("UPDATE result_facts SET verified = 1 WHERE organisation_id = 6")
    db.execute("UPDATE organisations SET name = '苏州精锐数控机床有限公司' WHERE id = 6")
    # below Basic, and the rule it misses a long one: the other columns take the room
    db.execute(
        "UPDATE result_facts SET gradient_rank = 0, next_gaps = ',basic.operations,'"
        " WHERE organisation_id IN (6, 9)"
    )
    summaries.touch(db)
    login_authority(accounts, "32", "js@example.com")
    body = accounts.client.get("/authority/report.pdf?lang=zh").get_data()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()
    candidates = text[text.rindex("候选企业") :]
    lines = {line.strip() for line in candidates.splitlines()}
    assert "核实" in candidates and not {"核", "实"} & lines
    assert "尚未达到基础级" in lines  # a level's name whole too
    parts = {
        part for name in ("江苏省 苏州市 昆山市", "江苏省 无锡市 惠山区") for part in name.split()
    }
    found = {part for line in lines for part in line.split() if part in parts}
    assert found == parts  # both candidates' places, every part whole
    assert not {line for line in lines if len(line) == 1 and line in "省市区县"}


def test_a_past_quarter_end_says_why_it_hides_more(accounts, region):
    """A past quarter end is also guarded against the newer periods (docs/suppression.md, rule
    6): early in a quarter most of the last quarter end's figures differ from now by 1 to 4 and
    show "×" (the demo's park: 254 of its 303 figures at 2026-09-30, 204 now). The page says so
    for a past quarter end, and only there."""
    login_authority(accounts, "32", "js@example.com")
    note = "过去季末的数据比当前隐藏得更多"
    assert note not in accounts.client.get("/authority").get_data(as_text=True)
    end = quarter_ends()[0]
    assert note in accounts.client.get(f"/authority?as_of={end}").get_data(as_text=True)


def test_the_period_picks_the_latest_assessment_as_of_a_date(app, accounts, region, db):
    """A re-assessment after the date does not count as of that date."""
    with app.app_context():
        q = questionnaires.latest()
    org = db.execute("SELECT organisation_id FROM result_facts WHERE gradient_rank = 2").fetchone()[
        0
    ]
    newer = dict(next(db.query("SELECT * FROM result_facts WHERE organisation_id = ?", [org])))
    assessment_id = (
        db["assessments"]
        .insert(
            {
                "organisation_id": org,
                "questionnaire_id": q.id,
                "questionnaire_version": q.version,
                "status": "submitted",
                "submitted_at": "2026-10-01T00:00:00Z",
            }
        )
        .last_pk
    )
    newer.update(assessment_id=assessment_id, submitted_at="2026-10-01T00:00:00Z", gradient_rank=4)
    with write_transaction(db):
        facts.record(db, [newer], q)
    with app.test_request_context():
        now = dashboard.build(db, q, Scope("32"), "zh", today=date(2026, 11, 25))
        before = dashboard.build(db, q, Scope("32", as_of="2026-09-30"), "zh")
    assert now["levels"][2]["count"] == HIDDEN and before["levels"][2]["count"] == HIDDEN
    assert db.execute("SELECT count(*) FROM result_facts WHERE is_latest = 1").fetchone()[0] == len(
        FIXTURE
    )
    # the re-assessment falls in a quarter not yet over: no progress row shows it yet (a row
    # for each quarter since the plan began, up to the last one over)
    for data in (now, before):
        quarters = [row["quarter"] for row in data["progress"]]
        assert quarters == list(region_suppression.quarters_between("2025-Q1", "2026-Q3"))


def test_demo_adds_a_synthetic_population(runner, db):
    result = runner.invoke(args=["demo", "--enterprises", "40"])
    assert result.exit_code == 0, result.output
    organisations_count = db.execute("SELECT count(*) FROM organisations").fetchone()[0]
    latest = db.execute("SELECT count(*) FROM result_facts WHERE is_latest = 1").fetchone()[0]
    # 26 named, 40 asked for, and those the programme's demo adds where the demo authorities
    # are (some registered only, or with a draft)
    placed = sum(place[2] for place in programme.PLACES)
    not_yet = sum(int(place[2] * programme.NOT_YET) for place in programme.PLACES)
    assert organisations_count == 26 + 40 + placed + not_yet and latest == 25 + 40 + placed
    provinces = db.execute(
        "SELECT count(DISTINCT substr(region_code, 1, 2)) FROM organisations"
    ).fetchone()[0]
    assert provinces >= 15
    again = runner.invoke(args=["demo", "--enterprises", "10"])
    assert (
        "already has accounts" in again.output and "10 synthetic enterprises added" in again.output
    )


def test_the_regional_sums_and_the_facts_give_the_same_dashboard(app, db, region):
    """The latest view reads per-county sums; a date far ahead computes from the facts."""
    with app.test_request_context():
        for scope in ("32", "3205", ""):
            from_sums = dashboard.build(db, region, Scope(scope), "zh")
            from_facts = dashboard.build(db, region, Scope(scope, as_of="2099-12-31"), "zh")
            # the trend over the quarters is the latest view's only
            assert from_facts["trend"] == from_facts["outlook"] == [] != from_sums["trend"]
            for data in (from_sums, from_facts):
                data.pop("trend"), data.pop("outlook")
            assert from_sums == from_facts, scope


def test_a_past_period_reads_its_sums_and_they_equal_its_facts(app, db, region):
    """30 June 2026: the fixture's assessments of 1 June count. Read from the period's sums, then
    with its sums forgotten (computed from the facts): the same dashboard, figure for figure."""
    from assess.store import summaries

    period, today = "2026-06-30", date(2026, 11, 30)
    with write_transaction(db):
        summaries.ensure_periods(db, list(region.rules), [period])
    assert period in summaries.kept_periods(db)
    with app.test_request_context():
        from_sums = dashboard.build(db, region, Scope("32", as_of=period), "zh", today)
        db.execute("DELETE FROM region_periods WHERE period = ?", [period])
        db.execute("UPDATE region_version SET stamp = stamp + 1")
        from_facts = dashboard.build(db, region, Scope("32", as_of=period), "zh", today)
    assert from_sums == from_facts
    assert region_suppression.published(db, region, Scope("32", as_of=period)).own.counts["n"] == 11


def test_an_enterprise_opts_in_and_out_of_the_candidate_list(app, accounts, region, db):
    owner_org = db.execute(
        "SELECT organisation_id FROM result_facts WHERE gradient_rank = 2"
    ).fetchone()[0]
    owner = accounts.user("enterprise", organisation_id=owner_org, email="owner2@example.com")
    authority = accounts.user("authority", region_scope="32", email="gov@example.com")

    def listed_names():
        accounts.login(authority)
        names = [
            c["name"]
            for c in accounts.client.get("/authority/dashboard.json").get_json()["candidates"]
        ]
        accounts.logout()
        return names

    assert "企业10" not in listed_names()
    accounts.login(owner)
    accounts.client.post("/organisation/listing", data={"listed": "1"})
    accounts.logout()
    assert "企业10" in listed_names()
    accounts.login(owner)
    accounts.client.post("/organisation/listing", data={"listed": "0"})
    accounts.logout()
    assert "企业10" not in listed_names()


def test_a_dashboard_with_no_enterprise_at_all_shows_nothing_hidden_wrongly(accounts):
    """A new installation: no assessment anywhere. The dashboard opens: the province's headline
    figures say 0 (there is no enterprise to protect), every other count "×", no share."""
    login_authority(accounts, "32", "first@example.com")
    data = accounts.client.get("/authority/dashboard.json").get_json()
    assert data["enterprises"] == 0 and data["candidates"] == []
    assert data["cmmm_2_plus_share"] == "—" and data["levels"][0]["count"] == HIDDEN
    for period in ("", "?as_of=" + region_suppression.quarter_ends()[0]):
        assert accounts.client.get(f"/authority{period}").status_code == 200


def test_every_table_can_be_exported_as_csv_from_the_page(accounts, region):
    login_authority(accounts, "32", "csv@example.com")
    page = accounts.client.get("/authority").get_data(as_text=True)
    for table in ("summary", "levels", "regions", "sectors", "scenarios", "gaps", "candidates"):
        link = f"/authority/export.csv?table={table}"
        assert link in page, table
        response = accounts.client.get(link)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_the_regions_csv_has_the_codes_the_share_and_the_total_row_of_the_page(accounts, region):
    login_authority(accounts, "32", "js@example.com")
    data = accounts.client.get("/authority/dashboard.json").get_json()
    table = data["breakdowns"]["regions"]
    text = accounts.client.get("/authority/export.csv?table=regions").get_data(as_text=True)
    header, *rows, total = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert (header[0], header[1], header[-2], header[-1]) == (
        "辖区代码",
        "分组",
        "合计",
        "二级及以上",
    )
    assert [row[0] for row in rows] == [r["code"] for r in table["rows"]]
    assert [row[-2] for row in rows] == [str(r["total"]) for r in table["rows"]]
    assert total[:2] == ["320000", "合计"]
    assert total[-2] == str(table["total"])
    assert total[2:-3] == [str(count) for count in table["column_totals"]]
