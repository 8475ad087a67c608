"""The questionnaire versions installed, as the administrator sees them: which one new
assessments are answered under, which are drafts, how many assessments each has. Read-only:
publishing or retiring a version is a release and its deploy step, not a click (the page and
docs/operations.md say why)."""

from __future__ import annotations

from flask import Blueprint, render_template

from assess.questionnaire.versions import version_key
from assess.store import assessments
from assess.web import questionnaires
from assess.web.access import allow
from assess.web.database import get_db

bp = Blueprint("questionnaire_versions", __name__)


@bp.get("/admin/questionnaires")
@allow("admin")
def index():
    counts = assessments.count_by_version(get_db())
    latest = questionnaires.latest()
    rows = [
        {
            "id": q.id,
            "version": q.version,
            "status": q.status,
            "latest": q is latest,
            "rules": len(list(q.rules)),
            "scenarios": len(q.scenarios.items),
            "counts": counts.get((q.id, q.version), {}),
        }
        for q in sorted(questionnaires.versions(), key=lambda q: (q.id, version_key(q.version)))
    ]
    return render_template("admin/questionnaires.html", versions=rows[::-1])
