"""The Case table: every POST route and every GET route with parameters, by area."""

from __future__ import annotations

from tests.fuzz.cases import (
    accounts,
    api,
    api_programme,
    authority,
    consultant,
    declaration,
    mail,
    offline,
    operations,
    privacy,
    team,
    wizard,
)
from tests.fuzz.cases.base import Case, Context

CASES: list[Case] = [
    *accounts.CASES,
    *wizard.CASES,
    *consultant.CASES,
    *authority.CASES,
    *privacy.CASES,
    *declaration.CASES,
    *mail.CASES,
    *team.CASES,
    *operations.CASES,
    *offline.CASES,
    *api_programme.CASES,
    *api.CASES,
]

# Routes whose only parameters are ids in the path: fuzzed by test_path_ids_never_break.
PATH_ONLY_GET = {
    "wizard.resume",
    "results.show",
    "results.comparison",
    "roadmap.workbook",
    "consultant.client",
    "onsite.download",
    "wizard.submit",
    "declaration.edit",
    "declaration.download_file",
    "review.show",
    "parks.show",
    "admin.account",
    "answer_sheet.download",
    "answer_sheet.printable",
    "api_questionnaires.version",
    "api_assessments.one",
    "api_assessments.result",
}
# Routes that read no parameter at all.
PLAIN_GET = {
    "home.index",
    "admin.index",
    "parks.index",
    "verification.unverified",
    "wizard.assessments",
    "results.history",
    "auth.account",
    "auth.totp",
    "auth.second_factor",
    "identity.forgot",
    "access.manage",
    "register.register",
    "consultant.register_client",
    "privacy.notice",
    "privacy.data",
    "team.index",
    "benchmarks.index",
    "declaration.index",
    "review.rechecks",
    "api_meta.openapi",
    "api_meta.me",
    "api_docs.index",
    "static",
}

__all__ = ["CASES", "PATH_ONLY_GET", "PLAIN_GET", "Case", "Context"]
