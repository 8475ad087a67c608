"""Local authorities: the dashboard of their region (drill down, period), twins and exports."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from assess.regional import figures
from assess.regional.dashboard import dashboard_data
from assess.regional.periods import quarter_ends
from assess.report import charts, pdf
from assess.report.dashboard_tables import dashboard_tables, legend, shares_note, table_labels
from assess.report.exports import FORMATS
from assess.store import audit
from assess.store.regional import Scope
from assess.translation import today_in_china
from assess.web import questionnaires, read_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.documents import pdf_download
from assess.web.downloads import respond, respond_workbook
from assess.web.i18n import lang
from assess.web.login import current_actor, current_authority

bp = Blueprint("authority", __name__)


def requested_scope() -> Scope:
    """The scope asked for (?region=, ?park=, ?as_of=), inside the user's own; 404 outside."""
    scope = figures.scope_for(
        get_db(),
        current_authority(),
        request.args.get("region", ""),
        request.args.get("park", type=int),
        request.args.get("as_of") or None,
    )
    if scope == figures.Refused("period"):
        _refuse_period()
    if isinstance(scope, figures.Refused):
        abort(404)
    return scope


def _refuse_period() -> None:
    message = _("Choose a period from the list: the end of one of the last eight quarters.")
    if request.path.endswith(".json"):
        abort(make_response(jsonify({"error": 400, "message": message}), 400))
    abort(make_response(render_template("error.html", code=400, message=message), 400))


def _links(scope: Scope) -> dict:
    """The query of this dashboard (region, park, period) for its links: nothing else."""
    links = {
        "region": request.args.get("region") or None,
        "park": request.args.get("park", type=int),
        "as_of": scope.as_of,
    }
    return {name: value for name, value in links.items() if value is not None}


@bp.get("/authority")
@allow("authority")
def show():
    scope = requested_scope()
    language = lang()
    data = dashboard_data(get_db(), questionnaires.latest(), scope, language)
    return render_template(
        "authority/dashboard.html",
        data=data,
        scope=scope,
        legend=legend(language),
        shares_note=shares_note(language),
        charts=_charts(data),
        quarter_ends=quarter_ends(),
        back=_parent_link(scope),
        links=_links(scope),
        csv_tables=[
            (name, table_labels(language)[name]) for name in dashboard_tables(data, language)
        ],
        region_link=lambda row: url_for("authority.show", region=row["code"], as_of=scope.as_of),
        recognised_link=url_for("review.recognised"),
        park_link=lambda row: url_for("authority.show", park=row["park_id"], as_of=scope.as_of),
    )


def _charts(data: dict) -> dict:
    total = data["enterprises"]
    shares = [
        row["count"] / total
        if isinstance(row["count"], int) and isinstance(total, int) and total
        else None
        for row in data["levels"]
    ]
    share = data["cmmm_2_plus_share"]
    return {
        "levels": charts.distribution(data["level_names"], shares, None, _("Smart-factory levels")),
        "target": charts.target_bar(
            share if isinstance(share, float) else None,
            data["targets"],
            _("Share at capability maturity level 2 or above, against the plan's targets"),
            _("Maturity level 2 or above"),
        ),
        "trend": charts.trend(
            [
                (
                    _("now") if row["now"] else quarter_label(row["period"]),
                    date.fromisoformat(row["period"]),
                    row["share"],
                )
                for row in data["trend"]
            ],
            [
                (_("end of %(year)s", year=o["year"]), date(o["year"], 12, 31), o["projected"])
                for o in data["outlook"]
                if o["projected"] is not None
            ],
            {str(o["year"]): o["target"] for o in data["outlook"]},
            _("Share at capability maturity level 2 or above by quarter, and at the current pace"),
            _("at the current pace"),
        )
        if data["trend"]
        else None,
    }


def quarter_label(day: str) -> str:
    """2026-06-30 -> 2026-Q2."""
    return f"{day[:4]}-Q{(int(day[5:7]) + 2) // 3}"


@bp.get("/authority/dashboard.json")
@allow("authority")
def show_json():
    return jsonify(dashboard_data(get_db(), questionnaires.latest(), requested_scope(), lang()))


def _parent_link(scope: Scope) -> str | None:
    """The scope one level up, if still inside the user's own."""
    own = current_user.region_scope or ""
    if scope.park_id is not None and current_user.park_id is None:
        return url_for("authority.show", region=scope.prefix.ljust(6, "0"), as_of=scope.as_of)
    if len(scope.prefix) > len(own):
        parent = scope.prefix[:-2]
        return url_for(
            "authority.show", region=parent.ljust(6, "0") if parent else None, as_of=scope.as_of
        )
    return None


@bp.get("/authority/export.<fmt>")
@allow("authority")
def export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    scope = requested_scope()
    language = lang()
    data = dashboard_data(get_db(), questionnaires.latest(), scope, language)
    tables = dashboard_tables(data, language)
    name = request.args.get("table", "levels" if fmt == "csv" else "")
    read_log.record_export(
        get_db(),
        "dashboard",
        {
            "format": fmt,
            "scope": scope.prefix,
            "park": scope.park_id,
            "as_of": scope.as_of,
            "table": name,
        },
    )
    if fmt == "csv":
        if name not in tables:
            abort(404)
        headers, rows = tables[name]
        return respond("csv", f"{_file_stem(scope)}-{name}", name, headers, rows)
    sheets = {table_labels(language)[key]: table for key, table in tables.items()}
    return respond_workbook(_file_stem(scope), sheets)


def _file_stem(scope: Scope) -> str:
    """What a download is of, in its name: dashboard-32-2026-09-30, dashboard-cn-now,
    dashboard-320505-park-3-now."""
    where = scope.prefix or "cn"
    if scope.park_id is not None:
        where += f"-park-{scope.park_id}"
    return f"dashboard-{where}-{scope.as_of or 'now'}"


@bp.get("/authority/report.pdf")
@allow("authority")
def regional_report():
    """The regional summary as a PDF (same charts and pipeline as the enterprise report)."""
    scope = requested_scope()
    language = request.args.get("lang")
    if language not in current_app.config["LANGUAGES"]:
        language = lang()
    with force_locale(language):
        data = dashboard_data(get_db(), questionnaires.latest(), scope, language)
        html = render_template(
            "report/regional.html",
            data=data,
            scope=scope,
            legend=legend(language),
            shares_note=shares_note(language),
            charts=_charts(data),
            generated=today_in_china().isoformat(),
            region_link=None,
            park_link=None,
        )
    stem = _file_stem(scope).removeprefix("dashboard-")
    return pdf_download(
        pdf.cache_key({"regional": html}),
        lambda: html,
        f"regional-summary-{stem}-{language}.pdf",
        f"regional-summary-{stem}-{language}.pdf",
        back=url_for("authority.show", **_links(scope)),
        on_sent=lambda: audit.record_by(
            get_db(),
            current_actor(),
            "report_download",
            target_type="region",
            target_id=scope.prefix,
            detail={"park": scope.park_id, "lang": language},
        ),
    )
