"""The registration form: an organisation's details (and, for an enterprise registering
itself, its first account), shared by enterprise registration and a consultant's new client."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from assess.organisation import credit_code
from assess.organisation.accounts import EMAIL_ADDRESS
from assess.organisation.passwords import password_problem
from assess.organisation.registration import Details
from assess.organisation.sizes import SIZES, size_name
from assess.regional import regions
from assess.web import questionnaires
from assess.web.forms import Form
from assess.web.i18n import lang

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


def privacy_consent() -> BooleanField:
    """The box a person ticks to agree to the privacy notice when making an account."""
    return BooleanField(
        _l("I have read the privacy notice and agree that my data are processed as it says."),
        validators=[
            DataRequired(message=_l("An account can only be made with your agreement to it."))
        ],
    )


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
    contest = BooleanField(
        _l(
            "This credit code is my company's and someone else registered it: register under a"
            " stand-in code and contest it with our business licence"
        )
    )
    consent = privacy_consent()
    refresh = SubmitField(_l("Show the cities and counties"))

    def validate_credit_code(self, field):
        field.data = valid_credit_code(field.data)

    def validate_email(self, field):
        validate_email_address(field)

    def validate_password(self, field):
        problem = password_problem(field.data, self.email.data or "", lang())
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
        SelectChoice(key, size_name(key, language)) for key in SIZES
    ]


def validate_email_address(field) -> None:
    """An e-mail field's value, lower case; a ValidationError when it is not an address."""
    field.data = field.data.strip().lower()
    if not EMAIL_ADDRESS.match(field.data):
        raise ValidationError(_("Enter an e-mail address such as name@example.com."))


def details_of(form: RegistrationForm, region_code: str, contact_email: str = "") -> Details:
    """The organisation's details as a validated form gives them."""
    return Details(
        name=form.name.data,
        credit_code=form.credit_code.data,
        region_code=region_code,
        sector=form.sector.data,
        size=form.size.data,
        contact_name=form.contact_name.data,
        contact_phone=form.contact_phone.data or "",
        contact_email=contact_email,
    )


class ClientForm(RegistrationForm):
    """The enterprise's details, entered by its consultant (no account, no password; the
    enterprise agrees to the privacy notice when it claims its account)."""

    email = password = confirm = consent = contest = None


class CreditCodeForm(Form):
    """A credit code alone (a consultant asking an enterprise for access)."""

    credit_code = StringField(
        _l("Unified social credit code"), validators=[DataRequired(), Length(max=40)]
    )

    def validate_credit_code(self, field):
        field.data = valid_credit_code(field.data)
