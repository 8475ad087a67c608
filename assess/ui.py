"""Template helpers shared by every page: role names and the navigation per role."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

ROLE_LABELS = {
    "enterprise": _l("Enterprise"),
    "consultant": _l("Consultant"),
    "authority": _l("Authority"),
    "admin": _l("Administrator"),
}

# (endpoint, label, roles): shown to those roles once the endpoint exists.
NAVIGATION = [
    ("wizard.assessments", _l("My assessments"), {"enterprise"}),
    ("consultant.portfolio", _l("Clients"), {"consultant"}),
    ("authority.dashboard", _l("Regional dashboard"), {"authority"}),
    ("admin.index", _l("Administration"), {"admin"}),
]


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def nav_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, roles in NAVIGATION:
        if current_user.role in roles and endpoint in current_app.view_functions:
            blueprint = endpoint.split(".")[0]
            items.append(NavItem(url_for(endpoint), str(label), request.blueprint == blueprint))
    return items


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(role_label=role_label, nav_items=nav_items)
