"""The questionnaire versions installed (shipped files and versions uploaded from the web): an
assessment is re-scored with the exact version it was answered under, and new assessments use
the newest published one (states: assess/questionnaire/releases.py). Pure: no Flask."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from importlib.resources import files
from pathlib import Path

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.loader import load_dir
from assess.questionnaire.releases import PUBLISHED, Key, newest_published, states, version_key

__all__ = ["Versions", "installed_directory", "version_key"]


def installed_directory() -> Path:
    """The questionnaire files shipped with the package."""
    return Path(str(files("assess").joinpath("questionnaires")))


class Versions:
    """Loaded questionnaires by (id, version), and which one new assessments use."""

    def __init__(
        self,
        loaded: Mapping[tuple[str, str], Questionnaire],
        default_id: str,
        found: Mapping[tuple[str, str], str] | None = None,
        uploaded: Iterable[Key] = (),
    ):
        self._loaded = dict(loaded)
        self.default_id = default_id
        self.uploaded = frozenset(uploaded)  # versions uploaded from the web (not shipped)
        # each version's state (draft, published, retired); by default its file's status
        self._states = dict(found) if found is not None else states(self._loaded, (), ())

    @classmethod
    def load(cls, directory: Path | str | None, default_id: str) -> Versions:
        """Load and validate every file of a directory (the installed ones by default)."""
        return cls(load_dir(directory or installed_directory()), default_id)

    def released(
        self, uploaded: Mapping[Key, Questionnaire], log: Iterable[tuple[Key, str]]
    ) -> Versions:
        """These (the shipped files) with the versions uploaded from the web, in the states the
        release log gives (a shipped file wins over an upload of the same version)."""
        loaded = {**uploaded, **self._loaded}
        uploaded_only = [k for k in uploaded if k not in self._loaded]
        found = states(loaded, uploaded_only, log)
        return Versions(loaded, self.default_id, found, uploaded_only)

    def __iter__(self) -> Iterator[Questionnaire]:
        return iter(self._loaded.values())

    def get(self, questionnaire_id: str, version: str) -> Questionnaire:
        """One exact version (KeyError when it is not installed)."""
        return self._loaded[(questionnaire_id, version)]

    def of(self, row: Mapping) -> Questionnaire:
        """The exact version an assessment (a row with questionnaire_id and _version) was
        answered under (KeyError when it is not installed)."""
        return self.get(row["questionnaire_id"], row["questionnaire_version"])

    def state(self, q: Questionnaire) -> str:
        """draft, published or retired."""
        return self._states[q.key]

    def latest(self, questionnaire_id: str | None = None) -> Questionnaire:
        """The newest published version of a questionnaire: what new assessments are answered
        under (a draft or retired version is loaded and can be scored, but nothing starts on
        it)."""
        wanted = questionnaire_id or self.default_id
        key = newest_published(self._states, wanted)
        if key is None:
            raise KeyError(wanted)
        return self._loaded[key]

    def published(self) -> list[Questionnaire]:
        """The versions published now (new assessments start on the newest of each)."""
        return [q for q in self._loaded.values() if self._states[q.key] == PUBLISHED]
