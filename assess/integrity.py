"""What the database may hold: every rule the forms, the autosave endpoint and the CLI promise,
checked over the stored data. `flask --app assess check-db` runs it, `restore` runs it on a
backup before replacing anything, and the fuzzer after every request it sends. No Flask."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from assess.assessment import evidence_files
from assess.assessment.answering import MAX_NOTE, MAX_REVISION, review_items
from assess.assessment.evidence_quality import QUALITIES
from assess.declaration import attachments, chain, declaring, review
from assess.organisation import credit_code
from assess.organisation.accounts import EMAIL_ADDRESS
from assess.organisation.sizes import SIZES
from assess.privacy.closing import CLOSED_NAME
from assess.questionnaire.loader import QuestionnaireError, load_text
from assess.questionnaire.sections import sections
from assess.questionnaire.versions import Versions
from assess.regional import benchmarks, regions
from assess.scoring.answers import CONTROL, LINE_CONTROL, AnswerError, check
from assess.store import assessments, personal_data, questionnaire_releases, summaries
from assess.store.integrity import rows, set_aside_still_counting
from assess.store.personal_data import closed_code
from assess.translation import today_in_china

PHONE = re.compile(r"[0-9+\-() ]+")


def one_line(value: str, limit: int, empty: bool = True) -> str | None:
    """Why a single-line text is invalid, or None."""
    if LINE_CONTROL.search(value):
        return "control character"
    if value != value.strip():
        return "surrounding blanks"
    if len(value) > limit:
        return f"longer than {limit}"
    if not empty and not value:
        return "empty"
    return None


def problems(db: Database, versions: Versions, evidence_dir: Path) -> list[str]:
    """Everything stored that breaks a rule, one line each (none: [])."""
    return [
        *_organisations(db, versions),
        *_users(db),
        *_team(db, versions),
        *_answers(db, versions),
        *_evidence(db, evidence_dir),
        *_visits(db),
        *_benchmarks(db, versions),
        *_declarations(db, evidence_dir),
        *_releases(db, versions),
    ]


def _loads(source: str) -> bool:
    try:
        load_text(source, "upload.yaml", check_name=False)
    except QuestionnaireError:
        return False
    return True


def _differs(source: str, versions: Versions, key: tuple[str, str]) -> bool:
    """Whether an upload reads otherwise than the shipped file of the same version (a release
    shipped a version an administrator had uploaded: the shipped file wins)."""
    try:
        uploaded = load_text(source, "upload.yaml", check_name=False)
    except QuestionnaireError:
        return True
    shipped = versions.get(*key)
    # by their repr: a scale compares by identity (it caches its values), its repr by content
    return repr(replace(uploaded, status=shipped.status)) != repr(shipped)


def _releases(db: Database, versions: Versions) -> list[str]:
    """Every uploaded questionnaire version loads; the regional sums were made with the newest
    published version's gradient rules (else `init-db` remakes them)."""
    loaded = {q.key for q in versions}
    found = [
        f"questionnaire {row['questionnaire_id']} {row['version']}: uploaded, no longer loads"
        for row in questionnaire_releases.uploads(db)
        if (row["questionnaire_id"], row["version"]) not in loaded and not _loads(row["source"])
    ]
    for row in questionnaire_releases.uploads(db):
        key = (row["questionnaire_id"], row["version"])
        if (
            key in loaded
            and key not in versions.uploaded
            and _differs(row["source"], versions, key)
        ):
            found.append(
                f"questionnaire {key[0]} {key[1]}: uploaded, and now also shipped with other"
                " content: its assessments are read with the shipped file"
            )
    made_with, latest = summaries.made_with(db), versions.latest()
    if made_with is not None and made_with != list(latest.rules):
        found.append(
            f"regional sums: made with other gradient rules than {latest.version}'s (run init-db)"
        )
    return found


def _organisations(db: Database, versions: Versions) -> list[str]:
    found = []
    sectors = {
        option.id
        for q in versions
        if "profile.sector" in q.items
        for option in q.options_of(q.items["profile.sector"])
    }
    stand_ins = {row["claimant_organisation_id"] for row in rows(db, "contests")}
    for org in rows(db, "organisations"):
        tag = f"organisation {org['id']}"
        if org["merged_into"]:
            found += _merged(db, org, tag)
            continue
        if org["set_aside_from"] or (org["closed_at"] and org["id"] in stand_ins):
            found += _stand_in_or_set_aside(db, org, tag)
            continue
        if org["closed_at"]:
            found += _closed(db, org, tag)
            continue
        if org["id"] in stand_ins and org["credit_code"] == f"pending:{org['id']}":
            org = {**org, "credit_code": None}  # a contest's claimant: its code is not its own
        for column, limit, empty in (("name", 100, False), ("contact_name", 50, True)):
            why = one_line(org[column], limit, empty)
            if why or (column == "name" and len(org[column]) < 2):
                found.append(f"{tag} {column} {org[column]!r}: {why or 'too short'}")
        if org["credit_code"] is not None and not _valid_credit_code(org["credit_code"]):
            found.append(f"{tag} credit code {org['credit_code']!r}")
        if org["region_code"] not in regions.registrable():
            found.append(f"{tag} region {org['region_code']!r}")
        if org["sector"] not in sectors or org["size"] not in SIZES:
            found.append(f"{tag} sector/size {org['sector']!r} {org['size']!r}")
        phone = org["contact_phone"]
        if phone and (len(phone) > 30 or not PHONE.fullmatch(phone)):
            found.append(f"{tag} phone {phone!r}")
        if org["contact_email"] and not EMAIL_ADDRESS.match(org["contact_email"]):
            found.append(f"{tag} e-mail {org['contact_email']!r}")
        if org["listing_opt_in"] not in (0, 1):
            found.append(f"{tag} listing {org['listing_opt_in']!r}")
    return found


def _closed(db: Database, org: dict, tag: str) -> list[str]:
    """A closed organisation keeps nothing that names it, and no account (privacy/closing.py)."""
    found = []
    named = (
        org["name"] != CLOSED_NAME
        or org["credit_code"] != closed_code(org["id"])
        or any(org[c] for c in ("contact_name", "contact_phone", "contact_email"))
        or org["listing_opt_in"]
    )
    if named:
        found.append(f"{tag}: closed, but still named or listed")
    if personal_data.scope(db, org["id"]).user_ids:
        found.append(f"{tag}: closed, but with accounts")
    return found


def _merged(db: Database, org: dict, tag: str) -> list[str]:
    """A duplicate merged into another (declaration/merging.py): closed under its own code,
    empty, in no park, listed nowhere."""
    found = []
    if org["credit_code"] != f"merged:{org['id']}" or not org["closed_at"]:
        found.append(f"{tag}: merged, but not closed under its own code")
    if org["park_id"] is not None or org["listing_opt_in"]:
        found.append(f"{tag}: merged, but in a park or listed")
    held = personal_data.scope(db, org["id"])
    if held.user_ids or held.assessment_ids or held.declaration_ids:
        found.append(f"{tag}: merged, but still with accounts or work")
    return found


def _stand_in_or_set_aside(db: Database, org: dict, tag: str) -> list[str]:
    """What a hand-over leaves (organisation/handover.py): a claimant's stand-in, closed and
    empty; an impostor's organisation set aside, closed, its accounts disabled and its
    assessments counting nowhere."""
    found = []
    users_of = personal_data.scope(db, org["id"]).user_ids
    if org["set_aside_from"]:
        if org["credit_code"] != f"set-aside:{org['id']}" or not org["closed_at"]:
            found.append(f"{tag}: set aside, but not closed under its stand-in code")
        if set_aside_still_counting(db, org["id"]):
            found.append(f"{tag}: set aside, but with active accounts or counted assessments")
    elif users_of:
        found.append(f"{tag}: a closed stand-in, but with accounts")
    return found


def _users(db: Database) -> list[str]:
    found = []
    for user in rows(db, "users"):
        tag = f"user {user['id']}"
        email = user["email"]
        if not EMAIL_ADDRESS.match(email) or email != email.strip().lower() or len(email) > 254:
            found.append(f"{tag} e-mail {email!r}")
        why = one_line(user["name"], 50, empty=False)
        if why:
            found.append(f"{tag} name {user['name']!r}: {why}")
        if user["locale"] not in ("zh", "en") or user["active"] not in (0, 1):
            found.append(f"{tag} locale/active {user['locale']!r} {user['active']!r}")
    for grant in rows(db, "access_grants"):
        invited = grant["invited_email"]
        if invited is not None and (not EMAIL_ADDRESS.match(invited) or invited != invited.lower()):
            found.append(f"grant {grant['id']} e-mail {invited!r}")
        if grant["direction"] == "request" and not _valid_credit_code(grant["credit_code"]):
            found.append(f"grant {grant['id']} credit code {grant['credit_code']!r}")
    return found


def _team(db: Database, versions: Versions) -> list[str]:
    """Enterprise teams: every enterprise account a member with a role, one owner for every
    enterprise with accounts, sections known and assigned to a contributor of the enterprise,
    invitations to an address."""
    found = []
    accounts = {u["id"]: u for u in rows(db, "users")}
    owners: dict[int, int] = {}
    with_accounts = set()
    for user in accounts.values():
        enterprise = user["role"] == "enterprise"
        if enterprise != (user["member_role"] is not None):
            found.append(f"user {user['id']} team role {user['member_role']!r}")
        if enterprise:
            with_accounts.add(user["organisation_id"])
            if user["member_role"] == "owner":
                owners[user["organisation_id"]] = user["id"]
    found += [f"organisation {o} has no owner" for o in sorted(with_accounts - set(owners))]
    known = {s.id for q in versions for s in sections(q)}
    for row in rows(db, "section_assignments"):
        member = accounts.get(row["user_id"]) or {}
        if row["section"] not in known:
            found.append(f"organisation {row['organisation_id']} section {row['section']!r}")
        if (member.get("organisation_id"), member.get("member_role")) != (
            row["organisation_id"],
            "contributor",
        ):
            found.append(
                f"organisation {row['organisation_id']} section {row['section']} assigned to"
                f" user {row['user_id']}, not a contributor of it"
            )
    for row in rows(db, "team_invitations"):
        email = row["email"]
        if not EMAIL_ADDRESS.match(email) or email != email.strip().lower() or len(email) > 254:
            found.append(f"team invitation {row['id']} e-mail {email!r}")
    return found


def _valid_credit_code(value) -> bool:
    """A credit code stored as the forms store it: valid and normalised."""
    try:
        return credit_code.validate(value) == value
    except (credit_code.CreditCodeError, TypeError, AttributeError):
        return False


def _answers(db: Database, versions: Versions) -> list[str]:
    found = []
    for row in rows(db, "assessments"):
        try:
            q = versions.of(row)
        except KeyError:
            found.append(f"assessment {row['id']}: questionnaire not installed")
            continue
        for item_id, answer in assessments.answers(db, row["id"]).items():
            tag = f"assessment {row['id']} {item_id}"
            if item_id not in q.items:
                found.append(f"{tag}: unknown item")
                continue
            if answer.answer.value is None and answer.revision == 0:
                continue  # evidence only, no answer yet
            try:
                normal = check(q, item_id, answer.answer.value, answer.answer.reason)
            except AnswerError as error:
                found.append(f"{tag}: {error}")
                continue
            if normal != answer.answer:
                found.append(f"{tag}: stored {answer.answer!r}, valid form {normal!r}")
            if CONTROL.search(answer.answer.reason):
                found.append(f"{tag}: control character in the reason")
            if not 0 < answer.revision <= MAX_REVISION:
                found.append(f"{tag}: revision {answer.revision}")
            if item_id in review_items(q) and row["mode"] != "consultant":
                found.append(f"{tag}: a review outside an on-site assessment")
    for note in rows(db, "answers"):
        tag = f"evidence {note['assessment_id']} {note['item_id']}"
        if len(note["note"]) > MAX_NOTE or CONTROL.search(note["note"]):
            found.append(f"{tag}: note {note['note'][:40]!r}")
        if note["evidence_quality"] not in (None, *QUALITIES):
            found.append(f"{tag}: quality {note['evidence_quality']!r}")
    return found


def _benchmarks(db: Database, versions: Versions) -> list[str]:
    """Benchmarks as the benchmarks screen lets them be set."""
    found = []
    known = benchmarks.indicators(versions)
    sectors = {o.id for q in versions for o in q.options_of(q.items["profile.sector"])}
    for row in rows(db, "benchmarks"):
        tag = f"benchmark {row['province']} {row['sector']} {row['indicator_id']}"
        indicator = known.get(row["indicator_id"])
        if indicator is None or row["sector"] not in sectors:
            found.append(f"{tag}: unknown sector or indicator")
            continue
        if regions.get(row["province"] + "0000") is None:
            found.append(f"{tag}: not a province")
        high = indicator.maximum if indicator.maximum is not None else float("inf")
        if not indicator.minimum <= row["value"] <= high:
            found.append(f"{tag}: value {row['value']} out of range")
        problem = one_line(row["source"], benchmarks.MAX_SOURCE, empty=False)
        if problem:
            found.append(f"{tag}: source {problem}")
    return found


def _evidence(db: Database, evidence_dir: Path) -> list[str]:
    found = []
    for file in rows(db, "evidence_files"):
        tag = f"evidence file {file['id']}"
        if file["original_name"] != evidence_files.display_name(file["original_name"]):
            found.append(f"{tag}: name {file['original_name']!r}")
        try:
            path = evidence_files.path_of(evidence_dir, file["stored_name"])
        except evidence_files.EvidenceError:
            found.append(f"{tag}: stored outside the evidence folder")
            continue
        if not path.is_file() or not evidence_files.stored_evidence(path.read_bytes()[:16]):
            found.append(f"{tag}: stored file missing or not evidence")
    return found


def _visits(db: Database) -> list[str]:
    found = []
    for visit in rows(db, "site_visits"):
        tag = f"visit {visit['id']}"
        try:
            future = date.fromisoformat(visit["visit_date"]) > today_in_china()
        except ValueError:
            future = True
        if future:
            found.append(f"{tag}: date {visit['visit_date']!r}")
        if not visit["site"].strip() or len(visit["site"]) > 200 or CONTROL.search(visit["site"]):
            found.append(f"{tag}: site {visit['site'][:40]!r}")
        if len(visit["participants"]) > 1000 or CONTROL.search(visit["participants"]):
            found.append(f"{tag}: participants {visit['participants'][:40]!r}")
    return found


def _declarations(db: Database, evidence_dir: Path) -> list[str]:
    """Rounds, declarations, their texts, files, steps, re-checks and recognitions."""
    found = []
    lengths = {}
    for row in rows(db, "declaration_rounds"):
        try:
            chain.validate(json.loads(row["chain"]))
            lengths[row["id"]] = len(json.loads(row["chain"]))
        except (ValueError, TypeError, KeyError, AttributeError):
            found.append(f"round {row['id']}: chain {row['chain'][:60]!r}")
        if row["level"] not in chain.DEFAULT_CHAINS or not _iso_day(
            row["opens_on"], row["deadline"]
        ):
            found.append(f"round {row['id']}: level or dates")
    for row in rows(db, "declarations"):
        tag = f"declaration {row['id']}"
        contact = (
            one_line(row["contact_name"], declaring.MAX_NAME),
            row["contact_phone"] and not declaring.PHONE.fullmatch(row["contact_phone"]),
            row["contact_email"]
            and (
                not EMAIL_ADDRESS.match(row["contact_email"])
                or row["contact_email"] != row["contact_email"].lower()
            ),
        )
        if any(contact) or len(row["contact_phone"]) > declaring.MAX_PHONE:
            found.append(
                f"{tag}: contact {row['contact_name']!r} {row['contact_phone']!r} {row['contact_email']!r}"
            )
        if row["platform_date"] is not None and not _iso_day(
            declaring.EARLIEST_PLATFORM_DATE, row["platform_date"], today_in_china().isoformat()
        ):
            found.append(f"{tag}: platform date {row['platform_date']!r}")
        if (row["revision"] == 0) != (
            row["status"] in ("draft", "withdrawn") and not row["submitted_at"]
        ):
            found.append(f"{tag}: status {row['status']} at revision {row['revision']}")
        if not 0 <= row["stage"] < lengths.get(row["round_id"], 0):
            found.append(f"{tag}: stage {row['stage']}")
    for row in rows(db, "declaration_scenarios"):
        text = row["description"]
        if len(text) > declaring.MAX_DESCRIPTION or text != declaring.text(text):
            found.append(f"declaration {row['declaration_id']} {row['scenario_id']}: description")
    folder = attachments.folder_of(evidence_dir)
    for row in rows(db, "declaration_files"):
        kind = attachments.KINDS.get(row["kind"])
        path = attachments.path(evidence_dir, row) if kind else None
        sniffed = evidence_files.sniff(path.read_bytes()[:16]) if path else None
        if kind is None or sniffed is None or sniffed.mime_type not in kind.types:
            found.append(f"declaration file {row['id']}: kind, type or file in {folder}")
    for row in rows(db, "declaration_steps"):
        if len(row["comments"]) > review.MAX_COMMENTS or row["comments"] != declaring.text(
            row["comments"]
        ):
            found.append(f"declaration step {row['id']}: comments")
    for row in rows(db, "recognitions"):
        if row["withdrawn_at"] and not row["withdrawal_reason"].strip():
            found.append(f"recognition {row['id']}: withdrawn without a reason")
    return found


def _iso_day(*values: str) -> bool:
    """ISO calendar days, in the order given (each on or after the one before)."""
    try:
        days = [date.fromisoformat(value) for value in values]
    except (TypeError, ValueError):
        return False
    return days == sorted(days)
