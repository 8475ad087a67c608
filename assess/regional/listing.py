"""An enterprise agrees (or no longer agrees) to be listed by name to its local authority; its
facts follow, so the authority's candidate list does at once. No Flask."""

from __future__ import annotations

from sqlite_utils import Database

from assess.questionnaire.definition import Questionnaire
from assess.regional import result_facts
from assess.store import audit, organisations
from assess.store.audit import Actor
from assess.store.database import write_transaction


def set_listing(
    db: Database, organisation_id: int, listed: bool, q: Questionnaire, by: Actor
) -> None:
    with write_transaction(db):
        organisations.set_listing(db, organisation_id, listed)
        result_facts.update_organisation(db, organisations.get(db, organisation_id), q)
        audit.record_by(
            db,
            by,
            "listing_changed",
            target_type="organisation",
            target_id=organisation_id,
            detail={"listed": listed},
        )
