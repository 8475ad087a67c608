"""Rounds: a round's year and dates must make sense together (worked examples), and a round
opened by mistake can be cancelled by its opener while nobody has declared in it."""

from __future__ import annotations

from datetime import date

import pytest

from assess.declaration import rounds
from assess.store import rounds as round_store
from tests.programme import actor, declared

DAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("year", "opens_on", "deadline", "wrong"),
    [
        (2027, "2027-03-01", "2027-09-30", None),
        (2027, "2026-12-15", "2027-01-31", None),  # opens in December for next year's round
        (2026, "2026-12-01", "2027-01-31", None),
        (2027, "2027-03-01", "2027-02-01", "order"),  # the reviewer's example
        (2031, "2026-12-08", "2026-12-09", "year"),  # the reviewer's example
        (2023, "2023-03-01", "2027-01-01", "year"),
        (2026, "2026-01-01", "2027-06-30", "long"),
        (2026, "2026-03-01", "2026-09-30", "past"),
        (2026, "2026-12-07", "2026-12-07", None),  # a one-day round, today
    ],
)
def test_a_round_year_and_dates_make_sense_together(year, opens_on, deadline, wrong):
    assert (
        rounds.nonsense(year, date.fromisoformat(opens_on), date.fromisoformat(deadline), DAY)
        == wrong
    )


def test_a_nonsensical_round_is_refused_with_what_is_wrong_and_nothing_made(world):
    db = world["db"]
    before = list(db.query("SELECT * FROM declaration_rounds"))
    refused = rounds.open_round(
        db,
        world["suzhou"],
        "basic",
        2031,
        date(2026, 12, 8),
        date(2026, 12, 9),
        actor(world["suzhou"]),
        DAY,
    )
    assert refused == rounds.Refused("dates", "year")
    assert list(db.query("SELECT * FROM declaration_rounds")) == before


def test_the_opener_cancels_a_round_nobody_declared_in_and_it_is_audited(world):
    db = world["db"]
    made = rounds.open_round(
        db,
        world["suzhou"],
        "basic",
        2027,
        date(2027, 3, 1),
        date(2027, 9, 30),
        actor(world["suzhou"]),
        DAY,
    )
    # not another authority, even above; not a park or county
    for who in ("jiangsu", "park", "zhejiang"):
        assert rounds.cancel(db, world[who], made, actor(world[who]), True) == rounds.Refused(
            "not_found"
        )
    # deleting cannot be undone: not without the opener's confirmation, and then nothing changes
    assert rounds.cancel(db, world["suzhou"], made, actor(world["suzhou"]), False) == (
        rounds.Refused("not_confirmed")
    )
    assert round_store.get(db, made) is not None
    assert rounds.cancel(db, world["suzhou"], made, actor(world["suzhou"]), True) is True
    assert round_store.get(db, made) is None
    action, detail = db.execute(
        "SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert action == "round_cancelled" and '"year": 2027' in detail
    assert rounds.cancel(db, world["suzhou"], made, actor(world["suzhou"]), True) == (
        rounds.Refused("not_found")
    )


def test_a_round_someone_declared_in_cannot_be_cancelled(world, evidence):
    declared(world)
    assert rounds.cancel(
        world["db"], world["suzhou"], world["round"], actor(world["suzhou"]), True
    ) == rounds.Refused("declared")
    assert round_store.get(world["db"], world["round"]) is not None
