"""Contesting a taken credit code. A credit code is public, so someone may register a real
company's code before the company does. The company then registers under a stand-in code
(organisation/registration.py, `contest`), uploads its business licence, checked like every
evidence file, and sends the contest; an administrator sees both sides and decides: the code
is handed over (organisation/handover.py, impostor=True: the holders' access ends and their
results count nowhere official) or the contest is refused, with a note. No Flask.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from assess.assessment import evidence_files
from assess.declaration.attachments import KINDS
from assess.organisation import handover, mail
from assess.questionnaire.definition import Questionnaire
from assess.store import assessments, audit, contests, declarations, organisations, team, users
from assess.store.audit import Actor
from assess.store.database import write_transaction

FOLDER = "contests"  # under EVIDENCE_DIR
LICENCE = KINDS["licence"]  # the types and size a business licence may have in a declaration
STATEMENT_LIMIT = 2000
NOTE_LIMIT = 1000


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: not_found | decided (not open any more) | file: an evidence
    check's code (empty, too_large, type, damaged...) | statement (too long) | handed_over:
    a hand-over's refusal."""

    reason: str
    detail: str = ""


def folder_of(evidence_dir: Path) -> Path:
    return Path(evidence_dir) / FOLDER


def of_claimant(db: Database, user) -> dict | None:
    """The contest of the account's stand-in organisation (the account is its claimant's team),
    with the name the code's holder registered under and when, once the account's address is
    proven (before, anyone could learn them by registering a public credit code)."""
    row = contests.of_claimant_organisation(db, user.organisation_id)
    if row is None:
        return None
    if not user.email_confirmed_at:
        return {**row, "holder_name": None, "holder_since": None}
    holder = organisations.get(db, row["organisation_id"])
    return {**row, "holder_name": holder["name"], "holder_since": holder["created_at"]}


def send(
    db: Database,
    evidence_dir: Path,
    user,
    filename: str,
    data: bytes,
    statement: str,
    by: Actor,
) -> Refused | None:
    """The claimant's owner sends (or, while it waits, replaces) the business licence and a
    statement; the contest then waits for an administrator. The file is checked by its content
    (PDF, JPEG or PNG; photos re-encoded without their metadata), stored first and removed
    again when the contest cannot take it."""
    statement = (statement or "").strip()
    if len(statement) > STATEMENT_LIMIT:
        return Refused("statement")
    try:
        checked = evidence_files.check(data)
    except evidence_files.EvidenceError as error:
        return Refused("file", error.code)
    if checked.kind.mime_type not in LICENCE.types or len(checked.data) > LICENCE.max_bytes:
        return Refused("file", "type")
    folder = folder_of(evidence_dir)
    row = contests.of_claimant_organisation(db, user.organisation_id)
    if row is None:
        return Refused("not_found")
    stored_name, digest = evidence_files.store(folder, row["id"], checked.data)
    previous = None
    with write_transaction(db):
        row = contests.get(db, row["id"])
        if row["status"] not in ("draft", "open") or user.member_role != "owner":
            refused = Refused("decided" if row["status"] not in ("draft", "open") else "not_found")
        else:
            refused, previous = None, row["licence_stored"]
            contests.set_licence(
                db,
                row["id"],
                licence_name=evidence_files.download_name(filename, checked.kind.mime_type),
                licence_stored=stored_name,
                licence_type=checked.kind.mime_type,
                licence_size=len(checked.data),
                licence_sha256=digest,
                statement=statement,
            )
            sent = contests.send(db, row["id"])
            audit.record_by(
                db,
                by,
                "contest_sent" if sent else "contest_licence_replaced",
                target_type="contest",
                target_id=row["id"],
                detail={"credit_code": row["credit_code"], "sha256": digest},
            )
    _remove(folder, stored_name if refused else previous)
    return refused


def _remove(folder: Path, stored_name: str | None) -> None:
    if stored_name:
        with suppress(evidence_files.EvidenceError):
            evidence_files.path_of(folder, stored_name).unlink(missing_ok=True)


def licence_path(evidence_dir: Path, row: dict) -> Path | None:
    """The stored licence of a contest, or None."""
    if not row.get("licence_stored"):
        return None
    try:
        found = evidence_files.path_of(folder_of(evidence_dir), row["licence_stored"])
    except evidence_files.EvidenceError:
        return None
    return found if found.is_file() else None


def both_sides(db: Database, contest_id: int) -> dict | None:
    """What an administrator sees before deciding: the contest, the code's holder (its profile,
    accounts, assessments, declarations) and the claimant (its profile and account)."""
    row = contests.get(db, contest_id)
    if row is None or row["status"] == "draft":
        return None
    holder = organisations.get(db, row["organisation_id"])
    return {
        "contest": row,
        "holder": holder,
        "holder_accounts": team.members(db, holder["id"]),
        "holder_assessments": assessments.for_organisation(db, holder["id"]),
        "holder_declarations": declarations.of_organisation(db, holder["id"]),
        "claimant": organisations.get(db, row["claimant_organisation_id"]),
        "claimant_account": users.get(db, row["claimant_id"]),
    }


def decide(
    db: Database,
    q: Questionnaire,
    contest_id: int,
    hand_over: bool,
    note: str,
    by: Actor,
) -> handover.HandedOver | Refused | None:
    """The administrator's decision on an open contest: hand the code over (HandedOver), or
    refuse it (None); the claimant is told either way."""
    note = (note or "").strip()[:NOTE_LIMIT]
    with write_transaction(db):
        row = contests.get(db, contest_id)
        if row is None or row["status"] != "open":
            return Refused("decided" if row else "not_found")
        if hand_over:
            done = handover.hand_over_within(
                db,
                q,
                row["organisation_id"],
                row["claimant_id"],
                by,
                impostor=True,
                contest_id=contest_id,
            )
            if isinstance(done, handover.Refused):
                return Refused("handed_over", done.reason)
            contests.decide(db, contest_id, "handed_over", by.user_id, note)
            return done
        contests.decide(db, contest_id, "refused", by.user_id, note)
        audit.record_by(
            db,
            by,
            "contest_refused",
            target_type="contest",
            target_id=contest_id,
            detail={"credit_code": row["credit_code"], "note": note},
        )
        _tell_refused(db, row, note)
    return None


def _tell_refused(db: Database, row: dict, note: str) -> None:
    claimant = users.get(db, row["claimant_id"])
    t = mail.lang_of(claimant)
    mail.to_user(
        db,
        claimant,
        "contest_decided",
        t.gettext("Your contest of the credit code %(code)s", code=row["credit_code"]),
        t.gettext(
            "An administrator of the service looked at your business licence and did not hand"
            " the credit code %(code)s over to you.",
            code=row["credit_code"],
        ),
        *([t.gettext("The administrator's note: %(note)s", note=note)] if note else []),
        security=True,
    )
