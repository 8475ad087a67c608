"""An enterprise closes its account (个人信息保护法 第四十七条): what is deleted, and what is
kept, for whom and why, as the privacy notice says (templates/privacy/notice.html).

Deleted: the enterprise's accounts (e-mail, name, password, second factor), its name, credit
code and contacts, every answer, reason, evidence note, evidence file, visit record and draft,
its reports (the copies its consultants kept of the reports they signed too),
consultants' access and invitations, a contest of a credit code it made (with its
business licence), pages kept over an expired session, and
failed logins of its e-mail addresses; its declarations' contacts, scenario descriptions and
attachments, and draft declarations.

Kept without anything that names the enterprise: each submitted assessment's row and facts
(region, park, sector, size, date, levels and scores), so that the local authorities' figures
and the quarterly peer figures keep their counts; and of each declaration an authority received,
its level, status, review steps (their comments erased) and recognition, the authorities'
record of the programme. The audit log keeps its entries (what was
done, when, by which account number, to which object: it is the service's security record, and
network logs are kept at least six months under 网络安全法 第二十一条), with the personal fields
of those about the enterprise erased: their detail (e-mail addresses, names, file names, free
text) and the addresses of its own accounts. The credit code is free to register again.

No Flask: the web layer checks who asks and hands over the report files to remove.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from assess.assessment import evidence_files
from assess.declaration import attachments, contests
from assess.organisation import accounts
from assess.questionnaire.definition import Questionnaire
from assess.regional import result_facts
from assess.store import audit, organisations
from assess.store import contests as contests_store
from assess.store import personal_data as store
from assess.store.audit import Actor
from assess.store.database import write_transaction

CLOSED_NAME = "已注销企业"  # what stands for a closed organisation's name (never shown)


@dataclass(frozen=True)
class Closed:
    accounts: int  # accounts deleted
    assessments_kept: int  # submitted assessments kept without the enterprise's name
    files: int  # evidence and report files removed


def close(
    db: Database,
    user,
    password: str,
    q: Questionnaire,
    folder: Path,
    report_files: Iterable[Path],
    by: Actor,
) -> Closed | accounts.Refused:
    """Close the user's organisation, with the user's password (checked and throttled as at
    login): Closed, or Refused (wrong | throttled) with nothing changed."""
    checked = accounts.confirm_password(db, user.email, password, by.ip)
    if checked is not True:
        return checked or accounts.Refused("wrong")
    organisation_id = user.organisation_id
    with write_transaction(db):
        found = store.scope(db, organisation_id)
        stored = [row["stored_name"] for row in store.rows_of(db, "evidence_files", found)]
        attached = store.declarations(db, found)["declaration_files"]
        contest = contests_store.of_claimant_organisation(db, organisation_id)
        entries = [entry["id"] for entry in store.audit_entries(db, found)]
        audit.record(  # by the account number only: the account and its address go
            db,
            "organisation_closed",
            user_id=by.user_id,
            target_type="organisation",
            target_id=organisation_id,
        )
        store.erase_audit(db, entries, found.user_ids)
        store.remove(db, found, CLOSED_NAME, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        # the listing is withdrawn: the dashboards' sums of its county follow
        result_facts.update_organisation(db, organisations.get(db, organisation_id), q)
        kept = db.execute(
            "SELECT count(*) FROM assessments WHERE organisation_id = ?", [organisation_id]
        ).fetchone()[0]
    removed = 0
    files = [
        *(_evidence_path(folder, name) for name in stored),
        *(attachments.path(folder, row) for row in attached),
        contests.licence_path(folder, contest) if contest else None,
        *report_files,
    ]
    for path in files:
        if path is not None and path.exists():
            path.unlink()
            removed += 1
    return Closed(len(found.user_ids), kept, removed)


def _evidence_path(folder: Path, stored_name: str) -> Path | None:
    with suppress(evidence_files.EvidenceError):
        return evidence_files.path_of(folder, stored_name)
    return None
