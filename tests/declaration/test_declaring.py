"""Declaring: from an assessment that reaches the level, in an open round of the enterprise's
region, complete before the deadline; amended when returned; the consent it gives."""

from __future__ import annotations

from datetime import date

from assess.declaration import attachments, declaring
from assess.declaration.declaring import Fields, Refused, Submitted
from assess.store import declarations as store
from assess.store import rounds
from tests.programme import COMPLETE, DAY, complete
from tests.support import PDF, PNG


def start(w, assessment=None, day=DAY, org="org"):
    from assess.store import organisations

    organisation = organisations.get(w["db"], w[org])
    return declaring.start(
        w["db"], w["versions"], organisation, w["round"], assessment or w["basic"], w["by"], day
    )


def test_an_assessment_below_the_level_cannot_be_declared(world):
    world["org_below"] = world["below"]
    assert start(world, world["below_basic"], org="below") == Refused("not_eligible")
    assert world["db"]["declarations"].count == 0


def test_a_draft_starts_from_the_assessment_with_the_organisation_s_contact(world):
    declaration_id = start(world)
    row = store.get(world["db"], declaration_id)
    assert (row["status"], row["level"], row["assessment_id"], row["revision"]) == (
        "draft",
        "basic",
        world["basic"],
        0,
    )
    assert (row["contact_name"], row["contact_email"]) == ("王工", "wang@example.com")
    assert start(world) == declaration_id  # one declaration per round: the same again


def test_a_round_past_its_deadline_refuses_a_new_declaration_and_says_until_when(world):
    refused = start(world, day=date(2026, 10, 1))
    assert refused.reason == "round_closed" and refused.detail["deadline"] == "2026-09-30"
    assert start(world, day=date(2026, 2, 28)).reason == "round_not_open"


def test_a_round_of_another_region_is_not_found(world):
    db = world["db"]
    with db.conn:
        other = rounds.create(
            db,
            level="basic",
            year=2026,
            region_scope="3301",
            chain=[],
            opens_on="2026-01-01",
            deadline="2026-12-31",
            opened_by=None,
        )
    world["round"] = other
    assert start(world) == Refused("not_found")


def test_fields_are_kept_when_valid_and_refused_with_a_reason_otherwise(world):
    declaration_id = start(world)
    problems = declaring.save(
        world["db"],
        world["versions"],
        declaration_id,
        Fields(
            contact_name="  李 工\n",
            contact_phone="电话",
            contact_email="LI@Example.com",
            platform_level="6",
            platform_score="2.345",
            platform_date="2999-01-01",
        ),
        world["by"],
        DAY,
    )
    assert problems == {
        "contact_phone": "invalid",
        "platform_level": "invalid",
        "platform_date": "invalid",
    }
    row = store.get(world["db"], declaration_id)
    assert (row["contact_name"], row["contact_phone"], row["contact_email"]) == (
        "李 工",
        "0512-12345678",
        "li@example.com",
    )
    assert (row["platform_level"], row["platform_score"], row["platform_date"]) == (
        None,
        2.35,
        None,
    )


def test_a_description_is_limited_and_only_the_declared_scenarios_take_one(world):
    declaration_id = start(world)
    row = store.get(world["db"], declaration_id)
    scenarios = declaring.scenarios_of(world["db"], world["versions"], row)
    assert scenarios, "a Basic result reaches Basic in some scenarios"
    fields = Fields(
        descriptions={
            scenarios[0]: "x" * declaring.MAX_DESCRIPTION + "y",
            "not-a-scenario": "kept nowhere",
        }
    )
    problems = declaring.save(
        world["db"], world["versions"], declaration_id, fields, world["by"], DAY
    )
    assert problems == {f"description:{scenarios[0]}": "too_long"}
    fields = Fields(descriptions={scenarios[0]: "第一行\r\n第二行\x00"})
    assert (
        declaring.save(world["db"], world["versions"], declaration_id, fields, world["by"], DAY)
        == {}
    )
    assert store.descriptions(world["db"], declaration_id) == {scenarios[0]: "第一行\n第二行"}


def test_submitting_needs_everything_the_programme_asks_for(world, evidence):
    declaration_id = start(world)
    row = store.get(world["db"], declaration_id)
    scenarios = declaring.scenarios_of(world["db"], world["versions"], row)
    refused = declaring.submit(world["db"], world["versions"], declaration_id, world["by"], DAY)
    assert refused.reason == "incomplete"
    assert refused.detail == [
        "platform",
        *(f"description:{s}" for s in scenarios),
        "file:licence",
        "file:financials",
        "file:commitment",
        "file:platform_report",
    ]
    complete(world, declaration_id)
    assert declaring.submit(world["db"], world["versions"], declaration_id, world["by"], DAY) == (
        Submitted(declaration_id, False)
    )
    row = store.get(world["db"], declaration_id)
    assert (row["status"], row["stage"], row["revision"]) == ("in_review", 0, 1)
    facts = (
        world["db"]
        .execute("SELECT declared_at FROM result_facts WHERE assessment_id = ?", [world["basic"]])
        .fetchone()
    )
    assert facts[0] == row["submitted_at"]
    # a declaration in review cannot change nor be sent twice
    assert declaring.submit(world["db"], world["versions"], declaration_id, world["by"], DAY) == (
        Refused("locked")
    )
    assert declaring.save(
        world["db"], world["versions"], declaration_id, COMPLETE, world["by"]
    ) == (Refused("locked"))


def test_a_complete_draft_after_the_deadline_is_refused(world, evidence):
    declaration_id = start(world)
    complete(world, declaration_id)
    refused = declaring.submit(
        world["db"], world["versions"], declaration_id, world["by"], date(2026, 10, 1)
    )
    assert refused.reason == "round_closed"
    assert store.get(world["db"], declaration_id)["status"] == "draft"


def test_attachments_are_checked_by_content_size_and_count(world, evidence):
    declaration_id = start(world)

    def attach(kind, data, name="f.pdf", scenario=None):
        upload = attachments.Upload(kind, scenario, name, data)
        return attachments.attach(
            world["db"], evidence, declaration_id, upload, declaring.editable, world["by"]
        )

    assert attach("licence", b"<html>not a pdf") == "type"
    assert attach("financials", PNG, "f.png") == "type"  # statements: PDF only
    assert attach("licence", b"") == "empty"
    assert attach("licence", PDF + b"\0" * attachments.MAX_BYTES) == "too_large"
    assert attach("unknown", PDF) == "kind"
    assert attach("licence", PNG, "执照.png") is None
    assert attach("licence", PDF) == "too_many"
    for year in range(3):
        assert attach("financials", PDF, f"{2023 + year}.pdf") is None
    assert attach("financials", PDF) == "too_many"
    files = store.files(world["db"], declaration_id)
    assert [(f["kind"], f["original_name"], f["mime_type"]) for f in files] == [
        ("financials", "2023.pdf", "application/pdf"),
        ("financials", "2024.pdf", "application/pdf"),
        ("financials", "2025.pdf", "application/pdf"),
        ("licence", "执照.png", "image/png"),
    ]
    stored = [attachments.path(evidence, f) for f in files]
    assert all(p is not None and p.read_bytes() in (PDF, PNG) for p in stored)
    assert attachments.remove(
        world["db"], evidence, declaration_id, files[0]["id"], declaring.editable, world["by"]
    )
    assert not stored[0].exists()


def test_a_draft_taken_back_can_be_started_again(world):
    declaration_id = start(world)
    assert declaring.withdraw(world["db"], declaration_id, world["by"])
    assert store.get(world["db"], declaration_id)["status"] == "withdrawn"
    assert start(world) == declaration_id
    assert store.get(world["db"], declaration_id)["status"] == "draft"
