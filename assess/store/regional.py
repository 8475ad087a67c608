"""Regional aggregates over result_facts: counts only, by SQL. Suppression comes after.

A scope is a region code prefix (province "32", city "3205", county "320505") or a park; the
population is each organisation's latest submitted assessment, now or as of a date. A scope's
sub-regions are the provinces of the country, the cities of a province, the counties of a city
and the parks of a county (key "0": outside any park).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from assess.store.summaries import NOW, QUARTER, kept_periods

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
# Populations are read from the per-county sums (assess/store/summaries.py): now, and each
# quarter end whose sums are made; any other date (as_of) is computed from the facts.

COUNTS = (
    "enterprises",
    "verified",
    *(f"rank_{r}" for r in RANKS),
    *(f"cmmm_{c}" for c in CMMM_LEVELS),
    "cmmm_2_plus",
    "excellent_plus",
    "one_step",
)
QUARTER_COUNTS = ("assessments", "cmmm_2_plus", "up", "same", "down")


def _use_sums(db: Database, scope: Scope) -> bool:
    """Whether the scope's period has its sums made (now always; a past period once made)."""
    return scope.as_of is None or scope.as_of in kept_periods(db)


def _sums(scope: Scope, period: bool = True) -> tuple[str, list]:
    """The sums of a scope (over alias s), of its period (period=False: tables of every
    period, as the quarters' re-assessments)."""
    clauses, params = (
        ["s.region_code >= ? AND s.region_code < ?"],
        [scope.prefix, scope.prefix + "~"],
    )
    if period:
        clauses.insert(0, "s.period = ?")
        params.insert(0, scope.as_of or NOW)
    if scope.park_id is not None:
        clauses.append("s.park_id = ?")
        params.append(scope.park_id)
    return " AND ".join(clauses), params


def _total(column: str) -> str:
    return f"coalesce(sum({column}), 0) AS {column}"


def data_version(db: Database) -> tuple:
    """Changes whenever the regional sums or the facts change, an enterprise registers or an
    assessment is started (the participation funnel), a declaration is made or decided (they
    stamp region_version): a cache key, with the file."""
    stamp = db.execute("SELECT stamp FROM region_version").fetchone()
    newest = db.execute(
        "SELECT (SELECT max(assessment_id) FROM result_facts), (SELECT max(id) FROM organisations),"
        " (SELECT max(id) FROM assessments)"
    ).fetchone()
    return (stamp[0] if stamp else None, *newest)


def by_period(db: Database, scope: Scope) -> list[dict]:
    """Per period whose sums are made (now: ''; the quarter ends kept), the enterprises of the
    scope, those at capability maturity level 2 or above, and those Excellent or above."""
    where, params = _sums(scope, period=False)
    return list(
        db.query(
            "SELECT s.period AS period, sum(s.enterprises) AS enterprises,"  # nosec B608
            " sum(s.cmmm_2_plus) AS cmmm_2_plus, sum(s.excellent_plus) AS excellent_plus"
            f" FROM region_summary s WHERE {where} GROUP BY s.period ORDER BY s.period",
            params,
        )
    )


def _child_key(scope: Scope, alias: str) -> str:
    """The SQL of the sub-region key over a table alias: a code prefix, or the park."""
    length = len(scope.prefix)
    if scope.park_id is not None or length >= 6:
        return f"coalesce({alias}.park_id, 0)"
    return f"substr({alias}.region_code, 1, {length + 2})"


def _latest_as_of(scope: Scope) -> tuple[str, list]:
    """The latest facts of the scope as of its date, as a subquery."""
    where, params = scope.where(latest=False)
    return (
        "(SELECT * FROM (SELECT f.*, row_number() OVER (PARTITION BY f.organisation_id"  # nosec B608
        " ORDER BY f.submitted_at DESC, f.assessment_id DESC) AS newest"
        f" FROM result_facts f WHERE {where}) WHERE newest = 1)",
        params,
    )


def sub_regions(
    db: Database, scope: Scope, rule_ids: list[str], scenario_count: int, last_quarter: str
) -> dict[str, dict]:
    """Every sub-region of a scope that has enterprises: its additive counts (COUNTS, and
    s{i}_na, s{i}_{rank} per scenario), score_sum, its rule gaps {rule: n}, its re-assessments
    per quarter up to last_quarter {quarter: QUARTER_COUNTS + score_sum}, its enterprises
    per sector and per size {(dimension, key): {enterprises, rank_0 .. rank_4}}, and its
    listed candidates [{rank, sector, size, n}]."""
    scenarios = [
        (f"s{i}_{r}", i, -1 if r == "na" else r)
        for i in range(1, scenario_count + 1)
        for r in ("na", *RANKS)
    ]
    if _use_sums(db, scope):
        rows, gaps, quarters = _sub_region_sums(db, scope, scenarios, last_quarter)
    else:
        rows, gaps, quarters = _sub_region_facts(db, scope, rule_ids, scenarios, last_quarter)
    out = {
        str(row["key"]): {"counts": row, "gaps": {}, "quarters": {}, "groups": {}}
        for row in (dict(r) for r in rows)
    }
    for row in gaps:
        if row["n"]:
            out[str(row["key"])]["gaps"][row["rule_id"]] = row["n"]
    for row in quarters:
        out[str(row["key"])]["quarters"][row["quarter"]] = row
    for row in _sub_region_groups(db, scope):
        child = out[str(row.pop("child"))]
        child["groups"][(row.pop("dimension"), row.pop("group_key"))] = row
    for value in out.values():
        value["counts"].pop("key")
    for child, listed in _sub_region_listed(db, scope).items():
        if child in out:
            out[child]["listed"] = listed
    for child, found in declared_sub_regions(db, scope, rule_ids, scenarios).items():
        if child in out:
            out[child]["declared"] = found
    return out


def _sub_region_listed(db: Database, scope: Scope) -> dict[str, list[tuple]]:
    """Per sub-region, the enterprises named in the candidate list (by their own choice) by
    what the list shows of them and what is known of a named enterprise, as tuples (gradient
    rank, capability maturity level, verified on site (0/1), sector, size, the one rule missing or None, n):
    thousands of them for the whole country."""
    where, params = scope.where()
    indexed = "INDEXED BY idx_facts_candidates" if scope.as_of is None and not scope.prefix else ""
    found: dict[str, list[tuple]] = {}
    for row in db.execute(
        f"SELECT {_child_key(scope, 'f')}, f.gradient_rank, f.cmmm_level, f.verified,"  # nosec B608
        " f.sector, f.size, CASE WHEN f.next_gap_count = 1 THEN f.next_gaps END, count(*)"
        f" FROM result_facts f {indexed}"
        f" WHERE {where} AND f.listed = 1 AND (f.gradient_rank >= 1 OR f.next_gap_count = 1)"
        f" AND {_not_declared(scope)} GROUP BY 1, 2, 3, 4, 5, 6, 7",
        params,
    ):
        found.setdefault(str(row[0]), []).append(row[1:])
    return found


def _not_declared(scope: Scope) -> str:
    """Facts not declared in the scope's period (a declared one is counted as known in full)."""
    if scope.as_of is None:
        return "f.declared_at IS NULL"
    return f"(f.declared_at IS NULL OR f.declared_at > '{scope.as_of}T23:59:59Z')"


def _declared_facts(scope: Scope) -> tuple[str, list]:
    """The facts of the scope declared by the end of its period that are still each
    enterprise's latest then, as a subquery (few rows: read from the declared index)."""
    clauses = ["f.region_code >= ? AND f.region_code < ?", "f.declared_at IS NOT NULL"]
    params: list = [scope.prefix, scope.prefix + "~"]
    if scope.park_id is not None:
        clauses.append("f.park_id = ?")
        params.append(scope.park_id)
    if scope.as_of is None:
        clauses.append("f.is_latest = 1")
    else:
        end = scope.as_of + "T23:59:59Z"
        clauses += [
            "f.declared_at <= ?",
            "f.submitted_at <= ?",
            "NOT EXISTS (SELECT 1 FROM result_facts g WHERE g.organisation_id = f.organisation_id"
            " AND g.submitted_at <= ? AND (g.submitted_at > f.submitted_at OR"
            " (g.submitted_at = f.submitted_at AND g.assessment_id > f.assessment_id)))",
        ]
        params += [end, end, end]
    return (
        f"(SELECT * FROM result_facts f INDEXED BY idx_facts_declared"  # nosec B608
        f" WHERE {' AND '.join(clauses)})",
        params,
    )


def declared_sub_regions(
    db: Database, scope: Scope, rule_ids: list[str], scenarios
) -> dict[str, dict]:
    """Per sub-region, the same counts, gaps and groups as sub_regions, of the enterprises
    whose latest result is one they declared (shown by name to the authorities)."""
    source, params = _declared_facts(scope)
    key = _child_key(scope, "f")
    out = {
        str(row.pop("key")): {"counts": row, "gaps": {}, "quarters": {}, "groups": {}}
        for row in db.query(
            f"SELECT {key} AS key, {_fact_counts(scenarios)} FROM {source} f"  # nosec B608
            " GROUP BY key",
            params,
        )
    }
    if not out:
        return out
    for row in _fact_gaps(db, key, source, params, rule_ids):
        if row["n"]:
            out[str(row["key"])]["gaps"][row["rule_id"]] = row["n"]
    counts = ", ".join(f"sum(f.gradient_rank = {r}) AS rank_{r}" for r in RANKS)
    for dimension, column in GROUPS.items():
        for row in db.query(
            f"SELECT {key} AS child, {column} AS group_key, count(*) AS enterprises,"  # nosec B608
            f" {counts} FROM {source} f GROUP BY child, {column}",
            params,
        ):
            out[str(row.pop("child"))]["groups"][(dimension, row.pop("group_key"))] = row
    return out


PARTICIPATION = ("registered", "started", "declared", "recognised")


def participation(db: Database, scope: Scope, by_child: bool = False) -> dict:
    """How many enterprises of the scope registered, started an assessment, declared in a
    round and hold a recognition, by the end of its period (now: all); per sub-region with
    by_child (counties' or parks' keys), else the scope's own {name: n}."""
    end = scope.as_of + "T23:59:59Z" if scope.as_of else None
    key = _child_key(scope, "o") if by_child else "''"
    clauses, params = ["o.merged_into IS NULL"], []  # a merged duplicate counted once
    if scope.prefix:
        clauses.append("o.region_code >= ? AND o.region_code < ?")
        params += [scope.prefix, scope.prefix + "~"]
    if scope.park_id is not None:
        clauses.append("o.park_id = ?")
        params.append(scope.park_id)
    where = " AND ".join(clauses) or "1"
    at = [end] if end else []
    # each stage holds the next: an enterprise that submitted by then had started, one that
    # started had registered, whatever the dates on record say
    # a large scope reads every assessment once (IN); a small one looks up its enterprises'
    if len(scope.prefix) >= 4 or scope.park_id is not None:
        has = "EXISTS (SELECT 1 FROM {table} x WHERE x.organisation_id = o.id{when})"
    else:
        has = "o.id IN (SELECT x.organisation_id FROM {table} x{where_when})"

    def started_by(table: str, column: str) -> str:
        when = f" AND x.{column} <= ?" if end else ""
        return has.format(table=table, when=when, where_when=when.replace(" AND", " WHERE", 1))

    if end:
        started = (
            f"({started_by('assessments', 'created_at')}"
            f" OR {started_by('result_facts', 'submitted_at')})"
        )
        registered = f"(o.created_at <= ? OR {started})"
        registered_params, started_params = at * 3, at * 2
    else:
        started, registered = started_by("assessments", "created_at"), "1"
        registered_params, started_params = [], []
    current = (
        " AND g.recognised_at <= ? AND (g.withdrawn_at IS NULL OR g.withdrawn_at > ?)"
        if end
        else " AND g.withdrawn_at IS NULL"
    )
    queries = {
        "registered": (
            f"SELECT {key} AS k, count(*) AS n FROM organisations o"  # nosec B608
            f" WHERE {where} AND {registered} GROUP BY k",
            params + registered_params,
        ),
        "started": (
            f"SELECT {key} AS k, count(*) AS n FROM organisations o"  # nosec B608
            f" WHERE {where} AND {started} GROUP BY k",
            params + started_params,
        ),
        # few declarations and recognitions: read them first (CROSS JOIN keeps that order)
        "declared": (
            f"SELECT {key} AS k, count(DISTINCT d.organisation_id) AS n FROM declarations d"  # nosec B608
            f" CROSS JOIN organisations o ON o.id = d.organisation_id WHERE d.revision > 0"
            + (" AND d.submitted_at <= ?" if end else "")
            + f" AND {where} GROUP BY k",
            at + params,
        ),
        "recognised": (
            f"SELECT {key} AS k, count(DISTINCT g.organisation_id) AS n FROM recognitions g"  # nosec B608
            f" CROSS JOIN organisations o ON o.id = g.organisation_id"
            f" WHERE g.kind = 'recognised'{current} AND {where} GROUP BY k",
            at * 2 + params,
        ),
    }
    found: dict[str, dict[str, int]] = {}
    for name, (sql, values) in queries.items():
        for row in db.query(sql, values):  # nosec B608  # built from constants and our keys
            found.setdefault(str(row["k"]), dict.fromkeys(PARTICIPATION, 0))[name] = row["n"]
    if by_child:
        return found
    return found.get("", dict.fromkeys(PARTICIPATION, 0))


def _sub_region_sums(db, scope, scenarios, last_quarter):
    where, params = _sums(scope)
    key = _child_key(scope, "s")
    columns = ", ".join(map(_total, [*COUNTS, "score_sum", *(name for name, _i, _r in scenarios)]))
    rows = db.query(
        f"SELECT {key} AS key, {columns} FROM region_summary s WHERE {where}"  # nosec B608
        " GROUP BY key ORDER BY key",
        params,
    )
    gaps = db.query(
        f"SELECT {key} AS key, s.rule_id AS rule_id, sum(s.enterprises) AS n"  # nosec B608
        f" FROM region_rule_gaps s WHERE {where} GROUP BY key, s.rule_id",
        params,
    )
    sums = "sum(s.assessments) AS assessments, sum(s.cmmm_2_plus) AS cmmm_2_plus,"
    sums += " sum(s.moved_up) AS up, sum(s.moved_same) AS same, sum(s.moved_down) AS down,"
    where, params = _sums(scope, period=False)  # a completed quarter is the same in any period
    quarters = db.query(
        f"SELECT {key} AS key, s.quarter AS quarter, {sums} sum(s.score_sum) AS score_sum"  # nosec B608
        f" FROM region_quarters s WHERE {where} AND s.quarter <= ?"
        " GROUP BY key, s.quarter ORDER BY key, s.quarter",
        [*params, last_quarter],
    )
    return list(rows), list(gaps), list(quarters)


def _fact_counts(scenarios) -> str:
    """The additive counts of a group of facts rows (alias f), as SQL columns."""
    return ", ".join(
        [
            "count(*) AS enterprises",
            "coalesce(sum(f.verified), 0) AS verified",
            *(f"coalesce(sum(f.gradient_rank = {r}), 0) AS rank_{r}" for r in RANKS),
            *(f"coalesce(sum(f.cmmm_level = {c}), 0) AS cmmm_{c}" for c in CMMM_LEVELS),
            "coalesce(sum(f.cmmm_level >= 2), 0) AS cmmm_2_plus",
            "coalesce(sum(f.gradient_rank >= 3), 0) AS excellent_plus",
            "coalesce(sum(f.next_gap_count = 1), 0) AS one_step",
            "coalesce(sum(f.cmmm_score), 0) AS score_sum",
            *(f"coalesce(sum(f.scenario_{i} = {r}), 0) AS {name}" for name, i, r in scenarios),
        ]
    )


def _fact_gaps(db, key: str, source: str, params: list, rule_ids: list[str]) -> list[dict]:
    """Per sub-region and rule, the facts rows whose next level misses the rule."""
    parts = ", ".join(f"sum(instr(f.next_gaps, ?) > 0) AS g{i}" for i in range(len(rule_ids)))
    gaps = []
    for row in db.query(
        f"SELECT {key} AS key, {parts} FROM {source} f GROUP BY key",  # nosec B608
        [f",{rule}," for rule in rule_ids] + params,
    ):
        gaps += [
            {"key": row["key"], "rule_id": r, "n": row[f"g{i}"]} for i, r in enumerate(rule_ids)
        ]
    return gaps


def _sub_region_facts(db, scope, rule_ids, scenarios, last_quarter):
    source, params = _latest_as_of(scope)
    key = _child_key(scope, "f")
    rows = db.query(
        f"SELECT {key} AS key, {_fact_counts(scenarios)} FROM {source} f"  # nosec B608
        " GROUP BY key ORDER BY key",
        params,
    )
    gaps = _fact_gaps(db, key, source, params, rule_ids)
    where, params = scope.where(latest=False)
    quarters = db.query(
        "SELECT key, quarter, count(*) AS assessments, sum(level >= 2) AS cmmm_2_plus,"  # nosec B608
        " sum(rank > previous) AS up, sum(rank = previous) AS same, sum(rank < previous) AS down,"
        f" sum(score) AS score_sum FROM (SELECT {key} AS key, {QUARTER} AS quarter,"
        " f.cmmm_level AS level, f.cmmm_score AS score, f.gradient_rank AS rank,"
        " lag(f.gradient_rank) OVER (PARTITION BY f.organisation_id"
        " ORDER BY f.submitted_at, f.assessment_id) AS previous"
        f" FROM result_facts f WHERE {where})"
        " WHERE previous IS NOT NULL AND quarter <= ? GROUP BY key, quarter ORDER BY key, quarter",
        [*params, last_quarter],
    )
    return list(rows), gaps, list(quarters)


GROUPS = {"sector": "f.sector", "size": "f.size"}


def _sub_region_groups(db: Database, scope: Scope) -> list[dict]:
    """Per sub-region, sector and size: the enterprises and their gradient ranks."""
    ranks = [f"rank_{r}" for r in RANKS]
    if _use_sums(db, scope):
        where, params = _sums(scope)
        columns = ", ".join(map(_total, ["enterprises", *ranks]))
        return list(
            db.query(
                f"SELECT {_child_key(scope, 's')} AS child, s.dimension AS dimension,"  # nosec B608
                f" s.key AS group_key, {columns} FROM region_groups s WHERE {where}"
                " GROUP BY child, s.dimension, s.key",
                params,
            )
        )
    source, params = _latest_as_of(scope)
    counts = ", ".join(f"sum(f.gradient_rank = {r}) AS rank_{r}" for r in RANKS)
    parts = [
        f"SELECT {_child_key(scope, 'f')} AS child, '{dimension}' AS dimension,"  # nosec B608
        f" {column} AS group_key, count(*) AS enterprises, {counts} FROM {source} f"
        f" GROUP BY child, {column}"
        for dimension, column in GROUPS.items()
    ]
    return list(db.query(" UNION ALL ".join(parts), params * len(GROUPS)))


def sub_domain_means(db: Database, scope: Scope, sub_domain_count: int) -> dict:
    if _use_sums(db, scope):
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


def candidates(db: Database, scope: Scope, limit: int = 200) -> list[dict]:
    """Enterprises that agreed to be listed and reached a level or are one rule from the next.

    The latest list walks the candidate index in the listing's order and stops at the limit.
    """
    where, params = scope.where()
    # the whole country walks the candidates' index in the list's order and stops at the
    # limit; a region reads its own latest facts and sorts them
    indexed = "INDEXED BY idx_facts_candidates" if scope.as_of is None and not scope.prefix else ""
    return list(
        db.query(
            "SELECT o.id, o.name, o.region_code, o.sector, f.gradient_rank, f.cmmm_level,"  # nosec B608
            " f.cmmm_score, f.next_gaps, f.next_gap_count, f.verified, f.submitted_at"
            f" FROM result_facts f {indexed} JOIN organisations o ON o.id = f.organisation_id"
            f" WHERE {where} AND f.listed = 1 AND (f.gradient_rank >= 1 OR f.next_gap_count = 1)"
            " AND o.identity = 'verified'"  # an unverified enterprise is never a candidate
            " ORDER BY f.gradient_rank DESC, f.next_gap_count, f.cmmm_score DESC LIMIT ?",
            [*params, limit],
        )
    )
