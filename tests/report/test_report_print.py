"""The printed report's stylesheet: WeasyPrint takes all of it, in both languages."""

from __future__ import annotations

import logging

from tests.report.test_report import demo, latest_per_outcome  # noqa: F401 (a fixture)


def test_the_report_prints_without_a_warning_from_weasyprint_in_either_language(
    demo,  # noqa: F811
    db,
    caplog,
):
    """e.g. `width: fit-content` (the cover's notice) was ignored with a warning."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    assessment_id = latest_per_outcome(db)["basic"]
    for lang in ("zh", "en"):
        response = demo.client.get(f"/assessments/{assessment_id}/report.pdf?lang={lang}")
        assert response.status_code == 200 and response.mimetype == "application/pdf", lang
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
