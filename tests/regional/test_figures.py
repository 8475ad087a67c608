"""The regional figures an authority may ask for: the scope inside its own, a quarter end
offered, and the dashboard of it suppressed as the page is (the page and the API share it)."""

from __future__ import annotations

import pytest

from assess.regional import figures
from assess.regional.dashboard import HIDDEN, dashboard_data
from assess.regional.periods import quarter_ends
from assess.store import parks
from assess.store.database import write_transaction
from assess.store.regional import Scope
from assess.web import questionnaires
from tests.support import REGION_FIXTURE, insert_facts

JIANGSU = {"region_scope": "32", "park_id": None}
COUNTRY = {"region_scope": "", "park_id": None}


@pytest.fixture
def region(app, db):
    """REGION_FIXTURE's seventeen enterprises; a park in 虎丘区 (320505) with its authority's
    scope, and a park in 昆山 (320583)."""
    q = insert_facts(app, db, REGION_FIXTURE)
    with write_transaction(db):
        huqiu = parks.create(db, "320505", "虎丘园", "Huqiu park")
        kunshan = parks.create(db, "320583", "昆山园", "Kunshan park")
    return {"q": q, "huqiu": huqiu, "kunshan": kunshan}


def test_the_scope_asked_for_lies_inside_the_authoritys_own(db, region):
    park = {"region_scope": "320505", "park_id": region["huqiu"]}
    end = quarter_ends()[0]
    cases = [
        (JIANGSU, {}, Scope("32")),
        (JIANGSU, {"region": "320500"}, Scope("3205")),
        (JIANGSU, {"region": "320505", "as_of": end}, Scope("320505", None, end)),
        (JIANGSU, {"park": region["kunshan"]}, Scope("320583", region["kunshan"])),
        (COUNTRY, {"region": "330000"}, Scope("33")),
        (JIANGSU, {"region": "330000"}, figures.Refused("region")),  # Zhejiang
        (JIANGSU, {"region": "329999"}, figures.Refused("region")),  # no such region
        (JIANGSU, {"park": 999}, figures.Refused("park")),
        (park, {}, Scope("320505", region["huqiu"])),
        (park, {"park": region["kunshan"]}, figures.Refused("park")),
        (JIANGSU, {"as_of": "2026-06-29"}, figures.Refused("period")),  # not a quarter end
        (JIANGSU, {"as_of": "2019-12-31"}, figures.Refused("period")),  # not offered
    ]
    got = [figures.scope_for(db, who, **asked) for who, asked, _ in cases]
    assert got == [expected for _, _, expected in cases]


def test_the_figures_are_the_dashboards_suppressed_as_the_page(app, db, region):
    """Suzhou's six enterprises: 虎丘 three, 昆山 three, each county hidden; what the API gives
    is what the page shows, to the cell."""
    with app.app_context():
        q = questionnaires.latest()
    data = figures.figures(db, q, JIANGSU, "zh", region="320500")
    assert data == dashboard_data(db, q, Scope("3205"), "zh")
    totals = {row["key"]: row["total"] for row in data["breakdowns"]["regions"]["rows"]}
    assert totals["320505"] == totals["320583"] == HIDDEN
    assert data["scope"] == {
        "name": "江苏省 苏州市",
        "prefix": "3205",
        "park_id": None,
        "as_of": None,
    }
    assert figures.figures(db, q, JIANGSU, "zh", region="330100") == figures.Refused("region")
