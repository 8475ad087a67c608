"""A consultant's portfolio: clients that granted access, on-site assessments, exports."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.security import generate_password_hash
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from assess.assessment import answering, submission
from assess.organisation.permissions import consultant_has_access, deny, may_see
from assess.report import exports
from assess.store import assessments, audit, grants, organisations
from assess.store.database import write_transaction
from assess.views.register import RegistrationForm, fill_choices, valid_credit_code
from assess.web import questionnaires
from assess.web import read_log as access_log
from assess.web.access import allow
from assess.web.database import get_db
from assess.web.forms import Form

bp = Blueprint("consultant", __name__)


class RequestForm(Form):
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(max=40)]
    )

    def validate_credit_code(self, field):
        field.data = valid_credit_code(field.data)


class ClientForm(RegistrationForm):
    """The enterprise's details, entered by its consultant (no account, no password)."""

    email = password = confirm = None


def _client(organisation_id: int) -> dict:
    """A client organisation of the current consultant, or 404 (no grant, or revoked)."""
    db = get_db()
    if not consultant_has_access(db, current_user.id, organisation_id):
        deny(db, current_user, "organisation", organisation_id)
    return organisations.get(db, organisation_id)


def portfolio_rows(db, consultant_id: int) -> list[dict]:
    """Each client with its latest self-assessment, latest verified one and any draft."""
    rows = []
    for org in grants.clients(db, consultant_id):
        history = assessments.for_organisation(db, org["id"])
        self_done = next(
            (a for a in history if a["mode"] == "self" and a["status"] == "submitted"), None
        )
        verified = next(
            (
                a
                for a in history
                if a["mode"] == "consultant"
                and a["status"] == "submitted"
                and a["consultant_id"] == consultant_id
            ),
            None,
        )
        draft = next(
            (
                a
                for a in history
                if a["mode"] == "consultant"
                and a["status"] == "draft"
                and a["consultant_id"] == consultant_id
            ),
            None,
        )
        rows.append({"organisation": org, "self": self_done, "verified": verified, "draft": draft})
    return rows


@bp.get("/consultant")
@allow("consultant")
def portfolio():
    db = get_db()
    return render_template(
        "consultant/portfolio.html",
        rows=portfolio_rows(db, current_user.id),
        pending=grants.pending_for_consultant(db, current_user.id, current_user.email),
        form=RequestForm(),
    )


@bp.post("/consultant/requests")
@allow("consultant")
def request_access():
    """Ask an enterprise (by its credit code) for access; it accepts under 'Consultants'."""
    form = RequestForm()
    db = get_db()
    if form.validate_on_submit():
        org = organisations.get_by_credit_code(db, form.credit_code.data)
        if org is None:
            flash(
                _(
                    "No enterprise is registered with this code. You can register it as a new client."
                ),
                "error",
            )
        elif consultant_has_access(db, current_user.id, org["id"]):
            flash(_("You already have access to this enterprise."), "info")
        else:
            with write_transaction(db):
                # checked inside the transaction: a double submit sends one request
                already = grants.open_request(db, org["id"], current_user.id)
                if already is None:
                    grants.request_access(db, org["id"], current_user.id)
                    audit.record(
                        db,
                        "grant_requested",
                        user_id=current_user.id,
                        target_type="organisation",
                        target_id=org["id"],
                        ip=request.remote_addr,
                    )
            if already is None:
                flash(
                    _(
                        "Request sent. The enterprise sees it under “Consultants” and can accept it."
                    ),
                    "success",
                )
            else:
                flash(_("You have already asked this enterprise; it has not answered yet."), "info")
    else:
        for error in form.credit_code.errors:
            flash(str(error), "error")
    return redirect(url_for("consultant.portfolio"))


@bp.post("/consultant/requests/<int:grant_id>/withdraw")
@allow("consultant")
def withdraw_request(grant_id: int):
    """Withdraw a request for access that the enterprise has not answered."""
    db = get_db()
    with write_transaction(db):
        if not grants.withdraw(db, grant_id, current_user.id):
            abort(404)
        audit.record(
            db,
            "grant_withdrawn",
            user_id=current_user.id,
            target_type="grant",
            target_id=grant_id,
            ip=request.remote_addr,
        )
    flash(_("Request withdrawn."), "success")
    return redirect(url_for("consultant.portfolio"))


@bp.post("/consultant/invitations/<int:grant_id>/accept")
@allow("consultant")
def accept_invitation(grant_id: int):
    db = get_db()
    grant = grants.get(db, grant_id)
    mine = grant is not None and grants.addressed_to(grant, current_user.id, current_user.email)
    if (
        not mine
        or grant["direction"] != "invitation"
        or grant["accepted_at"]
        or grant["revoked_at"]
    ):
        abort(404)
    with write_transaction(db):
        grants.accept(db, grant_id, current_user.id)
        audit.record(
            db,
            "grant_accepted",
            user_id=current_user.id,
            target_type="grant",
            target_id=grant_id,
            detail={"organisation_id": grant["organisation_id"]},
            ip=request.remote_addr,
        )
    flash(_("Invitation accepted: the enterprise is now one of your clients."), "success")
    return redirect(url_for("consultant.client", organisation_id=grant["organisation_id"]))


@bp.route("/consultant/clients/new", methods=["GET", "POST"])
@allow("consultant")
def register_client():
    """Register a client that has no account yet; it claims the account later with a code."""
    form = ClientForm()
    fill_choices(form)
    claim_code = None
    if form.refresh.data:
        return render_template("consultant/register_client.html", form=form)
    region_code = form.validated_region()
    if region_code is not None:
        db = get_db()
        existing = organisations.get_by_credit_code(db, form.credit_code.data)
        mine = existing is not None and existing["registered_by"] == current_user.id
        if mine and consultant_has_access(db, current_user.id, existing["id"]):
            # sent again (a reload of the confirmation page): the client is there already
            flash(
                _(
                    "You registered this enterprise already. If its claim code is lost, make a"
                    " new one here."
                ),
                "info",
            )
            return redirect(url_for("consultant.client", organisation_id=existing["id"]))
        if existing is not None:
            form.credit_code.errors.append(
                _("This enterprise is already registered: ask it for access with its credit code.")
            )
        else:
            with write_transaction(db):
                organisation_id = organisations.create(
                    db,
                    name=form.name.data,
                    credit_code=form.credit_code.data,
                    region_code=region_code,
                    sector=form.sector.data,
                    size=form.size.data,
                    contact_name=form.contact_name.data,
                    contact_phone=form.contact_phone.data or "",
                )
                grants.grant_registered(db, organisation_id, current_user.id)
                claim_code = _hand_over_code(db, organisation_id, "client_registered")
            return _show_code(db, organisation_id, claim_code, renewed=False)
    return render_template("consultant/register_client.html", form=form)


@bp.get("/consultant/clients/<int:organisation_id>")
@allow("consultant")
def client(organisation_id: int):
    org = _client(organisation_id)
    db = get_db()
    history = [
        a for a in assessments.for_organisation(db, organisation_id) if may_see(db, current_user, a)
    ]
    access_log.record(db, "client_viewed", organisation_id)
    return render_template(
        "consultant/client.html",
        organisation=org,
        rows=history,
        draft=next((a for a in history if a["status"] == "draft"), None),
        has_self=any(a["mode"] == "self" and a["status"] == "submitted" for a in history),
        may_renew_code=org["registered_by"] == current_user.id and bool(org["claim_code_hash"]),
    )


def _hand_over_code(db, organisation_id: int, action: str) -> str:
    """A new claim code for a client of the current consultant, recorded as `action`: the code
    the enterprise types once to take over its account ("1F13-A2A7-2FCB"); only its hash is
    kept. Run in a write transaction."""
    claim_code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    organisations.set_claim_code(
        db, organisation_id, generate_password_hash(claim_code), current_user.id
    )
    audit.record(
        db,
        action,
        user_id=current_user.id,
        target_type="organisation",
        target_id=organisation_id,
        ip=request.remote_addr,
    )
    return claim_code


def _show_code(db, organisation_id: int, claim_code: str, renewed: bool):
    return render_template(
        "consultant/client_registered.html",
        claim_code=claim_code,
        organisation=organisations.get(db, organisation_id),
        renewed=renewed,
    )


@bp.post("/consultant/clients/<int:organisation_id>/claim-code")
@allow("consultant")
def renew_claim_code(organisation_id: int):
    """A new claim code for a client this consultant registered and that has not claimed its
    account yet (the first was lost); the old code stops working."""
    org = _client(organisation_id)
    if org["registered_by"] != current_user.id or not org["claim_code_hash"]:
        abort(404)
    db = get_db()
    with write_transaction(db):
        claim_code = _hand_over_code(db, organisation_id, "claim_code_renewed")
    return _show_code(db, organisation_id, claim_code, renewed=True)


@bp.post("/consultant/clients/<int:organisation_id>/assessments")
@allow("consultant")
def start_on_site(organisation_id: int):
    """An on-site assessment, pre-filled from the client's latest self-assessment if any."""
    _client(organisation_id)
    db = get_db()
    q = questionnaires.latest()
    with write_transaction(db):
        draft = assessments.draft_for(
            db, organisation_id, mode="consultant", consultant_id=current_user.id
        )
        if draft is not None:
            return redirect(url_for("wizard.resume", assessment_id=draft["id"]))
        assessment_id = assessments.create(
            db,
            organisation_id=organisation_id,
            questionnaire=q,
            created_by=current_user.id,
            mode="consultant",
            consultant_id=current_user.id,
        )
        own = assessments.latest_submitted(db, organisation_id, mode="self")
        if own is not None and request.form.get("prefill") == "self":
            answering.carry_over(db, q, own["id"], assessment_id, current_user.id)
        else:
            submission.profile_from_organisation(db, q, assessment_id)
        audit.record(
            db,
            "assessment_started",
            user_id=current_user.id,
            target_type="assessment",
            target_id=assessment_id,
            detail={"mode": "consultant"},
            ip=request.remote_addr,
        )
    # the consultant goes through the pages to check each answer, from the first one
    return redirect(url_for("wizard.page", assessment_id=assessment_id, page_id="profile"))


@bp.get("/consultant/portfolio.<fmt>")
@allow("consultant")
def export(fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    db = get_db()
    headers, rows = exports.portfolio_table(portfolio_rows(db, current_user.id))
    audit.record(
        db,
        "export",
        user_id=current_user.id,
        target_type="portfolio",
        detail={"format": fmt},
        ip=request.remote_addr,
    )
    return exports.respond(fmt, "portfolio", _("Clients"), headers, rows)
