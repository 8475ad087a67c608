"""Provincial sector benchmarks of the results indicators: an authority sets those of its own
province, an administrator those of any; every result they decide is re-scored at once."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.regional import benchmarks, regions
from assess.scoring.answers import number_text
from assess.store import benchmarks as benchmark_store
from assess.web import questionnaires
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.i18n import lang
from assess.web.login import current_actor
from assess.web.questions import field_name

bp = Blueprint("benchmarks", __name__)
FIELD_ERRORS = {
    "invalid_value": _l("Enter a number, for example 1.5."),
    "out_of_range": _l("The number is outside the range of this indicator."),
    "invalid_year": _l("Enter the four-digit year the benchmark is for."),
    "source_required": _l("Say where the benchmark comes from (e.g. the statistics yearbook)."),
    "source_too_long": _l("Keep the source under 200 characters."),
    "unknown": _l("Choose a sector from the list."),
}


def _province(code: str) -> str:
    """A province's two-digit code the user may see; 404 otherwise."""
    region = regions.get(code.ljust(6, "0")) if len(code) == 2 and code.isdigit() else None
    if region is None or region.level != "province":
        abort(404)
    if not benchmarks.may_view(current_user.role, current_user.region_scope, code):
        abort(404)
    return code


def _may_set(province: str) -> bool:
    return benchmarks.may_set(
        current_user.role, current_user.region_scope, current_user.park_id, province
    )


def _sectors() -> list[tuple[str, str]]:
    q = questionnaires.latest()
    return [(o.id, o.label.get(lang())) for o in q.options_of(q.items["profile.sector"])]


@bp.get("/benchmarks")
@allow("authority", "admin")
def index():
    """The provinces whose benchmarks the user sees: its own province at once, else a list."""
    scope = current_user.region_scope or ""
    if current_user.role == "authority" and scope:
        return redirect(url_for("benchmarks.sheet", province=scope[:2]))
    counts = benchmark_store.counts(get_db())
    provinces = [r for r in regions.children(None) if not r.placeholder]
    return render_template(
        "benchmarks/index.html",
        provinces=[(r.code[:2], r.name(lang()), counts.get(r.code[:2], 0)) for r in provinces],
    )


@bp.route("/benchmarks/<province>", methods=["GET", "POST"])
@allow("authority", "admin")
def sheet(province: str):
    """One province's benchmarks of one sector; a post sets them, all or none."""
    province = _province(province)
    sectors = _sectors()
    known = {key for key, _label in sectors}
    sector = (request.form if request.method == "POST" else request.args).get("sector", "")
    if sector not in known:
        sector = sectors[0][0]
    editable = _may_set(province)
    errors: dict[str, dict[str, str]] = {}
    if request.method == "POST":
        if not editable:
            abort(403)
        entries = {
            key: benchmarks.Entry(
                request.form.get(field_name(key) + "--value", ""),
                request.form.get(field_name(key) + "--year", ""),
                request.form.get(field_name(key) + "--source", ""),
            )
            for key in benchmarks.indicators(questionnaires.versions())
        }
        saved = benchmarks.save(
            get_db(), questionnaires.versions(), province, sector, entries, current_actor()
        )
        if not saved.refused:
            flash(_saved_message(saved), "success")
            return redirect(url_for("benchmarks.sheet", province=province, sector=sector))
        errors = saved.errors
    db = get_db()
    return render_template(
        "benchmarks/sheet.html",
        province=province,
        province_name=regions.label(province.ljust(6, "0"), lang()),
        sectors=sectors,
        sector=sector,
        per_sector=benchmarks.set_per_sector(db, province),
        lines=benchmarks.sheet(db, questionnaires.versions(), province, sector),
        editable=editable,
        errors={
            key: {f: str(FIELD_ERRORS[c]) for f, c in found.items()}
            for key, found in errors.items()
        },
        posted=request.form if errors else None,
        field_name=field_name,
        shown=_shown,
    ), (422 if errors else 200)


def _shown(stored: dict, part: str) -> str:
    """A stored benchmark's field as the form shows it (a value without a trailing .0)."""
    return number_text(stored[part]) if part == "value" else str(stored[part])


def _saved_message(saved: benchmarks.Saved) -> str:
    if not saved.changed:
        return _("Nothing changed.")
    return _(
        "Benchmarks saved (%(changed)s changed). %(rescored)s submitted results of this sector"
        " and province were scored again; %(moved)s of them changed level.",
        changed=saved.changed,
        rescored=saved.rescored,
        moved=saved.moved,
    )
