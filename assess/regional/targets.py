"""The plan's targets and how far a region is from them at its current pace: the share of
enterprises at capability maturity level 2 or above (50 % by the end of 2027, 60 % by the end
of 2030) and the number of Excellent factories (200 and 500 nationally). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

SHARE_TARGETS = {2027: 0.5, 2030: 0.6}
EXCELLENT_TARGETS = {2027: 200, 2030: 500}
PACE_QUARTERS = 4  # the pace is the trend over the last year of quarter ends (and now)
# A straight line says little far beyond the data it was drawn from: a figure is projected at
# most twice as far ahead as the points behind the pace reach back (a year of quarter ends:
# two years ahead), and never past 0 or 100 % (a share cannot get there; the line is no
# forecast any more). Beyond, nothing is projected, rather than a made-up or capped figure.
AHEAD_PER_SPAN = 2


@dataclass(frozen=True)
class Point:
    day: date
    value: float


@dataclass(frozen=True)
class Outlook:
    """Where a figure is heading at its current pace, against one target."""

    year: int
    target: float
    projected: float | None  # at the end of the target's year at the current pace; None: the
    # data does not support a projection that far (AHEAD_PER_SPAN) or the line leaves 0..cap
    reached_in: str | None  # the quarter in which the pace reaches the target (None: not
    # within what the data supports, AHEAD_PER_SPAN)
    met: bool = False  # reached already: the latest figure is at or above the target
    under_way: str = ""  # the quarter of the latest figure (the quarter under way)

    @property
    def on_track(self) -> bool:
        return self.reached_in is not None and self.reached_in <= f"{self.year}-Q4"

    @property
    def this_quarter(self) -> bool:
        """Not met yet, and the pace reaches the target before the quarter under way ends:
        never said as "reached in" that quarter, as if it were done."""
        return not self.met and self.reached_in is not None and self.reached_in == self.under_way


def quarters_between(start: date, end: date) -> float:
    return (end - start).days / 91.3125


def pace(points: list[Point]) -> float | None:
    """Change per quarter: the least-squares slope over the last year's points (None with
    fewer than two points, or all on one day)."""
    recent = _recent(points)
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


def _recent(points: list[Point]) -> list[Point]:
    return sorted(points, key=lambda p: p.day)[-(PACE_QUARTERS + 1) :]


def supported_ahead(points: list[Point]) -> float:
    """How many quarters past the latest point a projection may reach (AHEAD_PER_SPAN)."""
    recent = _recent(points)
    return AHEAD_PER_SPAN * quarters_between(recent[0].day, recent[-1].day) if recent else 0.0


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def outlook(
    points: list[Point], targets: dict[int, float], cap: float | None = 1.0
) -> list[Outlook]:
    """Per target: the figure projected to the end of its year from the latest point at the
    current pace, and the quarter in which the pace reaches it (None: not at this pace, or not
    as far ahead as the data supports)."""
    if not points:
        return []
    latest = max(points, key=lambda p: p.day)
    per_quarter = pace(points)
    reach = supported_ahead(points)
    found = []
    for year, target in sorted(targets.items()):
        ahead = quarters_between(latest.day, date(year, 12, 31))
        projected = (
            latest.value + per_quarter * ahead
            if per_quarter is not None and ahead <= reach + 1e-9
            else None
        )
        if projected is not None and (projected < 0 or (cap is not None and projected > cap)):
            projected = None
        if latest.value >= target:
            reached = quarter_of(latest.day)
        elif per_quarter and per_quarter > 0 and (target - latest.value) / per_quarter <= reach:
            days = (target - latest.value) / per_quarter * 91.3125  # within what is supported
            reached = quarter_of(date.fromordinal(latest.day.toordinal() + round(days)))
        else:
            reached = None
        found.append(
            Outlook(
                year, target, projected, reached, latest.value >= target, quarter_of(latest.day)
            )
        )
    return found
