"""Questionnaire versions' states from the release log, what may be published or retired, and a
version summed up for the administrator who publishes it. Pure: no Flask, no database.

A shipped file's state is its `status` (draft or published); an uploaded version starts as a
draft. The release log (append-only) then publishes and retires: a version's state is that of
its last entry. New assessments start on the newest published version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assess.questionnaire.definition import Questionnaire

DRAFT, PUBLISHED, RETIRED = "draft", "published", "retired"
ACTIONS = {"published": PUBLISHED, "retired": RETIRED}

Key = tuple[str, str]


def version_key(version: str) -> tuple:
    """'2025.10' sorts after '2025.9'."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in version.split("."))


def states(
    loaded: Mapping[Key, Questionnaire], uploaded: Iterable[Key], log: Iterable[tuple[Key, str]]
) -> dict[Key, str]:
    """Each loaded version's state: its file's status (an uploaded one: draft), then the
    release log's entries in order (entries of versions not loaded are ignored)."""
    uploaded = set(uploaded)
    found = {
        key: DRAFT if key in uploaded or q.status == DRAFT else PUBLISHED
        for key, q in loaded.items()
    }
    for key, action in log:
        if key in found and action in ACTIONS:
            found[key] = ACTIONS[action]
    return found


def newest_published(found: Mapping[Key, str], questionnaire_id: str) -> Key | None:
    """The newest published version of a questionnaire: what new assessments start on."""
    published = [k for k, state in found.items() if k[0] == questionnaire_id and state == PUBLISHED]
    return max(published, key=lambda k: version_key(k[1]), default=None)


def publish_refusal(found: Mapping[Key, str], key: Key) -> str | None:
    """Why a version may not be published (None: it may): unknown or published already."""
    if key not in found:
        return "unknown"
    if found[key] == PUBLISHED:
        return "published_already"
    return None


def retire_refusal(found: Mapping[Key, str], key: Key) -> str | None:
    """Why a version may not be retired (None: it may): unknown, not published, or the only
    published version of its questionnaire (new assessments would have none to start on)."""
    if key not in found:
        return "unknown"
    if found[key] != PUBLISHED:
        return "not_published"
    others = [k for k, s in found.items() if k[0] == key[0] and k != key and s == PUBLISHED]
    if not others:
        return "last_published"
    return None


@dataclass(frozen=True)
class Difference:
    """Ids in one version and not in the other (added: only in the new one)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


@dataclass(frozen=True)
class Summary:
    """A version in figures, and what differs from the version compared with."""

    key: Key
    items: int
    sections: dict[str, int]  # profile, gate, sub-domains, scenarios, results indicators
    scales: int
    rules: int
    levels: tuple[str, ...]
    carried_from: str | None
    compared_with: str | None
    differences: dict[str, Difference]  # items, rules, scenarios, sub_domains, scales


def _difference(new: Iterable[str], old: Iterable[str]) -> Difference:
    new, old = list(new), list(old)
    return Difference(
        tuple(x for x in new if x not in set(old)), tuple(x for x in old if x not in set(new))
    )


def summary(q: Questionnaire, current: Questionnaire | None) -> Summary:
    """Sum up a version, compared with `current` (the version new assessments use), if any."""
    differences = {}
    if current is not None:
        differences = {
            "items": _difference(q.items, current.items),
            "rules": _difference(q.rules, current.rules),
            "scenarios": _difference(
                (s.id for s in q.scenarios.items), (s.id for s in current.scenarios.items)
            ),
            "sub_domains": _difference(q.sub_domains, current.sub_domains),
            "scales": _difference(q.scales, current.scales),
        }
    return Summary(
        key=q.key,
        items=len(q.items),
        sections={
            "profile": len(q.profile.questions),
            "gate": len(q.gate.questions),
            "sub_domains": len(q.sub_domains),
            "scenarios": len(q.scenarios.items),
            "indicators": len(q.results.indicators) if q.results else 0,
        },
        scales=len(q.scales),
        rules=len(q.rules),
        levels=tuple(level.id for level in q.gradient.levels),
        carried_from=q.carried_from.version if q.carried_from else None,
        compared_with=current.version if current is not None else None,
        differences=differences,
    )
