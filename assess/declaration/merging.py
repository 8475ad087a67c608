"""Merging duplicate enterprises: the same company registered twice (one under its credit code
and one under a contest's stand-in code 'pending:<id>', or two accounts of one firm that never
met). An administrator's act, in one write transaction, audited with what moved. No Flask.

Everything of the organisation merged away joins the one kept (organisation/handover.py's
`join`, as a claimant's stand-in joins at a hand-over): its accounts (its owner becomes a
contributor and the kept one's owner stays the one owner; when the kept one has no accounts,
the other's owner becomes its owner), assessments with their answers, revisions, evidence and
comments, roadmap plans, consultants' grants, declarations, recognitions and team invitations.
Where both have a section's assignment, a roadmap action's plan or a roadmap target, the kept
one's stays. The kept one takes the other's credit code when its own is a stand-in. The moved
results count as the kept enterprise's (its region, park, sector and size; re-scored with its
province's and sector's benchmarks when these differ), only its newest as its latest; the
regional sums of both are made again and, when results moved, the peer snapshots too (after
the merge's transaction, in their own: readers see the old ones until the new are committed).
The one merged away is closed, points to the kept one, and counts nowhere. Both owners are told
by mail. Sessions of the moved accounts keep working: they read their enterprise from the
database at every request.

Refused with nothing changed: the same organisation twice, an unknown one or one that is not
an enterprise any more (closed, or set aside by a hand-over), one merged already, one under an
open contest of a credit code (decide it first), both declared in the same round (a round takes
one declaration per enterprise: withdrawing one does not free the round), or the kept one's name
not typed as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from assess.declaration.contests import licence_path
from assess.organisation import handover, mail
from assess.questionnaire.versions import Versions
from assess.regional import benchmarks, peer_figures, peer_parts, result_facts
from assess.store import (
    assessments,
    audit,
    declarations,
    merges,
    organisations,
    recognitions,
    team,
    users,
)
from assess.store.audit import Actor
from assess.store.database import write_transaction

STAND_IN = "pending:"


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: same | unknown | not_enterprise | merged | contest | name |
    declared_twice (rounds: the years and region scopes of the rounds both declared in)."""

    reason: str
    rounds: tuple[dict, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Merged:
    kept_id: int
    merged_id: int
    moved: dict  # what moved, by kind (store/merges.holdings of the one merged away)
    owner_became: str | None  # the merged one's owner's member role now (None: it had none)


def side(db: Database, organisation_id: int) -> dict | None:
    """One side of the comparison an administrator sees: the organisation, its accounts,
    assessments (with their states), declarations, recognitions and counts, and where it went
    when it was merged away."""
    organisation = organisations.get(db, organisation_id)
    if organisation is None:
        return None
    went = merges.merged_into(db, organisation_id)
    return {
        "organisation": organisation,
        "accounts": team.members(db, organisation_id),
        "assessments": assessments.for_organisation(db, organisation_id),
        "declarations": declarations.of_organisation(db, organisation_id),
        "recognitions": recognitions.of_organisation(db, organisation_id),
        "counts": merges.holdings(db, organisation_id),
        "merged_into": organisations.get(db, went) if went else None,
    }


def merge(
    db: Database,
    versions: Versions,
    kept_id: int,
    other_id: int,
    typed_name: str,
    by: Actor,
    evidence_dir: Path | None = None,
) -> Merged | Refused:
    """Merge `other_id` into `kept_id` once the kept one's name is typed as it is."""
    q = versions.latest()
    with write_transaction(db):
        kept, other = organisations.get(db, kept_id), organisations.get(db, other_id)
        refused = _refusal(db, kept, other, typed_name)
        if refused:
            return refused
        moved = merges.holdings(db, other_id)
        owner, kept_owner = _owner(db, other_id), _owner(db, kept_id)
        # dropped: unsent contests the duplicate began, and those between the two; a third
        # enterprise's unsent contest of the duplicate's code follows the kept one (below)
        drafts = [
            c
            for c in merges.contests_of(db, (kept_id, other_id), "draft")
            if c["claimant_organisation_id"] == other_id
            or {c["organisation_id"], c["claimant_organisation_id"]} == {kept_id, other_id}
        ]
        licences = [licence_path(evidence_dir, c) for c in drafts] if evidence_dir else []
        for contest in drafts:
            merges.drop_contest(db, contest["id"])
        merges.repoint_contests(db, other_id, kept_id)
        submitted = [
            r["id"]
            for r in assessments.for_organisation(db, other_id)
            if r["status"] == "submitted"
        ]
        stays = kept_owner is None  # the kept one had no accounts: the other's owner is its
        handover.join(db, other_id, kept_id, owner_stays=stays)
        became = None if owner is None else ("owner" if stays else "contributor")
        taken_code = None
        if kept["credit_code"].startswith(STAND_IN) and not other["credit_code"].startswith(
            STAND_IN
        ):
            taken_code = other["credit_code"]
        merges.close_merged(db, other_id, kept_id)
        if taken_code:
            organisations.set_credit_code(db, kept_id, taken_code)
        kept = organisations.get(db, kept_id)
        result_facts.update_organisation(db, kept, q)  # both one's old keys and the kept one's
        province = benchmarks.province_of
        if submitted and (
            province(other["region_code"]) != province(kept["region_code"])
            or other["sector"] != kept["sector"]
        ):  # scored with other benchmarks than the kept enterprise's
            rows = [assessments.get(db, assessment_id) for assessment_id in submitted]
            benchmarks.rescore(db, rows, benchmarks._version_of(versions), q)
        audit.record_by(
            db,
            by,
            "organisations_merged",
            target_type="organisation",
            target_id=kept_id,
            detail={
                "kept": {"id": kept_id, "name": kept["name"], "credit_code": kept["credit_code"]},
                "merged": {
                    "id": other_id,
                    "name": other["name"],
                    "credit_code": other["credit_code"],
                },
                "moved": moved,
                "owner_became": became,
                "owner": owner["id"] if owner else None,
                "credit_code_taken": taken_code,
                "draft_contests_dropped": [c["id"] for c in drafts],
            },
        )
        _tell(db, kept, other, kept_owner, owner)
    for path in licences:  # files of contests never sent, no longer named by any row
        if path is not None:
            path.unlink(missing_ok=True)
    if submitted:
        peer_figures.remake(db)
        peer_parts.remake(db)
    return Merged(kept_id, other_id, moved, became)


def _owner(db: Database, organisation_id: int) -> dict | None:
    found = [u for u in team.members(db, organisation_id) if u["member_role"] == "owner"]
    return users.get(db, found[0]["id"]) if found else None


def _refusal(db: Database, kept: dict | None, other: dict | None, typed: str) -> Refused | None:
    """Why these two cannot be merged (kept first), or None."""
    if kept is None or other is None:
        return Refused("unknown")
    if kept["id"] == other["id"]:
        return Refused("same")
    if kept["merged_into"] or other["merged_into"]:
        return Refused("merged")
    if kept["closed_at"] or other["closed_at"] or kept["set_aside_from"] or other["set_aside_from"]:
        return Refused("not_enterprise")
    if merges.contests_of(db, (kept["id"], other["id"]), "open"):
        return Refused("contest")
    both = merges.rounds_of_both(db, kept["id"], other["id"])
    if both:
        return Refused("declared_twice", tuple(both))
    if " ".join(typed.split()) != " ".join(kept["name"].split()):
        return Refused("name")
    return None


def _tell(db: Database, kept: dict, other: dict, kept_owner, owner) -> None:
    """Mail both owners (security mail: it is about their access)."""
    for account in (kept_owner, owner):
        if account is None or not account["active"]:
            continue
        t = mail.lang_of(account)
        mail.to_user(
            db,
            account,
            "organisations_merged",
            t.gettext("%(other)s is merged into %(kept)s", other=other["name"], kept=kept["name"]),
            t.gettext(
                "An administrator of the service found that %(other)s and %(kept)s are the same"
                " company registered twice, and merged them: the accounts, assessments,"
                " answers, evidence, declarations, recognitions and consultants' access of"
                " %(other)s are now %(kept)s's. No answer was lost.",
                other=other["name"],
                kept=kept["name"],
            ),
            t.gettext(
                "%(kept)s had no accounts: the owner of %(other)s is now its owner. Your"
                " enterprise's team: %(url)s",
                kept=kept["name"],
                other=other["name"],
                url=mail.url(db, "/team"),
            )
            if kept_owner is None
            else t.gettext(
                "%(kept)s keeps its owner; the owner of %(other)s is now a contributor of it."
                " Your enterprise's team: %(url)s",
                kept=kept["name"],
                other=other["name"],
                url=mail.url(db, "/team"),
            ),
            security=True,
        )
