"""The form that makes an account from an invitation (a colleague joining an enterprise's team,
or a consultant, authority or administrator invited by an administrator): a name, the address
invited shown read-only, a password chosen twice, and the privacy notice agreed to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from assess.organisation.passwords import password_problem
from assess.web.forms import Form
from assess.web.forms.registration import privacy_consent
from assess.web.i18n import lang


class JoinForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=50)])
    email = EmailField(_l("E-mail (your login)"))
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    consent = privacy_consent()

    def validate_password(self, field):
        problem = password_problem(field.data, self.email.data or "", lang())
        if problem:
            raise ValidationError(problem)
