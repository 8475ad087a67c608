"""The questionnaires, loaded and validated once at start-up."""

from __future__ import annotations

from flask import Flask, current_app

from assess.questionnaire.loader import load_dir
from assess.questionnaire.model import Questionnaire


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in version.split("."))


def all_questionnaires() -> dict[tuple[str, str], Questionnaire]:
    return current_app.extensions["questionnaires"]


def get(questionnaire_id: str, version: str) -> Questionnaire:
    """The exact version an assessment was answered under (KeyError when not installed)."""
    return all_questionnaires()[(questionnaire_id, version)]


def latest(questionnaire_id: str | None = None) -> Questionnaire:
    """The newest published version of a questionnaire: what new assessments are answered
    under (a draft version is loaded and can be scored, but nothing starts on it)."""
    questionnaire_id = questionnaire_id or current_app.config["QUESTIONNAIRE"]
    versions = [
        q
        for (qid, _), q in all_questionnaires().items()
        if qid == questionnaire_id and q.status != "draft"
    ]
    if not versions:
        raise KeyError(questionnaire_id)
    return max(versions, key=lambda q: _version_key(q.version))


def init_app(app: Flask) -> None:
    app.extensions["questionnaires"] = load_dir(app.config["QUESTIONNAIRE_DIR"])
