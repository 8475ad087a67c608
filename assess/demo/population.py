"""A synthetic population of enterprises, for demos and benchmarks (`demo --enterprises N`).

Enterprises are spread over every province (more where the machinery industry is), all the
plan's sectors and the four sizes; each gets plausible answers (assess.synthetic) drawn so that
CMMM levels follow the national spread; some re-assessed a year later, some agreed to be listed.
All are self-assessments: a synthetic enterprise has no consultant, visit or verified answer, so
none may count as verified on site (assess/scoring/verification.py); the demo's verified
on-site assessment is the one a consultant makes in assess/demo/data.py. Everything is written through the same submission path as
real assessments, in batches.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from sqlite_utils import Database

from assess.demo.synthetic import draw_maturity, synthetic_answers
from assess.organisation import credit_code
from assess.questionnaire.definition import Questionnaire
from assess.regional import benchmarks, regions, result_facts
from assess.regional.periods import quarter_ends
from assess.scoring import score
from assess.store import assessments, organisations, summaries
from assess.store.database import write_transaction

# Provinces weighted by the size of their machinery industry (a rough, public picture).
WEIGHTS = {
    "32": 12,
    "33": 9,
    "37": 9,
    "44": 9,
    "41": 5,
    "43": 5,
    "21": 5,
    "42": 5,
    "51": 5,
    "34": 5,
    "31": 4,
    "35": 4,
    "13": 4,
    "36": 3,
    "12": 3,
    "11": 3,
    "50": 3,
    "61": 3,
}
SIZE_WEIGHTS = {"large": 1, "medium": 3, "small": 5, "micro": 2}
BATCH = 2000


def _counties_by_province() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for code in sorted(regions.registrable()):
        if code[:2] in ("71", "81", "82"):
            continue
        grouped.setdefault(code[:2], []).append(code)
    return grouped


def _quarter_time(rng: random.Random, year: int) -> str:
    return (
        f"{year}-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 9):02d}:00:00Z"
    )


def fill(
    db: Database,
    q: Questionnaire,
    count: int,
    seed: int = 7,
    start_index: int = 0,
    earlier: Questionnaire | None = None,
    within: str = "",
    park_id: int | None = None,
    ahead: float = 0.0,
) -> Iterator[int]:
    """Add `count` synthetic enterprises; yields the number made so far after each batch.
    Results are scored with the benchmarks of each one's sector and province; an assessment of
    the year before is answered under `earlier` (default: `q`). within: a region code prefix
    they are all in (a city, a county); park_id: a park of that county they are all in; ahead:
    how much more mature than the national spread they are (a smart-manufacturing park's
    enterprises, say)."""
    rng = random.Random(seed)  # nosec B311  # reproducible synthetic data
    known: dict[tuple[str, str, str], dict] = {}  # benchmarks by (version, province, sector)

    def benchmarks_of(version: Questionnaire, organisation: dict) -> dict:
        key = (version.version, organisation["region_code"][:2], organisation["sector"])
        if key not in known:
            known[key] = benchmarks.for_organisation(db, version, organisation)
        return known[key]

    counties = {
        province: inside
        for province, codes in _counties_by_province().items()
        if (inside := [code for code in codes if code.startswith(within)])
    }
    provinces = list(counties)
    weights = [WEIGHTS.get(p, 1) for p in provinces]
    sectors = [o.id for o in q.items["profile.sector"].options]
    sizes, size_weights = list(SIZE_WEIGHTS), list(SIZE_WEIGHTS.values())
    made = 0
    while made < count:
        batch = min(BATCH, count - made)
        with write_transaction(db):
            fact_rows = []
            for i in range(start_index + made, start_index + made + batch):
                province = rng.choices(provinces, weights)[0]
                region_code = rng.choice(counties[province])
                body = "91" + region_code + f"{i:09d}"
                organisation = {
                    "name": f"合成样本企业{i:06d}",
                    "credit_code": body + credit_code.check_character(body),
                    "region_code": region_code,
                    "park_id": park_id,
                    "sector": rng.choice(sectors),
                    "size": rng.choices(sizes, size_weights)[0],
                    "listing_opt_in": int(rng.random() < 0.3),
                    "contact_name": "",
                    # registered in the first days of the plan, before any assessment
                    "created_at": f"2025-01-{i % 27 + 2:02d}T02:00:00Z",
                }
                organisation["id"] = organisations.insert(db, organisation)
                maturity = min(5.4, draw_maturity(rng) + ahead)
                rounds = [(2026, maturity)]
                if rng.random() < 0.15:
                    rounds.insert(0, (2025, max(0.5, maturity - rng.uniform(0.1, 0.8))))
                for year, level in rounds:
                    version = (earlier or q) if year < 2026 else q
                    answers = synthetic_answers(
                        version,
                        rng,
                        level,
                        sector=organisation["sector"],
                        above_scale=organisation["size"] != "micro",
                    )
                    # once drawn for an on-site share: still drawn, so that every other draw
                    # (and so the demo's figures) stays as it was
                    rng.random()
                    mode = "self"
                    when = _quarter_time(rng, year)
                    assessment_id = assessments.create(
                        db,
                        organisation_id=organisation["id"],
                        questionnaire=version,
                        created_by=None,
                        mode=mode,
                        created_at=when,
                    )
                    assessments.put_answers(db, assessment_id, answers.items(), None)
                    result = score(version, answers, benchmarks_of(version, organisation))
                    assessments.record_result(
                        db, assessment_id, result, submitted_by=None, submitted_at=when
                    )
                    row = {"id": assessment_id, "mode": mode}
                    fact_rows.append(result_facts.row(version, result, row, organisation, when))
            result_facts.record(db, fact_rows, q, refresh=False)
        made += batch
        if made >= count:
            with write_transaction(db):
                summaries.refresh(db, list(q.rules), periods=quarter_ends())
        yield made
