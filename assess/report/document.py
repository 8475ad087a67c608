"""The gap report of a submitted assessment as one document: everything its template shows,
in one language, and everything it depends on (the PDF cache key). No Flask: the web layer
renders the template with this context, for the HTML preview and the PDF alike."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlite_utils import Database

from assess.assessment import comments as answer_comments
from assess.assessment.evidence_quality import quality_name
from assess.organisation.sizes import size_name
from assess.questionnaire.versions import Versions
from assess.regional import regions
from assess.regional.benchmarks import digest as benchmarks_digest
from assess.report import content, peer_benchmarks, roadmap, verified, view
from assess.report.results import (
    answered_by,
    comparison_helpers,
    comparison_of,
    evidence_notes,
    scored,
    verification_of,
)
from assess.scoring import explain
from assess.store import assessments, organisations
from assess.store import evidence as evidence_store
from assess.store import peer_parts as peer_part_store
from assess.store import peers as peer_store
from assess.store import roadmap_plans as roadmap_store
from assess.translation import today_in_china, translator

TEMPLATE = "report/report.html"

# A report is printed as two PDFs: the report that is read (its level, why, what next) and an
# annex that is checked (the method and every answer), each with its own page numbers, each a
# render job of its own. The HTML preview shows both ("all").
REPORT, ANNEX, ALL = "report", "annex", "all"
PDF_PARTS = (REPORT, ANNEX)


def report_context(
    db: Database,
    versions: Versions,
    row: dict,
    lang: str,
    format_date,
    part: str = ALL,
) -> dict:
    """What templates/report/report.html shows of an assessment. format_date(value[, format])
    formats a stored date in the language being rendered; part: REPORT,
    ANNEX or ALL (what the template prints)."""
    found = scored(db, versions, row)
    q, result, analysis = found.q, found.result, found.analysis
    organisation = organisations.get(db, row["organisation_id"])
    on_site = row["mode"] == "consultant"
    shown = view.build(q, result, analysis, lang, found.answers, on_site=on_site)
    verification = verification_of(db, q, row, result)
    kind = verified.kind_of(verification)
    history_rows, scenario_changes, movers, since = content.history(
        db, versions.of, row, result, lang, format_date
    )
    notes = (
        evidence_notes(db, row, lang, lambda key: quality_name(key, lang), format_date)
        if on_site
        else None
    )
    context = {
        "q": q,
        "assessment": row,
        "organisation": organisation,
        "region": regions.label(organisation["region_code"], lang),
        "sector": content.sector_label(q, organisation["sector"], lang),
        "size": size_name(organisation["size"], lang),
        "submitted": format_date(row["submitted_at"], "long"),
        "answered_by": answered_by(db, q, row, result, lang, format_date),
        "view": shown,
        "roadmap": roadmap.of_assessment(db, versions, row, found, lang),
        "tailored": [q.sub_domains[s].name.get(lang) for s in result.tailored],
        "grid": content.quadrants(shown),
        "links": content.by_link(q, result, analysis, lang),
        "peers": [
            replace(peer, as_of=format_date(peer.as_of, "long"))
            for peer in content.peer_views(
                db, q, organisation, result, lang, today_in_china().isoformat()
            )
        ],
        "benchmarks": peer_benchmarks.build(
            db, q, organisation, result, lang, today_in_china().isoformat(), format_date
        ),
        "history_rows": history_rows,
        "scenario_changes": scenario_changes,
        "movers": movers,
        "since": since,
        "appendix": content.appendix(
            q,
            assessments.answers(db, row["id"]),
            result,
            lang,
            notes,
            on_site=row["mode"] == "consultant",
            comments=answer_comments.of_assessment(db, row["id"]),
        )
        if part != REPORT
        else [],
        "part": part,
        "cmmm_level_name": lambda level: explain.cmmm_name(q, level, lang),
        "comparison": None,
        "identity": verified.identity(kind, lang),
        "sign_off": verified.sign_off(
            db, row, verification, organisation["name"], lang, format_date
        )
        if verification is not None
        else None,
    }
    if on_site:
        own, comparison = comparison_of(db, versions, row)
        checked = evidence_store.verified_items(db, row["id"])
        context.update(comparison=comparison, own=own, **comparison_helpers(q, lang, checked))
    return context


def cache_parts(
    db: Database,
    row: dict,
    lang: str,
    part: str = REPORT,
) -> dict:
    """Everything the report's content depends on besides the code: a change in any of it
    makes the PDF again (assess/report/pdf.py adds the code and translations). part: which of
    the two PDFs (REPORT or ANNEX)."""
    organisation = organisations.get(db, row["organisation_id"])
    today = today_in_china().isoformat()
    peer_digests = {
        group: peer_store.snapshots(db, group, key, until=today)
        for group, key in (
            ("sector", organisation["sector"]),
            ("province", organisation["region_code"][:2]),
        )
    }
    return {
        "assessment": {
            k: row[k]
            for k in (
                "id",
                "status",
                "mode",
                "submitted_at",
                "updated_at",
                "questionnaire_id",
                "questionnaire_version",
            )
        },
        "answers": assessments.answers_digest(db, row["id"]),
        "organisation": {
            k: organisation[k] for k in ("name", "credit_code", "region_code", "sector", "size")
        },
        "history": [
            (r["id"], r["submitted_at"])
            for r in peer_store.earlier_submitted(db, row["organisation_id"], row["id"])
        ],
        "peers": peer_digests,
        "peer_parts": {
            group: sorted(peer_part_store.latest(db, group, key, today, 0).items())
            for group, key in (
                ("sector", organisation["sector"]),
                ("province", organisation["region_code"][:2]),
                ("size", organisation["size"]),
            )
        },
        "self_assessment": (assessments.self_assessment_checked_by(db, row) or {}).get("id"),
        "evidence": [(f["id"], f["original_name"]) for f in evidence_store.files(db, row["id"])],
        # a verified report prints who verified what (the cover, the coverage, its title),
        # on which days, for which firm, and the share that makes it "partially verified"
        # (by whom: the cover attributes visits and checks after a hand-over)
        "verified": sorted((k, v[0]) for k, v in evidence_store.verifiers(db, row["id"]).items()),
        "visits": [
            (v["visit_date"], v["created_by"]) for v in evidence_store.visits(db, row["id"])
        ],
        "signer": verified.signer_digest(db, row),
        # the provincial sector benchmarks decide the results rules
        "benchmarks": benchmarks_digest(db, organisation),
        "comments": sorted(answer_comments.of_assessment(db, row["id"]).items()),
        # the roadmap's target, owners and due dates
        "roadmap": (
            roadmap_store.target(db, row["organisation_id"]),
            sorted(
                (k, v["owner"], v["due_date"])
                for k, v in roadmap_store.entries(db, row["organisation_id"]).items()
            ),
        ),
        "lang": lang,
        "part": part,
    }


def report_kind(db: Database, versions: Versions, row: dict) -> str:
    """self, verified or partial: what the report of an assessment calls itself."""
    if row["mode"] != "consultant":
        return verified.SELF
    found = scored(db, versions, row)
    return verified.kind_of(verification_of(db, found.q, row, found.result))


def filename(
    organisation: dict,
    row: dict,
    lang: str,
    format_date,
    kind: str = verified.SELF,
    part: str = REPORT,
) -> str:
    """A readable file name without characters that file systems or headers dislike, dated by
    the local day of submission (an on-site assessment's says so, and whether it is only
    partially verified; the annex's ends in "annex")."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", organisation["name"]).strip()[:60] or "report"
    t = translator(lang)
    label = {
        verified.SELF: t.gettext("smart-factory-gap-report"),
        verified.VERIFIED: t.gettext("on-site-assessment-report"),
        verified.PARTIAL: t.gettext("on-site-assessment-report-partially-verified"),
    }[kind]
    if part == ANNEX:
        label = label + "-" + t.gettext("annex")
    return f"{name}-{label}-{format_date(row['submitted_at'], 'yyyy-MM-dd')}-{lang}.pdf"


def ascii_filename(row: dict, lang: str, format_date, part: str = REPORT) -> str:
    """The name for clients that cannot read the Unicode one (no company name to mangle)."""
    kind = "report" if part == REPORT else "report-annex"
    return f"assess-{kind}-{row['id']}-{format_date(row['submitted_at'], 'yyyy-MM-dd')}-{lang}.pdf"
