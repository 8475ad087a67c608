"""The programme's world: a park in 苏州高新区 with an enterprise that reached 基础级, the park,
Suzhou, Jiangsu and Zhejiang authorities, a consultant, and Suzhou's open 2026 基础级 round."""

from __future__ import annotations

import pytest

from assess.store import parks
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.web import questionnaires
from tests.programme import account, organisation, submitted, suzhou_round


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
        w["round"] = suzhou_round(db, w["suzhou"]["id"])
    w["by"] = Actor(w["enterprise"], "127.0.0.1")
    return w


@pytest.fixture
def evidence(tmp_path, world):
    world["evidence"] = tmp_path / "evidence"
    return world["evidence"]
