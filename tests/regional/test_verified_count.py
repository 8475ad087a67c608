"""The region's "verified on site" count is the assessments verified on site by the one
definition (assess/scoring/verification.py), not every on-site assessment: from its facts to
the sums, the dashboard's candidate list, and for facts made before the count was kept."""

from __future__ import annotations

from assess.regional import derived, result_facts
from assess.regional import publication as region_suppression
from assess.regional.figures import Scope
from assess.store.database import write_transaction
from assess.store.migrations import deciding_verified
from assess.web import questionnaires
from tests.support import REGION_FIXTURE, insert_facts, verify_on_site

# Jiangsu's eleven of the fixture with its second on-site assessment only partly verified
# (10 of 100 rated answers): 11 enterprises, 1 verified on site, 10 counted as self-assessed.
PARTLY = [row if i != 10 else (*row[:6], "partial", row[7]) for i, row in enumerate(REGION_FIXTURE)]


def counts(app, db, q):
    with app.test_request_context():
        c = region_suppression.published(db, q, Scope("32")).own.counts
    return c["n"], c["self"], c["verified"]


def test_a_partly_verified_on_site_assessment_counts_as_self_assessed(app, db):
    q = insert_facts(app, db, PARTLY)
    assert counts(app, db, q) == (11, 10, 1)


def test_facts_from_before_the_count_are_counted_by_init_db(app, db):
    q = insert_facts(app, db, REGION_FIXTURE)
    assert counts(app, db, q) == (11, 9, 2)
    # as migration 0044 leaves an on-site row: not yet counted; the fixture's assessments have
    # no answers, so none was verified and init-db counts neither as verified
    with write_transaction(db):
        db.execute(
            "UPDATE result_facts SET verified_answers = NULL, verified = 1 WHERE mode = 'consultant'"
        )
    with app.app_context():
        derived.bring_up_to_date(db, questionnaires.versions())
    assert (
        db.execute("SELECT count(*) FROM result_facts WHERE verified_answers IS NULL").fetchone()[0]
        == 0
    )
    assert counts(app, db, q) == (11, 11, 0)


def facts_of(db, assessment_id):
    return db.execute(
        "SELECT mode, verified_answers, rated_answers, verified FROM result_facts"
        " WHERE assessment_id = ?",
        [assessment_id],
    ).fetchone()


def test_an_on_site_assessment_half_verified_is_not_verified_in_its_facts(
    app, accounts, on_site, db
):
    done, rated = verify_on_site(app, db, accounts.client, on_site["id"], 0.5)
    accounts.client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert facts_of(db, on_site["id"]) == ("consultant", done, rated, 0)
    assert result_facts.verified_answers(db, None, {"id": on_site["id"], "mode": "self"}, None) == (
        0,
        0,
    )


def test_an_on_site_assessment_fully_verified_is_verified_in_its_facts(app, accounts, on_site, db):
    done, rated = verify_on_site(app, db, accounts.client, on_site["id"], 1.0)
    accounts.client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert done == rated > 0
    assert facts_of(db, on_site["id"]) == ("consultant", done, rated, 1)


def test_facts_counted_before_the_deciding_answers_are_counted_again_by_init_db(
    app, accounts, on_site, db
):
    # every rated answer verified, not the deciding ones (profile, basic requirements, ...)
    done, rated = verify_on_site(app, db, accounts.client, on_site["id"], 1.0, deciding=False)
    accounts.client.post(f"/assessments/{on_site['id']}/submit", data={"confirm_submit": "1"})
    assert facts_of(db, on_site["id"]) == ("consultant", done, rated, 0)
    # as the rule before 0045_deciding_verified counted it: verified; the migration makes the
    # on-site facts uncounted and init-db counts them again under the one definition
    with write_transaction(db):
        db.execute("UPDATE result_facts SET verified = 1 WHERE mode = 'consultant'")
        deciding_verified(db)
    assert facts_of(db, on_site["id"]) == ("consultant", None, rated, 1)
    with app.app_context():
        derived.bring_up_to_date(db, questionnaires.versions())
    assert facts_of(db, on_site["id"]) == ("consultant", done, rated, 0)
