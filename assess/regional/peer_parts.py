"""Benchmarks on the results page: per sub-domain and scenario, where the enterprise stands
among its sector, its province and its size, as quartiles of the quarterly snapshots
(assess/store/peer_parts.py). A group is shown only when it counts at least MIN_PEERS
enterprises with the part applicable (the peer comparison's minimum, docs/suppression.md), and
always with the quarter end its figures are of. Making the snapshots needs the database;
quartiles are pure."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.regional.peer_figures import MIN_PEERS, STEPS, snapshot_periods
from assess.store import peer_parts, peers
from assess.store.database import write_transaction

RANKS = peers.RANKS


def make(db: Database, period: str) -> None:
    """The part snapshots of one quarter end. Run in a write transaction."""
    rows = []
    for grouping in peer_parts.GROUPS:
        found: dict[tuple[str, str], tuple[str, list[int]]] = {}
        for key, part, kind, bucket, count in peer_parts.latest_by_group(db, period, grouping):
            size = STEPS if kind == "sub_domain" else RANKS
            _, counts = found.setdefault((key, part), (kind, [0] * size))
            counts[min(int(bucket), size - 1)] += count
        rows += [
            (grouping, key, part, sum(counts), counts)
            for (key, part), (_, counts) in sorted(found.items())
        ]
    peer_parts.add(db, period, rows)


def bring_up_to_date(db: Database) -> None:
    """Make the part snapshots of the quarter ends that have none."""
    with write_transaction(db):
        for period in sorted(set(snapshot_periods()) - peer_parts.periods(db)):
            make(db, period)


def remake(db: Database) -> None:
    """Every part snapshot made anew (results were added in the past)."""
    with write_transaction(db):
        peer_parts.delete(db)
        for period in snapshot_periods():
            make(db, period)


@dataclass(frozen=True)
class Quartiles:
    as_of: str
    enterprises: int
    q1: float
    median: float
    q3: float


def quartiles(counts: list[int], as_of: str, step: float) -> Quartiles | None:
    """Lower quartile, median and upper quartile of a histogram (bucket i = value i·step), by
    the nearest-rank method; None below MIN_PEERS."""
    total = sum(counts)
    if total < MIN_PEERS:
        return None

    def at(share: float) -> float:
        rank = max(1, -(-int(share * total * 100) // 100))  # ceil(share · total), at least 1
        seen = 0
        for i, n in enumerate(counts):
            seen += n
            if seen >= rank:
                return round(i * step, 2)
        return round((len(counts) - 1) * step, 2)

    return Quartiles(as_of, total, at(0.25), at(0.5), at(0.75))


def of_group(db: Database, grouping: str, key: str, until: str) -> dict[str, Quartiles]:
    """Per part (sub-domain or scenario id), the group's quartiles as shown."""
    out = {}
    for part, snap in peer_parts.latest(db, grouping, key, until, MIN_PEERS).items():
        step = 0.05 if len(snap["counts"]) == STEPS else 1.0
        found = quartiles(snap["counts"], snap["period"], step)
        if found is not None:
            out[part] = found
    return out
