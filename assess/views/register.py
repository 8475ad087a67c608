"""Registration of an enterprise: the organisation and its first account."""

from __future__ import annotations

import re
import sqlite3

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from assess.organisation import credit_code
from assess.organisation.passwords import password_problem
from assess.regional import regions
from assess.store import audit, organisations, throttle, users
from assess.store.database import write_transaction
from assess.web import questionnaires
from assess.web.access import PUBLIC, allow
from assess.web.database import get_db
from assess.web.forms import Form
from assess.web.i18n import lang
from assess.web.login import start_session

bp = Blueprint("register", __name__)

SIZES = {"large": _l("Large"), "medium": _l("Medium"), "small": _l("Small"), "micro": _l("Micro")}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CREDIT_CODE_MESSAGES = {
    "length": _l("A unified social credit code has 18 characters; you entered %(n)s."),
    "characters": _l(
        "A unified social credit code never contains %(chars)s: the letters I, O, S, V and Z "
        "are not used. Check for a 1 or 0 typed as a letter."
    ),
    "region": _l("Characters 3 to 8 must be the six-digit code of the registration region."),
    "check": _l(
        "The last character does not match the check character. Compare the code character by "
        "character with the business licence."
    ),
}


def valid_credit_code(value: str) -> str:
    """The code normalised, or a ValidationError that says what is wrong with it."""
    try:
        return credit_code.validate(value)
    except credit_code.CreditCodeError as error:
        normal = credit_code.normalise(value)
        bad = sorted({c for c in normal if c not in credit_code.ALPHABET})
        raise ValidationError(
            CREDIT_CODE_MESSAGES[error.reason] % {"n": len(normal), "chars": "、".join(bad)}
        ) from error


class RegistrationForm(Form):
    name = StringField(_l("Company name"), validators=[DataRequired(), Length(min=2, max=100)])
    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(max=40)]
    )
    province = SelectField(_l("Province"), validate_choice=False)
    city = SelectField(_l("City"), validate_choice=False)
    county = SelectField(_l("County or district"), validate_choice=False)
    sector = SelectField(
        _l("Key sector"), validators=[DataRequired(message=_l("Choose the key sector."))]
    )
    size = SelectField(
        _l("Enterprise size"), validators=[DataRequired(message=_l("Choose the enterprise size."))]
    )
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=50)])
    contact_phone = StringField(
        _l("Contact phone"),
        validators=[
            Optional(),
            Length(max=30),
            Regexp(r"^[0-9+\-() ]+$", message=_l("Use digits, spaces and + - ( ) only.")),
        ],
    )
    email = EmailField(_l("E-mail (your login)"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    claim_code = StringField(
        _l("Claim code (only if your consultant registered your enterprise)"),
        validators=[Optional(), Length(max=20)],
    )
    refresh = SubmitField(_l("Show the cities and counties"))

    def validate_credit_code(self, field):
        field.data = valid_credit_code(field.data)

    def validate_email(self, field):
        field.data = field.data.strip().lower()
        if not EMAIL.match(field.data):
            raise ValidationError(_("Enter an e-mail address such as name@example.com."))

    def validate_password(self, field):
        problem = password_problem(field.data, self.email.data or "")
        if problem:
            raise ValidationError(problem)

    def validated_region(self) -> str | None:
        """Validate a submitted form, the region with the other fields (one sending marks every
        field to fix); the region code when everything is valid, else None."""
        valid = self.validate_on_submit()
        region = self.region_code() if self.is_submitted() else None
        return region if valid else None

    def region_code(self) -> str | None:
        """The registrable region chosen, or None (with an error on the field to fix)."""
        province, city, county = (f.data or "" for f in (self.province, self.city, self.county))
        if regions.get(province) is None or regions.get(province).level != "province":
            self.province.errors.append(_("Choose a province."))
            return None
        if province in regions.registrable():
            return province
        city_region = regions.get(city)
        if city_region is None or city_region.parent != province:
            self.city.errors.append(_("Choose a city in the province."))
            return None
        if city in regions.registrable():
            return city
        county_region = regions.get(county)
        if county_region is None or county_region.parent != city:
            self.county.errors.append(_("Choose a county or district in the city."))
            return None
        return county


def fill_choices(form: RegistrationForm) -> None:
    language = lang()

    def options(found) -> list[SelectChoice]:
        return [SelectChoice("", _("Choose…"))] + [
            SelectChoice(r.code, r.name(language)) for r in found
        ]

    form.province.choices = options(regions.children(None))
    form.city.choices = options(regions.children(form.province.data or "-"))
    form.county.choices = options(regions.children(form.city.data or "-"))
    sector = questionnaires.latest().items["profile.sector"]
    # nothing chosen for the user: a silent default would be a wrong answer nobody gave
    form.sector.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(o.id, o.label.get(language)) for o in sector.options
    ]
    form.size.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(key, str(label)) for key, label in SIZES.items()
    ]


@bp.route("/register", methods=["GET", "POST"])
@allow(PUBLIC)
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegistrationForm()
    fill_choices(form)
    if form.refresh.data:  # without JavaScript: reload the city and county lists
        return render_template("register.html", form=form)
    region_code = form.validated_region()
    if region_code is not None:
        account = _create(form, region_code)
        if account is not None:
            start_session(account)
            flash(
                _("Welcome. Your enterprise is registered; start your first assessment."),
                "success",
            )
            return redirect(url_for("wizard.assessments"))
    return render_template("register.html", form=form)


def _create(form: RegistrationForm, region_code: str) -> dict | None:
    db = get_db()
    try:
        with write_transaction(db):
            if users.get_by_email(db, form.email.data) is not None:
                raise _Duplicate("email")
            existing = organisations.get_by_credit_code(db, form.credit_code.data)
            if existing is not None:
                claimable = bool(existing["claim_code_hash"])
                # a claim code is short: guesses count like failed logins, per code and address
                guesser = f"claim:{existing['credit_code']}"
                if claimable and throttle.blocked(db, guesser, request.remote_addr or ""):
                    raise _Duplicate("claim_blocked")
                if not organisations.claim(db, existing["id"], form.claim_code.data or ""):
                    raise _Duplicate(
                        "claim_code" if claimable else "credit_code",
                        guesser if claimable and form.claim_code.data else None,
                    )
                user_id = users.create(
                    db,
                    email=form.email.data,
                    name=form.contact_name.data,
                    password=form.password.data,
                    role="enterprise",
                    organisation_id=existing["id"],
                    locale=lang(),
                )
                audit.record(
                    db,
                    "organisation_claimed",
                    user_id=user_id,
                    target_type="organisation",
                    target_id=existing["id"],
                )
                return users.get(db, user_id)
            organisation_id = organisations.create(
                db,
                name=form.name.data,
                credit_code=form.credit_code.data,
                region_code=region_code,
                sector=form.sector.data,
                size=form.size.data,
                contact_name=form.contact_name.data,
                contact_phone=form.contact_phone.data or "",
                contact_email=form.email.data,
            )
            user_id = users.create(
                db,
                email=form.email.data,
                name=form.contact_name.data,
                password=form.password.data,
                role="enterprise",
                organisation_id=organisation_id,
                locale=lang(),
            )
            audit.record(
                db,
                "register",
                user_id=user_id,
                target_type="organisation",
                target_id=organisation_id,
            )
    except (_Duplicate, sqlite3.IntegrityError) as error:
        field = getattr(error, "field", "credit_code")
        if getattr(error, "guesser", None):  # kept after the rollback of the attempt
            with write_transaction(db):
                throttle.fail(db, error.guesser, request.remote_addr or "")
        if field == "email":
            form.email.errors.append(
                _("An account with this e-mail already exists. Log in, or use another e-mail.")
            )
        elif field == "claim_code":
            form.claim_code.errors.append(
                _(
                    "This enterprise was registered by its consultant. Enter the claim code the "
                    "consultant gave you (like AB12-CD34-EF56), or ask the consultant for it."
                )
            )
        elif field == "claim_blocked":
            form.claim_code.errors.append(
                _(
                    "Too many wrong claim codes. Wait 15 minutes, or ask the consultant for the code."
                )
            )
        else:
            form.credit_code.errors.append(
                _(
                    "An enterprise with this credit code is already registered. Ask the colleague "
                    "who registered it for access, or contact %(contact)s.",
                    contact=current_app.config["SUPPORT_CONTACT"],
                )
            )
        return None
    return users.get(db, user_id)


class _Duplicate(Exception):
    def __init__(self, field: str, guesser: str | None = None):
        super().__init__(field)
        self.field, self.guesser = field, guesser
