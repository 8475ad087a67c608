"""Roadmap guidance as versioned data: indicative time-frame and cost bands and the key indicators
an action is expected to improve (questionnaires/guide/<questionnaire>.yaml). Read by the phased
roadmap only, never by scoring. Pure: no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

import yaml

from assess.questionnaire.definition import Questionnaire
from assess.questionnaire.reader import QuestionnaireError

TIME_BANDS = ("up_to_3_months", "3_to_12_months", "12_to_24_months")
COST_BANDS = ("low", "medium", "high")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Guide:
    """For one questionnaire version: bands by effort, indicators by sub-domain or scenario."""

    time_bands: dict[int, str]
    cost_bands: dict[int, str]
    indicators: dict[str, tuple[str, ...]]

    def time_band(self, effort: int) -> str:
        return self.time_bands.get(effort, TIME_BANDS[-1])

    def cost_band(self, effort: int) -> str:
        return self.cost_bands.get(effort, COST_BANDS[-1])


EMPTY = Guide({}, {}, {})


def guide_directory() -> Path:
    return Path(str(files("assess").joinpath("questionnaires", "guide")))


@cache
def _raw(path: Path) -> dict:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}  # nosec B506
    except (OSError, yaml.YAMLError) as error:
        raise QuestionnaireError([f"{path.name}: cannot be read: {error}"]) from error


def guide_of(q: Questionnaire, directory: Path | None = None) -> Guide:
    """The guidance for a questionnaire version (EMPTY when the version has none); indicators
    the version does not have are left out. Raises QuestionnaireError on a malformed file."""
    path = (directory or guide_directory()) / f"{q.id}.yaml"
    if not path.exists():
        return EMPTY
    block = (_raw(path).get("versions") or {}).get(q.version)
    if block is None:
        return EMPTY
    problems = []
    times, costs = block.get("time_bands") or {}, block.get("cost_bands") or {}
    problems += [
        f"{path.name}: {q.version}: unknown time band {v!r}"
        for v in times.values()
        if v not in TIME_BANDS
    ]
    problems += [
        f"{path.name}: {q.version}: unknown cost band {v!r}"
        for v in costs.values()
        if v not in COST_BANDS
    ]
    known = set(q.sub_domains) | {s.id for s in q.scenarios.items} | {"gate", "results"}
    raw_indicators = block.get("indicators") or {}
    problems += [
        f"{path.name}: {q.version}: indicators of unknown sub-domain or scenario {k!r}"
        for k in raw_indicators
        if k not in known
    ]
    if problems:
        raise QuestionnaireError(problems)
    return Guide(
        {int(k): v for k, v in times.items()},
        {int(k): v for k, v in costs.items()},
        {
            container: tuple(i for i in ids or () if i in q.indicators)
            for container, ids in raw_indicators.items()
        },
    )
