"""Consultancies: firms, logos checked by content, and a client handed over between two
consultants of one firm (its grant follows; the enterprise sees who holds access; audited)."""

from __future__ import annotations

import json
import struct

import pytest

from assess.organisation import firms as consultancies
from assess.organisation.logos import LogoError, check
from assess.organisation.permissions import consultant_has_access
from assess.store import assessments, audit, grants, users
from assess.store.audit import Actor
from tests.support import firm_of, png


def user_id(db, email: str) -> int:
    return users.get_by_email(db, email)["id"]


@pytest.fixture
def colleagues(app, accounts, on_site, db):
    """on_site's consultant 王顾问 (c@example.com) and 李顾问 (c2@example.com) in one firm, and
    赵顾问 (other@example.com) in another; 王顾问 is logged in with the on-site draft."""
    accounts.user("consultant", email="c2@example.com", name="李顾问")
    accounts.user("consultant", email="other@example.com", name="赵顾问")
    firm_of(db, "c@example.com", "c2@example.com")
    firm_of(db, "other@example.com", name="别家咨询")
    return {
        **on_site,
        "from": user_id(db, "c@example.com"),
        "to": user_id(db, "c2@example.com"),
        "other": user_id(db, "other@example.com"),
    }


def test_a_hand_over_moves_the_grant_and_the_draft_to_the_colleague(app, accounts, colleagues, db):
    client = accounts.client
    page = client.get(f"/consultant/clients/{colleagues['org']}").get_data(as_text=True)
    assert 'id="hand-over"' in page and "李顾问 (c2@example.com)" in page
    assert "赵顾问" not in page  # another firm's consultant is never offered
    response = client.post(
        f"/consultant/clients/{colleagues['org']}/hand-over", data={"to": colleagues["to"]}
    )
    assert response.headers["Location"] == "/consultant"
    assert not consultant_has_access(db, colleagues["from"], colleagues["org"])
    assert consultant_has_access(db, colleagues["to"], colleagues["org"])
    assert assessments.get(db, colleagues["id"])["consultant_id"] == colleagues["to"]
    # the consultant who handed over sees neither the client nor its draft any more
    assert client.get(f"/consultant/clients/{colleagues['org']}").status_code == 404
    assert client.get(f"/assessments/{colleagues['id']}/pages/profile").status_code == 404
    (entry,) = [e for e in audit.recent(db) if e["action"] == "client_handed_over"]
    assert (entry["user_id"], entry["target_type"], entry["target_id"]) == (
        colleagues["from"],
        "organisation",
        str(colleagues["org"]),
    )
    detail = json.loads(entry["detail"])
    assert (detail["from_consultant_id"], detail["to_consultant_id"], detail["drafts_moved"]) == (
        colleagues["from"],
        colleagues["to"],
        [colleagues["id"]],
    )
    # the colleague now has the client, the draft and can answer it
    accounts.logout()
    accounts.login("c2@example.com")
    portfolio = accounts.client.get("/consultant").get_data(as_text=True)
    assert "客户机械有限公司" in portfolio
    assert accounts.client.get(f"/assessments/{colleagues['id']}/pages/profile").status_code == 200
    # the enterprise sees who holds its access now, from which firm, and who handed it over
    accounts.logout()
    accounts.login(colleagues["email"])
    page = accounts.client.get("/consultants").get_data(as_text=True)
    row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "李顾问" in row and "c2@example.com" in row and "江南智造咨询有限公司" in row
    assert "由王顾问于" in row and "移交" in row
    assert "王顾问 <span" not in row


def test_a_consultant_of_another_firm_cannot_take_a_client(app, accounts, colleagues, db):
    client = accounts.client
    before = grants.for_organisation(db, colleagues["org"])
    response = client.post(
        f"/consultant/clients/{colleagues['org']}/hand-over",
        data={"to": colleagues["other"]},
        follow_redirects=True,
    )
    assert "客户只能移交给本机构的评估顾问" in response.get_data(as_text=True)
    assert grants.for_organisation(db, colleagues["org"]) == before
    assert not consultant_has_access(db, colleagues["other"], colleagues["org"])
    assert assessments.get(db, colleagues["id"])["consultant_id"] == colleagues["from"]
    # the other firm's consultant cannot pull it either: it holds no grant to hand over
    outcome = consultancies.hand_over(
        db, colleagues["org"], colleagues["other"], Actor(colleagues["other"], None)
    )
    assert outcome == consultancies.Refused("not_yours")
    # nor can a colleague take it: only the holder hands over
    outcome = consultancies.hand_over(
        db, colleagues["org"], colleagues["to"], Actor(colleagues["to"], None)
    )
    assert outcome == consultancies.Refused("not_yours")
    assert consultant_has_access(db, colleagues["from"], colleagues["org"])


@pytest.mark.parametrize(
    ("to", "reason"),
    [("self", "same_consultant"), ("enterprise", "not_colleague"), ("nobody", "not_colleague")],
)
def test_a_hand_over_to_anyone_but_a_colleague_changes_nothing(
    app, accounts, colleagues, db, to, reason
):
    target = {
        "self": colleagues["from"],
        "enterprise": user_id(db, colleagues["email"]),
        "nobody": 999_999,
    }[to]
    outcome = consultancies.hand_over(
        db, colleagues["org"], target, Actor(colleagues["from"], None)
    )
    assert outcome == consultancies.Refused(reason)
    assert consultant_has_access(db, colleagues["from"], colleagues["org"])
    assert not [e for e in audit.recent(db) if e["action"] == "client_handed_over"]


def test_a_colleague_with_a_draft_of_its_own_is_refused_so_no_work_is_mixed(
    app, accounts, colleagues, db
):
    with db.conn:
        grants.grant_registered(db, colleagues["org"], colleagues["to"])
    accounts.logout()
    accounts.login("c2@example.com")
    accounts.client.post(f"/consultant/clients/{colleagues['org']}/assessments")
    outcome = consultancies.hand_over(
        db, colleagues["org"], colleagues["to"], Actor(colleagues["from"], None)
    )
    assert outcome == consultancies.Refused("receiver_has_draft")
    assert consultant_has_access(db, colleagues["from"], colleagues["org"])


def test_a_colleague_who_has_access_already_keeps_one_grant(app, accounts, colleagues, db):
    """Both had access: the one handing over loses its own, the colleague's stays as it was."""
    with db.conn:
        grants.grant_registered(db, colleagues["org"], colleagues["to"])
    outcome = consultancies.hand_over(
        db, colleagues["org"], colleagues["to"], Actor(colleagues["from"], None)
    )
    assert isinstance(outcome, consultancies.HandedOver) and outcome.drafts_moved == 1
    active = [g for g in grants.for_organisation(db, colleagues["org"]) if not g["revoked_at"]]
    assert [(g["consultant_id"], g["handed_over_from"]) for g in active] == [
        (colleagues["to"], None)
    ]


def jpeg(width: int, height: int) -> bytes:
    """The markers a JPEG's size is read from: SOI, an SOF0 frame header, EOI."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xe0" + struct.pack(">H", 4) + b"JF" + sof + b"\xff\xd9"


def test_a_logo_is_checked_by_what_it_is():
    assert (check(png(30, 10)).mime_type, check(png(30, 10)).width) == ("image/png", 30)
    assert (check(jpeg(64, 32)).width, check(jpeg(64, 32)).height) == (64, 32)
    whole = png(8, 8)
    cases = {
        b"": "empty",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>": "type",
        b"GIF89a" + b"\x00" * 20: "type",
        whole[:-6]: "broken",  # cut short
        whole[:23] + bytes([whole[23] ^ 1]) + whole[24:]: "broken",  # a byte changed: CRC fails
        whole + b"<script>": "broken",  # something after IEND
        jpeg(10, 10)[:-2]: "broken",  # no end of image
        png(5000, 1): "dimensions",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * (600 * 1024): "too_large",
    }
    for data, code in cases.items():
        with pytest.raises(LogoError) as refused:
            check(data)
        assert refused.value.code == code, data[:30]


def test_the_migration_gave_every_consultant_there_was_a_firm(app, db, accounts):
    """Consultants made before 0025 got a firm named after them; the ones made after start
    without one until an administrator places them."""
    from sqlite_utils import Database

    from assess.store.migrations import migrations

    fresh = Database(memory=True)
    applied = []
    for migration in migrations._migrations:  # apply up to 0024, add a consultant, then 0025
        if migration.name.startswith("0025"):
            break
        migration.fn(fresh)
        applied.append(migration.name)
    fresh.execute(
        "INSERT INTO users (email, name, password_hash, role) VALUES"
        " ('old@example.com', '老顾问', 'x', 'consultant'), ('e@example.com', '企业', 'x', 'admin')"
    )
    next(m for m in migrations._migrations if m.name == "0025_consultancies").fn(fresh)
    rows = fresh.execute(
        "SELECT u.email, f.name FROM users u LEFT JOIN firms f ON f.id = u.firm_id ORDER BY u.email"
    ).fetchall()
    assert rows == [("e@example.com", None), ("old@example.com", "老顾问")]
