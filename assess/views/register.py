"""Registration of an enterprise: the organisation and its first account."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from assess.organisation.registration import Account, Refused
from assess.organisation.registration import register as register_enterprise
from assess.privacy import NOTICE_VERSION
from assess.store import organisations
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.forms.registration import RegistrationForm, details_of, fill_choices
from assess.web.i18n import lang
from assess.web.login import start_session

bp = Blueprint("register", __name__)


@bp.route("/register", methods=["GET", "POST"])
@allow(PUBLIC)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegistrationForm()
    fill_choices(form)
    if form.refresh.data:  # without JavaScript: reload the city and county lists
        return render_template("register/register.html", form=form, offers=())
    offers = set()
    region_code = form.validated_region()
    if region_code is not None:
        account = Account(
            form.email.data,
            form.password.data,
            lang(),
            form.claim_code.data or "",
            NOTICE_VERSION,
            contest=bool(form.contest.data),
        )
        outcome = register_enterprise(
            get_db(),
            details_of(form, region_code, contact_email=form.email.data),
            account,
            request.remote_addr or "",
        )
        if isinstance(outcome, Refused):
            _show_refusal(form, outcome.reason)
            offers.add(outcome.reason)
        elif outcome["organisation_id"] and form.contest.data and _stand_in(outcome):
            start_session(outcome)
            flash(
                _(
                    "Registered under a stand-in code. Confirm your e-mail address, then send"
                    " your business licence to contest the credit code."
                ),
                "success",
            )
            return redirect(url_for("contests.claimant"))
        else:
            start_session(outcome)
            flash(
                _("Welcome. Your enterprise is registered; start your first assessment."),
                "success",
            )
            return redirect(url_for("wizard.assessments"))
    return render_template("register/register.html", form=form, offers=offers)


def _stand_in(account: dict) -> bool:
    """The new account's enterprise was registered to contest a taken credit code."""
    return organisations.get(get_db(), account["organisation_id"])["credit_code"].startswith(
        "pending:"
    )


def _show_refusal(form: RegistrationForm, reason: str) -> None:
    if reason == "email_taken":
        form.email.errors.append(
            _("An account with this e-mail already exists. Log in, or use another e-mail.")
        )
    elif reason == "claim_code_wrong":
        form.claim_code.errors.append(
            _(
                "This enterprise was registered by its consultant. Enter the claim code the "
                "consultant gave you (like AB12-CD34-EF56), or ask the consultant for it."
            )
        )
    elif reason == "too_many":
        form.email.errors.append(
            _(
                "Too many enterprises were registered from your network in the last hour. Try"
                " again later, or contact %(contact)s.",
                contact=current_app.config["SUPPORT_CONTACT"],
            )
        )
    elif reason == "claim_blocked":
        form.claim_code.errors.append(
            _("Too many wrong claim codes. Wait 15 minutes, or ask the consultant for the code.")
        )
    else:
        form.credit_code.errors.append(
            _(
                "An enterprise with this credit code is already registered. Ask its owner on this"
                " service (the colleague who registered it) to invite you: on the Team page they"
                " enter your e-mail and a role, and you get an e-mail with a link to join. If"
                " the code is your company's and someone else registered it, tick “contest”"
                " below and register again. Otherwise contact %(contact)s.",
                contact=current_app.config["SUPPORT_CONTACT"],
            )
        )
