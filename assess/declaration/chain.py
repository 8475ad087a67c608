"""Who reviews a declaration of which level, in which order: the review chain as data.

A chain is a list of steps, each a tier of authority and what it does there. The default
follows the programme's public notices: the county or the park checks the material for truth
and completeness (复核) and recommends it upward; the city reviews and recognises 基础级; for
先进级 the city recommends and the province recognises; for 卓越级 the province recommends to
the ministry (exported, since the ministry's selection is not made in this product). A round
keeps a copy of the chain it was opened with. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assess.organisation.tiers import rank

CHECK, REVIEW, RECOGNISE, RECOMMEND_MINISTRY = "check", "review", "recognise", "recommend_ministry"
RECOMMEND, RETURN, REJECT = "recommend", "return", "reject"

DEFAULT_CHAINS: dict[str, list[dict]] = {
    "basic": [{"tier": "county", "act": CHECK}, {"tier": "city", "act": RECOGNISE}],
    "advanced": [
        {"tier": "county", "act": CHECK},
        {"tier": "city", "act": REVIEW},
        {"tier": "province", "act": RECOGNISE},
    ],
    "excellent": [
        {"tier": "county", "act": CHECK},
        {"tier": "city", "act": REVIEW},
        {"tier": "province", "act": RECOMMEND_MINISTRY},
    ],
}
# A level that needs a current recognition of another first: 先进级 needs 基础级 (the
# programme's notices); 卓越级 is, in principle, selected among 先进级 factories.
REQUIRES = {"advanced": "basic", "excellent": "advanced"}
# Who takes a step of a tier, and who takes it in their place when nobody of that tier has an
# account covering the enterprise: a step is never stuck for want of an account.
LADDER = {
    "county": (("park", "county"), ("city",), ("province",)),
    "city": (("city",), ("province",)),
    "province": (("province",), ("country",)),
}


@dataclass(frozen=True)
class Step:
    tier: str
    act: str

    @property
    def forward(self) -> str:
        """The outcome that moves a declaration on: recognise at a recognising step, else
        recommend (to the next step, or to the ministry)."""
        return RECOGNISE if self.act == RECOGNISE else RECOMMEND

    @property
    def outcomes(self) -> tuple[str, ...]:
        return (self.forward, RETURN, REJECT)


def steps(chain: list[dict]) -> tuple[Step, ...]:
    return tuple(Step(step["tier"], step["act"]) for step in chain)


def levels() -> tuple[str, ...]:
    """The levels a round can be opened for (领航级 is applied for by other means)."""
    return tuple(DEFAULT_CHAINS)


def opener(chain: list[dict]) -> str:
    """The tier that opens rounds of a chain: the one that takes its last step."""
    return chain[-1]["tier"]


def acting_tiers(step: Step, present: Iterable[str]) -> tuple[str, ...]:
    """The tiers that may take a step, given the tiers of the authorities whose region holds
    the enterprise (`present`): the step's own, or the first tier above with an account."""
    present = set(present)
    ladder = LADDER[step.tier]
    for tiers in ladder:
        if present & set(tiers):
            return tiers
    return ladder[-1]


def may_act(step: Step, tier: str, present: Iterable[str]) -> bool:
    return tier in acting_tiers(step, present)


def validate(chain: list[dict]) -> None:
    """A chain climbs the tiers (each step above the one before) and ends on a deciding act."""
    if not chain:
        raise ValueError("a chain needs at least one step")
    for step in chain:
        if step.get("tier") not in LADDER or step.get("act") not in (
            CHECK,
            REVIEW,
            RECOGNISE,
            RECOMMEND_MINISTRY,
        ):
            raise ValueError(f"unknown step {step!r}")
    tiers = [rank(step["tier"]) for step in chain]
    if tiers != sorted(set(tiers)):
        raise ValueError("each step must be taken by a tier above the one before")
    if chain[-1]["act"] not in (RECOGNISE, RECOMMEND_MINISTRY):
        raise ValueError("the last step recognises or recommends to the ministry")


for _chain in DEFAULT_CHAINS.values():
    validate(_chain)
