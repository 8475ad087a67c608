"""The peer comparison of a gap report: quarterly snapshots of every sector's and every
province's results, and what of a group's snapshots a report may show.

Figures computed live told too much: a report moved from 45 to 46 peers, and from 71 % to 72 %
below Basic, when one more enterprise submitted, which gave away that enterprise's level. So a
report shows the snapshot of a quarter end (each enterprise's latest assessment submitted by
then), says which, and protects it as the dashboards do (docs/suppression.md, "Peer figures in
reports"):

- a group is shown when it counts at least MIN_PEERS enterprises;
- a quarter's figures replace the ones shown before only when the group's total moved by 0 or
  by at least SMALL since (else the older ones stay, with their date): a total that moved by 1
  to 4 counts the few enterprises that came or went;
- a level's count is hidden when it is small (below SMALL), when it moved by 1 to 4 since the
  figures shown before, or as the complement of another hidden count (the line's rules of
  assess/regional/suppression.py); a share is shown only with its count;
- "your score is higher than p % of them" is shown only when at least SMALL are below and SMALL
  are not, and the count below did not move by 1 to 4 since the figures shown before.

Snapshots are derived data made by the deploy step (init-db) for every quarter end since the
plan began, and kept. Making them needs the database; deciding what is shown is pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from assess.regional import suppression
from assess.regional.periods import quarter_ends
from assess.store import peers
from assess.store.database import write_transaction
from assess.translation import today_in_china

FIRST_QUARTER_END = "2025-03-31"  # the plan's first quarter (2025-Q1)
MIN_PEERS = 5
SMALL = suppression.SMALL
STEPS = 101  # total scores S of 0 to 5 in steps of 0.05


def snapshot_periods(today: date | None = None) -> list[str]:
    """Every quarter end from the plan's first to the last one past, oldest first."""
    today = today or today_in_china()
    count = (today.year - 2025) * 4 + 4
    return sorted(p for p in quarter_ends(today, count) if p >= FIRST_QUARTER_END)


def bring_up_to_date(db: Database, today: date | None = None) -> list[str]:
    """Make the snapshots of the quarter ends that have none; the periods made."""
    with write_transaction(db):
        made = sorted(set(snapshot_periods(today)) - peers.snapshot_periods(db))
        for period in made:
            make(db, period)
    return made


def remake(db: Database, today: date | None = None) -> None:
    """Every snapshot made anew (results were added in the past: the demo's, a restore's)."""
    with write_transaction(db):
        peers.delete_snapshots(db)
        for period in snapshot_periods(today):
            make(db, period)


def make(db: Database, period: str) -> None:
    """The snapshot of one quarter end, for every sector and province. Run in a write
    transaction."""
    groups: dict[tuple[str, str], dict] = {}
    for grouping in peers.GROUPS:
        for key, rank, step, count in peers.latest_by_group(db, period, grouping):
            group = groups.setdefault(
                (grouping, key),
                {"enterprises": 0, "ranks": [0] * peers.RANKS, "scores": [0] * STEPS},
            )
            group["enterprises"] += count
            group["ranks"][rank] += count
            group["scores"][step] += count
    peers.add_snapshots(db, period, groups)


@dataclass(frozen=True)
class Shown:
    """What a report shows of a peer group: the quarter end the figures are of, the total, the
    count at each gradient rank (None: hidden), and how many have a lower total score S
    (None: not shown)."""

    as_of: str
    enterprises: int
    ranks: tuple[int | None, ...]
    lower: int | None

    @property
    def shares(self) -> list[float | None]:
        return [None if n is None else n / self.enterprises for n in self.ranks]


def shown(history: list[dict], own_score: float) -> Shown | None:
    """What may be shown of a group from its snapshots (oldest first; peers.snapshots), for an
    enterprise whose total score S is own_score; None when nothing may."""
    published: list[dict] = []
    for snapshot in history:
        total = snapshot["enterprises"]
        if total < MIN_PEERS:
            continue
        if published and 0 < abs(total - published[-1]["enterprises"]) < SMALL:
            continue
        published.append(snapshot)
    if not published:
        return None
    current, before = published[-1], (published[-2] if len(published) > 1 else None)
    keys = [f"rank_{i}" for i in range(len(current["ranks"]))]
    values = {**dict(zip(keys, current["ranks"], strict=True)), "total": current["enterprises"]}
    moved = {
        key: True
        for key, then in zip(keys, before["ranks"] if before else (), strict=False)
        if _moved_a_little(values[key], then)
    }
    hidden = suppression.hide(values, [(*keys, "total")], fixed=moved)
    if "total" in hidden:
        return None
    lower = _lower(current, own_score)
    if (
        lower < SMALL
        or current["enterprises"] - lower < SMALL
        or (before is not None and _moved_a_little(lower, _lower(before, own_score)))
    ):
        lower = None
    return Shown(
        current["period"],
        current["enterprises"],
        tuple(None if key in hidden else values[key] for key in keys),
        lower,
    )


def _lower(snapshot: dict, own_score: float) -> int:
    """How many of a snapshot's enterprises have a total score S below own_score."""
    return sum(snapshot["scores"][: peers.score_step(own_score)])


def _moved_a_little(now: int, then: int) -> bool:
    return 0 < abs(now - then) < SMALL
