"""What the start of a re-assessment tells the user: what is new under a newer questionnaire
version, and what did not carry over (assess.assessment.starting does the carrying)."""

from __future__ import annotations

from flask import flash
from flask_babel import ngettext

from assess.assessment.starting import Started


def flash_new_version(started: Started) -> None:
    """A re-assessment under a newer questionnaire version: what is new, what did not carry."""
    if not started.new and not started.not_carried:
        return
    flash(
        " ".join(
            part
            for part in (
                ngettext(
                    "This re-assessment uses questionnaire version %(version)s: %(num)s question"
                    " is new and marked “New”.",
                    "This re-assessment uses questionnaire version %(version)s: %(num)s questions"
                    " are new and marked “New”.",
                    len(started.new),
                    version=started.version,
                ),
                ngettext(
                    "%(num)s earlier answer does not carry over, because its question changed;"
                    " it is asked again.",
                    "%(num)s earlier answers do not carry over, because their questions changed;"
                    " they are asked again.",
                    started.not_carried,
                )
                if started.not_carried
                else "",
            )
            if part
        ),
        "info",
    )
