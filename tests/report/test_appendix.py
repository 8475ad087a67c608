"""The report's appendix (assess/report/content.py): a reviewer's items only on site."""

from __future__ import annotations

from assess.assessment.answering import review_items
from assess.questionnaire.loader import load_file
from assess.report.content import appendix
from assess.scoring import score
from assess.scoring.explain import item_label
from tests.domain import NEW


def test_a_self_assessment_s_appendix_has_no_reviewer_items_and_an_on_site_one_has():
    q = load_file(NEW)
    reviews = review_items(q)
    assert reviews  # 2026.1: a reviewer's verdict on each tailoring
    labels = {item_label(q, item_id, "zh") for item_id in reviews}
    result = score(q, {})
    for on_site, expected in ((False, set()), (True, labels)):
        rows = {
            row.label
            for section in appendix(q, {}, result, "zh", on_site=on_site)
            for row in section.rows
        }
        assert rows & labels == expected, on_site
