"""An enterprise that declared closes its account (assess/privacy/closing.py): its declarations'
contacts, descriptions, attachments and the reviewers' comments go, the authorities keep their
record (level, status, steps, recognition) without its name; the export holds its declarations."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from assess.declaration import recheck
from assess.integrity import problems
from assess.privacy import closing, export
from assess.store import declarations as store
from assess.store import users
from assess.store.audit import Actor
from tests.programme import actor, decide, declared

PASSWORD = "Closing-test-2026"


def owner(world):
    users.set_password(world["db"], world["enterprise"], PASSWORD)
    row = users.get(world["db"], world["enterprise"])
    return type("User", (), {**row, "organisation_id": row["organisation_id"]})


def every_text(db) -> str:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return "\n".join(repr(r) for t in tables for r in db.execute(f"SELECT * FROM [{t}]"))


def test_closing_keeps_the_authorities_record_of_a_declaration_without_its_personal_data(
    world, evidence
):
    db = world["db"]
    declaration_id = declared(world)
    decide(world, "park", declaration_id, "recommend", "联系人李工材料齐全")
    city = world["suzhou"]
    recheck_id = recheck.request(
        db, city, declaration_id, "expert@example.com", "请李工陪同", actor(city)
    )
    assert isinstance(recheck_id, int)
    files = [p for p in Path(evidence).rglob("*") if p.is_file()]
    assert len(files) == 5  # four documents and a photo
    steps_before = [(s["stage"], s["outcome"]) for s in store.steps(db, declaration_id)]

    user = owner(world)
    archive = io.BytesIO()
    export.write_archive(db, user, evidence, lambda row: [], archive, "2026-06-02", world["by"])
    with zipfile.ZipFile(archive) as z:
        declared_json = json.loads(z.read("declarations.json"))
        attached = [n for n in z.namelist() if n.startswith("declarations/")]
    assert [d["id"] for d in declared_json["declarations"]] == [declaration_id]
    assert declared_json["declarations"][0]["contact_phone"] == "0512-87654321"
    assert len(attached) == 5

    closed = closing.close(
        db, user, PASSWORD, world["q"], evidence, [], Actor(user.id, "127.0.0.1")
    )
    assert isinstance(closed, closing.Closed)
    text = every_text(db)
    for personal in ("李工", "0512-87654321", "li@example.com", "部署了MES系统", "车间.png"):
        assert personal not in text, personal
    assert [p for p in Path(evidence).rglob("*") if p.is_file()] == []
    row = store.get(db, declaration_id)
    assert (row["status"], row["level"]) == ("in_review", "basic")
    assert [(s["stage"], s["outcome"]) for s in store.steps(db, declaration_id)] == steps_before
    assert store.recheck(db, recheck_id)["grant_id"] is None
    assert problems(db, world["versions"], Path(evidence)) == []


def test_a_draft_declaration_goes_with_the_account(world, evidence):
    from assess.declaration import declaring
    from assess.store import organisations
    from tests.programme import DAY

    db = world["db"]
    draft = declaring.start(
        db,
        world["versions"],
        organisations.get(db, world["org"]),
        world["round"],
        world["basic"],
        world["by"],
        DAY,
    )
    user = owner(world)
    closed = closing.close(
        db, user, PASSWORD, world["q"], evidence, [], Actor(user.id, "127.0.0.1")
    )
    assert isinstance(closed, closing.Closed)
    assert store.get(db, draft) is None
