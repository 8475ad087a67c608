"""The programme's world: a park in 苏州高新区 with an enterprise that reached 基础级, the park,
Suzhou, Jiangsu and Zhejiang authorities, a consultant, and Suzhou's open 2026 基础级 round."""

from __future__ import annotations

import random
from datetime import date

import pytest

from assess.assessment import submission
from assess.declaration import attachments, chain, declaring
from assess.declaration.declaring import Fields
from assess.demo.synthetic import answers_for_outcome
from assess.organisation import credit_code
from assess.store import assessments, organisations, parks, rounds
from assess.store import declarations as declaration_store
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.web import questionnaires
from tests.support import PDF, PNG

DAY = date(2026, 6, 1)  # inside the round


def organisation(db, name: str, region: str, park_id: int | None = None) -> int:
    body = "91" + region + f"{organisations.count(db) + 1:09d}"
    org = organisations.create(
        db,
        name=name,
        credit_code=body + credit_code.check_character(body),
        region_code=region,
        sector="machine_tools",
        size="medium",
        contact_name="王工",
        contact_phone="0512-12345678",
        contact_email="wang@example.com",
    )
    if park_id is not None:
        parks.place(db, org, park_id)
    return org


def submitted(db, q, org: int, outcome: str, seed: int = 1, mode="self", consultant=None) -> int:
    answers = answers_for_outcome(q, random.Random(seed), outcome, sector="machine_tools")
    assessment_id = assessments.create(
        db,
        organisation_id=org,
        questionnaire=q,
        created_by=None,
        mode=mode,
        consultant_id=consultant,
    )
    assessments.put_answers(db, assessment_id, answers.items(), None)
    submission.submit(db, q, assessment_id, answers, submitted_by=None)
    return assessment_id


def account(db, email: str, name: str, role: str, **columns) -> int:
    """An account without a real password hash (these tests call use cases, not /login)."""
    row = {"email": email, "name": name, "role": role, "password_hash": "-", **columns}
    return db["users"].insert(row).last_pk


@pytest.fixture
def world(app, db):
    with app.app_context():
        versions = questionnaires.versions()
        q = questionnaires.latest()
    w = {"q": q, "versions": versions, "db": db}
    with write_transaction(db):
        park = parks.create(db, "320505", "测试智能制造园", "Test park")
        w["park_id"] = park
        w["org"] = organisation(db, "甲机械有限公司", "320505", park)
        w["other"] = organisation(db, "乙机械有限公司", "320583")  # Kunshan, in no park
        w["below"] = organisation(db, "丙机械有限公司", "320505", park)
        w["basic"] = submitted(db, q, w["org"], "basic")
        w["other_basic"] = submitted(db, q, w["other"], "basic", seed=2)
        w["below_basic"] = submitted(db, q, w["below"], None, seed=3)
        for key, scope, park_id in (
            ("park", "320505", park),
            ("suzhou", "3205", None),
            ("jiangsu", "32", None),
            ("zhejiang", "33", None),
        ):
            user_id = account(db, f"{key}@example.com", key, "authority", region_scope=scope)
            if park_id:
                parks.assign_authority(db, user_id, park_id)
            w[key] = {"id": user_id, "region_scope": scope, "park_id": park_id}
        w["enterprise"] = account(
            db, "ent@example.com", "甲企业", "enterprise", organisation_id=w["org"]
        )
        w["consultant"] = account(db, "expert@example.com", "王专家", "consultant")
        w["round"] = rounds.create(
            db,
            level="basic",
            year=2026,
            region_scope="3205",
            chain=chain.DEFAULT_CHAINS["basic"],
            opens_on="2026-03-01",
            deadline="2026-09-30",
            opened_by=w["suzhou"]["id"],
        )
    w["by"] = Actor(w["enterprise"], "127.0.0.1")
    return w


def actor(authority: dict) -> Actor:
    return Actor(authority["id"], "127.0.0.1")


REQUIRED_FILES = ("licence", "financials", "commitment", "platform_report")
COMPLETE = Fields(
    contact_name="李工",
    contact_phone="0512-87654321",
    contact_email="li@example.com",
    platform_level="2",
    platform_score="2.31",
    platform_date="2026-04-10",
)


def complete(w, declaration_id: int) -> None:
    """Fill in everything a declaration needs: fields, descriptions, the required files."""
    db, evidence = w["db"], w["evidence"]
    row = declaration_store.get(db, declaration_id)
    scenarios = declaring.scenarios_of(db, w["versions"], row)
    text = "部署了MES系统，实现关键工序数据实时采集。"
    fields = Fields(**{**COMPLETE.__dict__, "descriptions": dict.fromkeys(scenarios, text)})
    assert declaring.save(db, w["versions"], declaration_id, fields, w["by"], DAY) == {}
    uploads = [attachments.Upload(k, None, f"{k}.pdf", PDF) for k in REQUIRED_FILES]
    uploads.append(attachments.Upload("photo", scenarios[0], "车间.png", PNG))
    for upload in uploads:
        refused = attachments.attach(
            db, evidence, declaration_id, upload, declaring.editable, w["by"]
        )
        assert refused is None, upload.kind


@pytest.fixture
def evidence(tmp_path, world):
    world["evidence"] = tmp_path / "evidence"
    return world["evidence"]
