"""China's calendar, the one the readers use: a stored UTC timestamp is read as the day it was
in China, and today is China's today, whatever the server's clock says."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assess import translation


@pytest.mark.parametrize(
    ("stamp", "day"),
    [
        ("2026-12-06T15:59:59Z", "2026-12-06"),  # 23:59:59 in Beijing
        ("2026-12-06T16:00:00Z", "2026-12-07"),  # midnight in Beijing
        ("2026-12-31T17:30:00Z", "2027-01-01"),  # a new year in China, not yet in UTC
        ("2026-12-06T17:30:00+00:00", "2026-12-07"),
        ("2026-12-06T17:30:00", "2026-12-07"),  # stored without a zone: UTC
        ("2026-12-06", "2026-12-06"),  # a bare day (a visit, a deadline) stays
        ("", ""),
        (None, ""),
    ],
)
def test_a_stored_timestamp_is_read_as_the_day_it_was_in_china(stamp, day):
    assert translation.local_date(stamp) == day


def test_today_is_china_s_today_at_two_in_the_morning_there(monkeypatch):
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 6, 18, 0, tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(translation, "datetime", Clock)
    assert translation.today_in_china() == date(2026, 12, 7)
