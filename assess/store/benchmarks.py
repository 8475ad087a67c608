"""Provincial sector benchmarks of the results indicators, and the submitted assessments
whose results they decide (assess/regional/benchmarks.py is the use case)."""

from __future__ import annotations

from sqlite_utils import Database


def for_sector(db: Database, province: str, sector: str) -> dict[str, dict]:
    """The benchmarks of one province and sector, by indicator id."""
    return {
        row["indicator_id"]: row
        for row in db.query(
            "SELECT b.*, u.name AS set_by_name FROM benchmarks b"
            " LEFT JOIN users u ON u.id = b.set_by WHERE b.province = ? AND b.sector = ?",
            [province, sector],
        )
    }


def for_province(db: Database, province: str) -> list[dict]:
    """Every benchmark of a province, by sector and indicator."""
    return list(
        db.query(
            "SELECT * FROM benchmarks WHERE province = ? ORDER BY sector, indicator_id", [province]
        )
    )


def counts(db: Database) -> dict[str, int]:
    """How many benchmarks each province has."""
    return {
        row["province"]: row["n"]
        for row in db.query("SELECT province, count(*) AS n FROM benchmarks GROUP BY province")
    }


def put(
    db: Database,
    province: str,
    sector: str,
    indicator_id: str,
    value: float,
    year: int,
    source: str,
    user_id: int | None,
) -> None:
    db.execute(
        "INSERT OR REPLACE INTO benchmarks"
        " (province, sector, indicator_id, value, year, source, set_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [province, sector, indicator_id, value, year, source, user_id],
    )


def remove(db: Database, province: str, sector: str, indicator_id: str) -> None:
    db.execute(
        "DELETE FROM benchmarks WHERE province = ? AND sector = ? AND indicator_id = ?",
        [province, sector, indicator_id],
    )


def submitted_in(db: Database, province: str, sector: str) -> list[dict]:
    """The submitted assessments of the organisations of a sector in a province: their results
    are scored with that province's and sector's benchmarks (those set aside by a hand-over
    count nowhere, organisation/handover.py)."""
    return list(
        db.query(
            "SELECT a.* FROM assessments a JOIN organisations o ON o.id = a.organisation_id"
            " WHERE a.status = 'submitted' AND a.set_aside_at IS NULL AND o.sector = ?"
            " AND o.region_code >= ? AND o.region_code < ? ORDER BY a.id",
            [sector, province, province + "~"],
        )
    )
