"""The app's questionnaire versions: the shipped files, loaded and validated once when the app is
made, with the versions uploaded from the web and the release log's states.

Every process (each web worker, the render worker, every command) agrees on which version new
assessments use without a restart: once per request (or command), the release log's counter is
read (one indexed query); when it moved, the uploads and the log are read again and the
`Versions` rebuilt. Shipped files are parsed once per process, uploads once per upload.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import Flask, abort, current_app, g

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.loader import QuestionnaireError, load_text
from assess.questionnaire.versions import Versions
from assess.store import questionnaire_releases as releases
from assess.web.database import get_db

log = logging.getLogger(__name__)


@dataclass
class Installed:
    """One process's versions: the shipped ones, and the last state read from the database."""

    shipped: Versions
    counter: tuple | None = None
    current: Versions | None = None
    parsed: dict[str, Questionnaire] = field(default_factory=dict)  # uploads by sha256

    def at(self, counter: tuple, uploads: list[dict], entries) -> Versions:
        """The versions as the release log stood at `counter`."""
        uploaded = {}
        for row in uploads:
            q = self.parsed.get(row["sha256"])
            if q is None:
                try:
                    q = load_text(row["source"], row["file_name"], check_name=False)
                except QuestionnaireError as error:  # a later release's loader refuses it
                    log.error(
                        "uploaded questionnaire %s %s no longer loads: %s",
                        row["questionnaire_id"],
                        row["version"],
                        error,
                    )
                    continue  # its assessments 404 and check-db says why
                self.parsed[row["sha256"]] = q
            uploaded[q.key] = q
        self.current = self.shipped.released(uploaded, entries)
        self.counter = counter
        return self.current


def versions() -> Versions:
    """The versions as the release log stands (read once per request or command)."""
    if "questionnaire_versions" not in g:
        installed: Installed = current_app.extensions["questionnaires"]
        db = get_db()
        counter = releases.counter(db)
        current = installed.current
        if current is None or counter != installed.counter:
            current = installed.at(counter, releases.uploads(db), releases.log(db))
        g.questionnaire_versions = current
    return g.questionnaire_versions


def reread() -> Versions:
    """The versions again, after this request changed the release log."""
    g.pop("questionnaire_versions", None)
    return versions()


def latest() -> Questionnaire:
    """What new assessments are answered under (the QUESTIONNAIRE setting's newest published
    version)."""
    return versions().latest()


def questionnaire_of(row: dict) -> Questionnaire:
    """The exact version an assessment was answered under; 404 when it is not installed."""
    try:
        return versions().of(row)
    except KeyError:
        abort(404)


def init_app(app: Flask) -> None:
    app.extensions["questionnaires"] = Installed(
        Versions.load(app.config["QUESTIONNAIRE_DIR"], app.config["QUESTIONNAIRE"])
    )
