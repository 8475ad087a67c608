"""What an authority lists: the declarations of its region with whose turn it is, the
recognised factories per level and year, and both as the programme's summary table
(推荐汇总表) for Excel. No Flask."""

from __future__ import annotations

import json

from sqlite_utils import Database

from assess.declaration import chain, review
from assess.organisation.sizes import size_name
from assess.organisation.tiers import tier_of
from assess.questionnaire.versions import Versions
from assess.regional import regions
from assess.report.content import sector_label
from assess.report.exports import Cell
from assess.scoring import explain
from assess.scoring.words import score_text
from assess.store import declarations as store
from assess.store import parks
from assess.store import recognitions as recognition_store
from assess.translation import local_date, translator

STATUSES = ("in_review", "returned", "recognised", "recommended", "rejected", "withdrawn")


def status_label(status: str, lang: str) -> str:
    _ = translator(lang).gettext
    return {
        "draft": _("draft"),
        "in_review": _("in review"),
        "returned": _("returned for amendment"),
        "rejected": _("rejected"),
        "recognised": _("recognised"),
        "recommended": _("recommended to the ministry"),
        "withdrawn": _("withdrawn"),
        "revoked": _("recognition withdrawn"),
    }.get(status, status)


def tier_label(tier: str, lang: str) -> str:
    _ = translator(lang).gettext
    return {
        "park": _("park"),
        "county": _("county or park"),
        "city": _("city"),
        "province": _("province"),
        "country": _("the ministry"),
    }.get(tier, tier)


def check_label(name: str, lang: str) -> str:
    """A material a reviewer checks (review.CHECKS), in words."""
    _ = translator(lang).gettext
    return {
        "licence": _("business licence"),
        "financials": _("financial statements"),
        "commitment": _("signed commitment"),
        "scenarios": _("scenario descriptions and photos"),
        "platform": _("platform self-assessment"),
    }.get(name, name)


def checks_label(checks: dict[str, bool] | tuple[str, ...], lang: str) -> str:
    """Materials in words, in CHECKS' order, joined as the language joins a list (、 in
    Chinese); a dict keeps those ticked."""
    names = [
        c for c in review.CHECKS if (checks.get(c) if isinstance(checks, dict) else c in checks)
    ]
    return translator(lang).listing(check_label(c, lang) for c in names)


def outcome_label(outcome: str, lang: str) -> str:
    _ = translator(lang).gettext
    return {
        chain.RECOMMEND: _("recommended"),
        chain.RECOGNISE: _("recognised"),
        chain.RETURN: _("returned for amendment"),
        chain.REJECT: _("rejected"),
    }.get(outcome, outcome)


def act_label(act: str, lang: str) -> str:
    _ = translator(lang).gettext
    return {
        chain.CHECK: _("checks the material and recommends"),
        chain.REVIEW: _("reviews and recommends"),
        chain.RECOGNISE: _("reviews and recognises"),
        chain.RECOMMEND_MINISTRY: _("recommends to the ministry"),
    }.get(act, act)


def kind_label(kind: str, lang: str) -> str:
    _ = translator(lang).gettext
    return {
        "licence": _("Business licence"),
        "financials": _("Financial statements of the last three years"),
        "commitment": _("Signed truthfulness commitment"),
        "platform_report": _("CMMM self-diagnosis report (national platform)"),
        "photo": _("Photos"),
    }.get(kind, kind)


def declarations_of(
    db: Database,
    authority: dict,
    round_id: int | None = None,
    status: str | None = None,
) -> list[dict]:
    """The declarations an authority sees (made by enterprises of its region), each with
    whether it is the authority's turn and which tier it waits for."""
    rows = store.in_scope(db, authority["region_scope"], authority.get("park_id"), round_id, status)
    out = []
    for row in rows:
        steps = chain.steps(json.loads(row["chain"]))
        waiting = (
            steps[row["stage"]].tier
            if row["status"] == "in_review" and row["stage"] < len(steps)
            else None
        )
        out.append(
            {
                **row,
                "waiting_for": waiting,
                "my_turn": waiting is not None and review.may_decide(db, authority, row),
            }
        )
    return out


def _headers(lang: str) -> list[str]:
    _ = translator(lang).gettext
    return [
        _("No."),
        _("Enterprise"),
        _("Unified social credit code"),
        _("Region"),
        _("Industrial park"),
        _("Sector"),
        _("Size"),
        _("Level declared"),
        _("Smart-factory level (this assessment)"),
        _("Capability maturity (this assessment)"),
        _("Capability maturity (self-diagnosis platform)"),
        _("Verified on site"),
        _("On-site re-check"),
        _("Status"),
        _("Date"),
        _("Contact"),
        _("Telephone"),
    ]


def summary_table(
    db: Database, versions: Versions, rows: list[dict], lang: str
) -> tuple[list[str], list[list[Cell]]]:
    """Declarations or recognitions as the programme's summary table, one enterprise a row."""
    t = translator(lang)
    q = versions.latest()
    park_names = {}
    table: list[list[Cell]] = []
    for number, row in enumerate(rows, start=1):
        if row["park_id"] and row["park_id"] not in park_names:
            park = parks.park(db, row["park_id"])
            park_names[row["park_id"]] = park[f"name_{lang}"] if park else ""
        rank = row["gradient_rank"] or 0
        status = row.get("status") or row.get("kind")
        if row.get("withdrawn_at"):
            status = "revoked"
        table.append(
            [
                number,
                row["organisation_name"],
                row["credit_code"],
                regions.label(row["region_code"], lang),
                park_names.get(row["park_id"], ""),
                sector_label(q, row["sector"], lang),
                size_name(row["size"], lang),
                explain.gradient_name(q, row["level"], lang),
                explain.gradient_name(q, q.gradient.levels[rank - 1].id if rank else None, lang),
                f"{explain.cmmm_name(q, row['cmmm_level'] or None, lang)} ({score_text(row['cmmm_score'])})",
                explain.cmmm_name(q, row["platform_level"], lang) if row["platform_level"] else "",
                t.gettext("yes") if row["verified_on_site"] else "",
                t.gettext("yes") if _rechecked(db, row) else "",
                status_label(status, lang),
                local_date(row.get("recognised_at") or row.get("submitted_at")),
                row["contact_name"],
                row["contact_phone"],
            ]
        )
    return _headers(lang), table


def _rechecked(db: Database, row: dict) -> bool:
    """Whether an authority-requested on-site re-check (现场复核) attached its result."""
    declaration_id = row.get("declaration_id") or row["id"]
    return any(c["assessment_id"] for c in store.rechecks(db, declaration_id))


def recognised(
    db: Database,
    authority: dict,
    level: str | None = None,
    year: int | None = None,
    withdrawn: bool = True,
) -> list[dict]:
    """The recognitions (and recommendations to the ministry) in an authority's region."""
    return recognition_store.listing(
        db, authority["region_scope"], authority.get("park_id"), level, year, withdrawn
    )


def authority_tier(authority: dict) -> str:
    return tier_of(authority["region_scope"], authority.get("park_id"))
