"""The review of a declaration, step by step along its round's chain: the authority whose
turn it is recommends it upward, recognises it (认定) or recommends it to the ministry at the
last step, returns it for amendment with its reasons, or rejects it. No Flask."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from assess.declaration import chain, notices
from assess.declaration.declaring import text
from assess.organisation.tiers import covers, rank, tier_of
from assess.store import audit, organisations, summaries, users
from assess.store import declarations as store
from assess.store import recognitions as recognition_store
from assess.store import rounds as round_store
from assess.store.audit import Actor
from assess.store.database import write_transaction

MAX_COMMENTS = 2000
# What the county or park checks (复核) before recommending: the material is complete and true.
CHECKS = ("licence", "financials", "commitment", "scenarios", "platform")


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_found | not_your_step | stale | outcome | comments |
    unchecked (`missing`: the materials nobody has checked yet, in CHECKS' order)."""

    reason: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decided:
    outcome: str
    status: str  # the declaration's status after the step


def present_tiers(db: Database, organisation: dict) -> set[str]:
    """The tiers of the authorities whose region holds the enterprise (a park's only if the
    enterprise is in that park)."""
    return {
        tier_of(a["region_scope"], a["park_id"])
        for a in users.authorities_covering(db, organisation["region_code"])
        if covers(a, organisation)
    }


def current_step(db: Database, row: dict) -> chain.Step | None:
    """The step a declaration waits at (in review or returned), or None."""
    if row["status"] not in ("in_review", "returned"):
        return None
    steps = chain.steps(round_store.get(db, row["round_id"])["chain"])
    return steps[row["stage"]] if row["stage"] < len(steps) else None


def may_decide(db: Database, authority: dict, row: dict) -> bool:
    """Whether it is this authority's turn: the declaration is in review at a step its tier
    takes (or takes in place of a tier without an account), for an enterprise of its region."""
    if row["status"] != "in_review":
        return False
    organisation = organisations.get(db, row["organisation_id"])
    step = current_step(db, row)
    if step is None or not covers(authority, organisation):
        return False
    tier = tier_of(authority["region_scope"], authority.get("park_id"))
    return chain.may_act(step, tier, present_tiers(db, organisation))


def deciding(step: chain.Step, outcome: str) -> bool:
    """Whether the outcome decides the declaration for good in the product: it recognises (认定)
    or recommends it to the ministry, at the last step."""
    return outcome == step.forward and step.act in (chain.RECOGNISE, chain.RECOMMEND_MINISTRY)


def unchecked(earlier: list[dict], revision: int, checks: dict[str, bool]) -> tuple[str, ...]:
    """The materials (CHECKS) that neither an earlier step on this version of the declaration
    (`earlier`: its steps, as stored) nor this one (`checks`) recorded as checked."""
    done = {name for name, ticked in checks.items() if ticked}
    for step in earlier:
        if step["revision"] == revision:
            done |= {name for name, ticked in step["checks"].items() if ticked}
    return tuple(name for name in CHECKS if name not in done)


def decide(
    db: Database,
    authority: dict,
    declaration_id: int,
    *,
    stage: int,
    revision: int,
    outcome: str,
    comments: str,
    checks: dict[str, bool] | None = None,
    by: Actor,
) -> Decided | Refused:
    """Record a step's outcome with its comments (required to return or reject) and the
    materials this reviewer checked. Recognising, or recommending to the ministry, needs every
    material of CHECKS checked on this version, at this step or an earlier one (the county's
    复核). `stage` and `revision` are what the reviewer saw: a declaration decided or amended
    since is refused, so that a double click or two reviewers at once decide it once."""
    comments = text(comments or "")
    with write_transaction(db):
        row = store.get(db, declaration_id)
        if row is None or not may_decide(db, authority, row):
            return Refused("not_your_step" if row is not None else "not_found")
        if (row["stage"], row["revision"]) != (stage, revision):
            return Refused("stale")
        step = current_step(db, row)
        if outcome not in step.outcomes:
            return Refused("outcome")
        if len(comments) > MAX_COMMENTS or (
            outcome in (chain.RETURN, chain.REJECT) and not comments
        ):
            return Refused("comments")
        checks = {k: bool(v) for k, v in (checks or {}).items() if k in CHECKS}
        if deciding(step, outcome):
            missing = unchecked(store.steps(db, declaration_id), row["revision"], checks)
            if missing:
                return Refused("unchecked", missing)
        steps = chain.steps(round_store.get(db, row["round_id"])["chain"])
        store.add_step(
            db,
            declaration_id,
            stage=row["stage"],
            tier=tier_of(authority["region_scope"], authority.get("park_id")),
            outcome=outcome,
            comments=comments,
            checks=checks,
            revision=row["revision"],
            reviewer_id=by.user_id,
            region_scope=authority["region_scope"],
            park_id=authority.get("park_id"),
        )
        status = _apply(db, authority, row, step, steps, outcome, by)
        notices.reviewed(db, row, status, comments)
        summaries.touch(db)  # the dashboards' counts of declarations change
        audit.record_by(
            db,
            by,
            f"declaration_{outcome}",
            target_type="declaration",
            target_id=declaration_id,
            detail={"organisation_id": row["organisation_id"], "stage": row["stage"]},
        )
    return Decided(outcome, status)


def _apply(db, authority, row, step, steps, outcome, by) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if outcome == chain.RETURN:
        store.update(db, row["id"], status="returned")
        return "returned"
    if outcome == chain.REJECT:
        store.update(db, row["id"], status="rejected", decided_at=now)
        return "rejected"
    if row["stage"] + 1 < len(steps):
        store.update(db, row["id"], stage=row["stage"] + 1)
        return "in_review"
    status = "recognised" if step.act == chain.RECOGNISE else "recommended"
    store.update(db, row["id"], status=status, decided_at=now)
    organisation = organisations.get(db, row["organisation_id"])
    recognition_store.add(
        db,
        declaration_id=row["id"],
        organisation_id=row["organisation_id"],
        level=row["level"],
        kind=status,
        year=round_store.get(db, row["round_id"])["year"],
        region_code=organisation["region_code"],
        park_id=organisation["park_id"],
        by_scope=authority["region_scope"],
        recognised_by=by.user_id,
        recognised_at=now,
    )
    return status


def may_withdraw(db: Database, authority: dict, recognition: dict) -> bool:
    """An authority of the tier that recognised (or above) whose region holds the enterprise."""
    organisation = organisations.get(db, recognition["organisation_id"])
    tier = tier_of(authority["region_scope"], authority.get("park_id"))
    return covers(authority, organisation) and rank(tier) >= rank(tier_of(recognition["by_scope"]))


def withdraw_recognition(
    db: Database, authority: dict, recognition_id: int, reason: str, by: Actor
) -> bool | Refused:
    """Withdraw a recognition (or a recommendation to the ministry), with a reason: by an
    authority of the tier that gave it, or above, whose region holds the enterprise."""
    reason = text(reason or "")
    with write_transaction(db):
        found = recognition_store.get(db, recognition_id)
        if found is None or not may_withdraw(db, authority, found):
            return Refused("not_found")  # whatever the reason: nothing is revealed
        if not reason or len(reason) > MAX_COMMENTS:
            return Refused("comments")
        if not recognition_store.withdraw(db, recognition_id, by.user_id, reason):
            return Refused("stale")
        summaries.touch(db)
        audit.record_by(
            db,
            by,
            "recognition_withdrawn",
            target_type="recognition",
            target_id=recognition_id,
            detail={"organisation_id": found["organisation_id"], "reason": reason},
        )
    return True
