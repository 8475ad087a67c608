"""The company profile an enterprise's owner edits: what registration captured (name, region,
sector, size, contact), validated as at registration by the form; the audit log keeps the old
values. A new region or sector moves its results' facts to the region's sums, and scores its
submitted results again with the benchmarks of its (new) province and sector. No Flask."""

from __future__ import annotations

from sqlite_utils import Database

from assess.questionnaire.versions import Versions
from assess.regional import benchmarks, result_facts
from assess.store import assessments, audit, organisations
from assess.store.audit import Actor
from assess.store.database import write_transaction
from assess.store.organisations import PROFILE_FIELDS


def edit(
    db: Database,
    organisation_id: int,
    profile: dict,
    versions: Versions,
    by: Actor,
) -> dict[str, tuple]:
    """Store the profile (PROFILE_FIELDS, validated by the caller); what changed, field →
    (old, new), also in the audit log (organisation_profile_edited). Nothing changed: {}."""
    with write_transaction(db):
        before = organisations.get(db, organisation_id)
        new = {key: profile[key] for key in PROFILE_FIELDS}
        changed = {k: (before[k], new[k]) for k in PROFILE_FIELDS if before[k] != new[k]}
        if not changed:
            return {}
        organisations.set_profile(db, organisation_id, new)
        after = organisations.get(db, organisation_id)
        result_facts.update_organisation(db, after, versions.latest())
        if {"region_code", "sector"} & set(changed):
            submitted = [
                r
                for r in assessments.for_organisation(db, organisation_id)
                if r["status"] == "submitted"
            ]
            # as a benchmark's change does: the same re-scoring, versions as installed
            of = benchmarks._version_of(versions)
            benchmarks.rescore(db, submitted, of, versions.latest())
        audit.record_by(
            db,
            by,
            "organisation_profile_edited",
            target_type="organisation",
            target_id=organisation_id,
            detail={
                "old": {k: old for k, (old, _new) in changed.items()},
                "new": {k: value for k, (_old, value) in changed.items()},
                "organisation": organisation_id,
            },
        )
    return changed
