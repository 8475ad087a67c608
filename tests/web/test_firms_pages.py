"""The administrator creates and changes consultancies from the web (name, qualification, a
checked logo) and places consultants in them; bad input is said and changes nothing."""

from __future__ import annotations

import io

import pytest

from assess.store import audit, firms, users
from tests.support import png


@pytest.fixture
def admin(accounts):
    accounts.login(accounts.user("admin", email="admin@example.com", name="管理员"))
    return accounts.client


def test_a_consultancy_is_made_with_its_logo_then_renamed_and_staffed(admin, accounts, db):
    made = admin.post(
        "/admin/firms",
        data={
            "name": "江南智造咨询有限公司",
            "qualification": "CMMM 评估机构 No. 2026-0417",
            "logo": (io.BytesIO(png()), "logo.png"),
        },
        content_type="multipart/form-data",
    )
    assert made.status_code == 302
    firm_id = firms.all_firms(db)[0]["id"]
    assert made.headers["Location"].endswith(f"/admin/firms/{firm_id}")
    firm = firms.get(db, firm_id)
    assert (firm["name"], firm["logo_mime"], firm["logo"]) == (
        "江南智造咨询有限公司",
        "image/png",
        png(),
    )
    page = admin.get(f"/admin/firms/{firm_id}").get_data(as_text=True)
    assert "data:image/png;base64," in page

    consultant = accounts.user("consultant", email="c@example.com")
    assert (
        admin.post(f"/admin/firms/{firm_id}/consultants", data={"email": consultant}).status_code
        == 302
    )
    assert users.get_by_email(db, consultant)["firm_id"] == firm_id

    renamed = admin.post(f"/admin/firms/{firm_id}", data={"name": "江南智造", "qualification": ""})
    assert renamed.status_code == 302
    firm = firms.get(db, firm_id)
    assert (firm["name"], firm["qualification"], firm["logo"]) == ("江南智造", "", png())
    assert [e["action"] for e in audit.search(db, limit=3)] == [
        "firm_updated",
        "firm_consultant_placed",
        "firm_created",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, None),
        ({"name": "甲", "logo": (io.BytesIO(b"<svg/>"), "logo.png")}, "PNG 或 JPEG"),
        ({"name": "甲", "logo": (io.BytesIO(png()[:30]), "logo.png")}, "完整"),
        ({"name": "甲", "logo": (io.BytesIO(b""), "logo.png")}, "为空"),
    ],
)
def test_a_wrong_consultancy_is_said_and_nothing_is_made(admin, db, fields, message):
    answer = admin.post("/admin/firms", data=fields, content_type="multipart/form-data")
    assert answer.status_code == 400
    if message:
        assert message in answer.get_data(as_text=True)
    assert firms.all_firms(db) == []


def test_only_a_consultant_is_placed_and_an_unknown_firm_is_404(admin, accounts, db):
    admin.post("/admin/firms", data={"name": "甲咨询"})
    firm_id = firms.all_firms(db)[0]["id"]
    authority = accounts.user("authority", email="a@example.com")
    answer = admin.post(f"/admin/firms/{firm_id}/consultants", data={"email": authority})
    assert answer.status_code == 400 and "请先邀请" in answer.get_data(as_text=True)
    assert users.get_by_email(db, authority)["firm_id"] is None
    assert admin.get("/admin/firms/999999").status_code == 404
    assert admin.post("/admin/firms/999999", data={"name": "乙"}).status_code == 404
    assert (
        admin.post("/admin/firms/999999/consultants", data={"email": "x@example.com"}).status_code
        == 404
    )
