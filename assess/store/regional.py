"""Regional aggregates over result_facts: counts only, by SQL. Suppression comes after.

A scope is a region code prefix (province "32", city "3205", county "320505") or a park; the
population is each organisation's latest submitted assessment, now or as of a date.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

RANKS = range(0, 5)  # gradient ranks: below Basic .. Leading
CMMM_LEVELS = range(0, 6)


@dataclass(frozen=True)
class Scope:
    prefix: str  # region code prefix ("" for the whole country)
    park_id: int | None = None
    as_of: str | None = None  # ISO date: latest assessment submitted on or before it

    def where(self, latest: bool = True) -> tuple[str, list]:
        """The facts of this scope: (SQL fragment over alias f, parameters).

        latest=False: every submitted assessment in the scope, not only the latest ones.
        """
        clauses, params = (
            ["f.region_code >= ? AND f.region_code < ?"],
            [self.prefix, self.prefix + "~"],
        )
        if self.park_id is not None:
            clauses.append("f.park_id = ?")
            params.append(self.park_id)
        if not latest:
            if self.as_of is not None:
                clauses.append("f.submitted_at <= ?")
                params.append(self.as_of + "T23:59:59Z")
        elif self.as_of is None:
            clauses.insert(0, "f.is_latest = 1")
        else:
            clauses.append("f.submitted_at <= ?")
            params.append(self.as_of + "T23:59:59Z")
            clauses.append(
                "f.assessment_id = (SELECT g.assessment_id FROM result_facts g"
                " WHERE g.organisation_id = f.organisation_id AND g.submitted_at <= ?"
                " ORDER BY g.submitted_at DESC, g.assessment_id DESC LIMIT 1)"
            )
            params.append(self.as_of + "T23:59:59Z")
        return " AND ".join(clauses), params


def _one(db: Database, sql: str, params: list) -> dict:
    return next(db.query(sql, params))


# SQL here is composed from constant fragments, our column names and validated integers only;
# every value a user gives is a parameter (hence the nosec B608 marks).
# The latest population is read from the per-county sums (assess/store/summaries.py); a past
# date (as_of) is computed from the facts themselves.


def _sums(scope: Scope) -> tuple[str, list]:
    clauses, params = (
        ["s.region_code >= ? AND s.region_code < ?"],
        [scope.prefix, scope.prefix + "~"],
    )
    if scope.park_id is not None:
        clauses.append("s.park_id = ?")
        params.append(scope.park_id)
    return " AND ".join(clauses), params


def _total(column: str) -> str:
    return f"coalesce(sum({column}), 0) AS {column}"


def overview(db: Database, scope: Scope) -> dict:
    ranks = [f"rank_{r}" for r in RANKS]
    levels = [f"cmmm_{c}" for c in CMMM_LEVELS]
    if scope.as_of is None:
        where, params = _sums(scope)
        columns = [
            "enterprises",
            "verified",
            *ranks,
            *levels,
            "cmmm_2_plus",
            "excellent_plus",
            "score_sum",
        ]
        return _one(
            db,
            f"SELECT {', '.join(map(_total, columns))} FROM region_summary s WHERE {where}",  # nosec B608
            params,
        )  # nosec B608
    where, params = scope.where()
    return _one(
        db,
        "SELECT count(*) AS enterprises, coalesce(sum(f.mode = 'consultant'), 0) AS verified, "  # nosec B608
        + ", ".join(f"coalesce(sum(f.gradient_rank = {r}), 0) AS rank_{r}" for r in RANKS)
        + ", "
        + ", ".join(f"coalesce(sum(f.cmmm_level = {c}), 0) AS cmmm_{c}" for c in CMMM_LEVELS)
        + ", coalesce(sum(f.cmmm_level >= 2), 0) AS cmmm_2_plus,"
        " coalesce(sum(f.gradient_rank >= 3), 0) AS excellent_plus,"
        f" coalesce(sum(f.cmmm_score), 0) AS score_sum FROM result_facts f WHERE {where}",
        params,
    )


GROUPS = {"sector": "f.sector", "size": "f.size", "park": "coalesce(f.park_id, 0)"}


def by_group(db: Database, scope: Scope, dimension: str, prefix_length: int = 0) -> list[dict]:
    """Gradient rank counts per group: dimension region (by code prefix), park, sector or size."""
    ranks = [f"rank_{r}" for r in RANKS]
    if scope.as_of is None:
        where, params = _sums(scope)
        columns = ", ".join(map(_total, ["enterprises", *ranks, "cmmm_2_plus"]))
        if dimension in ("sector", "size"):
            return list(
                db.query(
                    f"SELECT s.key AS key, {columns} FROM region_groups s"  # nosec B608
                    f" WHERE s.dimension = ? AND {where} GROUP BY s.key ORDER BY s.key",
                    [dimension, *params],
                )
            )
        key = (
            f"substr(s.region_code, 1, {int(prefix_length)})"
            if dimension == "region"
            else "s.park_id"
        )
        return list(
            db.query(
                f"SELECT {key} AS key, {columns} FROM region_summary s WHERE {where}"  # nosec B608
                " GROUP BY key ORDER BY key",
                params,
            )
        )
    where, params = scope.where()
    key = (
        f"substr(f.region_code, 1, {int(prefix_length)})"
        if dimension == "region"
        else GROUPS[dimension]
    )
    counts = ", ".join(f"sum(f.gradient_rank = {r}) AS rank_{r}" for r in RANKS)
    return list(
        db.query(
            f"SELECT {key} AS key, count(*) AS enterprises, {counts},"  # nosec B608
            f" sum(f.cmmm_level >= 2) AS cmmm_2_plus"
            f" FROM result_facts f WHERE {where} GROUP BY key ORDER BY key",
            params,
        )
    )


def scenario_adoption(db: Database, scope: Scope, scenario_count: int) -> dict:
    """For each scenario column: how many are not applicable or at each rank."""
    names = [f"s{i}_{r}" for i in range(1, scenario_count + 1) for r in ("na", *RANKS)]
    if scope.as_of is None:
        where, params = _sums(scope)
        return _one(
            db,
            f"SELECT {', '.join(map(_total, names))} FROM region_summary s WHERE {where}",  # nosec B608
            params,
        )  # nosec B608
    where, params = scope.where()
    parts = [
        f"coalesce(sum(f.scenario_{i} = {r if r != 'na' else -1}), 0) AS s{i}_{r}"
        for i in range(1, scenario_count + 1)
        for r in ("na", *RANKS)
    ]
    return _one(db, f"SELECT {', '.join(parts)} FROM result_facts f WHERE {where}", params)  # nosec B608


def sub_domain_means(db: Database, scope: Scope, sub_domain_count: int) -> dict:
    if scope.as_of is None:
        where, params = _sums(scope)
        names = [name for i in range(1, sub_domain_count + 1) for name in (f"d{i}_sum", f"d{i}_n")]
        return _one(
            db,
            f"SELECT {', '.join(map(_total, names))} FROM region_summary s WHERE {where}",  # nosec B608
            params,
        )  # nosec B608
    where, params = scope.where()
    parts = [
        f"sum(f.sub_domain_{i}) AS d{i}_sum, count(f.sub_domain_{i}) AS d{i}_n"
        for i in range(1, sub_domain_count + 1)
    ]
    return _one(db, f"SELECT {', '.join(parts)} FROM result_facts f WHERE {where}", params)  # nosec B608


def rule_gaps(db: Database, scope: Scope, rule_ids: list[str]) -> dict:
    """How many enterprises fail each rule of their next level (g0, g1, ... in rule_ids
    order); one_step: how many fail exactly one."""
    if scope.as_of is None:
        where, params = _sums(scope)
        found = {
            row["rule_id"]: row["n"]
            for row in db.query(
                f"SELECT s.rule_id, sum(s.enterprises) AS n FROM region_rule_gaps s WHERE {where}"  # nosec B608
                " GROUP BY s.rule_id",
                params,
            )
        }
        one_step_sql = f"SELECT {_total('one_step')} FROM region_summary s WHERE {where}"  # nosec B608
        one_step = _one(db, one_step_sql, params)
        return {**{f"g{i}": found.get(rule, 0) for i, rule in enumerate(rule_ids)}, **one_step}
    where, params = scope.where()
    parts = [f"sum(instr(f.next_gaps, ?) > 0) AS g{i}" for i in range(len(rule_ids))]
    return _one(
        db,
        f"SELECT {', '.join(parts)}, sum(f.next_gap_count = 1) AS one_step"  # nosec B608
        f" FROM result_facts f WHERE {where}",
        [f",{rule}," for rule in rule_ids] + params,
    )


def progress_by_quarter(db: Database, scope: Scope) -> list[dict]:
    """Per quarter, the assessments of enterprises that assessed more than once."""
    if scope.as_of is None:
        where, params = _sums(scope)
        columns = ", ".join(
            map(_total, ["assessments", "cmmm_2_plus", "excellent_plus", "score_sum"])
        )
        return list(
            db.query(
                f"SELECT s.quarter AS quarter, {columns} FROM region_quarters s WHERE {where}"  # nosec B608
                " GROUP BY s.quarter ORDER BY s.quarter",
                params,
            )
        )
    where, params = scope.where(latest=False)
    return list(
        db.query(
            "SELECT substr(f.submitted_at, 1, 4) || '-Q' ||"  # nosec B608
            " ((CAST(substr(f.submitted_at, 6, 2) AS INTEGER) + 2) / 3) AS quarter,"
            " count(*) AS assessments, sum(f.cmmm_level >= 2) AS cmmm_2_plus,"
            " sum(f.gradient_rank >= 3) AS excellent_plus, sum(f.cmmm_score) AS score_sum"
            f" FROM result_facts f WHERE {where} AND f.organisation_id IN ("
            f" SELECT f.organisation_id FROM result_facts f WHERE {where}"
            " GROUP BY f.organisation_id HAVING count(*) >= 2)"
            " GROUP BY quarter ORDER BY quarter",
            params + params,
        )
    )


def movement(db: Database, scope: Scope) -> dict:
    """Enterprises whose latest assessment is above, level with or below the one before."""
    if scope.as_of is None:
        where, params = _sums(scope)
        return _one(
            db,
            "SELECT coalesce(sum(moved_up), 0) AS up, coalesce(sum(moved_same), 0) AS same,"  # nosec B608
            f" coalesce(sum(moved_down), 0) AS down FROM region_summary s WHERE {where}",
            params,
        )
    where, params = scope.where(latest=False)
    return _one(
        db,
        "SELECT coalesce(sum(rank > previous), 0) AS up, coalesce(sum(rank = previous), 0) AS same,"  # nosec B608
        " coalesce(sum(rank < previous), 0) AS down FROM ("
        " SELECT f.gradient_rank AS rank, f.submitted_at AS at, f.organisation_id AS org,"
        " lag(f.gradient_rank) OVER (PARTITION BY f.organisation_id"
        " ORDER BY f.submitted_at, f.assessment_id) AS previous,"
        " row_number() OVER (PARTITION BY f.organisation_id"
        " ORDER BY f.submitted_at DESC, f.assessment_id DESC) AS newest"
        f" FROM result_facts f WHERE {where}) WHERE newest = 1 AND previous IS NOT NULL",
        params,
    )


def candidates(db: Database, scope: Scope, limit: int = 200) -> list[dict]:
    """Enterprises that agreed to be listed and reached a level or are one rule from the next.

    The latest list walks the candidate index in the listing's order and stops at the limit.
    """
    where, params = scope.where()
    indexed = "INDEXED BY idx_facts_candidates" if scope.as_of is None else ""
    return list(
        db.query(
            "SELECT o.id, o.name, o.region_code, o.sector, f.gradient_rank, f.cmmm_level,"  # nosec B608
            " f.cmmm_score, f.next_gaps, f.next_gap_count, f.mode, f.submitted_at"
            f" FROM result_facts f {indexed} JOIN organisations o ON o.id = f.organisation_id"
            f" WHERE {where} AND f.listed = 1 AND (f.gradient_rank >= 1 OR f.next_gap_count = 1)"
            " ORDER BY f.gradient_rank DESC, f.next_gap_count, f.cmmm_score DESC LIMIT ?",
            [*params, limit],
        )
    )


def parks_in(db: Database, county_code: str) -> list[dict]:
    return list(
        db.query("SELECT * FROM parks WHERE county_code = ? ORDER BY name_zh", [county_code])
    )


def park(db: Database, park_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM parks WHERE id = ?", [park_id]))
    return rows[0] if rows else None
