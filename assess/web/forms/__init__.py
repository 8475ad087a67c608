"""The base of the app's forms: one-line inputs arrive as one clean line.

Every `StringField` and `EmailField` (not passwords, not text areas) drops control characters
and turns line breaks and tabs into a space before its validators run, then loses surrounding
blanks: a company name pasted from a spreadsheet or a PDF is stored as the user saw it, and
nothing invisible reaches the database, an export or a report. A value left empty by that is
refused by the field's own `DataRequired`, with its message.
"""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto  # the "read the request" default of a form's formdata
from werkzeug.datastructures import ImmutableMultiDict
from wtforms import EmailField, StringField

from assess.scoring.answers import clean_line

ONE_LINE_FIELDS = (StringField, EmailField)


def one_line(value):
    """A single-line text as stored: breaks become a space, control characters go."""
    if not isinstance(value, str):
        return value
    return clean_line(value)


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class in ONE_LINE_FIELDS:
                own = unbound_field.kwargs.get("filters", ())
                options = {**options, "filters": (one_line, *own)}
            return unbound_field.bind(form=form, **options)

        def wrap_formdata(self, form, formdata):
            """A JSON body that is no object (`0`, a list, a string) is no form data: flask_wtf
            would make a 500 of it (`MultiDict(0)`); the form then fails its validation with its
            own messages, as when posted empty (found by the fuzzer)."""
            if (
                formdata is _Auto
                and request.is_json
                and not request.files
                and not request.form
                and not isinstance(request.get_json(silent=True), dict)
            ):
                return ImmutableMultiDict()
            return super().wrap_formdata(form, formdata)
