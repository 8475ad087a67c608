"""The Case table: every POST route and every GET route with parameters, by area."""

from __future__ import annotations

from tests.fuzz.cases import (
    accounts,
    administration,
    api,
    api_programme,
    authority,
    consultant,
    contests,
    declaration,
    mail,
    offline,
    operations,
    privacy,
    questionnaires,
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
    *administration.CASES,
    *contests.CASES,
    *api_programme.CASES,
    *api.CASES,
    *questionnaires.CASES,
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
    "contests.show",
    "contests.licence",
    "review.show",
    "parks.show",
    "admin.account",
    "answer_sheet.download",
    "answer_sheet.printable",
    "firms.show",
    "api_questionnaires.version",
    "questionnaire_versions.show",
    "api_assessments.one",
    "api_assessments.result",
}
# Routes that read no parameter at all.
PLAIN_GET = {
    "home.index",
    "admin.index",
    "parks.index",
    "verification.unverified",
    "contests.index",
    "wizard.assessments",
    "results.history",
    "auth.account",
    "auth.totp",
    "auth.second_factor",
    "identity.forgot",
    "contests.claimant",
    "access.manage",
    "register.register",
    "consultant.register_client",
    "privacy.notice",
    "privacy.data",
    "team.index",
    "benchmarks.index",
    "declaration.index",
    "review.rechecks",
    "staff.new",
    "firms.index",
    "questionnaire_versions.index",
    "api_meta.openapi",
    "api_meta.me",
    "api_docs.index",
    "static",
}

__all__ = ["CASES", "PATH_ONLY_GET", "PLAIN_GET", "Case", "Context"]
