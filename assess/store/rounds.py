"""Declaration rounds: a level, a year, the region of the authority that opened it, its review
chain (as it was when opened) and its deadline."""

from __future__ import annotations

import json

from sqlite_utils import Database


def create(
    db: Database,
    *,
    level: str,
    year: int,
    region_scope: str,
    chain: list[dict],
    opens_on: str,
    deadline: str,
    opened_by: int | None,
) -> int:
    return (
        db["declaration_rounds"]
        .insert(
            {
                "level": level,
                "year": year,
                "region_scope": region_scope,
                "chain": json.dumps(chain, sort_keys=True),
                "opens_on": opens_on,
                "deadline": deadline,
                "opened_by": opened_by,
            }
        )
        .last_pk
    )


def _decoded(row: dict | None) -> dict | None:
    return None if row is None else {**row, "chain": json.loads(row["chain"])}


def get(db: Database, round_id: int) -> dict | None:
    return _decoded(
        next(db.query("SELECT * FROM declaration_rounds WHERE id = ?", [round_id]), None)
    )


def find(db: Database, level: str, year: int, region_scope: str) -> dict | None:
    return _decoded(
        next(
            db.query(
                "SELECT * FROM declaration_rounds WHERE level = ? AND year = ? AND region_scope = ?",
                [level, year, region_scope],
            ),
            None,
        )
    )


def for_region(db: Database, region_code: str) -> list[dict]:
    """Rounds an enterprise of a region may declare in: opened for a scope containing it."""
    return [
        _decoded(row)
        for row in db.query(
            "SELECT * FROM declaration_rounds WHERE substr(?, 1, length(region_scope)) ="
            " region_scope ORDER BY deadline DESC, id DESC",
            [region_code],
        )
    ]


def seen_by(db: Database, scope: str) -> list[dict]:
    """Rounds an authority deals with: opened for a region containing its own, or inside it;
    `declared`: whether anyone declared in it (a draft too)."""
    return [
        _decoded(row)
        for row in db.query(
            "SELECT *, EXISTS (SELECT 1 FROM declarations d WHERE d.round_id ="
            " declaration_rounds.id) AS declared FROM declaration_rounds"
            " WHERE substr(?, 1, length(region_scope)) ="
            " region_scope OR (region_scope >= ? AND region_scope < ?)"
            " ORDER BY year DESC, deadline DESC, id DESC",
            [scope, scope, scope + "~"],
        )
    ]


def delete_if_unused(db: Database, round_id: int) -> bool:
    """Delete a round nobody has declared in (not even a draft); whether it was deleted."""
    return (
        db.execute(
            "DELETE FROM declaration_rounds WHERE id = ? AND NOT EXISTS"
            " (SELECT 1 FROM declarations d WHERE d.round_id = declaration_rounds.id)",
            [round_id],
        ).rowcount
        == 1
    )
