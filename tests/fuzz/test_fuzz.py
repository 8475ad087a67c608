"""Generated input on every form, JSON endpoint and query parameter (hypothesis).

Each route that accepts a POST, or reads query or path parameters, gets generated data from a
user of a role that may use it: strings of every kind (unicode, huge, NUL bytes), missing,
repeated and unknown fields, wrong types, huge and negative numbers, invalid JSON and JSON of
the wrong shape. Whatever arrives: never a 5xx, a refused input leaves the database as it was,
and everything the database holds afterwards is valid.

Set FUZZ_EXAMPLES to run more examples per route (the default keeps the file under 40 s).
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash
from wtforms.fields.core import UnboundField

from assess.assessment import evidence_files as evidence
from assess.assessment.answering import MAX_NOTE
from assess.assessment.evidence_quality import QUALITIES
from assess.organisation import credit_code
from assess.organisation.accounts import EMAIL_ADDRESS as EMAIL
from assess.organisation.sizes import SIZES
from assess.questionnaire import pages as wizard
from assess.questionnaire.definition import NOT_APPLICABLE, Question, Requirement
from assess.regional import regions
from assess.scoring.answers import AnswerError, check
from assess.store import assessments, grants, users
from assess.store.database import connect, write_transaction
from assess.views.account import CodeForm, LoginForm, PasswordForm
from assess.views.grants import ConsultantSignupForm, InviteForm
from assess.web import questionnaires
from assess.web.forms.registration import ClientForm, RegistrationForm
from assess.web.forms.registration import CreditCodeForm as RequestForm
from assess.web.questions import field_name
from tests.support import PASSWORD, Accounts, fill_completely, ready_app, start_assessment

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Tables that legitimately record attempts, refused or not.
ATTEMPT_TABLES = {"audit_log", "login_failures"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"

# --- generated values -------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\t\r\n",
        "-1",
        "0",
        "1.5",
        "99999999999999999999999999",
        "-99999999999999999999999999",
        "1e309",
        "NaN",
        "null",
        "true",
        "[]",
        "{}",
        "None",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        '"><svg onload=alert(1)>',
        '=HYPERLINK("http://x")',
        "{{7*7}}",
        "%s%n%x",
        "\u202eevil",
        "ｅｘａｍｐｌｅ＠ｅｘａｍｐｌｅ．ｃｏｍ",
        "a@b.c",
        "2026-02-30",
        "0000-00-00",
        "9999-12-31",
        "320505",
        "913205050000000015",
    ]
)
HUGE = st.builds(
    lambda n, c: c * n, st.sampled_from([300, 5000, 100_000]), st.sampled_from(["A", "中", "\x00"])
)
NASTY = st.one_of(TEXT, SPECIAL, SPECIAL, HUGE)
INTS = st.one_of(
    st.integers(-5, 50),
    st.sampled_from([0, -1, 2**31, 2**63 - 1, 2**63, 2**64, 10**30]),
)
FIELD_NAMES = st.one_of(
    TEXT, st.sampled_from(["csrf_token", "owner", "go", "id", "role", "x--rev"])
)
JSON_ANY = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([2**63, 10**40, -(2**70)])
    | st.floats()
    | NASTY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
GARBAGE_TYPES = st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)


def encoded(data, pairs: list[tuple[str, object]]) -> dict:
    """Request arguments carrying the pairs: mostly a form, sometimes JSON or raw bytes."""
    how = data.draw(
        st.sampled_from(["urlencoded"] * 5 + ["multipart", "json", "garbage"]), label="body"
    )
    if how == "urlencoded":
        return {
            "data": urlencode([(k, str(v)) for k, v in pairs]).encode(),
            "content_type": "application/x-www-form-urlencoded",
        }
    if how == "multipart":
        return {"data": MultiDict(pairs), "content_type": "multipart/form-data"}
    if how == "json":
        return {"json": {k: v for k, v in pairs}}
    return {"data": data.draw(st.binary(max_size=300)), "content_type": data.draw(GARBAGE_TYPES)}


def mutated_pairs(data, valid: dict[str, object]) -> list[tuple[str, object]]:
    """The valid values, with a few fields dropped, replaced, repeated; plus unknown fields.

    A value of None is a field left out unless mutated (a submit button, an optional code).
    """
    names = sorted(valid)
    chosen = (
        data.draw(st.sets(st.sampled_from(names), max_size=3), label="mutated fields")
        if names
        else set()
    )
    pairs: list[tuple[str, object]] = []
    for name in names:
        good = valid[name]
        if name not in chosen:
            if good is not None:
                pairs.append((name, good))
            continue
        how = data.draw(st.sampled_from(["drop", "replace", "repeat", "append"]), label=name)
        if how == "replace":
            pairs.append((name, data.draw(NASTY, label=name)))
        elif how == "repeat":
            pairs += [(name, v) for v in data.draw(st.lists(NASTY, min_size=2, max_size=4))]
        elif how == "append":
            pairs += [(name, good if good is not None else ""), (name, data.draw(NASTY))]
    pairs += data.draw(st.lists(st.tuples(FIELD_NAMES, NASTY), max_size=2), label="unknown")
    return pairs


def form_body(data, valid: dict[str, object]) -> dict:
    return encoded(data, mutated_pairs(data, valid))


def one_of_ids(data, good: list[int]) -> int:
    return data.draw(st.one_of(st.sampled_from(good), INTS), label="id")


def query(data, params: dict[str, st.SearchStrategy]) -> str:
    """A query string: each parameter absent, once, or repeated."""
    pairs = []
    for name, values in params.items():
        count = data.draw(st.sampled_from([0, 1, 1, 1, 2]), label=f"{name}?")
        pairs += [(name, str(data.draw(values, label=name))) for _ in range(count)]
    pairs += data.draw(st.lists(st.tuples(TEXT, NASTY), max_size=1), label="unknown params")
    return "?" + urlencode(pairs) if pairs else ""


def fields_of(form_class) -> set[str]:
    """The fields a WTForms form class declares (its rendered inputs, without csrf_token)."""
    return {name for name in dir(form_class) if isinstance(getattr(form_class, name), UnboundField)}


def valid_form(form_class, **values) -> dict[str, object]:
    """Valid values for every field of a form; fails when the form gains a field not fuzzed."""
    assert set(values) == fields_of(form_class), (
        f"{form_class.__name__} has fields {sorted(fields_of(form_class))}: "
        f"give the fuzzer a valid value for each (got {sorted(values)})"
    )
    return values


# --- the world every case starts from ---------------------------------------------------


def fast_hashes(monkeypatch) -> None:
    """Cheap password hashes: the fuzzer logs in and registers often (scrypt takes 0.1 s)."""
    fast = partial(generate_password_hash, method="pbkdf2:sha256:1000")
    monkeypatch.setattr(users, "generate_password_hash", fast)
    monkeypatch.setattr(users, "_DUMMY_HASH", fast("not-a-real-password"))
    monkeypatch.setattr("assess.organisation.registration.generate_password_hash", fast)


def credit_code_for(region_code: str, serial: int) -> str:
    body = "91" + region_code + f"{serial % 10**9:09d}"
    return body + credit_code.check_character(body)


def build_world(app, accounts: Accounts, db) -> dict:
    """Two enterprises, consultants with and without access, an authority, an administrator."""
    client = accounts.client
    w: dict = {}
    w["org_a"] = accounts.organisation(
        name="甲机械有限公司", credit_code=credit_code_for("320505", 1)
    )
    w["ent"] = accounts.user("enterprise", organisation_id=w["org_a"], email="ent@example.com")
    accounts.login(w["ent"])
    w["self_done"] = start_assessment(client)
    fill_completely(app, client, w["self_done"], "basic")
    client.post(f"/assessments/{w['self_done']}/submit")
    client.post("/organisation/listing", data={"listed": "1"})
    w["self_draft"] = start_assessment(client)
    accounts.logout()

    w["con"] = accounts.user("consultant", email="con@example.com", name="王顾问")
    w["con_id"] = users.get_by_email(db, w["con"])["id"]
    with write_transaction(db):
        grants.grant_registered(db, w["org_a"], w["con_id"])
    accounts.login(w["con"])
    response = client.post(
        f"/consultant/clients/{w['org_a']}/assessments", data={"prefill": "self"}
    )
    w["on_site"] = int(response.headers["Location"].split("/")[2])
    accounts.logout()

    w["con2"] = accounts.user("consultant", email="con2@example.com")
    w["org_b"] = accounts.organisation(
        name="乙机械有限公司", credit_code=credit_code_for("320583", 2)
    )
    w["entb"] = accounts.user("enterprise", organisation_id=w["org_b"], email="entb@example.com")
    entb_id = users.get_by_email(db, w["entb"])["id"]
    with write_transaction(db):
        con2_id = users.get_by_email(db, w["con2"])["id"]
        w["request_grant"] = grants.request_access(db, w["org_a"], con2_id)
        w["invite_token"] = grants.invite(
            db, w["org_b"], entb_id, email="invitee@example.com", consultant_id=None
        )
        con_token = grants.invite(
            db, w["org_b"], entb_id, email=w["con"], consultant_id=w["con_id"]
        )
    w["invite_grant"] = grants.by_token(db, w["invite_token"])["id"]
    w["con_invite_grant"] = grants.by_token(db, con_token)["id"]

    w["totp"] = accounts.user("consultant", email="totp@example.com")
    w["totp_secret"] = pyotp.random_base32()
    with write_transaction(db):
        totp_id = users.get_by_email(db, w["totp"])["id"]
        users.enable_totp(db, totp_id, w["totp_secret"], 0)
    w["authority"] = accounts.user("authority", email="auth@example.com", region_scope="32")
    w["admin"] = accounts.user("admin", email="admin@example.com")
    w["park"] = (
        db["parks"].insert({"county_code": "320505", "name_zh": "园区", "name_en": "Park"}).last_pk
    )
    w["user_ids"] = [r["id"] for r in db.query("SELECT id FROM users")]
    w["grant_ids"] = [r["id"] for r in db.query("SELECT id FROM access_grants")]
    return w


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The world, built once; each test starts from a copy of its database."""
    folder = tmp_path_factory.mktemp("fuzz-world")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(folder / "instance"))
        fast_hashes(monkeypatch)
        app = ready_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "DATABASE": str(folder / "world.sqlite"),
                "WTF_CSRF_ENABLED": False,
            }
        )
        db = connect(app.config["DATABASE"])
        try:
            world = build_world(app, Accounts(app, app.test_client(), db), db)
        finally:
            db.close()
    return folder / "world.sqlite", world


@pytest.fixture
def world(app, db, template, monkeypatch):
    path, ids = template
    fast_hashes(monkeypatch)
    source = sqlite3.connect(path)
    try:
        source.backup(db.conn)
    finally:
        source.close()
    return ids


# --- what the database may hold ---------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def snapshot(db) -> dict[str, list]:
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        t: sorted(db.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)
        for t in sorted(set(tables) - ATTEMPT_TABLES)
    }


def changed_tables(before: dict, after: dict) -> list[str]:
    return [t for t in after if before.get(t) != after[t]]


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


def problems(db, q, evidence_dir: Path) -> list[str]:
    """Everything stored that breaks the rules the forms and the API promise."""
    found = []
    sectors = {o.id for o in q.options_of(q.items["profile.sector"])}
    for org in db.query("SELECT * FROM organisations"):
        tag = f"organisation {org['id']}"
        for column, limit, empty in (("name", 100, False), ("contact_name", 50, True)):
            why = one_line(org[column], limit, empty)
            if why or (column == "name" and len(org[column]) < 2):
                found.append(f"{tag} {column} {org[column]!r}: {why or 'too short'}")
        try:
            assert credit_code.validate(org["credit_code"]) == org["credit_code"]
        except (credit_code.CreditCodeError, AssertionError):
            found.append(f"{tag} credit code {org['credit_code']!r}")
        if org["region_code"] not in regions.registrable():
            found.append(f"{tag} region {org['region_code']!r}")
        if org["sector"] not in sectors or org["size"] not in SIZES:
            found.append(f"{tag} sector/size {org['sector']!r} {org['size']!r}")
        phone = org["contact_phone"]
        if phone and (len(phone) > 30 or not re.fullmatch(r"[0-9+\-() ]+", phone)):
            found.append(f"{tag} phone {phone!r}")
        if org["contact_email"] and not EMAIL.match(org["contact_email"]):
            found.append(f"{tag} e-mail {org['contact_email']!r}")
        if org["listing_opt_in"] not in (0, 1):
            found.append(f"{tag} listing {org['listing_opt_in']!r}")
    for user in db.query("SELECT * FROM users"):
        tag = f"user {user['id']}"
        email = user["email"]
        if not EMAIL.match(email) or email != email.strip().lower() or len(email) > 254:
            found.append(f"{tag} e-mail {email!r}")
        why = one_line(user["name"], 50, empty=False)
        if why:
            found.append(f"{tag} name {user['name']!r}: {why}")
        if user["locale"] not in ("zh", "en") or user["active"] not in (0, 1):
            found.append(f"{tag} locale/active {user['locale']!r} {user['active']!r}")
    for grant in db.query("SELECT * FROM access_grants"):
        invited = grant["invited_email"]
        if invited is not None and (not EMAIL.match(invited) or invited != invited.lower()):
            found.append(f"grant {grant['id']} e-mail {invited!r}")
    for row in db.query("SELECT id, status FROM assessments"):
        stored = assessments.answers(db, row["id"])
        for item_id, answer in stored.items():
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
            if not 0 < answer.revision < 2**31:
                found.append(f"{tag}: revision {answer.revision}")
    for note in db.query("SELECT assessment_id, item_id, note, evidence_quality FROM answers"):
        tag = f"evidence {note['assessment_id']} {note['item_id']}"
        if len(note["note"]) > MAX_NOTE or CONTROL.search(note["note"]):
            found.append(f"{tag}: note {note['note'][:40]!r}")
        if note["evidence_quality"] not in (None, *QUALITIES):
            found.append(f"{tag}: quality {note['evidence_quality']!r}")
    for file in db.query("SELECT * FROM evidence_files"):
        tag = f"evidence file {file['id']}"
        if file["original_name"] != evidence.display_name(file["original_name"]):
            found.append(f"{tag}: name {file['original_name']!r}")
        path = evidence_dir / file["stored_name"]
        if not path.is_file() or evidence.sniff(path.read_bytes()[:16]) is None:
            found.append(f"{tag}: stored file missing or not evidence")
    for visit in db.query("SELECT * FROM site_visits"):
        tag = f"visit {visit['id']}"
        try:
            future = date.fromisoformat(visit["visit_date"]) > date.today()
        except ValueError:
            future = True
        if future:
            found.append(f"{tag}: date {visit['visit_date']!r}")
        if not visit["site"].strip() or len(visit["site"]) > 200 or CONTROL.search(visit["site"]):
            found.append(f"{tag}: site {visit['site'][:40]!r}")
        if len(visit["participants"]) > 1000 or CONTROL.search(visit["participants"]):
            found.append(f"{tag}: participants {visit['participants'][:40]!r}")
    return found


# --- cases ------------------------------------------------------------------------------


@dataclass
class Context:
    app: object
    db: object
    accounts: Accounts
    w: dict
    q: object
    monkeypatch: object
    cache: dict = field(default_factory=dict)

    def fresh_client(self):
        return self.app.test_client()


def refused_if_error(response, flashed_error: bool) -> bool:
    return response.status_code >= 400 or flashed_error


def refused_unless_redirect(response, flashed_error: bool) -> bool:
    return response.status_code != 302 or flashed_error


def always(response, flashed_error: bool) -> bool:
    """A GET: whatever it answers, it changes nothing but the audit log."""
    return True


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    role: str | None  # the world's account to log in as; None: a fresh anonymous client
    build: Callable  # (ctx, data) -> (url, request arguments)
    refused: Callable | None = refused_if_error  # None: partial saves, check validity only
    prepare: Callable | None = None  # (ctx) -> None, once before the examples
    name: str = ""

    @property
    def id(self) -> str:
        return self.name or f"{self.method} {self.endpoint} as {self.role or 'anonymous'}"


def registration_values(ctx, data, account: bool = True) -> dict:
    serial = data.draw(st.integers(10, 10**9 - 1), label="serial")
    form = ClientForm if not account else RegistrationForm
    values = {
        "name": "丙机械有限公司",
        "credit_code": credit_code_for("320505", serial),
        "province": "320000",
        "city": "320500",
        "county": "320505",
        "sector": "machine_tools",
        "size": "medium",
        "contact_name": "王工",
        "contact_phone": "0512-1234567",
        "claim_code": None,
        "refresh": None,
    }
    if account:
        values.update(email=f"r{serial}@example.com", password=PASSWORD, confirm=PASSWORD)
    return valid_form(form, **values)


def page_fields(ctx, assessment_id: int, page_id: str) -> dict[str, object]:
    """The inputs of a rendered wizard page, each with a valid value."""
    key = (assessment_id, page_id)
    if key not in ctx.cache:
        html = ctx.accounts.client.get(f"/assessments/{assessment_id}/pages/{page_id}")
        parser = InputNames()
        parser.feed(html.get_data(as_text=True))
        ctx.cache[key] = parser.inputs
    inputs = ctx.cache[key]
    values = {}
    items = {field_name(i): ctx.q.items[i] for i in wizard.page(ctx.q, page_id).item_ids}
    for name, value in inputs.items():
        _base, _, suffix = name.partition("--")
        if name == "csrf_token":
            continue
        if name in items:
            item = items[name]
            values[name] = valid_option(ctx.q, item)
        elif suffix == "reason":
            values[name] = "不适用的理由"
        elif suffix == "rev":
            values[name] = value or "1"
        elif suffix == "note":
            values[name] = "现场查看"
        elif suffix == "quality":
            values[name] = "documented"
        elif suffix == "verified":
            values[name] = "y"
        elif suffix == "file":
            values[name] = None
        else:
            values[name] = value
    values["go"] = "stay"
    return values


def valid_option(q, item) -> str:
    if isinstance(item, Question):
        return q.options_of(item)[0].id
    if isinstance(item, Requirement):
        return (
            NOT_APPLICABLE if item.not_applicable_allowed else q.scales[q.cmmm.scale].options[0].id
        )
    return q.scales[q.scenarios.scale].options[0].id


class InputNames(HTMLParser):
    """Names and values of a page's inputs, selects and text areas."""

    def __init__(self):
        super().__init__()
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") in ("radio", "checkbox") and attrs["name"] in self.inputs:
                return
            self.inputs.setdefault(attrs["name"], attrs.get("value") or "")


def wizard_page_post(assessment_key: str, uploads: bool):
    def build(ctx, data):
        assessment_id = ctx.w[assessment_key]
        page_ids = [p.id for p in wizard.pages(ctx.q)]
        page_id = data.draw(st.sampled_from(page_ids), label="page")
        pairs = mutated_pairs(data, page_fields(ctx, assessment_id, page_id))
        pairs = [(k, v) for k, v in pairs if v is not None]
        url = f"/assessments/{assessment_id}/pages/{page_id}"
        if data.draw(st.integers(0, 9), label="odd page") == 0:
            url = f"/assessments/{one_of_ids(data, [assessment_id])}/pages/{data.draw(TEXT)}"
        if uploads and data.draw(st.booleans(), label="files"):
            item = field_name(data.draw(st.sampled_from(wizard.page(ctx.q, page_id).item_ids)))
            content = data.draw(
                st.sampled_from([PNG, PDF, b"", b"<svg onload=alert(1)>", b"RIFF0000WEBPVP8 "])
                | st.binary(max_size=64)
            )
            name = data.draw(NASTY | st.sampled_from(["../../x.png", "a\x00.pdf", "C:\\x\\y.pdf"]))
            files = [(item + "--file", (io.BytesIO(content), name or "f"))]
            return url, {"data": MultiDict(pairs + files), "content_type": "multipart/form-data"}
        return url, encoded(data, pairs)

    return build


def autosave_body(ctx, data, on_site: bool):
    item_ids = sorted(ctx.q.items)
    options = sorted(
        {
            o.id
            for item in ctx.q.items.values()
            if isinstance(item, Question)
            for o in ctx.q.options_of(item)
        }
        | {o.id for scale in ctx.q.scales.values() for o in scale.options}
        | {NOT_APPLICABLE}
    )
    item = st.sampled_from(item_ids) | TEXT | JSON_ANY
    value = st.sampled_from(options) | st.lists(st.sampled_from(options), max_size=3) | JSON_ANY
    revision = st.integers(1, 5) | INTS | JSON_ANY
    entry = st.fixed_dictionaries(
        {"item": item, "value": value, "revision": revision}, optional={"reason": NASTY | JSON_ANY}
    )
    note = st.fixed_dictionaries(
        {"item": item},
        optional={
            "note": NASTY | JSON_ANY,
            "quality": st.sampled_from([*QUALITIES, None]) | JSON_ANY,
            "verified": JSON_ANY,
        },
    )
    payload = data.draw(
        st.one_of(
            st.fixed_dictionaries(
                {"answers": st.lists(entry | JSON_ANY, max_size=4)},
                optional={"evidence": st.lists(note | JSON_ANY, max_size=3) | JSON_ANY},
            ),
            st.fixed_dictionaries({"answers": JSON_ANY}),
            st.just({"answers": [{"item": item_ids[0], "value": "x", "revision": 1}] * 201}),
            JSON_ANY,
        ),
        label="payload",
    )
    how = data.draw(st.sampled_from(["json"] * 6 + ["broken", "form"]), label="encoding")
    if how == "json":
        return {"data": json.dumps(payload), "content_type": "application/json"}
    if how == "broken":
        return {"data": json.dumps(payload)[:-1] + "\x00", "content_type": "application/json"}
    return {"data": {"answers": json.dumps(payload)}}


def login_with_code(ctx) -> None:
    client = ctx.accounts.client
    ctx.accounts.login(ctx.w["totp"])
    code = pyotp.TOTP(ctx.w["totp_secret"]).now()
    assert client.post("/login/code", data={"code": code}).status_code == 302


def second_factor_build(ctx, data):
    client = ctx.fresh_client()
    client.post("/login", data={"email": ctx.w["totp"], "password": PASSWORD})
    ctx.cache["client"] = client
    code = valid_form(CodeForm, code="123456")
    return "/login/code", form_body(data, code)


def logout_then_login(ctx) -> None:
    ctx.accounts.login(ctx.w["ent"])


def stub_pdf(ctx) -> None:
    """Only the parameters matter here: tests/report/test_report.py renders real PDFs."""
    ctx.monkeypatch.setattr("assess.report.pdf.html_to_pdf", lambda html: b"%PDF-1.4 stub")
    ctx.accounts.login(ctx.w["authority"])


AS_OF = st.one_of(
    st.dates().map(date.isoformat), st.sampled_from(["2026-02-30", "20260101", "2026-W01"]), NASTY
)
REGION = st.one_of(
    st.sampled_from(["320000", "320500", "320505", "330000", "32", "", "root"]), NASTY
)
LANG = st.one_of(st.sampled_from(["zh", "en", "fr", ""]), NASTY)


def authority_params(ctx, data) -> str:
    return query(
        data,
        {
            "region": REGION,
            "park": st.one_of(st.just(ctx.w["park"]), INTS, NASTY),
            "as_of": AS_OF,
            "table": st.sampled_from(["levels", "summary", "regions", "candidates"]) | NASTY,
            "lang": LANG,
        },
    )


def totp_prepare(ctx) -> None:
    ctx.accounts.login(ctx.w["con"])
    assert ctx.accounts.client.get("/account/totp").status_code == 200  # the secret is set


def ids(ctx, data, key: str) -> int:
    return one_of_ids(data, ctx.w[key])


CASES = [
    Case(
        "register.register",
        "POST",
        None,
        lambda ctx, data: ("/register", form_body(data, registration_values(ctx, data))),
        refused_unless_redirect,
    ),
    Case(
        "consultant.register_client",
        "POST",
        "con",
        lambda ctx, data: (
            "/consultant/clients/new",
            form_body(data, registration_values(ctx, data, account=False)),
        ),
        lambda response, flashed: b'class="claim-code"' not in response.data,
    ),
    Case(
        "auth.login",
        "POST",
        None,
        lambda ctx, data: (
            "/login"
            + query(data, {"next": NASTY | st.sampled_from(["/history", "//evil.example"])}),
            form_body(data, valid_form(LoginForm, email=ctx.w["ent"], password=PASSWORD)),
        ),
        refused_unless_redirect,
    ),
    Case("auth.second_factor", "POST", None, second_factor_build, refused_unless_redirect),
    Case(
        "auth.logout",
        "POST",
        "ent",
        lambda ctx, data: ("/logout", form_body(data, {})),
        None,
        name="POST auth.logout as ent",
    ),
    Case(
        "auth.account",
        "POST",
        "ent",
        lambda ctx, data: (
            "/account",
            form_body(
                data,
                valid_form(
                    PasswordForm,
                    current=data.draw(st.sampled_from([PASSWORD, "wrong-password-1"])),
                    password="another-long-phrase-9",
                    confirm="another-long-phrase-9",
                ),
            ),
        ),
        refused_unless_redirect,
    ),
    Case(
        "auth.totp",
        "POST",
        None,
        lambda ctx, data: ("/account/totp", form_body(data, valid_form(CodeForm, code="000000"))),
        refused_unless_redirect,
        prepare=totp_prepare,
        name="POST auth.totp as con",
    ),
    Case(
        "auth.totp_off",
        "POST",
        None,
        lambda ctx, data: (
            "/account/totp/off",
            form_body(data, valid_form(CodeForm, code="000000")),
        ),
        refused_if_error,
        prepare=login_with_code,
        name="POST auth.totp_off as totp",
    ),
    Case(
        "admin.set_active",
        "POST",
        "admin",
        lambda ctx, data: (
            f"/admin/users/{ids(ctx, data, 'user_ids')}/active",
            form_body(data, {"active": data.draw(st.sampled_from(["0", "1"]))}),
        ),
    ),
    Case(
        "wizard.listing",
        "POST",
        "ent",
        lambda ctx, data: ("/organisation/listing", form_body(data, {"listed": "1"})),
        None,
    ),
    Case(
        "wizard.start",
        "POST",
        "ent",
        lambda ctx, data: ("/assessments/new", form_body(data, {"prefill": "last"})),
        None,
    ),
    Case("wizard.page", "POST", "ent", wizard_page_post("self_draft", uploads=False), None),
    Case("wizard.page", "POST", "con", wizard_page_post("on_site", uploads=True), None),
    Case(
        "wizard.page",
        "POST",
        None,
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_draft']}/pages/gate",
            form_body(
                data,
                {
                    "owner": data.draw(
                        st.sampled_from([ctx.cache["owner"], ctx.cache["owner"] + "x"]) | NASTY
                    ),
                    "gate-sound_operations": "yes",
                    "gate-sound_operations--rev": "1",
                },
            ),
        ),
        None,
        prepare=lambda ctx: ctx.cache.update(owner=owner_token(ctx)),
        name="POST wizard.page after the session expired",
    ),
    Case(
        "wizard.autosave",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/assessments/{one_of_ids(data, [ctx.w['self_draft']] * 3 + [ctx.w['self_done']])}"
            "/answers",
            autosave_body(ctx, data, on_site=False),
        ),
        lambda response, flashed: response.status_code >= 400,
    ),
    Case(
        "wizard.autosave",
        "POST",
        "con",
        lambda ctx, data: (
            f"/assessments/{ctx.w['on_site']}/answers",
            autosave_body(ctx, data, on_site=True),
        ),
        lambda response, flashed: response.status_code >= 400,
    ),
    Case(
        "wizard.submit",
        "POST",
        "ent",
        lambda ctx, data: (f"/assessments/{ids(ctx, data, 'drafts')}/submit", form_body(data, {})),
        lambda response, flashed: response.status_code != 302,
    ),
    Case(
        "onsite.add_visit",
        "POST",
        "con",
        lambda ctx, data: (
            f"/assessments/{one_of_ids(data, [ctx.w['on_site']] * 4 + [ctx.w['self_done']])}"
            "/visits",
            form_body(
                data,
                {
                    "visit_date": data.draw(AS_OF | st.just(date.today().isoformat())),
                    "site": "一号车间",
                    "participants": "张三、李四",
                },
            ),
        ),
    ),
    Case(
        "onsite.delete_visit",
        "POST",
        "con",
        lambda ctx, data: (
            f"/assessments/{one_of_ids(data, [ctx.w['on_site']] * 4 + [ctx.w['self_done']])}"
            f"/visits/{one_of_ids(data, [1, 2, 3])}/delete",
            form_body(data, {}),
        ),
    ),
    Case(
        "consultant.request_access",
        "POST",
        "con2",
        lambda ctx, data: (
            "/consultant/requests",
            form_body(
                data,
                valid_form(
                    RequestForm,
                    credit_code=data.draw(
                        st.sampled_from(
                            [
                                credit_code_for("320583", 2),
                                credit_code_for("320505", 77),
                                credit_code_for("320583", 2).lower(),
                            ]
                        )
                    ),
                ),
            ),
        ),
    ),
    Case(
        "consultant.renew_claim_code",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/clients/{one_of_ids(data, [ctx.w['org_a'], ctx.w['org_b']])}/claim-code",
            form_body(data, {}),
        ),
    ),
    Case(
        "consultant.withdraw_request",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/requests/{ids(ctx, data, 'grant_ids')}/withdraw",
            form_body(data, {}),
        ),
    ),
    Case(
        "consultant.accept_invitation",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/invitations/{ids(ctx, data, 'grant_ids')}/accept",
            form_body(data, {}),
        ),
    ),
    Case(
        "consultant.start_on_site",
        "POST",
        "con",
        lambda ctx, data: (
            f"/consultant/clients/{one_of_ids(data, [ctx.w['org_a'], ctx.w['org_b']])}/assessments",
            form_body(data, {"prefill": "self"}),
        ),
    ),
    Case(
        "access.manage",
        "POST",
        "ent",
        lambda ctx, data: (
            "/consultants",
            form_body(
                data,
                valid_form(
                    InviteForm,
                    email=data.draw(st.sampled_from(["new@example.com", "CON2@example.com "])),
                ),
            ),
        ),
        lambda response, flashed: b"invite-link" not in response.data,
    ),
    Case(
        "access.renew_link",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/consultants/{ids(ctx, data, 'grant_ids')}/link",
            form_body(data, {}),
        ),
    ),
    Case(
        "access.accept_request",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/consultants/{ids(ctx, data, 'grant_ids')}/accept",
            form_body(data, {}),
        ),
    ),
    Case(
        "access.revoke",
        "POST",
        "ent",
        lambda ctx, data: (
            f"/consultants/{ids(ctx, data, 'grant_ids')}/revoke",
            form_body(data, {}),
        ),
    ),
    Case(
        "access.invitation",
        "POST",
        None,
        lambda ctx, data: (
            "/invitations/" + data.draw(st.sampled_from([ctx.w["invite_token"]] * 3) | TEXT),
            form_body(
                data,
                valid_form(
                    ConsultantSignupForm,
                    name="赵顾问",
                    email="invitee@example.com",
                    password=PASSWORD,
                    confirm=PASSWORD,
                ),
            ),
        ),
        refused_unless_redirect,
    ),
    Case(
        "access.invitation",
        "POST",
        "con",
        lambda ctx, data: (
            "/invitations/" + data.draw(st.sampled_from([ctx.w["invite_token"]]) | TEXT),
            form_body(data, {}),
        ),
        refused_unless_redirect,
    ),
    Case(
        "home.switch_language",
        "POST",
        "ent",
        lambda ctx, data: (
            "/lang",
            form_body(
                data, {"lang": data.draw(LANG), "next": data.draw(NASTY | st.just("/history"))}
            ),
        ),
        None,
    ),
    Case(
        "home.switch_language",
        "POST",
        None,
        lambda ctx, data: ("/lang", form_body(data, {"lang": "en", "next": "/register"})),
        None,
    ),
    # GET routes that read query parameters
    Case(
        "authority.show",
        "GET",
        "authority",
        lambda ctx, data: ("/authority" + authority_params(ctx, data), {}),
        always,
    ),
    Case(
        "authority.show_json",
        "GET",
        "authority",
        lambda ctx, data: ("/authority/dashboard.json" + authority_params(ctx, data), {}),
        always,
    ),
    Case(
        "authority.export",
        "GET",
        "authority",
        lambda ctx, data: (
            "/authority/export."
            + data.draw(st.sampled_from(["csv", "xlsx"]) | TEXT.filter(lambda s: "/" not in s))
            + authority_params(ctx, data),
            {},
        ),
        always,
    ),
    Case(
        "authority.regional_report",
        "GET",
        None,
        lambda ctx, data: ("/authority/report.pdf" + authority_params(ctx, data), {}),
        always,
        prepare=stub_pdf,
        name="GET authority.regional_report as authority",
    ),
    Case(
        "admin.audit_log",
        "GET",
        "admin",
        lambda ctx, data: (
            "/admin/audit"
            + query(data, {"action": NASTY | st.just("login"), "before": INTS | NASTY}),
            {},
        ),
        always,
    ),
    Case(
        "admin.audit_csv",
        "GET",
        "admin",
        lambda ctx, data: ("/admin/audit.csv" + query(data, {"action": NASTY}), {}),
        always,
    ),
    Case(
        "auth.login",
        "GET",
        None,
        lambda ctx, data: ("/login" + query(data, {"next": NASTY}), {}),
        always,
    ),
    Case(
        "report.preview",
        "GET",
        "ent",
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_done']}/report" + query(data, {"lang": LANG}),
            {},
        ),
        always,
    ),
    Case(
        "report.download",
        "GET",
        "ent",
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_done']}/report.pdf" + query(data, {"lang": LANG}),
            {},
        ),
        always,
    ),
    Case(
        "results.show_json",
        "GET",
        "authority",
        lambda ctx, data: (f"/assessments/{ids(ctx, data, 'assessment_ids')}/results.json", {}),
        always,
    ),
    Case(
        "regions.children",
        "GET",
        None,
        lambda ctx, data: (
            "/regions/" + data.draw(REGION.filter(lambda s: "/" not in s and s)) + ".json",
            {},
        ),
        always,
    ),
    Case(
        "consultant.export",
        "GET",
        "con",
        lambda ctx, data: (
            "/consultant/portfolio." + data.draw(st.sampled_from(["csv", "xlsx"]) | TEXT),
            {},
        ),
        always,
    ),
    Case(
        "access.invitation",
        "GET",
        None,
        lambda ctx, data: ("/invitations/" + data.draw(TEXT | SPECIAL), {}),
        always,
    ),
    Case(
        "wizard.page",
        "GET",
        "ent",
        lambda ctx, data: (
            f"/assessments/{ctx.w['self_draft']}/pages/"
            + data.draw(st.sampled_from(["gate", "profile"]) | TEXT | SPECIAL),
            {},
        ),
        always,
    ),
]


def owner_token(ctx) -> str:
    from assess.assessment import pending

    user = users.get_by_email(ctx.db, ctx.w["ent"])
    return pending.owner_token(
        ctx.app.config["SECRET_KEY"], user["id"], ctx.w["self_draft"], user["session_version"]
    )


# Routes whose only parameters are ids in the path: fuzzed by test_path_ids_never_break.
PATH_ONLY_GET = {
    "wizard.resume",
    "results.show",
    "results.comparison",
    "consultant.client",
    "onsite.download",
    "wizard.submit",
}
# Routes that read no parameter at all.
PLAIN_GET = {
    "home.index",
    "admin.index",
    "wizard.assessments",
    "consultant.portfolio",
    "results.history",
    "auth.account",
    "auth.totp",
    "auth.second_factor",
    "access.manage",
    "register.register",
    "consultant.register_client",
    "static",
}


def _routes(app) -> tuple[set[str], set[str]]:
    rules = list(app.url_map.iter_rules())
    return (
        {r.endpoint for r in rules if "POST" in r.methods},
        {r.endpoint for r in rules if "GET" in r.methods},
    )


def test_every_post_route_and_every_get_route_with_parameters_is_fuzzed(app):
    posts, gets = _routes(app)
    fuzzed_posts = {c.endpoint for c in CASES if c.method == "POST"}
    fuzzed_gets = {c.endpoint for c in CASES if c.method == "GET"}
    assert posts - fuzzed_posts == set(), "POST routes the fuzzer does not cover: add a Case"
    unknown = gets - fuzzed_gets - PATH_ONLY_GET - PLAIN_GET
    assert unknown == set(), "GET routes not classified: add a Case, or PATH_ONLY_GET/PLAIN_GET"


@pytest.fixture
def ctx(app, db, accounts, world, monkeypatch):
    with app.app_context():
        q = questionnaires.latest()
    world = {
        **world,
        "drafts": [world["self_draft"], world["self_done"], world["on_site"]],
        "assessment_ids": [world["self_done"], world["self_draft"], world["on_site"]],
    }
    return Context(app, db, accounts, world, q, monkeypatch)


def send(client, method: str, url: str, arguments: dict):
    response = client.open(url, method=method, **arguments)
    with client.session_transaction() as session:
        flashes = session.pop("_flashes", [])
    return response, any(category == "error" for category, _ in flashes)


def check_response(ctx, case: Case, url: str, response, before: dict) -> None:
    assert response.status_code < 500, f"{case.id}: {url} answered {response.status_code}"
    location = response.headers.get("Location", "")
    assert not urlsplit(location).netloc or urlsplit(location).netloc == "localhost", location
    if response.mimetype == "text/html":
        assert "<script>alert(1)" not in response.get_data(as_text=True)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_generated_input_never_breaks_the_app(ctx, case):
    if case.role:
        ctx.accounts.login(ctx.w[case.role])
    if case.prepare:
        case.prepare(ctx)
    evidence_dir = Path(ctx.app.config["EVIDENCE_DIR"])

    @FUZZ
    @given(data=st.data())
    def example(data):
        url, arguments = case.build(ctx, data)
        client = ctx.accounts.client if case.role or case.prepare else ctx.cache.pop("client", None)
        client = client or ctx.fresh_client()
        before = snapshot(ctx.db)
        response, flashed_error = send(client, case.method, url, arguments)
        check_response(ctx, case, url, response, before)
        if case.refused is not None and case.refused(response, flashed_error):
            after = snapshot(ctx.db)
            assert changed_tables(before, after) == [], (
                f"{case.id}: refused ({response.status_code}) but changed the database"
            )
        assert problems(ctx.db, ctx.q, evidence_dir) == []
        if case.endpoint == "auth.logout":
            logout_then_login(ctx)

    example()


def test_path_ids_never_break(ctx):
    """Every GET route with ids in its path, with ids that exist, do not, or overflow."""
    rules = [
        r
        for r in ctx.app.url_map.iter_rules()
        if "GET" in r.methods and r.arguments and r.endpoint != "static"
    ]
    roles = ["ent", "con", "authority", "admin"]

    @FUZZ
    @given(data=st.data())
    def example(data):
        rule = data.draw(st.sampled_from(rules), label="rule")
        role = data.draw(st.sampled_from(roles), label="role")
        values = {}
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
            if converter == "int":
                values[name] = data.draw(st.sampled_from([1, 2, 3]) | INTS.filter(lambda i: i >= 0))
            else:
                values[name] = data.draw(
                    st.sampled_from(["gate", "csv", "xlsx"]) | TEXT.filter(bool)
                )
        with ctx.app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        ctx.accounts.login(ctx.w[role])
        before = snapshot(ctx.db)
        response, _ = send(ctx.accounts.client, "GET", url, {})
        assert response.status_code < 500, f"{url} as {role}: {response.status_code}"
        assert changed_tables(before, snapshot(ctx.db)) == [], url

    example()
