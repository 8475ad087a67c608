"""The base of the app's forms: one-line inputs arrive as one clean line.

Every `StringField` and `EmailField` (not passwords, not text areas) drops control characters
and turns line breaks and tabs into a space before its validators run, then loses surrounding
blanks: a company name pasted from a spreadsheet or a PDF is stored as the user saw it, and
nothing invisible reaches the database, an export or a report. A value left empty by that is
refused by the field's own `DataRequired`, with its message.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField

BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
ONE_LINE_FIELDS = (StringField, EmailField)


def one_line(value):
    """A single-line text as stored: breaks become a space, control characters go."""
    if not isinstance(value, str):
        return value
    return CONTROL.sub("", BREAKS.sub(" ", value)).strip()


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class in ONE_LINE_FIELDS:
                own = unbound_field.kwargs.get("filters", ())
                options = {**options, "filters": (one_line, *own)}
            return unbound_field.bind(form=form, **options)
