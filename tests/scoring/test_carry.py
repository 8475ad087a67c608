"""A re-assessment under 2026.1 started from a 2025.1 assessment: what carries, what is new."""

from __future__ import annotations

import pytest

from assess.scoring import Answer, score
from assess.scoring.answers import check
from assess.scoring.carry import carry_over, new_items
from tests.domain import enterprise

NEW_ITEMS = (
    "profile.own_process_planning",
    "tailoring.product_design",
    "tailoring.product_design.review",
    "tailoring.process_design",
    "tailoring.process_design.review",
    "tailoring.product_service",
    "tailoring.product_service.review",
    "s08_equipment_om.applies",
    "s08.own.basic",
    "s08.own.advanced",
    "s08.own.excellent",
    "s08.own.leading",
    "s08.field.leading",
    "s08.unmanned.leading",
    "s11_smart_warehousing.applies",
    "s11.basic",
    "s11.advanced",
    "s11.excellent",
    "s11.leading",
    "s12_digital_factory.applies",
    "s12.basic",
    "s12.advanced",
    "s12.excellent",
    "s12.leading",
    "results.year",
    "results.labour_productivity",
    "results.defect_rate",
    "results.cost_per_revenue",
    "results.development_cycle",
    "results.energy_intensity",
)


def test_the_items_of_2026_that_nothing_carries_to_are_listed_as_new(real, new):
    assert new_items(real, new) == NEW_ITEMS


def test_a_2025_assessment_carries_over_except_what_2026_no_longer_allows(real, new):
    """Same ids carry; a requirement's "not applicable" is refused (2026.1 tailors whole
    sub-domains instead); the old equipment-maintenance applicability and the Basic and Leading
    field steps are dropped with their reasons; the Advanced and Excellent field steps carry."""
    old = enterprise(
        real,
        dict.fromkeys(range(1, 6), "most"),
        {},
        {"basic": "full", "advanced": "full", "excellent": "most", "leading": "none"},
        **{
            "profile.sector": "rail",
            "procurement.1": Answer("na", "全部外包"),
            "s09_networked_manufacturing.applies": Answer("no", "单一工厂"),
        },
    )
    carried = carry_over(real, new, old)
    assert carried.refused == {"procurement.1": "invalid_value"}
    assert set(carried.dropped) == {
        "s08_equipment_maintenance.applies",
        "s08.basic",
        "s08.leading",
    }
    assert carried.dropped["s08.basic"].zh.startswith("在役产品数据采集不再单独")
    assert carried.carried["s08.advanced"] == "s08.advanced"
    assert carried.answers["profile.sector"] == Answer("rail")
    assert carried.answers["s09_networked_manufacturing.applies"] == Answer("no", "单一工厂")
    assert carried.new == NEW_ITEMS
    expected = {i for i in old if i not in carried.dropped} - {"procurement.1"}
    assert set(carried.answers) == expected
    for item_id, answer in carried.answers.items():
        assert check(new, item_id, answer.value, answer.reason) == answer
    # the carried answers score under 2026.1 (what is new is unanswered until answered)
    assert score(new, carried.answers).questionnaire_version == "2026.1"


def test_carrying_needs_the_version_the_data_names(real, new):
    with pytest.raises(ValueError, match=r"does not carry answers from 2026\.1"):
        carry_over(new, new, {})
