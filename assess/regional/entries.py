"""What a region publishes, as entries and lines: the counts its dashboard shows, the partial
sums that merge categories (「基础级及以上」), the participation funnel, and the lines (sums)
that bind them; what of each is known anyway (declared or listed enterprises); and which
entries are headline figures, always shown for a province, a city and the country. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from assess.organisation.sizes import SIZES
from assess.questionnaire.definition import Questionnaire
from assess.store.regional import CMMM_LEVELS, RANKS

PLAN_START = "2025-Q1"  # the plan's first quarter: where the re-assessment table starts
GROUP_COUNTS = ("enterprises", *(f"rank_{r}" for r in RANKS))
QUARTER_COUNTS = ("assessments", "cmmm_2_plus", "up", "same", "down", "score_sum")
# The participation funnel (registered → started → submitted → declared → recognised), and the
# enterprises between two stages: each is a count of enterprises, so each is an entry.
FUNNEL = (
    "registered",
    "started",
    "declared",
    "recognised",
    "not_started",
    "unfinished",
    "undeclared",
)
# Counted exactly everywhere: every enterprise in them declared (named to its authorities).
EXACT = frozenset({"declared", "recognised"})
# Headline figures: always shown for the country, a province and a city (docs/suppression.md).
HEADLINE = frozenset({"n", "cmmm_high", "cmmm_low", "excellent_plus", *FUNNEL})
HEADLINE_PREFIX = 4  # regions with a code prefix this long or shorter: country, province, city
# Kept rather than others when a figure must be hidden to protect another (higher first): the
# headline figures, then the merged categories (「基础级及以上」 before 基础级 ...).
KEEP = {
    **dict.fromkeys(("n", "excellent_plus", "cmmm_high", "cmmm_low"), 2),
    **dict.fromkeys(("registered", "declared", "recognised"), 2),
    **dict.fromkeys(("basic_plus", "advanced_plus", "cmmm_3_plus"), 1),
}


@dataclass(frozen=True)
class Shape:
    """The rows every region's tables have, whatever its data: every sector and size, every
    quarter since the plan began. A row left out when it is empty would say it is 0."""

    sectors: tuple[str, ...] = ()
    sizes: tuple[str, ...] = ()
    quarters: tuple[str, ...] = ()


def shape(q: Questionnaire, last_quarter: str) -> Shape:
    """The rows of the tables for a questionnaire, up to a period's last completed quarter."""
    return Shape(
        sectors=tuple(o.id for o in q.items["profile.sector"].options),
        sizes=SIZES,
        quarters=quarters_between(PLAN_START, last_quarter),
    )


def quarters_between(first: str, last: str) -> tuple[str, ...]:
    """The quarters from first to last, both included: 2025-Q4, 2026-Q1 -> both."""
    out = []
    year, quarter = int(first[:4]), int(first[-1])
    while f"{year}-Q{quarter}" <= last:
        out.append(f"{year}-Q{quarter}")
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return tuple(out)


def group_entry(dimension: str, key: str, name: str) -> str:
    """The entry of a sector's or a size's count: "sector:rail|rank_2", "size:small|n"."""
    return f"{dimension}:{key}|{name}"


def groups(counts, dimension: str) -> list[str]:
    """The keys of a dimension's groups that a region has (sectors or sizes), sorted."""
    prefix = f"{dimension}:"
    return sorted({name[len(prefix) :].split("|")[0] for name in counts if name.startswith(prefix)})


@cache
def _group_names(dimension: str, key: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
    """A group's entry names: its total, its levels (with the store's column), Basic or above."""
    return (
        group_entry(dimension, key, "n"),
        tuple((group_entry(dimension, key, f"rank_{r}"), f"rank_{r}") for r in RANKS),
        group_entry(dimension, key, "basic_plus"),
    )


def entries(
    row: dict, rule_ids: list[str], scenario_count: int, rows: Shape = Shape()
) -> tuple[dict, dict]:
    """A region's entries and score sums from a store row (regional.sub_regions); `rows`:
    the sectors, sizes and quarters that have entries even when they are 0 (a quarter before
    the first is left out). A row with "participation" (a county's or a park's) has the
    funnel's entries too."""
    c = row["counts"]
    n = c["enterprises"]
    counts = {"n": n, **{f"rank_{r}": c[f"rank_{r}"] for r in RANKS}}
    counts.update(
        basic_plus=n - c["rank_0"],
        advanced_plus=n - c["rank_0"] - c["rank_1"],
        excellent_plus=c["excellent_plus"],
    )
    counts.update({f"cmmm_{level}": c[f"cmmm_{level}"] for level in CMMM_LEVELS})
    counts.update(
        cmmm_low=n - c["cmmm_2_plus"],
        cmmm_high=c["cmmm_2_plus"],
        cmmm_3_plus=c["cmmm_2_plus"] - c["cmmm_2"],
        self=n - c["verified"],
        verified=c["verified"],
        one_step=c["one_step"],
    )
    for i in range(1, scenario_count + 1):
        counts.update({f"s{i}_{r}": c[f"s{i}_{r}"] for r in ("na", *RANKS)})
        counts[f"s{i}_plus"] = sum(c[f"s{i}_{r}"] for r in RANKS[1:])
    counts.update({f"gap_{rule}": row["gaps"].get(rule, 0) for rule in rule_ids})
    found = row.get("groups", {})
    every = [("sector", key) for key in rows.sectors] + [("size", key) for key in rows.sizes]
    empty = dict.fromkeys(GROUP_COUNTS, 0)
    for (dimension, key), group in {**{g: empty for g in every}, **found}.items():
        total, ranks, plus = _group_names(dimension, key)
        counts[total] = group["enterprises"]
        for name, column in ranks:
            counts[name] = group[column]
        counts[plus] = group["enterprises"] - group["rank_0"]
    if "participation" in row:
        counts.update(funnel(row["participation"], n))
    sums = {"score_sum": c["score_sum"]}
    quarters = {quarter: dict.fromkeys(QUARTER_COUNTS, 0) for quarter in rows.quarters}
    first = rows.quarters[0] if rows.quarters else ""
    quarters.update({k: v for k, v in row.get("quarters", {}).items() if k >= first})
    for quarter, q in sorted(quarters.items()):
        counts.update(
            {
                f"{quarter}/assessments": q["assessments"],
                f"{quarter}/high": q["cmmm_2_plus"],
                f"{quarter}/low": q["assessments"] - q["cmmm_2_plus"],
                f"{quarter}/up": q["up"],
                f"{quarter}/same": q["same"],
                f"{quarter}/down": q["down"],
            }
        )
        sums[f"{quarter}/score_sum"] = q["score_sum"]
    return counts, sums


def funnel(found: dict, submitted: int) -> dict[str, int]:
    """The funnel's entries from the participation counts and the enterprises assessed: each
    stage counts the enterprises that reached it or a later one (an enterprise that submitted
    has started and registered, whatever the dates on record say)."""
    declared = min(found.get("declared", 0), submitted)
    recognised = min(found.get("recognised", 0), declared)
    started = max(found.get("started", 0), submitted)
    registered = max(found.get("registered", 0), started)
    return {
        "registered": registered,
        "started": started,
        "declared": declared,
        "recognised": recognised,
        "not_started": registered - started,
        "unfinished": started - submitted,
        "undeclared": submitted - declared,
    }


def public_entries(row: dict, rule_ids: list[str], scenario_count: int) -> dict[str, int]:
    """How much of each entry is known anyway: every figure of the enterprises whose latest
    result is one they declared (named to the authorities of their region, with their
    dossier), and of those listed as candidates by their own choice what the list shows of
    them (level, capability maturity, verified or not, the one rule missing, sector, size).
    The funnel's declared and recognised stages are known in full."""
    public: dict[str, int] = {}
    declared = row.get("declared")
    if declared:
        counts, _sums = entries({**declared, "quarters": {}}, rule_ids, scenario_count)
        public.update({name: n for name, n in counts.items() if n and "/" not in name})
    get = public.get
    for rank, level, verified, sector, size, gaps, n in row.get("listed") or ():
        names = _shown_of_listed(rank, level, verified, sector, size, gaps)
        for name in names:
            public[name] = get(name, 0) + n
    if "participation" in row:
        found = funnel(row["participation"], row["counts"]["enterprises"])
        public.update({name: found[name] for name in EXACT})
    return public


@cache
def _shown_of_listed(
    rank: int, level: int, verified: int, sector: str, size: str, gaps: str | None
) -> tuple[str, ...]:
    """The entries a listed enterprise is counted in that the candidate list shows: its level
    (and the partial sums it is in), its capability maturity, whether it was verified, the one
    rule it misses, and its sector's and size's counts. verified: its facts' verified flag."""
    names = ["n", f"rank_{rank}", f"cmmm_{level}", "cmmm_high" if level >= 2 else "cmmm_low"]
    names += ["basic_plus"] if rank >= 1 else []
    names += ["advanced_plus"] if rank >= 2 else []
    names += ["excellent_plus"] if rank >= 3 else []
    names += ["cmmm_3_plus"] if level >= 3 else []
    names.append("verified" if verified else "self")
    if gaps:  # the list names the one rule missing
        names += ["one_step", *(f"gap_{rule}" for rule in gaps.strip(",").split(","))]
    for dimension, key in (("sector", sector), ("size", size)):
        names += [group_entry(dimension, key, "n"), group_entry(dimension, key, f"rank_{rank}")]
        names += [group_entry(dimension, key, "basic_plus")] if rank >= 1 else []
    return tuple(names)


def lines(counts) -> list[tuple[str, ...]]:
    """The lines inside one region's entries: each distribution with its total, each
    published partial sum with what it adds up and with its complement, the sector and size
    tables (a group's ranks with its total and its partial sum; a rank over the groups; the
    groups' totals), the funnel's stages, and the quarters' re-assessments."""
    return list(_lines(tuple(counts)))


@cache
def _lines(names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    present = set(names)
    ranks = tuple(f"rank_{r}" for r in RANKS)
    cmmm = tuple(f"cmmm_{level}" for level in CMMM_LEVELS)
    out = [
        (*ranks, "n"),
        (*ranks[1:], "basic_plus"),
        (ranks[0], "basic_plus", "n"),
        (*ranks[2:], "advanced_plus"),
        (ranks[1], "advanced_plus", "basic_plus"),
        (*ranks[3:], "excellent_plus"),
        (ranks[2], "excellent_plus", "advanced_plus"),
        (*ranks[:3], "excellent_plus", "n"),
        (*cmmm, "n"),
        (*cmmm[:2], "cmmm_low"),
        (*cmmm[2:], "cmmm_high"),
        (*cmmm[3:], "cmmm_3_plus"),
        (cmmm[2], "cmmm_3_plus", "cmmm_high"),
        ("cmmm_low", "cmmm_high", "n"),
        ("self", "verified", "n"),
    ]
    i = 1
    while f"s{i}_na" in present:
        out.append((f"s{i}_na", *(f"s{i}_{r}" for r in RANKS), "n"))
        out.append((*(f"s{i}_{r}" for r in RANKS[1:]), f"s{i}_plus"))
        out.append((f"s{i}_na", f"s{i}_0", f"s{i}_plus", "n"))
        i += 1
    for dimension in ("sector", "size"):
        keys = groups(names, dimension)
        if not keys:
            continue
        for key in keys:
            row = [group_entry(dimension, key, r) for r in ranks]
            total, plus = (
                group_entry(dimension, key, "n"),
                group_entry(dimension, key, "basic_plus"),
            )
            out += [(*row, total), (*row[1:], plus), (row[0], plus, total)]
        for name in (*ranks, "basic_plus", "n"):
            out.append((*(group_entry(dimension, key, name) for key in keys), name))
    if "registered" in present:
        out += [
            ("started", "not_started", "registered"),
            ("n", "unfinished", "started"),
            ("declared", "undeclared", "n"),
        ]
    for name in names:
        if name.endswith("/assessments"):
            quarter = name.split("/")[0]
            out.append((f"{quarter}/high", f"{quarter}/low", name))
            out.append((f"{quarter}/up", f"{quarter}/same", f"{quarter}/down", name))
    return tuple(out)


def gap_bounds(q: Questionnaire) -> dict[str, str]:
    """Each rule's gap entry and the entry it is counted among: a rule of a level is missed by
    enterprises one level below it, so its count is a floor under theirs."""
    return {
        f"gap_{rule.id}": f"rank_{rank - 1}"
        for rank, level in enumerate(q.gradient.levels, start=1)
        for rule in level.rules
    }
