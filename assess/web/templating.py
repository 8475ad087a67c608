"""Template helpers shared by every page: role names and the navigation per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app, request, url_for
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.declaration import listing
from assess.organisation.permissions import may_manage_organisation
from assess.privacy.agreement import asks_again
from assess.regional import regions
from assess.scoring import explain
from assess.scoring.words import score_text
from assess.store import assessments
from assess.web import questionnaires
from assess.web.i18n import lang

ROLE_LABELS = {
    "enterprise": _l("Enterprise"),
    "consultant": _l("Consultant"),
    "authority": _l("Authority"),
    "admin": _l("Administrator"),
}

# (endpoint, label, roles): shown to those roles once the endpoint exists.
NAVIGATION = [
    ("wizard.assessments", _l("My assessments"), {"enterprise"}),
    ("declaration.index", _l("Declarations"), {"enterprise"}),
    ("access.manage", _l("Consultants"), {"enterprise"}),
    ("team.index", _l("Team"), {"enterprise"}),
    ("consultant.portfolio", _l("Clients"), {"consultant"}),
    ("review.rechecks", _l("On-site re-checks"), {"consultant"}),
    ("authority.show", _l("Regional dashboard"), {"authority"}),
    ("review.queue", _l("Declarations"), {"authority"}),
    ("review.recognised", _l("Recognised factories"), {"authority"}),
    ("admin.index", _l("Administration"), {"admin"}),
    ("benchmarks.index", _l("Benchmarks"), {"authority", "admin"}),
]
# Entries for an enterprise's owner only (assess/organisation/permissions.py)
OWNER_ONLY = {"access.manage", "team.index"}


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


def landing_url(role: str) -> str:
    """Where a role starts after logging in: its first navigation entry, else the home page."""
    for endpoint, _label, roles in NAVIGATION:
        if role in roles and endpoint in current_app.view_functions:
            return url_for(endpoint)
    return url_for("home.index")


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def nav_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    shown = [
        (endpoint, label)
        for endpoint, label, roles in NAVIGATION
        if current_user.role in roles
        and endpoint in current_app.view_functions
        and (endpoint not in OWNER_ONLY or may_manage_organisation(current_user))
    ]
    # the entry of this page; else the first entry of its blueprint (two entries may share one:
    # the review queue and the recognised list)
    active = next((e for e, _label in shown if e == request.endpoint), None) or next(
        (e for e, _label in shown if e.split(".")[0] == request.blueprint), None
    )
    return [NavItem(url_for(e), str(label), e == active) for e, label in shown]


QUADRANT_LABELS = {
    "quick_win": _l("quick win"),
    "major_project": _l("major project"),
    "fill_in": _l("fill-in"),
    "deprioritise": _l("later"),
}


def quadrant_label(quadrant: str) -> str:
    return str(QUADRANT_LABELS.get(quadrant, quadrant))


def has_endpoint(name: str) -> bool:
    return name in current_app.view_functions


def parse_time(value: str | None) -> datetime | None:
    """Timestamps are stored as UTC ISO text ('2026-11-25T08:00:00Z')."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def format_datetime(value: str | None, fmt: str | None = None) -> str:
    """Date and time to the minute: seconds say nothing to a reader of an assessment list."""
    moment = parse_time(value)
    if moment is None:
        return ""
    # TRANSLATORS: a CLDR date-time pattern, written as this language writes format_date's dates
    return babel_format_datetime(moment, fmt or _("MMM d, y, HH:mm"))


def format_date(value: str | None, fmt: str = "medium") -> str:
    moment = parse_time(value)
    return babel_format_date(moment, fmt) if moment else ""


def region_scope_label(scope: str | None) -> str:
    """The area an authority scope covers; '' is the whole country."""
    return regions.scope_label(scope, lang()) if scope else str(_l("the whole country"))


def region_label(code: str) -> str:
    return regions.label(code, lang())


def _questionnaire(row: dict):
    try:
        return questionnaires.versions().of(row)
    except KeyError:
        return None


def gradient_label(row: dict) -> str:
    """The gradient level of a submitted assessment row ('' for a draft)."""
    q = _questionnaire(row)
    if row.get("status") != "submitted" or q is None:
        return ""
    return explain.pending_level_name(
        q, row["gradient_level"], assessments.subject_to_results(row), lang()
    )


def cmmm_label(row: dict) -> str:
    q = _questionnaire(row)
    if row.get("status") != "submitted" or q is None:
        return ""
    return explain.cmmm_name(q, row["cmmm_level"] or None, lang())


def pct(value) -> str:
    """A share as a percentage; a suppressed value as it is ("×" or "—")."""
    return f"{value:.0%}" if isinstance(value, float) else str(value)


def num(value, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def heat(count, total) -> str:
    """A heat-map class for a count out of a total (hidden counts get their own class)."""
    if not isinstance(count, int) or not isinstance(total, int) or not total:
        return "heat-hidden"
    return f"heat-{min(5, int(6 * count / total))}"


def declaration_labels() -> dict:
    """The words of the programme (statuses, tiers, outcomes, acts, attachment kinds) in the
    page's language, from the one place the exports read them too."""
    language = lang()
    return {
        name: (lambda value, f=f: f(value, language))
        for name, f in (
            ("status_label", listing.status_label),
            ("tier_label", listing.tier_label),
            ("outcome_label", listing.outcome_label),
            ("check_label", listing.check_label),
            ("checks_label", listing.checks_label),
            ("act_label", listing.act_label),
            ("kind_label", listing.kind_label),
        )
    }


def privacy_asks_again() -> bool:
    """Whether the signed-in account agreed to an older privacy notice (every page asks it to
    read the one in force: base.html)."""
    return current_user.is_authenticated and asks_again(current_user.privacy_version)


def init_app(app: Flask) -> None:
    app.context_processor(declaration_labels)
    app.jinja_env.globals.update(
        pct=pct,
        num=num,
        heat=heat,
        role_label=role_label,
        nav_items=nav_items,
        quadrant_label=quadrant_label,
        has_endpoint=has_endpoint,
        format_datetime=format_datetime,
        format_date=format_date,
        format_decimal=format_decimal,
        score_text=score_text,
        region_label=region_label,
        region_scope_label=region_scope_label,
        gradient_label=gradient_label,
        cmmm_label=cmmm_label,
        privacy_asks_again=privacy_asks_again,
    )
