"""The API's blueprints (/api/v1, each in the OpenAPI document; assess/web/api.py is their
plumbing) and the page that shows the document (/api/docs)."""

from __future__ import annotations


def blueprints() -> list:
    """Every blueprint of the API, in the order of the document."""
    from assess.views.api import assessments, meta, programme, questionnaires, visits

    return [meta.bp, questionnaires.bp, assessments.bp, visits.bp, programme.bp]
