"""Who an enterprise really is: verifying an organisation's identity (an administrator, its
consultant on site, the authority reviewing its declaration) and the administrator's list of
unverified enterprises."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.organisation import verification
from assess.store import organisations
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.guards import client_of, visible_declaration
from assess.web.login import current_actor

bp = Blueprint("verification", __name__)
OUTCOMES = {
    None: (_l("The enterprise's identity is verified."), "success"),
    "already": (_l("The enterprise's identity was verified already."), "info"),
}


def _verified(organisation_id: int, how: str):
    outcome = verification.verify(get_db(), organisation_id, current_actor(), how)
    if outcome not in OUTCOMES:
        abort(404)
    message, category = OUTCOMES[outcome]
    flash(str(message), category)


@bp.get("/admin/identities")
@allow("admin")
def unverified():
    """The enterprises whose identity nobody has verified yet."""
    return render_template("admin/identities.html", rows=organisations.unverified(get_db()))


@bp.post("/admin/organisations/<int:organisation_id>/verify")
@allow("admin")
def verify_by_admin(organisation_id: int):
    """Verified from the business licence the enterprise sent to the administrator."""
    _verified(organisation_id, "admin")
    return redirect(url_for("verification.unverified"))


@bp.post("/consultant/clients/<int:organisation_id>/verify-identity")
@allow("consultant")
def verify_on_site(organisation_id: int):
    """The consultant saw on site that the enterprise is the one with this credit code."""
    client_of(organisation_id)
    _verified(organisation_id, "consultant")
    return redirect(url_for("consultant.client", organisation_id=organisation_id))


@bp.post("/review/declarations/<int:declaration_id>/verify-identity")
@allow("authority")
def verify_by_authority(declaration_id: int):
    """The reviewing authority checked the business licence of the declaration."""
    row = visible_declaration(get_db(), current_user, declaration_id)
    _verified(row["organisation_id"], "authority")
    return redirect(url_for("review.show", declaration_id=declaration_id))
