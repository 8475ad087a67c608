"""The form that makes a personal access token of the API (account page)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from assess.organisation.api_tokens import EXPIRY_DAYS, NAME_LENGTH
from assess.web.forms import Form


class TokenForm(Form):
    name = StringField(
        _l("What the token is for"), validators=[DataRequired(), Length(max=NAME_LENGTH)]
    )
    scope = SelectField(
        _l("It may"),
        choices=[
            SelectChoice("read", _l("read only")),
            SelectChoice("write", _l("read and write")),
        ],
        default="read",
    )
    days = SelectField(
        _l("Valid for"),
        choices=[SelectChoice(str(days), _l("%(num)s days", num=days)) for days in EXPIRY_DAYS],
        default="90",
    )
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
