"""An enterprise's team: members and invitations, sections assigned, who answered what and
when, ownership; a colleague accepting an invitation; the company profile."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from assess.organisation import team
from assess.organisation.permissions import may_manage_organisation
from assess.privacy import NOTICE_VERSION
from assess.questionnaire.sections import sections
from assess.regional import profile, regions
from assess.store import assessments, organisations
from assess.store import team as team_store
from assess.web import questionnaires
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.forms.new_account import JoinForm
from assess.web.forms.registration import (
    RegistrationForm,
    fill_choices,
    validate_email_address,
)
from assess.web.forms.team import ROLE_NAMES
from assess.web.guards import deny
from assess.web.i18n import lang
from assess.web.ids import parse_id
from assess.web.login import current_actor, start_session

bp = Blueprint("team", __name__)

REFUSALS = {
    "role": _l("Choose a role: contributor or viewer."),
    "member": _l("This colleague is already a member of your team."),
    "invitation_waiting": _l(
        "An invitation to this e-mail is waiting already: send it again from the list below."
    ),
    "not_found": _l("This member or invitation is not (or no longer) in your team."),
    "not_contributor": _l("Sections can only be assigned to contributors of your team."),
    "unknown_section": _l("A section sent is not part of the questionnaire."),
    "wrong_password": _l("The password is not right."),
    "throttled": _l("Too many wrong passwords. Wait 15 minutes and try again."),
}
LINK_REFUSALS = {
    "invalid": _l("This link is not valid: it was mistyped, or a newer link replaced it."),
    "expired": _l("This invitation has expired. Ask your enterprise's owner to send it again."),
    "used": _l("This invitation was accepted already. Log in with the account made then."),
    "revoked": _l("This invitation was withdrawn by your enterprise's owner."),
}
JOIN_REFUSALS = {
    "account_exists": _l("An account with this e-mail exists already: join with its password."),
    "no_account": _l("No account has this e-mail yet: create one below."),
    "wrong_password": REFUSALS["wrong_password"],
    "throttled": REFUSALS["throttled"],
    "member": _l("This account is a member of the team already: log in."),
}


def _join_refusal_text(reason: str, invitation: dict, organisation: dict) -> str:
    """Why this invitation cannot be taken, naming the enterprise it is to."""
    if reason == "other_enterprise":
        return _(
            "%(email)s has an account of another enterprise. %(name)s is a separate enterprise,"
            " and an account belongs to one enterprise only: this account cannot join it, and"
            " nothing of your current enterprise is shared with %(name)s. To work in both, ask"
            " the owner of %(name)s to invite another e-mail address of yours.",
            email=invitation["email"],
            name=organisation["name"],
        )
    if reason == "not_enterprise":
        return _(
            "%(email)s has an account that is not an enterprise's (a consultant's, an"
            " authority's or an administrator's): it cannot join %(name)s. Ask the owner of"
            " %(name)s to invite another e-mail address of yours.",
            email=invitation["email"],
            name=organisation["name"],
        )
    return str({**LINK_REFUSALS, **JOIN_REFUSALS}[reason])


class InviteForm(Form):
    email = EmailField(_l("Colleague's e-mail"), validators=[DataRequired(), Length(max=254)])
    member_role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("contributor", _l("contributor: answers the sections you assign")),
            SelectChoice("viewer", _l("viewer: reads results and reports")),
        ],
    )

    def validate_email(self, field):
        validate_email_address(field)


class TransferForm(Form):
    to = SelectField(_l("New owner"), choices=[], validate_choice=False)
    old_role = SelectField(
        _l("You become"),
        choices=[
            SelectChoice("contributor", _l("contributor")),
            SelectChoice("viewer", _l("viewer")),
        ],
    )
    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=128)])


class JoinExistingForm(Form):
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class ProfileForm(RegistrationForm):
    """The company profile as registration captured it, without the credit code (the
    enterprise's identity) and without the account."""

    credit_code = claim_code = email = password = confirm = consent = contest = None


def _owner() -> None:
    if not may_manage_organisation(current_user):
        abort(403)


def _mailer() -> team.Mailer:
    return team.Mailer(
        current_app.config["SECRET_KEY"],
        lambda token: url_for("team.join", token=token, _external=True),
        lang(),
    )


def _refused(outcome, target: tuple[str, int] | None = None) -> bool:
    """Flash why a change was refused; an object not of the team (target: its type and id) is
    a 404, recorded in the audit log, as any other tenant's object."""
    if isinstance(outcome, team.Refused):
        if outcome.reason == "not_found" and target is not None:
            deny(get_db(), current_user, *target)
        flash(str(REFUSALS[outcome.reason]), "error")
        return True
    return False


def _assessment(db, organisation_id: int) -> dict | None:
    """The assessment the team works on: its self-assessment draft, else its latest one."""
    rows = [r for r in assessments.for_organisation(db, organisation_id) if r["mode"] == "self"]
    return next((r for r in rows if r["status"] == "draft"), rows[0] if rows else None)


def _questionnaire(row: dict | None):
    if row is None:
        return questionnaires.latest()
    try:
        return questionnaires.versions().of(row)
    except KeyError:
        return questionnaires.latest()


@bp.get("/team")
@allow("enterprise")
def index():
    _owner()
    return _page(InviteForm(formdata=None))


def _page(form: InviteForm, status: int = 200):
    db = get_db()
    organisation_id = current_user.organisation_id
    members = team_store.members(db, organisation_id)
    row = _assessment(db, organisation_id)
    q = _questionnaire(row)
    rows, names = team.activity(db, q, organisation_id, row["id"] if row else None)
    transfer = TransferForm(formdata=None)
    transfer.to.choices = [
        SelectChoice(str(m["id"]), f"{m['name']} ({m['email']})")
        for m in members
        if m["active"] and m["member_role"] != "owner"
    ]
    return render_template(
        "team/index.html",
        organisation=organisations.get(db, organisation_id),
        members=members,
        invitations=team_store.open_invitations(db, organisation_id),
        form=form,
        transfer=transfer,
        q=q,
        assessment=row,
        sections={s.id: s for s in sections(q)},
        activity=rows,
        names=names,
        contributors=[m for m in members if m["member_role"] == "contributor" and m["active"]],
        role_names=ROLE_NAMES,
        now_stamp=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    ), status


@bp.post("/team/invitations")
@allow("enterprise")
def invite():
    _owner()
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    outcome = team.invite(
        get_db(),
        current_user.organisation_id,
        form.email.data,
        form.member_role.data,
        current_actor(),
        _mailer(),
    )
    if not _refused(outcome):
        flash(
            _(
                "Invitation sent to %(email)s. The link in it works once, for %(days)s days.",
                email=form.email.data,
                days=team.INVITATION_DAYS,
            ),
            "success",
        )
    return redirect(url_for("team.index"))


@bp.post("/team/invitations/<int:invitation_id>/resend")
@allow("enterprise")
def resend(invitation_id: int):
    _owner()
    outcome = team.resend(
        get_db(), current_user.organisation_id, invitation_id, current_actor(), _mailer()
    )
    if not _refused(outcome, ("team_invitation", invitation_id)):
        flash(_("Invitation sent again with a new link; the old link no longer works."), "success")
    return redirect(url_for("team.index"))


@bp.post("/team/invitations/<int:invitation_id>/revoke")
@allow("enterprise")
def revoke(invitation_id: int):
    _owner()
    outcome = team.revoke(get_db(), current_user.organisation_id, invitation_id, current_actor())
    if not _refused(outcome, ("team_invitation", invitation_id)):
        flash(_("Invitation withdrawn: its link no longer works."), "success")
    return redirect(url_for("team.index"))


@bp.post("/team/members/<int:user_id>/role")
@allow("enterprise")
def set_role(user_id: int):
    _owner()
    outcome = team.set_role(
        get_db(),
        current_user.organisation_id,
        user_id,
        request.form.get("member_role", ""),
        current_actor(),
    )
    if not _refused(outcome, ("user", user_id)):
        flash(_("The role is changed."), "success")
    return redirect(url_for("team.index"))


@bp.post("/team/members/<int:user_id>/remove")
@allow("enterprise")
def remove(user_id: int):
    _owner()
    outcome = team.remove(get_db(), current_user.organisation_id, user_id, current_actor())
    if not _refused(outcome, ("user", user_id)):
        flash(
            _("The member is removed; its sections go back to you and its answers stay."),
            "success",
        )
    return redirect(url_for("team.index"))


@bp.post("/team/sections")
@allow("enterprise")
def assign():
    """Sections to contributors: one field per section, s:<section id> = a member's id or
    empty (the owner answers it)."""
    _owner()
    db = get_db()
    chosen: dict[str, int | None] = {}
    for key, value in request.form.items():
        if not key.startswith("s:"):
            continue
        if value and parse_id(value) is None:
            flash(str(REFUSALS["not_contributor"]), "error")
            return redirect(url_for("team.index"))
        chosen[key[2:]] = parse_id(value)
    q = _questionnaire(_assessment(db, current_user.organisation_id))
    outcome = team.assign_sections(
        db,
        q,
        current_user.organisation_id,
        chosen,
        current_actor(),
        url_for("wizard.assessments", _external=True),
    )
    if not _refused(outcome):
        flash(_("Sections saved; each colleague given new sections is told by e-mail."), "success")
    return redirect(url_for("team.index", _anchor="sections"))


@bp.post("/team/transfer")
@allow("enterprise")
def transfer():
    _owner()
    form = TransferForm()
    to = form.to.data or ""
    if not form.validate_on_submit() or parse_id(to) is None:
        flash(_("Choose the new owner, what you become, and enter your password."), "error")
        return redirect(url_for("team.index", _anchor="transfer"))
    outcome = team.transfer(
        get_db(),
        current_user.organisation_id,
        current_user,
        parse_id(to),
        form.old_role.data,
        form.password.data,
        current_actor(),
    )
    if _refused(outcome):
        return redirect(url_for("team.index", _anchor="transfer"))
    flash(
        _(
            "The enterprise has a new owner. You are now a %(role)s.",
            role=ROLE_NAMES[form.old_role.data],
        ),
        "success",
    )
    return redirect(url_for("wizard.assessments"))


@bp.route("/team/join/<token>", methods=["GET", "POST"])
@allow(PUBLIC)
def join(token: str):
    """A colleague opens an invitation: create an account for the address invited, or join
    with the account that address has already."""
    db = get_db()
    found = team.read_link(db, current_app.config["SECRET_KEY"], token)
    if isinstance(found, team.Refused):
        return render_template("team/join.html", refused=LINK_REFUSALS[found.reason]), 404
    page = {"invitation": found.row, "organisation": found.organisation, "role_names": ROLE_NAMES}
    if current_user.is_authenticated:
        # logged in with the very address invited: say why it cannot join, not "log out"
        mine = current_user.email.lower() == found.row["email"].lower() and found.account
        refusal = team.join_refusal(found.account, found.row) if mine else None
        return render_template(
            "team/join.html",
            **page,
            logged_in=True,
            refused_for_you=(
                _join_refusal_text(refusal.reason, found.row, found.organisation)
                if refusal
                else None
            ),
        )
    existing = found.account is not None
    refusal = team.join_refusal(found.account, found.row) if existing else None
    if refusal is not None and refusal.reason != "member":
        # said at once, before any password: the account cannot join whatever is typed
        text = _join_refusal_text(refusal.reason, found.row, found.organisation)
        return render_template("team/join.html", **page, refused_for_you=text)
    form = JoinExistingForm() if existing else JoinForm()
    if not existing:
        form.email.data = found.row["email"]  # the account is for the address invited
    if form.validate_on_submit():
        secret = current_app.config["SECRET_KEY"]
        if existing:
            outcome = team.accept_existing(
                db, secret, token, form.password.data, request.remote_addr
            )
        else:
            outcome = team.accept_new(
                db,
                secret,
                token,
                form.name.data,
                form.password.data,
                lang(),
                NOTICE_VERSION,
                request.remote_addr,
            )
        if isinstance(outcome, team.Refused):
            text = _join_refusal_text(outcome.reason, found.row, found.organisation)
            form.password.errors.append(text)
        else:
            start_session(outcome)
            flash(
                _(
                    "Welcome to the team of %(name)s.",
                    name=found.organisation["name"],
                ),
                "success",
            )
            return redirect(url_for("wizard.assessments"))
    return render_template("team/join.html", **page, form=form, existing=existing)


@bp.route("/organisation/profile", methods=["GET", "POST"])
@allow("enterprise")
def edit_profile():
    """The company profile, edited by the owner, validated as at registration."""
    _owner()
    db = get_db()
    organisation = organisations.get(db, current_user.organisation_id)
    form = ProfileForm(data=_profile_data(organisation) if request.method == "GET" else None)
    fill_choices(form)
    if form.refresh.data:  # without JavaScript: reload the city and county lists
        return render_template("team/profile.html", form=form, organisation=organisation)
    region_code = form.validated_region()
    if region_code is not None:
        changed = profile.edit(
            db,
            organisation["id"],
            {
                "name": form.name.data.strip(),
                "region_code": region_code,
                "sector": form.sector.data,
                "size": form.size.data,
                "contact_name": form.contact_name.data.strip(),
                "contact_phone": (form.contact_phone.data or "").strip(),
            },
            questionnaires.versions(),
            current_actor(),
        )
        flash(
            _("The company profile is saved.") if changed else _("Nothing was changed."),
            "success",
        )
        return redirect(url_for("team.edit_profile"))
    status = 422 if request.method == "POST" else 200
    return render_template("team/profile.html", form=form, organisation=organisation), status


def _profile_data(organisation: dict) -> dict:
    code = organisation["region_code"]
    chain = []
    region = regions.get(code)
    while region is not None:
        chain.insert(0, region.code)
        region = regions.get(region.parent) if region.parent else None
    province, city, county = ([*chain, "", "", ""])[:3]
    return {
        "name": organisation["name"],
        "province": province,
        "city": city,
        "county": county,
        "sector": organisation["sector"],
        "size": organisation["size"],
        "contact_name": organisation["contact_name"],
        "contact_phone": organisation["contact_phone"],
    }
