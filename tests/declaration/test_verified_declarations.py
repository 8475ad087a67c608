"""A declaration resting on an on-site assessment is "verified" only when the assessment is
verified on site (assess/scoring/verification.py): the review queue's badge, the list's JSON,
the summary table's 现场核实 column and the dossier say the same."""

from __future__ import annotations

import random

import pytest

from assess.assessment import submission
from assess.declaration import dossier, listing, states
from assess.demo.synthetic import answers_for_outcome
from assess.scoring import score
from assess.scoring.result import rated_items
from assess.scoring.verification import deciding_items
from assess.store import assessments, evidence
from assess.store import declarations as store
from assess.store.database import write_transaction
from tests.programme import declared


def on_site(world, share: float, deciding: bool = True) -> int:
    """甲's on-site assessment (Basic) with this share of its rated answers verified, and with
    `deciding` its deciding answers (profile, basic requirements, ...) verified too."""
    db, q = world["db"], world["q"]
    answers = answers_for_outcome(q, random.Random(1), "basic", sector="machine_tools")
    result = score(q, answers)
    rated = sorted(rated_items(result))
    decided = sorted(deciding_items(q, answers, result)) if deciding else []
    with write_transaction(db):
        assessment_id = assessments.create(
            db,
            organisation_id=world["org"],
            questionnaire=q,
            created_by=None,
            mode="consultant",
            consultant_id=world["consultant"],
        )
        assessments.put_answers(db, assessment_id, answers.items(), None)
        for item in rated[: round(len(rated) * share)] + decided:
            evidence.save(
                db,
                assessment_id,
                item,
                note="现场查看",
                quality="observed",
                verified=True,
                user_id=world["consultant"],
            )
        submission.submit(db, q, assessment_id, answers, submitted_by=None)
    return assessment_id


@pytest.mark.parametrize(
    ("share", "deciding", "verified"),
    [
        (0.0, True, False),
        (0.5, True, False),
        (1.0, True, True),
        # every rated answer verified, but not its size, basic requirements, ...: not verified
        (1.0, False, False),
    ],
)
def test_the_queue_summary_table_and_dossier_call_it_verified_only_when_it_is(
    world, evidence, share, deciding, verified
):
    db = world["db"]
    world["on_site"] = on_site(world, share, deciding)
    declaration_id = declared(world, assessment="on_site")
    [row] = states.region_declarations(db, world["q"], world["suzhou"], "zh")
    assert row["assessment"]["mode"] == "consultant"
    assert row["assessment"]["verified_on_site"] is verified
    rows = listing.declarations_of(db, world["suzhou"])
    assert [r["verified_on_site"] for r in rows] == [int(verified)]
    _, [line] = listing.summary_table(db, world["versions"], rows, "zh")
    assert line[11:13] == (["是", ""] if verified else ["", ""])
    data = dossier.build(db, world["versions"], store.get(db, declaration_id), "zh")
    assert data["assessment"]["verified_on_site"] is verified
    assert data["assessment"]["verification"].startswith("未经现场核实") is not verified
    # what is missing is said: the deciding answers, not the share of rated answers
    assert ("决定性答案未核实" in data["assessment"]["verification"]) is (not deciding)
