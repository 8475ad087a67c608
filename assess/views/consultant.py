"""A consultant's portfolio: clients that granted access, on-site assessments, exports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from assess.assessment.starting import start_on_site as start_on_site_assessment
from assess.organisation import consultant_access, registration
from assess.organisation import firms as consultancies
from assess.organisation.permissions import may_see
from assess.organisation.portfolio import STATUSES, Filters, portfolio_rows, status_names
from assess.report import exports, signed
from assess.store import assessments, firms, grants, organisations
from assess.web import questionnaires, read_log
from assess.web.access import allow, proven
from assess.web.database import get_db
from assess.web.downloads import respond
from assess.web.forms.registration import (
    ClientForm,
    CreditCodeForm,
    details_of,
    fill_choices,
)
from assess.web.guards import client_of
from assess.web.i18n import lang
from assess.web.ids import id_form
from assess.web.login import current_actor
from assess.web.reassessment import flash_new_version

bp = Blueprint("consultant", __name__)

REQUEST_SENT = _l(
    "Request sent. If an enterprise with this credit code is registered, or registers later,"
    " it sees your request under “Consultants” and can accept it; it then appears among your"
    " clients."
)
REQUEST_REFUSALS = {
    "has_access": (_l("You already have access to this enterprise."), "info"),
    "request_waiting": (
        _l("You have already asked for access with this credit code; it has not been answered."),
        "info",
    ),
}

WITHDRAWN_SHOWN_DAYS = 90  # the clients page says which clients withdrew access this recently


@bp.get("/consultant")
@allow("consultant")
def portfolio():
    """The consultant's clients with their status, filtered by the query (status, over-claims
    only, part of a name or credit code)."""
    db = get_db()
    filters = Filters.parse(request.args)
    return render_template(
        "consultant/portfolio.html",
        rows=portfolio_rows(db, current_user.id, questionnaires.versions(), filters),
        filters=filters,
        statuses=STATUSES,
        status_names=status_names(lang()),
        firm=firms.of_user(db, current_user.id),
        pending=grants.pending_for_consultant(db, current_user.id, current_user.email),
        # clients that withdrew access in the last WITHDRAWN_SHOWN_DAYS: said, not just gone
        withdrawn=grants.withdrawn_clients(
            db,
            current_user.id,
            (datetime.now(UTC) - timedelta(days=WITHDRAWN_SHOWN_DAYS)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
        ),
        # the reports signed for enterprises that withdrew access: theirs to keep, as signed
        signed_copies=signed.of_former_clients(db, current_user.id),
        form=CreditCodeForm(),
    )


@bp.post("/consultant/requests")
@allow("consultant")
@proven
def request_access():
    """Ask an enterprise (by its credit code) for access; it accepts under 'Consultants'."""
    form = CreditCodeForm()
    if form.validate_on_submit():
        refused = consultant_access.request_access(get_db(), form.credit_code.data, current_actor())
        if refused is None:
            flash(str(REQUEST_SENT), "success")
        else:
            message, category = REQUEST_REFUSALS[refused.reason]
            flash(str(message), category)
    else:
        for error in form.credit_code.errors:
            flash(str(error), "error")
    return redirect(url_for("consultant.portfolio"))


@bp.post("/consultant/requests/<int:grant_id>/withdraw")
@allow("consultant")
def withdraw_request(grant_id: int):
    """Withdraw a request for access that the enterprise has not answered."""
    if not consultant_access.withdraw_request(get_db(), grant_id, current_actor()):
        abort(404)
    flash(_("Request withdrawn."), "success")
    return redirect(url_for("consultant.portfolio"))


@bp.post("/consultant/invitations/<int:grant_id>/accept")
@allow("consultant")
@proven
def accept_invitation(grant_id: int):
    grant = consultant_access.accept_own_invitation(
        get_db(), grant_id, current_actor(), current_user.email
    )
    if grant is None:
        abort(404)
    flash(_("Invitation accepted: the enterprise is now one of your clients."), "success")
    return redirect(url_for("consultant.client", organisation_id=grant["organisation_id"]))


@bp.route("/consultant/clients/new", methods=["GET", "POST"])
@allow("consultant")
@proven
def register_client():
    """Register a client that has no account yet; it claims the account later with a code."""
    form = ClientForm()
    fill_choices(form)
    if form.refresh.data:
        return render_template("consultant/register_client.html", form=form)
    region_code = form.validated_region()
    if region_code is not None:
        db = get_db()
        outcome = registration.register_client(db, details_of(form, region_code), current_actor())
        if isinstance(outcome, registration.ClientRegistered):
            return _show_code(outcome.organisation_id, outcome.claim_code, renewed=False)
        if isinstance(outcome, registration.AlreadyYours):
            # sent again (a reload of the confirmation page): the client is there already
            flash(
                _(
                    "You registered this enterprise already. If its claim code is lost, make a"
                    " new one here."
                ),
                "info",
            )
            return redirect(url_for("consultant.client", organisation_id=outcome.organisation_id))
        form.credit_code.errors.append(
            _("This enterprise is already registered: ask it for access with its credit code.")
        )
    return render_template("consultant/register_client.html", form=form)


@bp.get("/consultant/clients/<int:organisation_id>")
@allow("consultant")
def client(organisation_id: int):
    org = client_of(organisation_id)
    db = get_db()
    history = [
        a for a in assessments.for_organisation(db, organisation_id) if may_see(db, current_user, a)
    ]
    read_log.record(db, "client_viewed", organisation_id)
    return render_template(
        "consultant/client.html",
        organisation=org,
        rows=history,
        draft=next((a for a in history if a["status"] == "draft"), None),
        has_self=any(a["mode"] == "self" and a["status"] == "submitted" for a in history),
        may_renew_code=org["registered_by"] == current_user.id and bool(org["claim_code_hash"]),
        colleagues=consultancies.colleagues(db, current_user.id),
    )


HAND_OVER_REFUSALS = {
    "not_yours": _l("This client's access is not yours to hand over."),
    "same_consultant": _l("Choose a colleague: the client is already yours."),
    "not_colleague": _l("A client can be handed over only to a consultant of your own firm."),
    "receiver_has_draft": _l(
        "Your colleague has an on-site assessment of this client in progress already: one of"
        " the two must be finished first."
    ),
}


@bp.post("/consultant/clients/<int:organisation_id>/hand-over")
@allow("consultant")
def hand_over(organisation_id: int):
    """Hand a client to a colleague of the same firm: the grant and any on-site draft follow."""
    client_of(organisation_id)
    to_id = id_form("to")
    outcome = (
        consultancies.hand_over(get_db(), organisation_id, to_id, current_actor())
        if to_id is not None
        else consultancies.Refused("not_colleague")
    )
    if isinstance(outcome, consultancies.Refused):
        flash(str(HAND_OVER_REFUSALS[outcome.reason]), "error")
        return redirect(url_for("consultant.client", organisation_id=organisation_id))
    flash(
        _(
            "%(name)s now holds this client's access; the enterprise sees the change.",
            name=outcome.to_name,
        ),
        "success",
    )
    return redirect(url_for("consultant.portfolio"))


def _show_code(organisation_id: int, claim_code: str, renewed: bool):
    return render_template(
        "consultant/client_registered.html",
        claim_code=claim_code,
        organisation=organisations.get(get_db(), organisation_id),
        renewed=renewed,
    )


@bp.post("/consultant/clients/<int:organisation_id>/claim-code")
@allow("consultant")
def renew_claim_code(organisation_id: int):
    """A new claim code for a client this consultant registered and that has not claimed its
    account yet (the first was lost); the old code stops working."""
    client_of(organisation_id)
    claim_code = registration.renew_claim_code(get_db(), organisation_id, current_actor())
    if claim_code is None:
        abort(404)
    return _show_code(organisation_id, claim_code, renewed=True)


@bp.post("/consultant/clients/<int:organisation_id>/assessments")
@allow("consultant")
def start_on_site(organisation_id: int):
    """An on-site assessment, pre-filled from the client's latest self-assessment if any."""
    client_of(organisation_id)
    started = start_on_site_assessment(
        get_db(),
        questionnaires.versions(),
        organisation_id,
        current_actor(),
        carry_over=request.form.get("prefill") == "self",
    )
    if started.resumed:
        return redirect(url_for("wizard.resume", assessment_id=started.assessment_id))
    flash_new_version(started)
    # the consultant goes through the pages to check each answer, from the first one
    return redirect(url_for("wizard.page", assessment_id=started.assessment_id, page_id="profile"))


@bp.get("/consultant/portfolio.<fmt>")
@allow("consultant")
def export(fmt: str):
    """The portfolio as the page shows it (the same filters), as CSV or Excel."""
    if fmt not in exports.FORMATS:
        abort(404)
    db = get_db()
    versions = questionnaires.versions()
    filters = Filters.parse(request.args)
    headers, rows = exports.portfolio_table(
        portfolio_rows(db, current_user.id, versions, filters), versions, lang()
    )
    read_log.record_export(db, "portfolio", {"format": fmt, **filters.arguments()})
    return respond(fmt, "portfolio", _("Clients"), headers, rows)
