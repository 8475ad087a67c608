"""Registration of an enterprise: credit code, region, duplicates, password."""

from __future__ import annotations

import re

import pytest

from assess.privacy import NOTICE_VERSION
from assess.store import organisations, users
from tests.support import GOOD


def register(client, **changes):
    return client.post("/register", data={**GOOD, **changes})


def test_registration_creates_the_organisation_and_logs_in(client, db):
    response = register(client)
    assert response.status_code == 302 and response.headers["Location"] == "/assessments"
    org = organisations.get_by_credit_code(db, "913205050000000015")
    assert (org["name"], org["region_code"], org["sector"], org["size"]) == (
        "苏州测试机械有限公司",
        "320505",
        "machine_tools",
        "medium",
    )
    user = users.get_by_email(db, "wang@example.com")
    assert (user["role"], user["organisation_id"], user["name"]) == (
        "enterprise",
        org["id"],
        "王工",
    )
    page = client.get("/assessments").get_data(as_text=True)
    assert "苏州测试机械有限公司" in page and "江苏省 苏州市 虎丘区" in page


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91320505000000001", "应为 18 位"),
        ("91320505000000001I", "不含"),
        ("913205050000000016", "校验位"),
        ("91A20505000000001X", "第 3 至 8 位"),
    ],
)
def test_a_wrong_credit_code_gets_a_clear_message_and_nothing_is_stored(client, db, code, message):
    response = register(client, credit_code=code)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert organisations.count(db) == 0 and users.get_by_email(db, "wang@example.com") is None


def test_the_credit_code_is_normalised(client, db):
    register(client, credit_code=" 9132 0505 0000 0000 15 ")
    assert organisations.get_by_credit_code(db, "913205050000000015") is not None


def test_a_second_registration_with_the_same_code_says_what_to_do(client, db, app):
    register(client)
    other = app.test_client()
    response = register(other, email="li@example.com")
    body = response.get_data(as_text=True)
    assert "已经注册" in body and app.config["SUPPORT_CONTACT"] in body
    assert organisations.count(db) == 1 and users.get_by_email(db, "li@example.com") is None


def test_a_second_registration_with_the_same_email_is_refused(client, db, app):
    register(client)
    response = register(app.test_client(), credit_code="913205050000000028")
    assert "该电子邮箱已有账户" in response.get_data(as_text=True)
    assert organisations.count(db) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"province": ""}, "请选择省份"),
        ({"city": "330100"}, "请选择所在省份的城市"),
        ({"county": "320206"}, "请选择所在城市的区县"),
    ],
)
def test_the_region_must_nest_province_city_county(client, db, changes, message):
    response = register(client, **changes)
    assert message in response.get_data(as_text=True)
    assert organisations.count(db) == 0


def test_a_city_without_counties_is_a_valid_region(client, db):
    register(client, province="440000", city="441900", county="", credit_code="91441900000000001W")
    assert organisations.get_by_credit_code(db, "91441900000000001W")["region_code"] == "441900"


@pytest.mark.parametrize("password", ["short1", "12345678", "password", "wang1234wang"])
def test_weak_passwords_are_refused(client, db, password):
    response = register(client, password=password, confirm=password)
    assert response.status_code == 200
    assert users.get_by_email(db, "wang@example.com") is None


def test_without_javascript_the_refresh_button_reloads_the_lists(client, db):
    response = client.post("/register", data={**GOOD, "city": "", "county": "", "refresh": "1"})
    body = response.get_data(as_text=True)
    assert '<option value="320500">苏州市</option>' in body
    assert organisations.count(db) == 0


def test_region_children_as_json(client):
    provinces = client.get("/regions/root.json").get_json()
    assert {"code": "320000", "name": "江苏省", "leaf": False} in provinces
    counties = client.get("/regions/320500.json").get_json()
    assert {"code": "320505", "name": "虎丘区", "leaf": True} in counties
    assert client.get("/regions/999999.json").status_code == 404


@pytest.mark.parametrize(
    ("field", "message"), [("sector", "请选择所属重点行业"), ("size", "请选择企业规模")]
)
def test_sector_and_size_are_chosen_never_defaulted(client, db, field, message):
    """The form offers "choose…" first: sent as is, it is refused and nothing is stored."""
    page = client.get("/register").get_data(as_text=True)
    select = page.split(f'name="{field}"')[1].split("</select>")[0]
    assert re.search(r'<option (selected )?value="">', select)
    response = register(client, **{field: ""})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert organisations.get_by_credit_code(db, GOOD["credit_code"]) is None


def test_the_home_and_login_pages_lead_to_registration(client):
    for path in ("/", "/login"):
        assert 'href="/register"' in client.get(path).get_data(as_text=True), path


def test_a_pasted_name_with_invisible_characters_is_stored_as_one_clean_line(client, db):
    response = register(
        client, name=" 苏州\x18测试\u0093机械\n有限公司\t", contact_name="王\x00工\r\n"
    )
    assert response.status_code == 302
    org = organisations.get_by_credit_code(db, "913205050000000015")
    assert (org["name"], org["contact_name"]) == ("苏州测试机械 有限公司", "王工")
    assert users.get_by_email(db, "wang@example.com")["name"] == "王工"


def test_a_name_of_nothing_but_control_characters_is_refused(client, db):
    page = register(client, name="\x01\x02\x03").get_data(as_text=True)
    assert "该字段是必填字段" in page
    assert organisations.get_by_credit_code(db, "913205050000000015") is None


def test_switching_language_after_a_refused_form_stays_on_its_page(client):
    """A form sent back with an error: the language switch returns to the form, not home."""
    page = client.post("/register", data={"name": ""}).get_data(as_text=True)
    assert 'name="next" value="/register"' in page


def test_an_empty_form_marks_the_region_too(client, db):
    """Every field to fix is marked at once, the province among them, and nothing is stored."""
    page = client.post("/register", data={}).get_data(as_text=True)
    assert "请选择省份。" in page
    assert db["organisations"].count == 0


def test_registration_needs_the_privacy_notice_agreed_and_records_which(client, db):
    page = client.get("/register").get_data(as_text=True)
    assert 'href="/privacy"' in page and 'name="consent"' in page
    refused = client.post("/register", data={k: v for k, v in GOOD.items() if k != "consent"})
    assert "须同意隐私政策才能创建账号" in refused.get_data(as_text=True)
    assert users.get_by_email(db, GOOD["email"]) is None
    register(client)
    user = users.get_by_email(db, GOOD["email"])
    assert user["privacy_version"] == NOTICE_VERSION and user["privacy_agreed_at"]
