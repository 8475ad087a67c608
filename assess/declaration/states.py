"""The state of declarations and recognitions as plain data, for the API: an enterprise's own,
and an authority's region (only what enterprises declared by name: declarations once
submitted, and the recognitions that followed). Labels in the language asked for, beside the
stable codes. No Flask.

Who may ask is decided before (assess/organisation/permissions.py); these take the enterprise's
id or the authority's scope they were given."""

from __future__ import annotations

from sqlite_utils import Database

from assess.declaration import chain, dossier, listing, rounds
from assess.organisation.sizes import size_name
from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.versions import Versions
from assess.regional import regions
from assess.report.content import sector_label
from assess.report.exports import Cell
from assess.scoring import explain
from assess.scoring.words import score_value
from assess.store import declarations as store
from assess.store import recognitions as recognition_store
from assess.store import rounds as round_store
from assess.translation import translator

FIRST_YEAR, LAST_YEAR = 2000, 2100  # a plausible year of a round or a recognition


def valid_status(status: str | None) -> bool:
    """A status an authority's list can be filtered by (None: any)."""
    return status is None or status in listing.STATUSES


def valid_level(level: str | None) -> bool:
    """A level a round, and so a recognition, can be of (None: any)."""
    return level is None or level in chain.levels()


def valid_year(year: int | None) -> bool:
    return year is None or FIRST_YEAR <= year <= LAST_YEAR


def _round(q: Questionnaire, round_row: dict, lang: str) -> dict:
    return {
        "id": round_row["id"],
        "title": rounds.title(q, round_row, lang),
        "year": round_row["year"],
        "region_scope": round_row["region_scope"],
        "deadline": round_row["deadline"],
    }


def _waiting(tier: str | None, lang: str) -> dict:
    return {
        "waiting_for": tier,
        "waiting_for_label": listing.tier_label(tier, lang) if tier else None,
    }


def recognition(q: Questionnaire, row: dict, lang: str) -> dict:
    """A recognition (or recommendation to the ministry), and its withdrawal if any."""
    status = "revoked" if row["withdrawn_at"] else row["kind"]
    return {
        "id": row["id"],
        "declaration_id": row["declaration_id"],
        "level": row["level"],
        "level_name": explain.gradient_name(q, row["level"], lang),
        "kind": row["kind"],
        "status_label": listing.status_label(status, lang),
        "year": row["year"],
        "by": regions.scope_label(row["by_scope"], lang)
        if row["by_scope"]
        else translator(lang).gettext("China"),
        "recognised_at": row["recognised_at"],
        "withdrawn_at": row["withdrawn_at"],
        "withdrawal_reason": row["withdrawal_reason"] if row["withdrawn_at"] else None,
    }


def own_declaration(db: Database, q: Questionnaire, row: dict, lang: str) -> dict:
    """One of the enterprise's declarations: its round, status, whose turn, recognition."""
    found = recognition_store.of_declaration(db, row["id"])
    return {
        "id": row["id"],
        "level": row["level"],
        "level_name": explain.gradient_name(q, row["level"], lang),
        "status": row["status"],
        "status_label": listing.status_label(row["status"], lang),
        "round": _round(q, round_store.get(db, row["round_id"]), lang),
        "assessment_id": row["assessment_id"],
        "created_at": row["created_at"],
        "submitted_at": row["submitted_at"],
        "resubmitted_at": row["resubmitted_at"],
        "decided_at": row["decided_at"],
        **_waiting(dossier.waiting_at(db, row), lang),
        "recognition": recognition(q, found, lang) if found else None,
    }


def own_declarations(db: Database, q: Questionnaire, organisation_id: int, lang: str) -> list[dict]:
    """Every declaration of an enterprise, drafts included, newest first."""
    return [own_declaration(db, q, row, lang) for row in store.of_organisation(db, organisation_id)]


def own_recognitions(db: Database, q: Questionnaire, organisation_id: int, lang: str) -> list[dict]:
    """Every recognition of an enterprise, withdrawn ones too (marked), newest first."""
    return [
        recognition(q, row, lang) for row in recognition_store.of_organisation(db, organisation_id)
    ]


def _enterprise(q: Questionnaire, row: dict, lang: str) -> dict:
    return {
        "id": row["organisation_id"],
        "name": row["organisation_name"],
        "credit_code": row["credit_code"],
        "identity": row["identity"],
        "region_code": row["region_code"],
        "region": regions.label(row["region_code"], lang),
        "park_id": row["park_id"],
        "sector": row["sector"],
        "sector_label": sector_label(q, row["sector"], lang),
        "size": row["size"],
        "size_label": size_name(row["size"], lang),
    }


def _declared_result(q: Questionnaire, row: dict, lang: str) -> dict:
    """The declared assessment's result, as the summary table shows it."""
    rank = row["gradient_rank"] or 0
    level = q.gradient.levels[rank - 1].id if rank else None
    return {
        "id": row["assessment_id"],
        "mode": row["mode"],
        "verified_on_site": bool(row["verified_on_site"]),
        "level": level,
        "level_name": explain.gradient_name(q, level, lang),
        "cmmm_level": row["cmmm_level"] or None,
        "cmmm_score": None if row["cmmm_score"] is None else score_value(row["cmmm_score"]),
    }


def region_declarations(
    db: Database,
    q: Questionnaire,
    authority: dict,
    lang: str,
    round_id: int | None = None,
    status: str | None = None,
) -> list[dict]:
    """The declarations made by enterprises of an authority's region (never a draft), newest
    first, each with its enterprise, its declared result and whether it is this authority's
    turn (the same list as the review queue)."""
    return [
        {
            "id": row["id"],
            "level": row["level"],
            "level_name": explain.gradient_name(q, row["level"], lang),
            "status": row["status"],
            "status_label": listing.status_label(row["status"], lang),
            "round": {
                "id": row["round_id"],
                "title": rounds.title(
                    q,
                    {
                        "level": row["level"],
                        "year": row["round_year"],
                        "region_scope": row["round_scope"],
                    },
                    lang,
                ),
                "year": row["round_year"],
                "region_scope": row["round_scope"],
                "deadline": row["deadline"],
            },
            "enterprise": _enterprise(q, row, lang),
            "assessment": _declared_result(q, row, lang),
            "contact": {"name": row["contact_name"], "phone": row["contact_phone"]},
            "submitted_at": row["submitted_at"],
            "resubmitted_at": row["resubmitted_at"],
            "decided_at": row["decided_at"],
            **_waiting(row["waiting_for"], lang),
            "my_turn": row["my_turn"],
        }
        for row in listing.declarations_of(db, authority, round_id, status)
    ]


def region_recognitions(
    db: Database,
    q: Questionnaire,
    authority: dict,
    lang: str,
    level: str | None = None,
    year: int | None = None,
    withdrawn: bool = False,
) -> list[dict]:
    """The recognised factories (and recommendations to the ministry) of an authority's
    region, newest year first; withdrawn ones only when asked for."""
    return [
        {
            **recognition(q, row, lang),
            "enterprise": _enterprise(q, row, lang),
            "assessment": _declared_result(q, row, lang),
        }
        for row in listing.recognised(db, authority, level, year, withdrawn)
    ]


def recognised_table(
    db: Database,
    versions: Versions,
    authority: dict,
    lang: str,
    level: str | None = None,
    year: int | None = None,
) -> tuple[list[str], list[list[Cell]]]:
    """The current recognitions of an authority's region as the programme's summary table
    (推荐汇总表): the Excel export's table, and the CSV of the API."""
    rows = listing.recognised(db, authority, level, year, withdrawn=False)
    return listing.summary_table(db, versions, rows, lang)
