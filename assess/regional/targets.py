"""The plan's targets and how far a region is from them at its current pace: the share of
enterprises at capability maturity level 2 or above (50 % by the end of 2027, 60 % by the end
of 2030) and the number of Excellent factories (200 and 500 nationally). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SHARE_TARGETS = {2027: 0.5, 2030: 0.6}
EXCELLENT_TARGETS = {2027: 200, 2030: 500}
PACE_QUARTERS = 4  # the pace is the trend over the last year of quarter ends (and now)


@dataclass(frozen=True)
class Point:
    day: date
    value: float


@dataclass(frozen=True)
class Outlook:
    """Where a figure is heading at its current pace, against one target."""

    year: int
    target: float
    projected: float  # at the end of the target's year, at the current pace
    reached_in: str | None  # the quarter in which the pace reaches the target
    met: bool = False  # reached already: the latest figure is at or above the target

    @property
    def on_track(self) -> bool:
        return self.reached_in is not None and self.reached_in <= f"{self.year}-Q4"


def quarters_between(start: date, end: date) -> float:
    return (end - start).days / 91.3125


def pace(points: list[Point]) -> float | None:
    """Change per quarter: the least-squares slope over the last year's points (None with
    fewer than two points, or all on one day)."""
    recent = sorted(points, key=lambda p: p.day)[-(PACE_QUARTERS + 1) :]
    if len(recent) < 2:
        return None
    origin = recent[0].day
    xs = [quarters_between(origin, p.day) for p in recent]
    ys = [p.value for p in recent]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def outlook(
    points: list[Point], targets: dict[int, float], cap: float | None = 1.0
) -> list[Outlook]:
    """Per target: the figure projected to the end of its year from the latest point at the
    current pace, and the quarter in which the pace reaches it (None: not at this pace)."""
    if not points:
        return []
    latest = max(points, key=lambda p: p.day)
    per_quarter = pace(points)
    found = []
    for year, target in sorted(targets.items()):
        ahead = quarters_between(latest.day, date(year, 12, 31))
        projected = latest.value + (per_quarter or 0.0) * ahead
        if cap is not None:
            projected = min(cap, max(0.0, projected))
        if latest.value >= target:
            reached = quarter_of(latest.day)
        elif per_quarter and per_quarter > 0 and (target - latest.value) / per_quarter < 400:
            days = (target - latest.value) / per_quarter * 91.3125  # within a century
            reached = quarter_of(date.fromordinal(latest.day.toordinal() + round(days)))
        else:
            reached = None
        found.append(Outlook(year, target, projected, reached, latest.value >= target))
    return found
