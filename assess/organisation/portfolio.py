"""A consultant's portfolio: each client with its latest self-assessment, the consultant's
latest submitted on-site assessment and any on-site draft, a status, the share of rated answers
verified, and whether the self-assessment claimed more than was verified; filters. No Flask.

A submitted on-site assessment is "verified" here only when it counts as verified on site by
the one definition (assess/scoring/verification.py, carried in the regional facts); below it,
it is "partly verified", as its report, the dashboards and the dossier say."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.questionnaire.versions import Versions
from assess.scoring import score
from assess.scoring.result import rated_items
from assess.store import assessments, grants, result_facts
from assess.store import evidence as evidence_store
from assess.translation import translator

# a client's status, in the order work goes: the enterprise answers, submits; the consultant
# assesses on site, submits the on-site assessment (verified, or only partly)
STATUSES = (
    "no_assessment",
    "self_draft",
    "self_submitted",
    "on_site",
    "partly_verified",
    "verified",
)


def status_names(lang: str) -> dict[str, str]:
    """Each status in words, as the portfolio page and its exports say it."""
    _ = translator(lang).gettext
    return {
        "no_assessment": _("no assessment yet"),
        "self_draft": _("self-assessment in draft"),
        "self_submitted": _("self-assessment submitted"),
        "on_site": _("on site"),
        "partly_verified": _("on-site assessment submitted, partly verified"),
        "verified": _("verified assessment submitted"),
    }


@dataclass(frozen=True)
class Filters:
    status: str = ""  # one of STATUSES, or "" for all
    over_claims: bool = False  # only clients whose self-assessment claimed a level above
    text: str = ""  # part of the name or credit code

    @classmethod
    def parse(cls, args) -> Filters:
        """From query arguments; anything unknown is no filter (never an error)."""
        status = args.get("status", "")
        text = " ".join(str(args.get("q", "")).split())[:60]
        return cls(status if status in STATUSES else "", args.get("over_claims") == "1", text)

    def arguments(self) -> dict[str, str]:
        """The query arguments that give these filters back (for the export links)."""
        found = {
            "status": self.status,
            "over_claims": "1" if self.over_claims else "",
            "q": self.text,
        }
        return {key: value for key, value in found.items() if value}

    def keeps(self, row: dict) -> bool:
        if self.status and row["status"] != self.status:
            return False
        if self.over_claims and not row["over_claim"]:
            return False
        if self.text:
            org = row["organisation"]
            needle = self.text.casefold()
            return needle in org["name"].casefold() or needle in org["credit_code"].casefold()
        return True


def portfolio_rows(
    db: Database,
    consultant_id: int,
    versions: Versions | None = None,
    filters: Filters | None = None,
) -> list[dict]:
    """One row per client that granted the consultant access (and passes the filters);
    with versions, the verified share of the latest on-site assessment."""
    filters = filters or Filters()
    rows = []
    for org in grants.clients(db, consultant_id):
        history = assessments.for_organisation(db, org["id"])
        mine = [
            a for a in history if a["mode"] == "consultant" and a["consultant_id"] == consultant_id
        ]
        own = [a for a in history if a["mode"] == "self"]
        row = {
            "organisation": org,
            "self": next((a for a in own if a["status"] == "submitted"), None),
            "self_draft": any(a["status"] == "draft" for a in own),
            "verified": next((a for a in mine if a["status"] == "submitted"), None),
            "draft": next((a for a in mine if a["status"] == "draft"), None),
        }
        row["status"] = _status(row, result_facts.verified_of(db, org["id"]))
        row["over_claim"] = over_claim(db, row["verified"])
        latest = row["draft"] or row["verified"]
        row["verified_share"] = (
            verified_share(db, versions, latest) if versions and latest else None
        )
        if filters.keeps(row):
            rows.append(row)
    return rows


def _status(row: dict, verified_on_site: set[int]) -> str:
    if row["draft"]:
        return "on_site"
    if row["verified"]:
        return "verified" if row["verified"]["id"] in verified_on_site else "partly_verified"
    if row["self"]:
        return "self_submitted"
    return "self_draft" if row["self_draft"] else "no_assessment"


def over_claim(db: Database, verified: dict | None) -> bool:
    """Whether the self-assessment a verified assessment checked reached a higher
    smart-factory level or maturity level than was verified."""
    if verified is None:
        return False
    own = assessments.self_assessment_checked_by(db, verified)
    if own is None:
        return False
    return (own["gradient_rank"] or 0) > (verified["gradient_rank"] or 0) or (
        own["cmmm_level"] or 0
    ) > (verified["cmmm_level"] or 0)


def verified_share(db: Database, versions: Versions, row: dict) -> tuple[int, int]:
    """(verified, rated) answers of an on-site assessment, counted as its report counts."""
    q = versions.of(row)
    stored = assessments.answers(db, row["id"])
    answers = {item: s.answer for item, s in stored.items() if item in q.items}
    rated = rated_items(score(q, answers))
    return len(rated & evidence_store.verified_items(db, row["id"])), len(rated)
