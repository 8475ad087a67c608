"""Helpers for the 梯度培育 programme's tests (declarations, reviews, dashboards): accounts,
organisations and submitted assessments made directly, a declaration completed and submitted,
a step decided. Plain functions; the fixtures that use them are in tests/declaration/conftest.py."""

from __future__ import annotations

import random
from datetime import date

from assess.assessment import submission
from assess.declaration import attachments, chain, declaring, review
from assess.declaration.declaring import Fields
from assess.demo.synthetic import answers_for_outcome
from assess.organisation import credit_code
from assess.store import assessments, evidence, organisations, parks, rounds
from assess.store import declarations as declaration_store
from assess.store.audit import Actor
from assess.store.database import write_transaction
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


def submitted(
    db, q, org: int, outcome: str, seed: int = 1, mode="self", consultant=None, verified=False
) -> int:
    """A submitted assessment of the organisation; verified: on site, the consultant verified
    every answer."""
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
    for item_id in answers if verified else ():
        evidence.save(
            db, assessment_id, item_id, note="", quality=None, verified=True, user_id=consultant
        )
    submission.submit(db, q, assessment_id, answers, submitted_by=None)
    return assessment_id


def partly_and_fully_verified(w, seed: int = 9) -> tuple[int, int]:
    """The expert's two submitted on-site assessments of w's enterprise: one with no answer
    verified (it counts as a self-assessment), one with every answer verified."""
    with write_transaction(w["db"]):
        return tuple(
            submitted(
                w["db"],
                w["q"],
                w["org"],
                "basic",
                seed=seed,
                mode="consultant",
                consultant=w["consultant"],
                verified=checked,
            )
            for checked in (False, True)
        )


def suzhou_round(db, opened_by: int | None = None) -> int:
    """Suzhou's 2026 基础级 round, open from March to September."""
    return rounds.create(
        db,
        level="basic",
        year=2026,
        region_scope="3205",
        chain=chain.DEFAULT_CHAINS["basic"],
        opens_on="2026-03-01",
        deadline="2026-09-30",
        opened_by=opened_by,
    )


def account(db, email: str, name: str, role: str, **columns) -> int:
    """An account without a real password hash (these tests call use cases, not /login)."""
    row = {"email": email, "name": name, "role": role, "password_hash": "-", **columns}
    return db["users"].insert(row).last_pk


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


def declared(w, org="org", assessment="basic") -> int:
    organisation = organisations.get(w["db"], w[org])
    declaration_id = declaring.start(
        w["db"], w["versions"], organisation, w["round"], w[assessment], w["by"], DAY
    )
    complete(w, declaration_id)
    assert declaring.submit(w["db"], w["versions"], declaration_id, w["by"], DAY)
    return declaration_id


def decide(w, who: str, declaration_id: int, outcome: str, comments: str = "", **seen):
    row = declaration_store.get(w["db"], declaration_id)
    return review.decide(
        w["db"],
        w[who],
        declaration_id,
        stage=seen.get("stage", row["stage"]),
        revision=seen.get("revision", row["revision"]),
        outcome=outcome,
        comments=comments,
        checks=seen.get("checks", dict.fromkeys(review.CHECKS, True) | {"made-up": True}),
        by=actor(w[who]),
    )


class User:
    """A logged-in user as the permission rules read one."""

    def __init__(self, role, id=None, region_scope=None, park_id=None, organisation_id=None):
        self.role, self.id = role, id
        self.region_scope, self.park_id, self.organisation_id = (
            region_scope,
            park_id,
            organisation_id,
        )


def authority(w, who: str) -> User:
    a = w[who]
    return User("authority", a["id"], a["region_scope"], a["park_id"])
