"""The programme on the API (/api/v1): an enterprise's declarations and recognitions, an
authority's region (its declarations, its recognised factories as JSON and CSV, its figures),
with the same data as the use cases and the same scope rules as the pages."""

from __future__ import annotations

import csv
import io
import json

import pytest

from assess.declaration import states
from assess.regional import figures
from assess.regional.periods import quarter_ends
from tests.programme import decide, declared
from tests.support import api_token, bearer


@pytest.fixture
def recognised(world, evidence):
    """甲's declaration, checked by the park and recognised by Suzhou."""
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend", "材料真实完整")
    decide(world, "suzhou", declaration_id, "recognise")
    world["declaration"] = declaration_id
    return world


def get(client, db, email: str, url: str, lang: str | None = None, **headers):
    return client.get(url, headers={**bearer(api_token(db, email, "read"), lang), **headers})


def test_an_enterprise_reads_its_declarations_and_recognitions(client, recognised):
    w, db = recognised, recognised["db"]
    answer = get(client, db, "ent@example.com", "/api/v1/declarations", "en")
    assert answer.status_code == 200
    assert answer.json == {
        "items": states.own_declarations(db, w["q"], w["org"], "en"),
        "page": 1,
        "per_page": 20,
        "total": 1,
        "next": None,
    }
    assert answer.json["items"][0]["recognition"]["level_name"] == "Basic"
    one = get(client, db, "ent@example.com", f"/api/v1/declarations/{w['declaration']}")
    assert one.json == states.own_declarations(db, w["q"], w["org"], "zh")[0]
    mine = get(client, db, "ent@example.com", "/api/v1/recognitions", "zh")
    assert [r["status_label"] for r in mine.json["items"]] == ["已认定"]


def test_a_declaration_of_another_region_is_not_found_and_says_nothing(client, recognised):
    w, db = recognised, recognised["db"]
    url = f"/api/v1/declarations/{w['declaration']}"
    assert get(client, db, "suzhou@example.com", url).status_code == 200
    # the enterprise sees who read it, as for its dossier on the site
    viewed = db.execute(
        "SELECT target_id, detail FROM audit_log WHERE action = 'viewed' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert (viewed[0], json.loads(viewed[1])["page"]) == (str(w["org"]), "api")
    answer = get(client, db, "zhejiang@example.com", url, "en")
    assert answer.status_code == 404
    assert set(answer.json) == {"code", "message", "request_id"}
    assert answer.json["code"] == "not_found"
    assert "甲" not in answer.get_data(as_text=True)


def test_an_authority_lists_its_regions_declarations_and_recognised_factories(client, recognised):
    w, db = recognised, recognised["db"]
    answer = get(client, db, "jiangsu@example.com", "/api/v1/region/declarations", "en")
    assert answer.json["items"] == states.region_declarations(db, w["q"], w["jiangsu"], "en")
    assert [row["enterprise"]["name"] for row in answer.json["items"]] == ["甲机械有限公司"]
    nothing = get(client, db, "zhejiang@example.com", "/api/v1/region/declarations")
    assert (nothing.json["items"], nothing.json["total"]) == ([], 0)
    factories = get(client, db, "suzhou@example.com", "/api/v1/region/recognitions?level=basic")
    assert factories.json["items"] == states.region_recognitions(db, w["q"], w["suzhou"], "zh")
    assert factories.json["total"] == 1
    # an enterprise's token may not ask for a region's lists
    refused = get(client, db, "ent@example.com", "/api/v1/region/recognitions")
    assert (refused.status_code, refused.json["code"]) == (403, "forbidden")


def test_filters_outside_what_the_lists_know_are_refused_with_the_field(client, recognised):
    db = recognised["db"]
    for query, field in (("status=draft", "status"), ("round=x", "round")):
        answer = get(client, db, "suzhou@example.com", f"/api/v1/region/declarations?{query}")
        assert answer.status_code == 422, query
        assert answer.json["code"] == "invalid"
        assert field in json.dumps(answer.json["errors"])
        assert "items" not in answer.json
    answer = get(client, db, "suzhou@example.com", "/api/v1/region/recognitions?year=1999")
    assert answer.status_code == 422


def test_the_recognised_factories_as_csv_are_the_summary_table(client, recognised):
    w, db = recognised, recognised["db"]
    answer = get(client, db, "suzhou@example.com", "/api/v1/region/recognitions.csv", "zh")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    headers, table = states.recognised_table(db, w["versions"], w["suzhou"], "zh")
    assert rows[0] == headers
    assert len(rows) == len(table) + 1
    assert [row[1] for row in rows[1:]] == ["甲机械有限公司"]
    empty = get(client, db, "suzhou@example.com", "/api/v1/region/recognitions.csv?year=2025")
    assert len(list(csv.reader(io.StringIO(empty.get_data(as_text=True))))) == 1  # headers
    exported = db.execute(
        "SELECT detail FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    assert json.loads(exported)["format"] == "csv"


def test_lists_are_paged_and_answer_304_to_their_etag(client, recognised):
    db = recognised["db"]
    token = api_token(db, "suzhou@example.com", "read")
    first = client.get("/api/v1/region/declarations?per_page=1", headers=bearer(token))
    assert (first.json["total"], first.json["next"]) == (1, None)
    again = client.get(
        "/api/v1/region/declarations?per_page=1",
        headers={**bearer(token), "If-None-Match": first.headers["ETag"]},
    )
    assert (again.status_code, again.get_data()) == (304, b"")


def test_the_regional_figures_are_the_dashboards(client, recognised):
    w, db = recognised, recognised["db"]
    answer = get(client, db, "jiangsu@example.com", "/api/v1/region/figures?region=320500", "en")
    assert answer.status_code == 200
    expected = figures.figures(db, w["q"], w["jiangsu"], "en", region="320500")
    assert answer.json == json.loads(json.dumps(expected))
    assert answer.json["programme"]["recognised_total"] == 1
    outside = get(client, db, "jiangsu@example.com", "/api/v1/region/figures?region=330100")
    assert (outside.status_code, outside.json["code"]) == (404, "not_found")
    between = get(client, db, "jiangsu@example.com", "/api/v1/region/figures?as_of=2026-06-29")
    assert (between.status_code, list(between.json["errors"])) == (422, ["as_of"])
    end = quarter_ends()[0]
    assert (
        get(client, db, "jiangsu@example.com", f"/api/v1/region/figures?as_of={end}").json["scope"][
            "as_of"
        ]
        == end
    )


def test_the_regional_figures_are_what_the_dashboards_json_shows_to_the_cell(
    client, accounts, recognised
):
    """The page's own JSON twin and the API, for the same authority and region: equal."""
    db = recognised["db"]
    email = accounts.user("authority", email="jiangsu-web@example.com", region_scope="32")
    api_answer = get(client, db, email, "/api/v1/region/figures?region=320500")
    accounts.login(email)
    page = client.get("/authority/dashboard.json?region=320500")
    assert page.status_code == api_answer.status_code == 200
    assert api_answer.json == page.json
    assert api_answer.json["programme"]["recognised"][0]["name"] == "甲机械有限公司"
