"""Reading the raw YAML of one questionnaire file: problems collected with their node paths.

Every parser of assess.questionnaire.loader and assess.questionnaire.parts reads through a
Reader, so that an error names the file and the node.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assess.questionnaire.definition import Text

LANGUAGES = ("zh", "en")
QUESTION_TYPES = ("choice", "multi_choice", "yes_no", "rating")
EFFORTS = (1, 2, 3)
MAX_PROBLEMS = 200


class QuestionnaireError(ValueError):
    """A definition file is invalid; the message lists every problem with file and node."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Reader:
    """Walks the raw YAML of one file, collecting problems with their node paths."""

    file: str
    problems: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)

    def error(self, path: str, message: str) -> None:
        """A problem at a node (a value quoted in it is cut at 200 characters); reading stops
        after MAX_PROBLEMS, which are enough to see what is wrong with a file."""
        if len(message) > 200:
            message = f"{message[:200]}…"
        self.problems.append(f"{self.file}: {path}: {message}")
        if len(self.problems) >= MAX_PROBLEMS:
            raise QuestionnaireError(
                [*self.problems, f"{self.file}: stopped after {MAX_PROBLEMS} problems"]
            )

    def mapping(self, raw: object, path: str, required: set[str], optional: set[str] = frozenset()):
        if not isinstance(raw, dict):
            self.error(path, f"expected a mapping, got {type(raw).__name__}")
            return {}
        for key in sorted(set(raw) - required - optional, key=str):
            self.error(f"{path}.{key}" if path else str(key), f"unknown key {key!r}")
        for key in sorted(required - set(raw)):
            self.error(path or "(top)", f"missing key {key!r}")
        return raw

    def sequence(self, raw: object, path: str) -> list:
        if not isinstance(raw, list):
            self.error(path, f"expected a list, got {type(raw).__name__}")
            return []
        return raw

    def text(self, raw: object, path: str) -> Text:
        node = self.mapping(raw, path, set(LANGUAGES))
        values = {}
        for lang in LANGUAGES:
            value = node.get(lang)
            if not isinstance(value, str) or not value.strip():
                if lang in node:
                    self.error(f"{path}.{lang}", "missing translation (empty or not a string)")
                values[lang] = ""
            else:
                values[lang] = value.strip()
        return Text(**values)

    def optional_text(self, raw: dict, key: str, path: str) -> Text | None:
        return self.text(raw[key], f"{path}.{key}") if key in raw else None

    def ident(self, raw: dict, path: str) -> str:
        value = raw.get("id")
        if not isinstance(value, str) or not value or value != value.strip():
            self.error(f"{path}.id", f"invalid id {value!r}")
            return ""
        if value in self.ids:
            self.error(f"{path}.id", f"duplicate id {value!r} (first at {self.ids[value]})")
        else:
            self.ids[value] = path
        return value

    def integer(self, raw: dict, key: str, path: str) -> int:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(f"{path}.{key}", f"expected a whole number, got {value!r}")
            return 0
        return value

    def number(self, raw: dict, key: str, path: str, low: float, high: float) -> float:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(f"{path}.{key}", f"expected a number, got {value!r}")
            return 0.0
        if not low <= value <= high:
            self.error(f"{path}.{key}", f"{value} is outside {low}..{high}")
        return float(value)
