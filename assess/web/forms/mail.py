"""The account page's mail preference (shown by views/account.py, posted to views/identity.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from assess.web.forms import Form


class MailForm(Form):
    notifications = BooleanField(_l("Send me notifications by e-mail"))
