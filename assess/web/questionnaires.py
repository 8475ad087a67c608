"""The app's questionnaire versions, loaded and validated once when the app is made."""

from __future__ import annotations

from flask import Flask, abort, current_app

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.versions import Versions


def versions() -> Versions:
    return current_app.extensions["questionnaires"]


def latest() -> Questionnaire:
    """What new assessments are answered under (the QUESTIONNAIRE setting's newest version)."""
    return versions().latest()


def questionnaire_of(row: dict) -> Questionnaire:
    """The exact version an assessment was answered under; 404 when it is not installed."""
    try:
        return versions().of(row)
    except KeyError:
        abort(404)


def init_app(app: Flask) -> None:
    app.extensions["questionnaires"] = Versions.load(
        app.config["QUESTIONNAIRE_DIR"], app.config["QUESTIONNAIRE"]
    )
