"""Demo data: accounts for every role and a realistic set of organisations.

`fill` runs the steps in STEPS in order; later features add their own step (demo assessments,
evidence, ...) by appending to STEPS, so one `flask --app assess demo` builds everything.
"""

from __future__ import annotations

import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from assess.assessment import submission
from assess.demo.synthetic import answers_for_outcome, example_benchmarks
from assess.organisation import credit_code, notifications
from assess.questionnaire.definition import Questionnaire
from assess.regional import benchmarks
from assess.scoring import Answer, score, skipped_items
from assess.scoring.verification import deciding_items
from assess.store import assessments, firms, grants, organisations, parks, users
from assess.store import benchmarks as benchmark_store
from assess.store import evidence as evidence_store
from assess.store import team as team_store
from assess.store.database import write_transaction

# (name, region code, sector, size): fictional enterprises, named after no real company.
ORGANISATIONS = [
    ("苏州精锐数控机床有限公司", "320505", "machine_tools", "medium"),
    ("昆山恒达智能装备有限公司", "320583", "intelligent_logistics", "medium"),
    ("无锡华创机器人科技有限公司", "320206", "industrial_robots", "small"),
    ("南京远航仪器仪表有限公司", "320115", "instruments", "medium"),
    ("常州新锋农业机械有限公司", "320412", "agricultural", "large"),
    ("苏州博远医疗器械装备有限公司", "320505", "medical", "small"),
    ("杭州启明智能控制系统有限公司", "330110", "intelligent_control", "medium"),
    ("宁波东海液压机械有限公司", "330212", "other", "medium"),
    ("绍兴越泰环保设备有限公司", "330602", "environmental", "small"),
    ("青岛海岳轨道装备有限公司", "370211", "rail", "large"),
    ("济南鲁峰数控设备有限公司", "370112", "machine_tools", "medium"),
    ("潍坊沃田农机装备有限公司", "370785", "agricultural", "medium"),
    ("深圳迅联智能物流装备有限公司", "440306", "intelligent_logistics", "medium"),
    ("东莞精科自动化设备有限公司", "441900", "industrial_robots", "small"),
    ("长沙湘岳工程机械有限公司", "430104", "construction_machinery", "large"),
    ("长沙星沙重工配套有限公司", "430121", "construction_machinery", "medium"),
    ("株洲南车动力装备有限公司", "430203", "rail", "large"),
    ("沈阳北辰机床有限公司", "210112", "machine_tools", "large"),
    ("大连海辰矿山机械有限公司", "210213", "mining", "medium"),
    ("成都蜀安应急装备有限公司", "510107", "safety_emergency", "small"),
    ("成都天府制药机械有限公司", "510116", "pharma_equipment", "medium"),
    ("郑州中原矿山装备有限公司", "410122", "mining", "medium"),
    ("合肥庐阳智能控制设备有限公司", "340104", "intelligent_control", "small"),
    ("芜湖江城机器人有限公司", "340207", "industrial_robots", "medium"),
    ("上海浦江医疗装备有限公司", "310115", "medical", "medium"),
    ("上海嘉安仪器有限公司", "310114", "instruments", "small"),
]

ACCOUNTS = [
    # (e-mail, name, role, password, region scope or organisation index)
    ("admin@example.com", "系统管理员", "admin", "Admin-demo-2026", None),
    ("consultant@example.com", "王咨询", "consultant", "Consult-demo-2026", None),
    ("consultant2@example.com", "李咨询", "consultant", "Consult2-demo-2026", None),
    ("jiangsu@example.com", "江苏省工业和信息化厅", "authority", "Jiangsu-demo-2026", "32"),
    ("suzhou@example.com", "苏州市工业和信息化局", "authority", "Suzhou-demo-2026", "3205"),
    ("zhejiang@example.com", "浙江省经济和信息化厅", "authority", "Zhejiang-demo-2026", "33"),
    ("enterprise@example.com", "李工（精锐数控）", "enterprise", "Enterprise-demo-2026", 0),
    ("enterprise2@example.com", "张工（启明智能）", "enterprise", "Enterprise2-demo-2026", 6),
    # a colleague in 启明智能's team (its second account: a contributor), answering two sections
    ("colleague@example.com", "陈工（启明智能）", "enterprise", "Colleague-demo-2026", 6),
]
# Sections of the questionnaire assigned to a contributor (assess/questionnaire/sections.py)
DEMO_SECTIONS = {"colleague@example.com": ("data", "integration")}


# The gradient outcome of each demo organisation's latest assessment (same order as
# ORGANISATIONS): most below Basic or Basic, few Excellent, one Leading; "draft" is still
# being answered. HISTORY: earlier assessments, a year before, of some organisations.
OUTCOMES = [
    "basic",
    None,
    "advanced",
    None,
    "excellent",
    None,
    "draft",
    "basic",
    None,
    "advanced",
    "basic",
    None,
    "advanced",
    None,
    "leading",
    "basic",
    "excellent",
    "basic",
    None,
    None,
    "basic",
    None,
    "basic",
    "advanced",
    "basic",
    None,
]
HISTORY = {0: None, 3: None, 4: "advanced", 9: "basic", 14: "excellent", 16: "advanced"}
# Enterprises that make parts to their customers' drawings (build to print) and have no
# products of their own in the field: they tailor out product design and product service.
BUILD_TO_PRINT = (15, 7)
# Provinces whose authority (or, for Hunan, the administrator) set example benchmarks for every
# sector: results rules there are assessed; elsewhere a level is reached subject to results.
BENCHMARK_PROVINCES = {"32": "jiangsu@example.com", "33": "zhejiang@example.com", "43": None}
# The source is text an authority types (one language, as written); the demo's is read in both
# languages, so it says so in both.
BENCHMARK_SOURCE = (
    "示例基准值（演示数据，非统计数据） / Example benchmark (demo data, not statistics)"
)


@dataclass
class DemoContext:
    """What earlier steps created, for later steps to build on. `questionnaire` is the version
    new assessments use; `earlier` the one the year-before assessments were answered under."""

    rng: random.Random
    questionnaire: Questionnaire
    earlier: Questionnaire | None = None
    organisation_ids: list[int] = field(default_factory=list)
    user_ids: dict[str, int] = field(default_factory=dict)


Step = Callable[[Database, DemoContext], list[str]]


def make_credit_code(rng: random.Random, region_code: str) -> str:
    """A well-formed code: 9 (industry and commerce) 1 (company), region, organisation code."""
    body = "91" + region_code + "".join(rng.choice(credit_code.ALPHABET[:10]) for _ in range(8))
    body += rng.choice(credit_code.ALPHABET)
    return body + credit_code.check_character(body)


def add_organisations(db: Database, ctx: DemoContext) -> list[str]:
    for name, region_code, sector, size in ORGANISATIONS:
        ctx.organisation_ids.append(
            organisations.create(
                db,
                name=name,
                credit_code=make_credit_code(ctx.rng, region_code),
                region_code=region_code,
                sector=sector,
                size=size,
                contact_name="演示联系人",
                contact_email="contact@example.com",
            )
        )
    provinces = len({region_code[:2] for _, region_code, _, _ in ORGANISATIONS})
    return [f"{len(ORGANISATIONS)} demo organisations in {provinces} provinces."]


def add_accounts(db: Database, ctx: DemoContext) -> list[str]:
    lines = ["Demo accounts (e-mail / password / role):"]
    for email, name, role, password, where in ACCOUNTS:
        ctx.user_ids[email] = users.create(
            db,
            email=email,
            name=name,
            password=password,
            role=role,
            region_scope=where if role == "authority" else None,
            organisation_id=ctx.organisation_ids[where] if role == "enterprise" else None,
        )
        lines.append(f"  {email:<26} {password:<22} {role}")
    for email, sections in DEMO_SECTIONS.items():
        member = users.get(db, ctx.user_ids[email])
        owner = users.owner_of(db, member["organisation_id"])
        for section in sections:
            team_store.assign(db, member["organisation_id"], section, member["id"], owner["id"])
    return lines


def add_benchmarks(db: Database, ctx: DemoContext) -> list[str]:
    """Example benchmarks of every sector in a few provinces (not statistics)."""
    q = ctx.questionnaire
    if q.results is None:
        return []
    sectors = [o.id for o in q.options_of(q.items["profile.sector"])]
    for province, setter in BENCHMARK_PROVINCES.items():
        user_id = ctx.user_ids[setter or "admin@example.com"]
        for sector in sectors:
            for key, benchmark in example_benchmarks(q, BENCHMARK_SOURCE).items():
                benchmark_store.put(
                    db,
                    province,
                    sector,
                    key,
                    benchmark.value,
                    benchmark.year,
                    benchmark.source,
                    user_id,
                )
    return [
        f"Example benchmarks of every sector in {len(BENCHMARK_PROVINCES)} provinces"
        " (elsewhere levels are reached subject to results)."
    ]


def _submitted_assessment(db, ctx, org_index, outcome, when, q=None) -> None:
    q = q or ctx.questionnaire
    sector = ORGANISATIONS[org_index][2]
    organisation_id = ctx.organisation_ids[org_index]
    organisation = organisations.get(db, organisation_id)
    # the demo's named enterprises make machines: they design them and serve them in the
    # field, but for the suppliers that build to print
    maker = org_index not in BUILD_TO_PRINT
    answers = answers_for_outcome(
        q,
        ctx.rng,
        outcome,
        benchmarks=benchmarks.for_organisation(db, q, organisation) or None,
        sector=sector,
        own_design=maker,
        in_field=maker,
        own_process_planning=True,
    )
    assessment_id = assessments.create(
        db, organisation_id=organisation_id, questionnaire=q, created_by=None, created_at=when
    )
    assessments.put_answers(db, assessment_id, answers.items(), None)
    submission.submit(db, q, assessment_id, answers, submitted_by=None, submitted_at=when)


def add_assessments(db: Database, ctx: DemoContext) -> list[str]:
    q = ctx.questionnaire
    for index, outcome in HISTORY.items():
        month = ctx.rng.randint(3, 10)
        when = f"2025-{month:02d}-15T02:00:00Z"
        _submitted_assessment(db, ctx, index, outcome, when, ctx.earlier)
    for index, outcome in enumerate(OUTCOMES):
        month = ctx.rng.randint(1, 10)
        when = f"2026-{month:02d}-{ctx.rng.randint(1, 28):02d}T02:00:00Z"
        if outcome == "draft":
            draft = assessments.create(
                db, organisation_id=ctx.organisation_ids[index], questionnaire=q, created_by=None
            )
            profile = answers_for_outcome(q, ctx.rng, None, sector=ORGANISATIONS[index][2])
            started = [(k, v) for k, v in profile.items() if k.startswith(("profile.", "gate."))]
            assessments.put_answers(db, draft, started, None)
            continue
        _submitted_assessment(db, ctx, index, outcome, when)
    submitted = sum(1 for o in OUTCOMES if o != "draft")
    earlier = ctx.earlier or q
    return [
        f"{submitted} submitted demo assessments (questionnaire {q.id} {q.version}),"
        f" {len(HISTORY)} of the year before ({earlier.version}), 1 draft."
    ]


# Organisations (by index) that granted the demo consultant access; the first one also has a
# consultant-verified on-site assessment that finds some self-assessed answers over-claimed.
CLIENTS = (0, 3, 9)
REQUESTED = 7  # a request for access that the enterprise has not answered yet


FIRM = (
    "江南智造咨询有限公司",
    "智能制造能力成熟度评估机构（CMMM）机构登记号 CMMM-A-2026-0417（示例）",
)


def add_consultancy(db: Database, ctx: DemoContext) -> int:
    """The demo's two consultants work for one firm, with a logo: one can hand a client to
    the other, and the verified report prints the firm."""
    firm_id = firms.create(
        db, name=FIRM[0], qualification=FIRM[1], logo=logo_png(), logo_mime="image/png"
    )
    for email in ("consultant@example.com", "consultant2@example.com"):
        firms.set_firm(db, ctx.user_ids[email], firm_id)
    return firm_id


def logo_png(width: int = 96, height: int = 32) -> bytes:
    """A small two-colour PNG: the demo firm's logo (a green bar over a pale ground)."""
    rows = b"".join(
        b"\x00"
        + b"".join(
            bytes((15, 122, 85) if 6 <= y < 26 and (x < 30 or 36 <= x < 90) else (230, 244, 238))
            for x in range(width)
        )
        for y in range(height)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# What the consultant saw to verify the deciding answers, by page (the item id's prefix;
# a scenario's applicability otherwise)
DECIDING_NOTES = {
    "profile": "核对营业执照、上年度审计报告（主营业务收入）与工艺文件",
    "gate": "查阅近三年安全环保记录、信用查询结果与智能制造推进机构的任命文件",
    "results": "核对上年度统计报表与财务数据",
    "scenario": "现场查看产线与系统，核对场景是否适用",
}


def add_consultant_work(db: Database, ctx: DemoContext) -> list[str]:
    q = ctx.questionnaire
    consultant = ctx.user_ids["consultant@example.com"]
    add_consultancy(db, ctx)
    for index in CLIENTS:
        grants.grant_registered(db, ctx.organisation_ids[index], consultant)
    grants.request_access(db, ctx.organisation_ids[REQUESTED], consultant)
    organisation_id = ctx.organisation_ids[CLIENTS[0]]
    own = assessments.latest_submitted(db, organisation_id, mode="self")
    answers = {item: stored.answer for item, stored in assessments.answers(db, own["id"]).items()}
    lower = {"full": "most", "most": "partial", "partial": "none"}
    for item_id in [i for i in answers if i in q.requirements or i in q.steps][::4]:
        answers[item_id] = Answer(
            lower.get(answers[item_id].value, answers[item_id].value), answers[item_id].reason
        )
    answers = {k: v for k, v in answers.items() if k not in skipped_items(q, answers)}
    when = "2026-10-20T06:00:00Z"
    verified = assessments.create(
        db,
        organisation_id=organisation_id,
        questionnaire=q,
        created_by=consultant,
        mode="consultant",
        consultant_id=consultant,
        created_at=when,
    )
    assessments.put_answers(db, verified, answers.items(), consultant)
    for i, item_id in enumerate(i for i in answers if i in q.requirements or i in q.steps):
        evidence_store.save(
            db,
            verified,
            item_id,
            note="现场查看系统界面与记录" if i % 3 == 0 else "",
            quality=("observed", "documented", "stated")[i % 3],
            verified=True,
            user_id=consultant,
        )
    # the deciding answers (profile, basic requirements, which scenarios apply, results) are all
    # verified, each with the documents seen: a verified report never rests on an unchecked size or gate
    deciding = deciding_items(
        q, [i for i, a in answers.items() if a.value is not None], score(q, answers)
    )
    for item_id in (i for i in q.items if i in deciding):
        evidence_store.save(
            db,
            verified,
            item_id,
            note=DECIDING_NOTES.get(item_id.split(".")[0], DECIDING_NOTES["scenario"]),
            quality="documented",
            verified=True,
            user_id=consultant,
        )
    evidence_store.add_visit(
        db, verified, "2026-10-19", "苏州虎丘生产基地", "王咨询、李工、生产部经理", consultant
    )
    # verified on the day of the visit, before the submission
    evidence_store.set_verified_at(db, verified, "2026-10-19T08:00:00Z")
    submission.submit(db, q, verified, answers, submitted_by=consultant, submitted_at=when)
    assessments.set_updated_at(db, verified, when)
    # the mail these events send (make run writes it to instance/mail, README "E-mail")
    mailed = len(notifications.submitted(db, assessments.get(db, verified), consultant))
    mailed += len(notifications.access_requested(db, ctx.organisation_ids[REQUESTED], consultant))
    return [
        f"Consultancy {FIRM[0]}: 2 consultants; {len(CLIENTS)} clients, 1 request waiting,"
        " 1 verified on-site assessment.",
        f"{mailed} notification(s) by e-mail queued (make run writes them to instance/mail).",
    ]


POPULATION = 600  # synthetic enterprises a new demo adds, so that regional figures mean something
# Industrial parks (named areas inside a county) and which demo organisations sit in them.
PARKS = [
    (
        "320505",
        "苏州高新区智能制造产业园（示例）",
        "Suzhou Hi-tech Smart Manufacturing Park (demo)",
        (0, 5),
    ),
    ("320583", "昆山机械装备产业园（示例）", "Kunshan Machinery Park (demo)", (1,)),
]
LISTED = (0, 2, 4, 9, 14)
PARK_ACCOUNT = (
    "park@example.com",
    "苏州高新区经济发展局（示例）",
    "Park-demo-2026",
)  # demo organisations that agreed to be listed as candidates


def add_parks_and_listing(db: Database, ctx: DemoContext) -> list[str]:
    park_ids = []
    for county, name_zh, name_en, members in PARKS:
        park_ids.append(parks.create(db, county, name_zh, name_en))
        for index in members:
            parks.place(db, ctx.organisation_ids[index], park_ids[-1])
    email, name, password = PARK_ACCOUNT
    ctx.user_ids[email] = users.create(
        db, email=email, name=name, password=password, role="authority", region_scope="320505"
    )
    parks.assign_authority(db, ctx.user_ids[email], park_ids[0])
    for index in LISTED:
        organisations.set_listing(db, ctx.organisation_ids[index], True)
    return [
        f"  {email:<26} {password:<22} authority (one park)",
        f"{len(PARKS)} industrial parks; {len(LISTED)} organisations agreed to be listed.",
    ]


STEPS: list[Step] = [
    add_organisations,
    add_accounts,
    add_parks_and_listing,
    add_benchmarks,
    add_assessments,
    add_consultant_work,
]


def fill(
    db: Database,
    questionnaire: Questionnaire,
    seed: int = 2025,
    earlier: Questionnaire | None = None,
) -> list[str]:
    """Run every demo step in one transaction; return what to print. `earlier`: the version
    the assessments of the year before were answered under (default: `questionnaire`)."""
    # Demo data must be reproducible, not unpredictable.
    rng = random.Random(seed)  # nosec B311
    ctx = DemoContext(rng=rng, questionnaire=questionnaire, earlier=earlier)
    lines: list[str] = []
    with write_transaction(db):
        for step in STEPS:
            lines.extend(step(db, ctx))
    return lines


def park_ids(db: Database) -> list[int]:
    """The demo parks' ids, in the order of PARKS."""
    return [parks.by_name(db, county, name_zh)["id"] for county, name_zh, _en, _m in PARKS]


def authorities(db: Database) -> dict[str, dict]:
    """The demo authorities as the use cases take them (id, region scope, park), by role in
    the demo, and their ids by name (suzhou, jiangsu)."""
    found = {}
    for key, email in (
        ("park_authority", PARK_ACCOUNT[0]),
        ("suzhou_authority", "suzhou@example.com"),
        ("jiangsu_authority", "jiangsu@example.com"),
    ):
        user = users.get_by_email(db, email)
        found[key] = {k: user[k] for k in ("id", "region_scope", "park_id")}
    found["suzhou"] = found["suzhou_authority"]["id"]
    found["jiangsu"] = found["jiangsu_authority"]["id"]
    return found
