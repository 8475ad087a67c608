"""Blueprints: thin views that parse, call the domain or the store, and render."""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the app, in registration order."""
    from assess.views import (
        account,
        admin,
        answer_sheet,
        authority,
        benchmarks,
        consultant,
        contests,
        declaration,
        documents,
        firms,
        grants,
        home,
        identity,
        merges,
        onsite,
        operations,
        parks,
        privacy,
        questionnaire_versions,
        region_lists,
        register,
        report,
        results,
        review,
        roadmap,
        staff,
        team,
        tokens,
        verification,
        wizard,
    )
    from assess.views.api import docs as api_docs

    return [
        home.bp,
        account.bp,
        tokens.bp,
        identity.bp,
        register.bp,
        region_lists.bp,
        wizard.bp,
        answer_sheet.bp,
        results.bp,
        report.bp,
        roadmap.bp,
        documents.bp,
        grants.bp,
        consultant.bp,
        onsite.bp,
        authority.bp,
        benchmarks.bp,
        declaration.bp,
        review.bp,
        admin.bp,
        parks.bp,
        staff.bp,
        firms.bp,
        questionnaire_versions.bp,
        verification.bp,
        contests.bp,
        merges.bp,
        privacy.bp,
        team.bp,
        operations.bp,
        api_docs.bp,
    ]


def api_blueprints() -> list:
    """The API's blueprints (/api/v1), registered through the API so that each is in its
    OpenAPI document (assess/web/api.py)."""
    from assess.views import api

    return api.blueprints()
