"""Helpers shared by test modules: plain functions and values, no fixtures (those are in the
conftest.py files). No test module imports another test module: what two of them share is here."""

from __future__ import annotations

import io
import random
import re
from datetime import date, timedelta

from flask import Flask

from assess import create_app
from assess.cli.database import init_database
from assess.declaration import chain
from assess.demo.synthetic import answers_for_outcome
from assess.organisation.credit_code import check_character
from assess.regional import result_facts as facts
from assess.scoring.verification import verified_on_site
from assess.store import (
    assessments,
    declarations,
    organisations,
    recognitions,
    rounds,
    summaries,
    users,
)
from assess.store.database import write_transaction
from assess.web import questionnaires

PASSWORD = "correct-horse-battery"

# A valid registration of an enterprise with its account.
GOOD = {
    "name": "苏州测试机械有限公司",
    "credit_code": "913205050000000015",
    "province": "320000",
    "city": "320500",
    "county": "320505",
    "sector": "machine_tools",
    "size": "medium",
    "contact_name": "王工",
    "contact_phone": "0512-12345678",
    "email": "wang@example.com",
    "password": "Factory-2026-pass",
    "confirm": "Factory-2026-pass",
    "consent": "y",
}

# Evidence files as small as their types allow.
# a real 2x2 PNG: on-site evidence images are decoded and encoded again (this one unchanged)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00"
    b"\xfd\xd4\x9as\x00\x00\x00\x16IDATx\x9cc<!'\xc7\xc0\xc0\xc0\xc4\xc0\xc0\xc0\xc0\xc0\x00"
    b"\x00\r\x04\x01\x08}q\xcaf\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"

VISIT = date.today() - timedelta(days=10)  # a recent visit, whenever the tests run
VISIT_ZH = f"{VISIT.year}年{VISIT.month}月{VISIT.day}日"


def ready_app(test_config: dict | None = None) -> Flask:
    """An app whose database had the deploy step (`init-db`): migrations and derived data."""
    app = create_app(test_config)
    init_database(app)
    return app


class Accounts:
    """Make organisations and accounts, and log in as them: tests read as actions."""

    def __init__(self, app, client, db):
        self.app, self.client, self.db = app, client, db

    def organisation(self, name="测试机械有限公司", region_code="320505", credit_code=None, **kw):
        from assess.organisation import credit_code as cc

        if credit_code is None:
            body = "91" + region_code + f"{organisations.count(self.db) + 1:09d}"
            credit_code = body + cc.check_character(body)
        with write_transaction(self.db):
            return organisations.create(
                self.db,
                name=name,
                credit_code=credit_code,
                region_code=region_code,
                sector=kw.get("sector", "machine_tools"),
                size=kw.get("size", "medium"),
            )

    def user(
        self,
        role,
        email=None,
        organisation_id=None,
        region_scope=None,
        name="测试用户",
        member_role=None,
    ):
        if role == "enterprise" and organisation_id is None:
            organisation_id = self.organisation()
        if role == "authority" and region_scope is None:
            region_scope = "32"
        email = email or f"{role}{self.db['users'].count + 1}@example.com"
        with write_transaction(self.db):
            users.create(
                self.db,
                email=email,
                name=name,
                password=PASSWORD,
                role=role,
                organisation_id=organisation_id,
                region_scope=region_scope,
                member_role=member_role,
            )
        return email

    def confirm(self, email):
        """The account's address is proven (as its confirmation link does): a self-registered
        account needs it before it submits, invites or declares."""
        with write_transaction(self.db):
            self.db.execute(
                "UPDATE users SET email_confirmed_at = '2026-01-01T00:00:00Z' WHERE email = ?",
                [email.strip().lower()],
            )

    def login(self, email, password=PASSWORD, follow_redirects=False):
        return self.client.post(
            "/login",
            data={"email": email, "password": password},
            follow_redirects=follow_redirects,
        )

    def logout(self):
        return self.client.post("/logout")


def start_assessment(client) -> int:
    """Start a draft as the logged-in enterprise; return its id."""
    response = client.post("/assessments/new", data={"prefill": "empty"})
    location = response.headers["Location"]
    return int(location.rstrip("/").split("/")[-1])


def start_assessment_under(app, db, organisation_id: int, version: str) -> int:
    """A draft of an organisation under an exact questionnaire version (an older one: as if
    started before the newer version was published), with the sector from registration."""
    from assess.assessment.submission import profile_from_organisation
    from assess.store import assessments

    with app.app_context():
        q = questionnaires.versions().get("machinery-smart-factory", version)
    with write_transaction(db):
        assessment_id = assessments.create(
            db, organisation_id=organisation_id, questionnaire=q, created_by=None
        )
        profile_from_organisation(db, q, assessment_id)
    return assessment_id


def autosave(client, assessment_id: int, *entries) -> dict:
    """Save answers in the background: entries are (item, value, revision[, reason])."""
    answers = [
        {"item": e[0], "value": e[1], "revision": e[2], "reason": e[3] if len(e) > 3 else ""}
        for e in entries
    ]
    response = client.post(f"/assessments/{assessment_id}/answers", json={"answers": answers})
    return {"status": response.status_code, **(response.get_json() or {})}


def fill_completely(app, client, assessment_id, outcome="basic", seed=5):
    """Answer every relevant item through the autosave endpoint, as a browser would."""
    with app.app_context():
        q = questionnaires.latest()
    answers = answers_for_outcome(q, random.Random(seed), outcome, sector="machine_tools")
    entries = [
        (item, list(a.value) if isinstance(a.value, tuple) else a.value, 1, a.reason)
        for item, a in answers.items()
    ]
    result = autosave(client, assessment_id, *entries)
    # the sector is filled in from registration already: unchanged
    assert {r["status"] for r in result["results"]} == {"saved", "unchanged"}
    assert [r["item"] for r in result["results"] if r["status"] == "unchanged"] == [
        "profile.sector"
    ]
    return answers


def owner_token(body: str) -> str:
    """The owner token a wizard page carries (it keeps a post made after the session expired)."""
    return re.search(r'name="owner" type="hidden" value="([^"]+)"', body).group(1)


def csrf_token(body: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)


def invite_link(accounts, owner_email, consultant_email) -> str:
    """An enterprise's owner invites a consultant (logged out after); the link, as a path,
    read from the invitation mail in the outbox (the link is in the mail only)."""
    accounts.login(owner_email)
    accounts.client.post("/consultants", data={"email": consultant_email})
    accounts.logout()
    return outbox_link(accounts.db, consultant_email, "/invitations/")


def outbox_link(db, to: str, path: str) -> str:
    """The link (as a path starting with `path`) of the newest queued message to an address."""
    for (text,) in db.execute(
        "SELECT text FROM outbox WHERE to_address = ? COLLATE NOCASE ORDER BY id DESC", [to]
    ):
        found = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S+)", text)
        if found:
            return found.group(1)
    raise AssertionError(f"no message to {to} with a link to {path}")


def post_with_files(client, assessment_id, files, **fields):
    """Post the wizard page of 组织战略 with files (name, content) for its first requirement."""
    data = {"org_strategy-1--rev": "9", **fields}
    data.update({"org_strategy-1--file": [(io.BytesIO(content), name) for name, content in files]})
    return client.post(
        f"/assessments/{assessment_id}/pages/cmmm-personnel",
        data=data,
        content_type="multipart/form-data",
    )


# Seventeen enterprises with known facts (eleven in Jiangsu, one in Zhejiang, five in Shandong):
# (county, sector, size, gradient rank, CMMM level, score, mode, listed[, submitted at])
REGION_FIXTURE = [
    ("320505", "machine_tools", "small", 0, 1, 1.2, "self", 0),
    ("320505", "machine_tools", "small", 0, 1, 1.4, "self", 0),
    ("320505", "machine_tools", "medium", 0, 0, 0.4, "self", 0),
    ("320583", "rail", "medium", 0, 1, 1.6, "self", 0),
    ("320583", "rail", "large", 0, 2, 1.9, "consultant", 0),
    ("320583", "rail", "large", 1, 2, 2.2, "self", 1),
    ("320206", "rail", "small", 1, 2, 2.4, "self", 0),
    ("320206", "machine_tools", "small", 1, 2, 2.3, "self", 0),
    ("320206", "machine_tools", "medium", 1, 2, 2.5, "self", 1),
    ("320115", "machine_tools", "medium", 1, 2, 2.6, "self", 0),
    ("320115", "rail", "large", 2, 3, 3.1, "consultant", 0),
    ("330110", "rail", "large", 3, 3, 3.5, "self", 1),  # Zhejiang: outside Jiangsu
    # Shandong: five small ones. With Zhejiang's one enterprise hidden in the country's table,
    # a second province must be hidden with it; Shandong, the smaller, takes that place.
    ("370102", "rail", "small", 0, 1, 1.0, "self", 0),
    ("370102", "rail", "small", 0, 1, 1.1, "self", 0),
    ("370102", "rail", "small", 1, 2, 2.0, "self", 0),
    ("370102", "rail", "small", 1, 2, 2.1, "self", 0),
    ("370102", "rail", "small", 2, 3, 3.0, "self", 0),
]


# A fixture row's mode: self, consultant (on site, every rated answer verified) or partial (on
# site, 10 of 100 rated answers verified: not verified on site). (mode, verified, rated)
FACT_MODES = {
    "self": ("self", 0, 0),
    "consultant": ("consultant", 100, 100),
    "partial": ("consultant", 10, 100),
}


def insert_facts(app, db, fixture: list[tuple]):
    """Organisations, submitted assessments and their facts, one per fixture row."""
    with app.app_context():
        q = questionnaires.latest()
    with write_transaction(db):
        rows = []
        for i, (code, sector, size, rank, level, score, kind, listed, *when) in enumerate(fixture):
            mode, verified, rated = FACT_MODES[kind]
            submitted = when[0] if when else "2026-06-01T00:00:00Z"
            body = "91" + code + f"{i:09d}"
            org_id = organisations.create(
                db,
                name=f"企业{i}",
                credit_code=body + check_character(body),
                region_code=code,
                sector=sector,
                size=size,
            )
            db.execute("UPDATE organisations SET listing_opt_in = ? WHERE id = ?", [listed, org_id])
            assessment_id = (
                db["assessments"]
                .insert(
                    {
                        "organisation_id": org_id,
                        "questionnaire_id": q.id,
                        "questionnaire_version": q.version,
                        "status": "submitted",
                        "mode": mode,
                        "submitted_at": submitted,
                        "gradient_rank": rank,
                        "cmmm_level": level,
                        "cmmm_score": score,
                    }
                )
                .last_pk
            )
            row = {
                "assessment_id": assessment_id,
                "organisation_id": org_id,
                "region_code": code,
                "park_id": None,
                "sector": sector,
                "size": size,
                "mode": mode,
                "verified_answers": verified,
                "rated_answers": rated,
                "verified": int(verified_on_site(mode, verified, rated, unverified_deciding=0)),
                "submitted_at": submitted,
                "questionnaire_id": q.id,
                "questionnaire_version": q.version,
                "gradient_rank": rank,
                "cmmm_level": level,
                "cmmm_score": score,
                "next_gaps": ",advanced.scenarios," if rank == 1 else ",basic.cmmm,",
                "next_gap_count": 1 if rank == 1 else 2,
            }
            row.update({f"scenario_{j}": (rank if j <= 5 else -1) for j in range(1, 11)})
            row.update({f"sub_domain_{j}": float(level) for j in range(1, 21)})
            rows.append(row)
        facts.record(db, rows, q)
    return q


class MailServer:
    """A real SMTP server on loopback (aiosmtpd) that the app's sender delivers to; the tests
    read what arrives (started by the `smtp` fixture in tests/conftest.py)."""

    def __init__(self):
        import email
        import email.policy
        import socket

        from aiosmtpd.controller import Controller

        self.received: list = []
        server = self

        class Handler:
            async def handle_DATA(self, _server, _session, envelope):
                message = email.message_from_bytes(envelope.content, policy=email.policy.default)
                server.received.append((envelope.rcpt_tos, message))
                return "250 OK"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def deliver(self, app) -> list:
        """Run the app's sender once; the messages that arrived, as (recipients, message)."""
        from assess.web.mail import deliver_due

        before = len(self.received)
        with app.app_context():
            deliver_due(app)
        return self.received[before:]

    @staticmethod
    def text(message) -> str:
        return message.get_body(("plain",)).get_content()

    @staticmethod
    def link(message, path: str) -> str:
        """The link of the message that starts with the path (e.g. "/confirm/"), as a path."""
        found = re.search(r"http://[^/\s]+(" + re.escape(path) + r"\S+)", MailServer.text(message))
        assert found, MailServer.text(message)
        return found.group(1)


def firm_of(
    db, *emails, name="江南智造咨询有限公司", qualification="CMMM 评估师 No. 2026-0417", logo=None
):
    """A consultancy with these consultants in it (by e-mail); its id."""
    from assess.store import firms

    with write_transaction(db):
        firm_id = firms.create(
            db,
            name=name,
            qualification=qualification,
            logo=logo,
            logo_mime="image/png" if logo else None,
        )
        for email in emails:
            firms.set_firm(db, users.get_by_email(db, email)["id"], firm_id)
    return firm_id


def to_verify_on_site(db, assessment_id: int) -> tuple[list[str], list[str]]:
    """(rated answers, deciding answers) of an on-site assessment, each sorted: what a
    consultant marks verified (assess/scoring/verification.py). In a request context."""
    from assess.report.results import scored
    from assess.scoring.result import rated_items
    from assess.scoring.verification import deciding_items
    from assess.store import evidence

    found = scored(db, questionnaires.versions(), assessments.get(db, assessment_id))
    answered = evidence.answered_items(db, assessment_id)
    return (
        sorted(rated_items(found.result)),
        sorted(deciding_items(found.q, answered, found.result)),
    )


def verify_on_site(
    app, db, client, assessment_id: int, share: float = 1.0, deciding: bool = True
) -> tuple[int, int]:
    """As the consultant logged in: mark this share of the rated answers verified (in item
    order), and with `deciding` every deciding answer (profile, basic requirements, which
    scenarios apply, results: assess/scoring/verification.py), and record a visit; (rated
    verified, rated)."""
    with app.test_request_context():
        rated, decided = to_verify_on_site(db, assessment_id)
    chosen = rated[: round(len(rated) * share)]
    ticked = chosen + (decided if deciding else [])
    if ticked:
        client.post(
            f"/assessments/{assessment_id}/answers",
            json={"evidence": [{"item": item, "verified": True} for item in ticked]},
        )
    client.post(
        f"/assessments/{assessment_id}/visits",
        data={"visit_date": VISIT.isoformat(), "site": "一号车间", "participants": "厂长"},
    )
    return len(chosen), len(rated)


def png(width: int = 4, height: int = 2, rgb: tuple[int, int, int] = (15, 122, 85)) -> bytes:
    """A real PNG of one colour (a firm's logo in tests)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def lower_every_rating(app, db, client, assessment_id: int) -> None:
    """As the consultant logged in: rate every rated answer one step lower than the
    self-assessment did (full -> most -> partial -> none), and answer "not met" whatever the
    staircase then asks; the verified result claims less at every level."""
    from assess.assessment import answering

    stored = assessments.answers(db, assessment_id)
    lower = {"full": "most", "most": "partial", "partial": "none"}
    autosave(
        client,
        assessment_id,
        *[
            (item, lower[s.answer.value], s.revision + 1)
            for item, s in stored.items()
            if not item.startswith("profile.") and s.answer.value in lower
        ],
    )
    with app.app_context():
        q = questionnaires.latest()
    missing = answering.state(db, q, assessment_id).missing
    if missing:
        autosave(client, assessment_id, *[(item, "none", 1) for item in missing])


def api_token(db, email: str, scope: str = "write", days: int = 90) -> str:
    """A personal access token of the account, as its account page makes one (scope: read |
    write)."""
    from assess.organisation import api_tokens
    from assess.store.audit import Actor

    user_id = users.get_by_email(db, email)["id"]
    return api_tokens.create(db, user_id, "tests", scope, days, Actor(user_id, "127.0.0.1")).token


def bearer(token: str, lang: str | None = None) -> dict:
    """The headers of an API request with this token (and Accept-Language)."""
    headers = {"Authorization": f"Bearer {token}"}
    if lang:
        headers["Accept-Language"] = lang
    return headers


def recognise(
    db,
    organisation_id: int,
    assessment_id: int,
    year: int,
    region: str,
    level: str = "basic",
    kind: str = "recognised",
) -> None:
    """A declaration of the organisation recognised at a level (Basic by default) in a round
    of a year; kind "recommended": recommended to the ministry."""
    with write_transaction(db):
        round_id = rounds.create(
            db,
            level=level,
            year=year,
            region_scope=region[:4],
            chain=chain.DEFAULT_CHAINS[level],
            opens_on=f"{year}-03-01",
            deadline=f"{year}-09-30",
            opened_by=None,
        )
        declaration = declarations.create(db, round_id, organisation_id, assessment_id, level, None)
        declarations.update(db, declaration, status="recognised", revision=1, stage=1)
        recognitions.add(
            db,
            declaration_id=declaration,
            organisation_id=organisation_id,
            level=level,
            kind=kind,
            year=year,
            region_code=region,
            park_id=None,
            by_scope=region[:4],
        )
        summaries.touch(db)  # as the review does: the dashboards count recognitions
