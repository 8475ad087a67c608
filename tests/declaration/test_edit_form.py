"""The declaration form after refused fields: each says what it takes, and what was typed in it
is shown again (a reviewer saw three bare 「无效」 and the score and date fields emptied)."""

from __future__ import annotations

from assess.store import declarations as store
from tests.declaration.test_views import open_round, site, started  # noqa: F401  (the fixture)


def test_refused_fields_say_what_they_take_and_keep_what_was_typed(accounts, site, db):  # noqa: F811
    open_round(accounts, site)
    declaration_id = started(accounts, site)
    client = accounts.client
    response = client.post(
        f"/declarations/{declaration_id}",
        data={
            "contact_name": "周工",
            "contact_phone": "abc",
            "platform_score": "9.5",
            "platform_date": "2030-01-01",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "部分内容未保存" in page
    for message in (
        "只能使用数字、空格和",
        "请填写 0 至 5 之间的数值",
        "请填写 2020-01-01 至今天之间的日期",
    ):
        assert message in page, message
    assert "无效" not in page
    for typed in ('value="abc"', 'value="9.5"', 'value="2030-01-01"', 'value="周工"'):
        assert typed in page, typed
    row = store.get(db, declaration_id)  # the valid field is saved, the refused ones are not
    assert row["contact_name"] == "周工"
    assert row["contact_phone"] in (None, "") and row["platform_score"] is None
