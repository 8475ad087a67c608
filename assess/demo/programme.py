"""The 梯度培育 programme in the demo and the benchmarks: enterprises where the demo authorities
are, rounds, a few declarations made through the use cases at every stage of the review (with
their files), and, for a synthetic population, each city's 基础级 round of the year with a share
of the enterprises that reached a level declaring in it, written in bulk as the review would
have left them."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from sqlite_utils import Database

from assess.declaration import attachments, chain, declaring, recheck, review
from assess.demo import population
from assess.organisation import credit_code
from assess.organisation.sizes import SIZES
from assess.regional import regions
from assess.store import assessments, organisations, rounds, summaries
from assess.store import declarations as declaration_store
from assess.store.audit import Actor
from assess.store.database import write_transaction

# (status, stage, share): where the synthetic declarations stand
STAGES = (
    ("in_review", 0, 0.25),
    ("in_review", 1, 0.15),
    ("returned", 1, 0.10),
    ("rejected", 0, 0.05),
    ("recognised", 1, 0.45),
)
YEAR = 2026
OPENS, DEADLINE = "2026-03-01", "2026-10-31"


def declare(db: Database, share: float, seed: int = 14, only_synthetic: bool = True) -> int:
    """Declarations for `share` of the enterprises whose latest result reached a level and
    that have none yet; the number made."""
    rng = random.Random(seed)  # nosec B311  # reproducible synthetic data
    name_filter = " AND o.name LIKE '合成样本企业%'" if only_synthetic else ""
    candidates = list(
        db.query(
            "SELECT f.assessment_id, f.organisation_id, f.region_code, f.park_id, f.submitted_at"  # nosec B608
            " FROM result_facts f JOIN organisations o ON o.id = f.organisation_id"
            " WHERE f.is_latest = 1 AND f.gradient_rank >= 1 AND f.declared_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM declarations d WHERE d.organisation_id = f.organisation_id)"
            f"{name_filter} ORDER BY f.assessment_id"
        )
    )
    chosen = [row for row in candidates if rng.random() < share]
    if not chosen:
        return 0
    with write_transaction(db):
        rounds = {}
        basic = json.dumps(chain.DEFAULT_CHAINS["basic"], sort_keys=True)
        for row in chosen:
            city = row["region_code"][:4]
            if city not in rounds:
                found = db.execute(
                    "SELECT id FROM declaration_rounds WHERE level = 'basic' AND year = ?"
                    " AND region_scope = ?",
                    [YEAR, city],
                ).fetchone()
                rounds[city] = (
                    found[0]
                    if found
                    else db.execute(
                        "INSERT INTO declaration_rounds (level, year, region_scope, chain,"
                        " opens_on, deadline) VALUES ('basic', ?, ?, ?, ?, ?)",
                        [YEAR, city, basic, OPENS, DEADLINE],
                    ).lastrowid
                )
        declarations, recognitions, facts = [], [], []
        for row in chosen:
            status, stage = _stage(rng)
            submitted = max(row["submitted_at"], f"{OPENS}T08:00:00Z")
            decided = "2026-11-20T08:00:00Z" if status in ("recognised", "rejected") else None
            declarations.append(
                (
                    rounds[row["region_code"][:4]],
                    row["organisation_id"],
                    row["assessment_id"],
                    status,
                    stage,
                    submitted,
                    decided,
                )
            )
            facts.append((submitted, row["assessment_id"]))
        db.conn.executemany(
            "INSERT INTO declarations (round_id, organisation_id, assessment_id, level, status,"
            " stage, revision, contact_name, contact_phone, platform_level, platform_score,"
            " platform_date, submitted_at, decided_at)"
            " VALUES (?, ?, ?, 'basic', ?, ?, 1, '联系人', '0000-0000000', 2, 2.0,"
            " '2026-02-01', ?, ?)",
            declarations,
        )
        db.conn.executemany(
            "UPDATE result_facts SET declared_at = ? WHERE assessment_id = ?", facts
        )
        _steps_taken(db)
        for declaration_id, organisation_id, region_code, park_id in db.execute(
            "SELECT d.id, d.organisation_id, o.region_code, o.park_id FROM declarations d"
            " JOIN organisations o ON o.id = d.organisation_id"
            " WHERE d.status = 'recognised' AND NOT EXISTS"
            " (SELECT 1 FROM recognitions g WHERE g.declaration_id = d.id)"
        ):
            recognitions.append(
                (declaration_id, organisation_id, region_code, park_id, region_code[:4])
            )
        db.conn.executemany(
            "INSERT INTO recognitions (declaration_id, organisation_id, level, kind, year,"  # nosec B608
            " region_code, park_id, by_scope, recognised_at)"
            f" VALUES (?, ?, 'basic', 'recognised', {YEAR}, ?, ?, ?, '2026-11-20T08:00:00Z')",
            recognitions,
        )
        summaries.touch(db)
    return len(chosen)


CHECKED = json.dumps(dict.fromkeys(review.CHECKS, True), sort_keys=True)
COMMENTS = {
    "recommend": "材料真实、完整，同意推荐。",
    "recognise": "经专家评审和现场复核，同意认定为基础级智能工厂。",
    "return": "请补充产线柔性配置场景的现场照片。",
    "reject": "申报材料与现场情况不符。",
}


def _steps_taken(db: Database) -> None:
    """The review record of the synthetic declarations, as their stage and status say it went:
    the county or park checked every material (复核) and recommended, or rejected, it; the city
    recognised or returned what reached it."""
    rows = []
    for declaration_id, status, stage, submitted, region_code, park_id in db.execute(
        "SELECT d.id, d.status, d.stage, d.submitted_at, o.region_code, o.park_id"
        " FROM declarations d JOIN organisations o ON o.id = d.organisation_id"
        " WHERE d.contact_name = '联系人' AND NOT EXISTS"
        " (SELECT 1 FROM declaration_steps s WHERE s.declaration_id = d.id)"
    ):
        local = ("park" if park_id else "county", region_code, park_id)
        city = ("city", region_code[:4], None)
        if stage == 0:
            taken = [(local, "reject")] if status == "rejected" else []
        else:
            taken = [(local, "recommend")]
            if status in ("recognised", "returned"):
                taken.append((city, "recognise" if status == "recognised" else "return"))
        for step, ((tier, scope, park), outcome) in enumerate(taken):
            at = max(submitted, f"2026-11-{10 + 10 * step}T08:00:00Z")
            rows.append(
                (declaration_id, step, tier, outcome, COMMENTS[outcome], CHECKED, scope, park, at)
            )
    db.conn.executemany(
        "INSERT INTO declaration_steps (declaration_id, stage, tier, outcome, comments, checks,"
        " revision, region_scope, park_id, at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
        rows,
    )


def _stage(rng: random.Random) -> tuple[str, int]:
    pick = rng.random()
    for status, stage, share in STAGES:
        if pick < share:
            return status, stage
        pick -= share
    return STAGES[-1][0], STAGES[-1][1]


# Where the demo authorities are: more enterprises there, so that their dashboards say
# something (prefix, park index in data.PARKS or None, how many, how far ahead of the national
# spread of maturity: the park is a smart-manufacturing park).
PLACES = (
    ("320505", 0, 200, 1.1),
    ("320505", None, 120, 1.3),
    ("320583", None, 60, 1.5),
    ("3205", None, 200, 0.3),
    ("32", None, 250, 0.0),
    ("33", None, 200, 0.0),
)
NOT_YET = 0.12  # enterprises there that registered and have not submitted (half have a draft)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def demo(
    db: Database, versions, evidence_dir, park_ids: list[int], accounts: dict, today: date
) -> list[str]:
    """The programme in the demo: enterprises where the demo authorities are, this year's
    基础级 rounds of Suzhou and Hangzhou and last year's of Suzhou, Jiangsu's 先进级 round,
    declarations at every stage (a draft of the demo enterprise, one with the park, one with
    the city with an on-site re-check asked, one returned, recognised ones), and declarations
    in bulk for the other enterprises that reached a level."""
    q = versions.latest()
    for prefix, park, count, ahead in PLACES:
        start = organisations.count(db)
        for _made in population.fill(
            db,
            q,
            count,
            seed=start + 7,
            start_index=start,
            within=prefix,
            park_id=park_ids[park] if park is not None else None,
            ahead=ahead,
        ):
            pass
        _not_yet(db, q, prefix, park_ids[park] if park is not None else None, count)
    year = today.year
    opens, deadline = today - timedelta(days=45), today + timedelta(days=45)
    made = {
        "suzhou": _round(db, "basic", year, "3205", opens, deadline, accounts["suzhou"]),
        "last_year": _round(
            db,
            "basic",
            year - 1,
            "3205",
            date(year - 1, 3, 1),
            date(year - 1, 9, 30),
            accounts["suzhou"],
        ),
        "hangzhou": _round(db, "basic", year, "3301", opens, deadline, None),
        "jiangsu": _round(db, "advanced", year, "32", opens, deadline, accounts["jiangsu"]),
    }
    named = _named(db, versions, evidence_dir, made, accounts, today, park_ids[0])
    bulk = declare(db, 0.15)
    return [
        f"{sum(place[2] for place in PLACES)} more synthetic enterprises in Suzhou (and its park),"
        f" Jiangsu and Zhejiang, and {NOT_YET:.0%} more there that registered and have not"
        " submitted yet.",
        f"Rounds: {len(made)} (Suzhou's 基础级 open until {deadline}); {named} declarations at"
        f" every stage of the review, {bulk} more in bulk.",
    ]


def _not_yet(db, q, prefix: str, park_id: int | None, assessed: int) -> None:
    """Enterprises that registered and have not submitted an assessment: half have a draft."""
    rng = random.Random(len(prefix) + assessed)  # nosec B311  # reproducible synthetic data
    counties = sorted(code for code in regions.registrable() if code.startswith(prefix))
    with write_transaction(db):
        for i in range(int(assessed * NOT_YET)):
            serial = organisations.count(db)
            region_code = prefix if park_id is not None else rng.choice(counties)
            body = "91" + region_code + f"{serial:09d}"
            organisation_id = organisations.insert(
                db,
                {
                    "name": f"合成样本企业{serial:06d}",
                    "credit_code": body + credit_code.check_character(body),
                    "region_code": region_code,
                    "park_id": park_id,
                    "sector": rng.choice([o.id for o in q.items["profile.sector"].options]),
                    "size": rng.choice(SIZES),
                    "created_at": "2026-05-10T02:00:00Z",
                },
            )
            if i % 2:
                assessments.create(
                    db,
                    organisation_id=organisation_id,
                    questionnaire=q,
                    created_by=None,
                    created_at="2026-06-01T02:00:00Z",
                )


def _round(db, level, year, scope, opens, deadline, by) -> int:
    return rounds.create(
        db,
        level=level,
        year=year,
        region_scope=scope,
        chain=chain.DEFAULT_CHAINS[level],
        opens_on=opens.isoformat(),
        deadline=deadline.isoformat(),
        opened_by=by,
    )


def _reached(db, where: str, params: list, count: int, exclude: set[int]) -> list[dict]:
    """Synthetic enterprises whose latest result reached Basic, by a condition on their facts
    (the named demo enterprises are left to declare in the demo themselves)."""
    rows = db.query(
        "SELECT f.organisation_id, f.assessment_id FROM result_facts f"  # nosec B608  # ours
        " JOIN organisations o ON o.id = f.organisation_id"
        f" WHERE f.is_latest = 1 AND f.gradient_rank >= 1 AND {where}"
        " AND o.name LIKE '合成样本企业%' ORDER BY f.assessment_id",
        params,
    )
    return [r for r in rows if r["organisation_id"] not in exclude][:count]


def _named(db, versions, evidence_dir, made, accounts, today, park_id) -> int:
    """Declarations through the use cases, complete with their files, at every stage."""
    park, suzhou = accounts["park_authority"], accounts["suzhou_authority"]
    in_park = _reached(db, "f.park_id = ?", [park_id], 6, set())
    kunshan = _reached(db, "f.region_code = '320583'", [], 1, set())
    if len(in_park) < 5 or not kunshan:
        return 0
    steps = [
        (made["last_year"], in_park[0], ["recommend", "recognise"], date(today.year - 1, 6, 1)),
        (made["suzhou"], in_park[1], ["recommend", "recognise"], today),
        (made["suzhou"], in_park[2], [], today),  # with the park
        (made["suzhou"], in_park[3], ["recommend"], today),  # with the city, re-check asked
        (made["suzhou"], kunshan[0], ["return"], today),  # no county account: the city checks
        (made["suzhou"], in_park[4], [], None),  # a draft
    ]
    count = 0
    for round_id, found, outcomes, day in steps:
        declaration_id = _declare(
            db, versions, evidence_dir, round_id, found, day or today, submit=day is not None
        )
        if declaration_id is None:
            continue
        count += 1
        for outcome in outcomes:
            row = declaration_store.get(db, declaration_id)
            who = park if row["stage"] == 0 and found in in_park else suzhou
            comments = {
                "return": "请补充产线柔性配置场景的现场照片，并说明排产系统的上线时间。",
                "recognise": "经专家评审和现场复核，同意认定为基础级智能工厂。",
                "recommend": "材料真实、完整，同意推荐。",
            }[outcome]
            review.decide(
                db,
                who,
                declaration_id,
                stage=row["stage"],
                revision=row["revision"],
                outcome=outcome,
                comments=comments,
                checks=dict.fromkeys(review.CHECKS, True),
                by=Actor(who["id"]),
            )
        if found is in_park[3]:
            recheck.request(
                db,
                suzhou,
                declaration_id,
                "consultant@example.com",
                "请核查智能排产调度场景。",
                Actor(suzhou["id"]),
            )
    return count


def _declare(db, versions, evidence_dir, round_id, found, day, submit) -> int | None:
    """A declaration of a synthetic enterprise, filled in, its files attached, submitted."""
    by = Actor(None)
    organisation = organisations.get(db, found["organisation_id"])
    declaration_id = declaring.start(
        db, versions, organisation, round_id, found["assessment_id"], by, day
    )
    if not isinstance(declaration_id, int):
        return None
    row = declaration_store.get(db, declaration_id)
    scenarios = declaring.scenarios_of(db, versions, row)
    fields = declaring.Fields(
        contact_name="王工",
        contact_phone="0512-66880000",
        contact_email="contact@example.com",
        platform_level="2",
        platform_score="2.35",
        platform_date=(day - timedelta(days=20)).isoformat(),
        descriptions={
            s: "部署MES与APS系统，关键工序数据实时采集，排产由人工改为系统优化，计划调整时间由一天缩短到两小时。"
            for s in scenarios
        },
    )
    declaring.save(db, versions, declaration_id, fields, by, day)
    uploads = [attachments.Upload(k, None, f"{k}.pdf", PDF) for k in REQUIRED]
    uploads += [attachments.Upload("photo", s, "现场.png", PNG) for s in scenarios[:2]]
    for upload in uploads:
        attachments.attach(db, evidence_dir, declaration_id, upload, declaring.editable, by)
    if submit:
        declaring.submit(db, versions, declaration_id, by, day)
    return declaration_id


REQUIRED = ("licence", "financials", "commitment", "platform_report")
