"""The gap report of a submitted assessment: HTML preview and PDF download."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    render_template,
    request,
    send_file,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from assess.assessment import answering, submission
from assess.organisation.permissions import visible_assessment
from assess.regional import regions
from assess.report import content as report
from assess.report import view as result_view
from assess.scoring import explain
from assess.store import assessments, audit, organisations
from assess.store import evidence as evidence_store
from assess.store import peers as peer_store
from assess.views.register import SIZES
from assess.views.results import (
    comparison_helpers,
    comparison_of,
    report_option_label,
    scored,
    verification_of,
)
from assess.web import read_log as access_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.i18n import lang
from assess.web.questionnaires import questionnaire_of
from assess.web.questions import QUALITY_LABELS
from assess.web.templating import format_date

bp = Blueprint("report", __name__)
READERS = ("enterprise", "consultant", "admin")


def _report_lang() -> str:
    chosen = request.args.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else lang()


def _submitted(assessment_id: int) -> dict:
    row = visible_assessment(get_db(), current_user, assessment_id)
    if row["status"] != "submitted":
        abort(404)
    return row


def render_report_html(row: dict, language: str) -> str:
    """The report document in one language (the same HTML for preview and PDF)."""
    db = get_db()
    q, result, analysis = scored(db, row)
    organisation = organisations.get(db, row["organisation_id"])
    with force_locale(language):
        view = result_view.build(q, result, analysis, language)
        history_rows, scenario_changes, movers, since = report.history(
            db, questionnaire_of, row, result, language, format_date
        )
        return render_template(
            "report/report.html",
            q=q,
            assessment=row,
            organisation=organisation,
            region=regions.label(organisation["region_code"], language),
            sector=report._sector_label(q, organisation["sector"], language),
            size=str(SIZES.get(organisation["size"], organisation["size"])),
            submitted=format_date(row["submitted_at"], "long"),
            answered_by=_answered_by(db, row, result),
            view=view,
            grid=report.quadrants(view),
            links=report.by_link(q, result, analysis, language),
            peers=report.peer_views(db, q, organisation, result, language),
            # peers are read when the report is made; their figures change when theirs do
            peers_as_of=format_date(date.today().isoformat(), "long"),
            history_rows=history_rows,
            scenario_changes=scenario_changes,
            movers=movers,
            since=since,
            appendix=report.appendix(
                q,
                answering.state(db, q, row["id"]).stored,
                result,
                language,
                _evidence_notes(db, row) if row["mode"] == "consultant" else None,
            ),
            **_comparison_context(db, row, q),
            cmmm_level_name=lambda level: explain.cmmm_name(q, level, language),
        )


def _evidence_notes(db, row: dict) -> dict[str, str]:
    """Per item: verified or not (by whom, when), the evidence quality and note, and files."""
    notes = {}
    files = {}
    for file in evidence_store.files(db, row["id"]):
        files.setdefault(file["item_id"], []).append(file["original_name"])
    found = evidence_store.for_assessment(db, row["id"])
    for item_id in set(found) | set(files):
        evidence = found.get(item_id, {})
        parts = []
        if evidence.get("verified_by"):
            parts.append(
                _(
                    "verified by %(name)s on %(date)s",
                    name=evidence["verifier"],
                    date=format_date(evidence["verified_at"]),
                )
            )
        else:
            parts.append(_("not verified"))
        if evidence.get("evidence_quality"):
            parts.append(str(QUALITY_LABELS[evidence["evidence_quality"]]))
        if evidence.get("note"):
            parts.append(evidence["note"])
        if item_id in files:
            parts.append(_("files: %(names)s", names=", ".join(files[item_id])))
        notes[item_id] = " · ".join(parts)
    return notes


def _comparison_context(db, row: dict, q) -> dict:
    if row["mode"] != "consultant":
        return {"comparison": None}
    own, found = comparison_of(db, row)
    return {
        "comparison": found,
        "own": own,
        **comparison_helpers(q, evidence_store.verified_items(db, row["id"])),
        "option_label": lambda *args: report_option_label(q, *args),
    }


def _answered_by(db, row: dict, result) -> str:
    verification = verification_of(db, row, result)
    if verification is not None:
        return verification.text
    return _("Self-assessment: answers declared by the enterprise.")


def _cache_parts(row: dict, language: str) -> dict:
    db = get_db()
    organisation = organisations.get(db, row["organisation_id"])
    digest = db.execute(
        "SELECT count(*), coalesce(sum(revision), 0), max(updated_at) FROM answers"
        " WHERE assessment_id = ?",
        [row["id"]],
    ).fetchone()
    peer_digests = {
        group: [
            (p["gradient_rank"], p["cmmm_score"])
            for p in peer_store.peer_scores(db, organisation, group)
        ]
        for group in peer_store.GROUPS
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
        "answers": tuple(digest),
        "organisation": {
            k: organisation[k] for k in ("name", "credit_code", "region_code", "sector", "size")
        },
        "history": [
            (r["id"], r["submitted_at"])
            for r in peer_store.earlier_submitted(db, row["organisation_id"], row["id"])
        ],
        "peers": peer_digests,
        "self_assessment": (assessments.self_assessment_checked_by(db, row) or {}).get("id"),
        "evidence": [(f["id"], f["original_name"]) for f in evidence_store.files(db, row["id"])],
        "lang": language,
    }


def filename(organisation: dict, row: dict, language: str) -> str:
    """A readable file name without characters that file systems or headers dislike, dated by
    the local day of submission."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "", organisation["name"]).strip()[:60] or "report"
    label = "智能工厂评估报告" if language == "zh" else "smart-factory-gap-report"
    return f"{name}-{label}-{format_date(row['submitted_at'], 'yyyy-MM-dd')}-{language}.pdf"


def ascii_filename(row: dict, language: str) -> str:
    """The name for clients that cannot read the Unicode one (no company name to mangle)."""
    return (
        f"assess-report-{row['id']}-{format_date(row['submitted_at'], 'yyyy-MM-dd')}-{language}.pdf"
    )


def _cache_file(row: dict, language: str) -> Path:
    key = report.cache_key(_cache_parts(row, language))
    return Path(current_app.config["REPORT_CACHE_DIR"]) / f"{key}.pdf"


def prerender(assessment_id: int, language: str) -> None:
    """Start the PDF of a just-submitted assessment in the background, so that the download the
    user is about to ask for is ready (REPORT_PRERENDER)."""
    if not current_app.config["REPORT_PRERENDER"]:
        return
    row = assessments.get(get_db(), assessment_id)
    cache_file = _cache_file(row, language)
    if not cache_file.exists():
        report.render_in_background(render_report_html(row, language), cache_file)


submission.AFTER_SUBMIT.append(prerender)


@bp.get("/assessments/<int:assessment_id>/report")
@allow(*READERS)
def preview(assessment_id: int):
    """The report as HTML, exactly as it is printed."""
    row = _submitted(assessment_id)
    access_log.record(
        get_db(), "viewed", row["organisation_id"], assessment=row["id"], page="report"
    )
    return render_report_html(row, _report_lang())


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@allow(*READERS)
def download(assessment_id: int):
    row = _submitted(assessment_id)
    language = _report_lang()
    cache_file = _cache_file(row, language)
    try:
        if cache_file.exists():
            pdf = cache_file.read_bytes()
        else:
            html = render_report_html(row, language)
            pdf = report.render_pdf(html, cache_file, current_app.config["REPORT_TIMEOUT"])
    except report.RenderTimeout:
        return render_template(
            "error.html",
            code=503,
            message=_("The report is still being prepared. Try the download again in a minute."),
        ), 503
    db = get_db()
    organisation = organisations.get(db, row["organisation_id"])
    audit.record(
        db,
        "report_download",
        user_id=current_user.id,
        target_type="assessment",
        target_id=assessment_id,
        detail={"lang": language, "organisation_id": row["organisation_id"]},
        ip=request.remote_addr,
    )
    response = send_file(
        BytesIO(pdf),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=filename(organisation, row, language),
        max_age=0,
    )
    # our own ASCII fallback: Werkzeug's drops the Chinese and leaves "--2026-10-20-zh.pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_filename(row, language)}";'
        f" filename*=UTF-8''{quote(filename(organisation, row, language))}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
