"""The questionnaire versions installed: an assessment is re-scored with the exact version it
was answered under, and new assessments use the newest. Pure: no Flask."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.loader import load_dir


def installed_directory() -> Path:
    """The questionnaire files shipped with the package."""
    return Path(str(files("assess").joinpath("questionnaires")))


def version_key(version: str) -> tuple:
    """'2025.10' sorts after '2025.9'."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in version.split("."))


class Versions:
    """Loaded questionnaires by (id, version), and which one new assessments use."""

    def __init__(self, loaded: Mapping[tuple[str, str], Questionnaire], default_id: str):
        self._loaded = dict(loaded)
        self.default_id = default_id

    @classmethod
    def load(cls, directory: Path | str | None, default_id: str) -> Versions:
        """Load and validate every file of a directory (the installed ones by default)."""
        return cls(load_dir(directory or installed_directory()), default_id)

    def __iter__(self) -> Iterator[Questionnaire]:
        return iter(self._loaded.values())

    def get(self, questionnaire_id: str, version: str) -> Questionnaire:
        """One exact version (KeyError when it is not installed)."""
        return self._loaded[(questionnaire_id, version)]

    def of(self, row: Mapping) -> Questionnaire:
        """The exact version an assessment (a row with questionnaire_id and _version) was
        answered under (KeyError when it is not installed)."""
        return self.get(row["questionnaire_id"], row["questionnaire_version"])

    def latest(self, questionnaire_id: str | None = None) -> Questionnaire:
        """The newest published version of a questionnaire: what new assessments are answered
        under (a draft version is loaded and can be scored, but nothing starts on it)."""
        wanted = questionnaire_id or self.default_id
        found = [q for (qid, _), q in self._loaded.items() if qid == wanted and q.status != "draft"]
        if not found:
            raise KeyError(wanted)
        return max(found, key=lambda q: version_key(q.version))
