"""The periods a regional dashboard offers: now, and the ends of the last quarters."""

from __future__ import annotations

from datetime import date

from assess.translation import today_in_china

PERIODS = 8  # the quarter ends an authority can pick, besides now


def quarter_ends(today: date | None = None, count: int = PERIODS) -> list[str]:
    """The last days of the past quarters, newest first (the periods offered)."""
    today = today or today_in_china()
    ends = []
    year, quarter = today.year, (today.month - 1) // 3
    for _step in range(count):
        if quarter == 0:
            year, quarter = year - 1, 4
        month = quarter * 3
        ends.append(date(year, month, 31 if month in (3, 12) else 30).isoformat())
        quarter -= 1
    return ends


def last_complete_quarter(day: date) -> str:
    """The newest quarter that has ended on or before a day: 2026-09-30 -> 2026-Q3."""
    year, quarter = day.year, (day.month - 1) // 3 + 1
    ends = date(year, quarter * 3, 31 if quarter in (1, 4) else 30)
    if day < ends:
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return f"{year}-Q{quarter}"
