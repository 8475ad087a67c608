"""The access matrix of docs/access.md and the world it is asked about: enterprise A with drafts,
a submitted self-assessment, an on-site assessment with an evidence file, grants and invitations;
enterprise B; the users of the matrix. Read by test_access_matrix.py and test_csrf.py."""

from __future__ import annotations

import hashlib
import random
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from assess.assessment import evidence_files as evidence
from assess.assessment import submission
from assess.declaration import attachments, chain
from assess.demo.synthetic import answers_for_outcome
from assess.organisation import mail
from assess.regional import staff
from assess.store import (
    assessments,
    firms,
    grants,
    organisations,
    parks,
    recognitions,
    rounds,
    signed_copies,
    users,
)
from assess.store import declarations as declaration_store
from assess.store import evidence as evidence_store
from assess.store import team as team_store
from assess.store.audit import Actor
from assess.store.database import connect, write_transaction
from assess.web import questionnaires
from tests.support import PDF, api_token, outbox_link, ready_app

MATRIX = Path(__file__).parent.parent.parent / "docs" / "access.md"
USERS = ("anonymous", "ent. A", "ent. B", "cons. +", "cons. −", "auth. in", "auth. out", "admin")
EMAILS = {
    "ent. A": "a@example.com",
    "ent. B": "b@example.com",
    "cons. +": "granted@example.com",
    "cons. −": "stranger@example.com",
    "auth. in": "jiangsu@example.com",
    "auth. out": "zhejiang@example.com",
    "admin": "admin@example.com",
}
# Members of enterprise A's team besides its owner (ent. A): their answers, in the second table
MEMBERS = ("owner", "contributor", "viewer")
MEMBER_EMAILS = {"contributor": "contributor@example.com", "viewer": "viewer@example.com"}
PASSWORD = "matrix-password-2026"
A_REGION = "320505"


def read_matrix(columns=USERS, first: int = 3) -> list[dict]:
    """The rows of the table with these answer columns (after `first` cells: method, route and
    object in the main table; method and route in the table of A's team)."""
    rows = []
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != first + len(columns) or cells[0] not in ("GET", "POST"):
            continue
        if first == 2:
            cells.insert(2, "")
        rows.append(
            {
                "method": cells[0],
                "rule": cells[1].strip("`"),
                "object": cells[2],
                "expected": dict(zip(columns, cells[3:], strict=True)),
            }
        )
    return rows


ROWS = read_matrix()
MEMBER_ROWS = read_matrix(MEMBERS, first=2)


def build_world(folder: Path, **config) -> dict:
    """The world of the matrix in a template database under folder; config for the app."""
    build = folder / "build.sqlite"
    app = ready_app(
        {
            "TESTING": True,
            "SECRET_KEY": "matrix",
            "DATABASE": str(build),
            "EVIDENCE_DIR": str(folder / "evidence"),
            "REPORT_QUEUE": "immediate",
            **config,
        }
    )
    with app.app_context():
        q = questionnaires.latest()
    db = connect(str(build))
    ids = {}
    with write_transaction(db):
        a = _organisation(db, "甲机械有限公司", A_REGION, listed=True)
        b = _organisation(db, "乙机械有限公司", "330106", listed=True)
        made = {
            "ent. A": ("enterprise", a, None),
            "ent. B": ("enterprise", b, None),
            "cons. +": ("consultant", None, None),
            "cons. −": ("consultant", None, None),
            "auth. in": ("authority", None, "32"),
            "auth. out": ("authority", None, "33"),
            "admin": ("admin", None, None),
        }
        user = {}
        for who, (role, org, scope) in made.items():
            user[who] = users.create(
                db,
                email=EMAILS[who],
                name=who,
                password=PASSWORD,
                role=role,
                organisation_id=org,
                region_scope=scope,
            )
        # logins in this test check a cheap hash; the app's own hashing is tested elsewhere
        db.execute(
            "UPDATE users SET password_hash = ?",
            [generate_password_hash(PASSWORD, "pbkdf2:sha256:1000")],
        )
        answers = answers_for_outcome(q, random.Random(3), "basic", sector="machine_tools")
        submitted = _assessment(db, q, a, user["ent. A"], answers)
        submission.submit(db, q, submitted, answers, submitted_by=user["ent. A"])
        ids["A's submitted"] = submitted
        ids["A's draft"] = _assessment(db, q, a, user["ent. A"], {})
        grants.grant_registered(db, a, user["cons. +"])
        # cons. + registered A for it, and A has not claimed its account yet
        organisations.set_claim_code(
            db, a, generate_password_hash("AB12-CD34-EF56"), user["cons. +"]
        )
        ids["A's grant"] = grants.active(db, user["cons. +"], a)["id"]
        on_site = _assessment(db, q, a, user["cons. +"], answers, consultant=user["cons. +"])
        submission.submit(db, q, on_site, answers, submitted_by=user["cons. +"])
        ids["A's on-site submitted"] = on_site
        # the copy of the report cons. + signed (kept by the web layer after a submission)
        signed_copies.keep(db, on_site, "zh", user["cons. +"], "<p>甲机械有限公司 签署的报告</p>")
        ids["A's on-site draft"] = _assessment(
            db, q, a, user["cons. +"], answers, consultant=user["cons. +"]
        )
        ids["A's visit"] = evidence_store.add_visit(
            db, ids["A's on-site draft"], "2026-01-05", "总装车间", "", user["cons. +"]
        )
        stored_name, digest = evidence.store(folder / "evidence", on_site, b"%PDF-1.4 test")
        ids["A's evidence file"] = evidence_file(db, on_site, stored_name, digest, user)
        ids["A's open request"] = grants.request_access(db, a, user["cons. −"])
        ids["cons. +'s request to A"] = grants.request_access(db, a, user["cons. +"])
        token = grants.invite(
            db, a, user["ent. A"], email=EMAILS["cons. +"], consultant_id=user["cons. +"]
        )
        ids["A's invitation"] = grants.by_token(db, token)["id"]
        ids["A's invitation token"] = token
        a_account = users.get(db, user["ent. A"])
        for purpose, name in (
            ("confirm_email", "A's confirmation link"),
            ("password_reset", "A's reset link"),
        ):
            ids[f"{name} token"] = mail.make_link(db, purpose, a_account).rsplit("/", 1)[1]
        ids["A's organisation"] = a
        # a park in A's county with an enterprise of its own (A stays in no park)
        ids["a park"] = parks.create(db, A_REGION, "甲县高新园", "")
        ids["a park member"] = _organisation(db, "丙机械有限公司", A_REGION, listed=False)
        parks.place(db, ids["a park member"], ids["a park"])
        ids["B's account"] = user["ent. B"]
        ids.update(_team(db, a, user["ent. A"]))
        ids.update(_declarations(db, folder, a, submitted, user, ids["A's grant"]))
        ids["a contest of A's code"] = _contest(db, folder, a)

    # a personal access token of every user of both tables: the API (/api/v1) is asked with it
    ids["api tokens"] = {
        who: api_token(db, email) for who, email in {**EMAILS, **MEMBER_EMAILS}.items()
    }
    # and one with the read scope only (tests/web/test_api_refusals.py: a write refused)
    ids["api read tokens"] = {
        who: api_token(db, email, "read") for who, email in {**EMAILS, **MEMBER_EMAILS}.items()
    }
    ids["A's api token"] = db.execute(
        "SELECT id FROM api_tokens WHERE user_id = ?", [user["ent. A"]]
    ).fetchone()[0]
    with app.test_request_context():
        from assess.web.reports import report_key

        ids["A's report key"] = report_key(assessments.get(db, submitted), "zh")
    ids.update(_administration(db, user["admin"]))
    backups = Path(app.config["BACKUP_DIR"])  # a finished backup (its content is not read)
    backups.mkdir(parents=True, exist_ok=True)
    (backups / "assess-20261201T000000Z.tar").write_bytes(b"an archive")
    ids["a backup"] = "assess-20261201T000000Z.tar"
    template = folder / "template.sqlite"
    db.execute(f"VACUUM INTO '{template}'")
    db.close()
    return {"app": app, "ids": ids, "template": template, "folder": folder}


def _administration(db, admin: int) -> dict:
    """A consultancy, and an invitation to a consultant's account waiting with its link."""
    invited = staff.invite(
        db, staff.Invitation("invited@example.com", "新顾问", "consultant"), Actor(admin, None)
    )
    link = outbox_link(db, "invited@example.com", "/accounts/join/")
    with write_transaction(db):
        firm = firms.create(db, name="江南智造咨询有限公司")
    return {
        "an account invitation": invited,
        "an account invitation token": link.rsplit("/", 1)[1],
        "a firm": firm,
    }


def _declarations(db, folder: Path, a: int, assessment: int, user: dict, grant: int) -> dict:
    """A's declarations: one recognised in Suzhou's 2025 round, one in review (at its first
    step) in this year's round with an attachment and an on-site re-check asked of cons. +, and
    a draft for Advanced in Jiangsu's round."""
    today = date.today()
    made = {}
    for key, level, year, scope in (
        ("recognised", "basic", 2025, "3205"),
        ("review", "basic", today.year, "3205"),
        ("draft", "advanced", today.year, "32"),
    ):
        opens, deadline = (
            ("2025-03-01", "2025-09-30")
            if year == 2025
            else (
                (today - timedelta(days=30)).isoformat(),
                (today + timedelta(days=60)).isoformat(),
            )
        )
        round_id = rounds.create(
            db,
            level=level,
            year=year,
            region_scope=scope,
            chain=chain.DEFAULT_CHAINS[level],
            opens_on=opens,
            deadline=deadline,
            opened_by=None,
        )
        made[key] = declaration_store.create(db, round_id, a, assessment, level, user["ent. A"])
    declaration_store.update(
        db,
        made["recognised"],
        status="recognised",
        revision=1,
        stage=1,
        submitted_at="2025-05-01T00:00:00Z",
    )
    declaration_store.update(
        db, made["review"], status="in_review", revision=1, submitted_at="2026-01-05T00:00:00Z"
    )
    recognition = recognitions.add(
        db,
        declaration_id=made["recognised"],
        organisation_id=a,
        level="basic",
        kind="recognised",
        year=2025,
        region_code=A_REGION,
        park_id=None,
        by_scope="3205",
    )
    folder_of = attachments.folder_of(folder / "evidence")
    files = {}
    for key in ("review", "draft"):
        stored_name, digest = evidence.store(folder_of, made[key], PDF)
        files[key] = declaration_store.add_file(
            db,
            made[key],
            "licence",
            None,
            stored_name=stored_name,
            original_name="执照.pdf",
            mime_type="application/pdf",
            size=len(PDF),
            sha256=digest,
        )
    recheck = declaration_store.add_recheck(
        db, made["review"], stage=0, consultant_id=user["cons. +"], grant_id=grant
    )
    return {
        "A's declaration": made["review"],
        "A's draft declaration": made["draft"],
        "A's declaration file": files["review"],
        "A's draft declaration file": files["draft"],
        "A's recognition": recognition,
        "cons. +'s recheck of A": recheck,
        "A's round": declaration_store.get(db, made["draft"])["round_id"],
    }


def _contest(db, folder: Path, a: int) -> int:
    """A company contesting A's credit code, its business licence sent (an open contest)."""
    from assess.declaration.contests import FOLDER
    from assess.store import contests

    stand_in = organisations.create(
        db,
        name="真甲机械有限公司",
        credit_code="pending:x",
        region_code=A_REGION,
        sector="machine_tools",
        size="medium",
    )
    organisations.set_credit_code(db, stand_in, f"pending:{stand_in}")
    claimant = users.create(
        db,
        email="claimant@example.com",
        name="真甲",
        password=PASSWORD,
        role="enterprise",
        organisation_id=stand_in,
    )
    contest = contests.create(
        db,
        credit_code=organisations.get(db, a)["credit_code"],
        organisation_id=a,
        claimant_id=claimant,
        claimant_organisation_id=stand_in,
    )
    stored_name, digest = evidence.store(folder / "evidence" / FOLDER, contest, PDF)
    contests.set_licence(
        db,
        contest,
        licence_name="执照.pdf",
        licence_stored=stored_name,
        licence_type="application/pdf",
        licence_size=len(PDF),
        licence_sha256=digest,
    )
    contests.send(db, contest)
    return contest


def _team(db, a: int, owner: int) -> dict:
    """A's contributor (the sub-domain 数据 assigned to it), viewer, and an invitation of a
    colleague waiting (its link signed with the world's secret key)."""
    made = {}
    for role, email in MEMBER_EMAILS.items():
        made[role] = users.create(
            db,
            email=email,
            name=role,
            password=PASSWORD,
            role="enterprise",
            organisation_id=a,
            member_role=role,
        )
    db.execute(  # a cheap hash, as the others'
        "UPDATE users SET password_hash = ? WHERE organisation_id = ? AND member_role != 'owner'",
        [generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"), a],
    )
    team_store.assign(db, a, "data", made["contributor"], owner)
    serializer = URLSafeTimedSerializer("matrix", salt="team-invitation")
    invitation = team_store.invite(
        db, a, "colleague@example.com", "viewer", "", owner, "2999-01-01T00:00:00Z"
    )
    nonce = "matrix-nonce"
    token = serializer.dumps([invitation, nonce])
    team_store.resend(
        db, invitation, hashlib.sha256(nonce.encode()).hexdigest(), "2999-01-01T00:00:00Z"
    )
    return {
        "A's contributor": made["contributor"],
        "A's team invitation": invitation,
        "A's team invitation token": token,
    }


def _organisation(db, name: str, region: str, listed: bool) -> int:
    from assess.organisation import credit_code

    body = "91" + region + f"{organisations.count(db) + 1:09d}"
    org = organisations.create(
        db,
        name=name,
        credit_code=body + credit_code.check_character(body),
        region_code=region,
        sector="machine_tools",
        size="medium",
    )
    db.execute("UPDATE organisations SET listing_opt_in = ? WHERE id = ?", [int(listed), org])
    return org


def _assessment(db, q, org: int, user_id: int, answers, consultant=None) -> int:
    assessment_id = assessments.create(
        db,
        organisation_id=org,
        questionnaire=q,
        created_by=user_id,
        mode="consultant" if consultant else "self",
        consultant_id=consultant,
    )
    assessments.put_answers(db, assessment_id, answers.items(), user_id)
    return assessment_id


def evidence_file(db, assessment_id, stored_name, digest, user) -> int:
    from assess.store import evidence as evidence_store

    return evidence_store.add_file(
        db,
        assessment_id,
        "org_strategy.1",
        stored_name,
        "制度.pdf",
        "application/pdf",
        13,
        digest,
        user["cons. +"],
    )


def url_for_row(row: dict, ids: dict) -> str:
    """The row's route with enterprise A's ids (and A's region for authority pages)."""
    values = {
        "assessment_id": ids.get(row["object"]),
        "declaration_id": ids.get(row["object"]),
        "recognition_id": ids.get(row["object"]),
        "recheck_id": ids.get(row["object"]),
        "file_id": ids.get(
            f"{row['object']} file" if "declaration" in row["rule"] else "A's evidence file"
        ),
        "visit_id": ids.get("A's visit"),
        "contest_id": ids.get(row["object"]),
        "round_id": ids.get(row["object"]),
        "grant_id": ids.get(row["object"]),
        "organisation_id": ids.get(f"{row['object']} member") or ids["A's organisation"],
        "park_id": ids.get(row["object"]),
        "firm_id": ids.get(row["object"]),
        "user_id": ids.get(row["object"], ids["B's account"]),
        "invitation_id": ids.get(row["object"]),
        "token": ids.get(f"{row['object']} token") or ids["A's invitation token"],
        "page_id": "profile",
        "fmt": "xlsx",
        "code": "320000",
        "key": ids.get("A's report key"),
        "province": A_REGION[:2],
        "name": ids.get(row["object"]),
        "token_id": ids.get(row["object"]),
        "questionnaire": "machinery-smart-factory",
        "version": "2026.1",
    }

    def fill(match):
        value = values[match.group(2)]
        assert value is not None, (row, match.group(2))
        return str(value)

    url = re.sub(r"<(?:(\w+):)?(\w+)>", fill, row["rule"])
    if row["object"] == "A's region":
        url += f"?region={A_REGION}"
    return url


POSTED = {
    "/lang": {"lang": "en"},
    "/account/tokens": {"name": "矩阵", "scope": "read", "days": "30", "password": PASSWORD},
    # the API's bodies are JSON (a function: made with the world's ids)
    "/api/v1/assessments": lambda ids: {"organisation_id": ids["A's organisation"]},
    "/api/v1/assessments/<int:assessment_id>/answers": {
        "answers": [{"item": "org_strategy.1", "value": "full"}]
    },
    "/api/v1/assessments/<int:assessment_id>/submit": {"confirm": True},
    "/assessments/new": {"prefill": "empty"},
    "/organisation/listing": {"listed": "1"},
    "/team/invitations": {"email": "newcomer@example.com", "member_role": "viewer"},
    "/team/members/<int:user_id>/role": {"member_role": "viewer"},
    "/team/sections": {"s:data": ""},
    "/consultants": {"email": "someone@example.com"},
    "/admin/users/<int:user_id>/active": {"active": "0"},
    "/admin/parks": {"county": "320505", "name_zh": "新园区"},
    "/admin/users/<int:user_id>/scope": {"region": "320500"},
    "/admin/parks/<int:park_id>/enterprises": {"organisation": "1"},
    "/admin/accounts/new": {
        "email": "new@example.com",
        "name": "新账户",
        "role": "admin",
        "locale": "zh",
    },
    "/admin/firms": {"name": "新咨询有限公司"},
    "/admin/firms/<int:firm_id>": {"name": "江南智造"},
    "/admin/firms/<int:firm_id>/consultants": {"email": "granted@example.com"},
    "/assessments/<int:assessment_id>/pages/<page_id>": {
        "profile-sector": "rail",
        "profile-sector--rev": "1",
        "go": "stay",
    },
    "/assessments/<int:assessment_id>/visits": {
        "visit_date": date.today().isoformat(),
        "site": "一号车间",
        "participants": "厂长",
    },
    "/consultant/clients/<int:organisation_id>/assessments": {"prefill": "self"},
    "/benchmarks/<province>": {
        "sector": "machine_tools",
        "results-defect_rate--value": "1.2",
        "results-defect_rate--year": "2025",
        "results-defect_rate--source": "省统计年鉴",
    },
    "/declarations/new": {"round": "2", "assessment": "1"},
    "/declarations/<int:declaration_id>": {"contact_name": "王工", "description:x": "y"},
    "/declarations/<int:declaration_id>/files": {"kind": "licence"},
    "/review/rounds": {  # next year's Advanced round: one the province opens
        "level": "advanced",
        "year": str(date.today().year + 1),
        "opens_on": f"{date.today().year + 1}-03-01",
        "deadline": f"{date.today().year + 1}-09-30",
    },
    "/review/declarations/<int:declaration_id>/decide": {
        "stage": "0",
        "revision": "1",
        "outcome": "recommend",
    },
    # cons. + was asked already (A's declaration): a re-check by the other consultant
    "/review/declarations/<int:declaration_id>/recheck": {"email": "stranger@example.com"},
    "/review/recognitions/<int:recognition_id>/withdraw": {"reason": "不再符合条件"},
    "/rechecks/<int:recheck_id>/attach": {"assessment": "1"},
    "/api/v1/assessments/<int:assessment_id>/visits": {
        "visit_date": date.today().isoformat(),
        "site": "一号车间",
    },
}
AUTOSAVE = {"answers": [{"item": "data.1", "value": "full", "revision": 1, "reason": ""}]}


def fresh_copy(world) -> None:
    """Point the world's app at a fresh copy of the template database."""
    database = world["folder"] / "case.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(world["template"], database)
    world["app"].config["DATABASE"] = str(database)
