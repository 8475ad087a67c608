"""One-line inputs: what the base form does to them, and that every form has that base."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assess.web.forms import one_line

PACKAGE = Path(__file__).parent.parent.parent / "assess"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("苏州精锐数控机床有限公司", "苏州精锐数控机床有限公司"),
        ("  两端空格  ", "两端空格"),
        ("第一行\r\n第二行", "第一行 第二行"),
        ("制表\t符", "制表 符"),
        ("响\x07铃\x1b[31m", "响铃[31m"),
        ("C1\x85换行\x93引号", "C1 换行引号"),
        ("\u2028行分隔", "行分隔"),
        ("\x00\x01", ""),
        (None, None),
    ],
)
def test_one_line_keeps_what_a_reader_sees(typed, stored):
    assert one_line(typed) == stored


def test_every_form_of_the_app_is_built_on_the_base_form():
    direct = []
    base = PACKAGE / "web" / "forms" / "__init__.py"
    for path in PACKAGE.rglob("*.py"):
        if path == base:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                bases = [getattr(b, "id", getattr(b, "attr", "")) for b in node.bases]
                if "FlaskForm" in bases:
                    direct.append(f"{path.name}:{node.name}")
    assert direct == [], "subclass assess.web.forms.Form, which cleans one-line inputs"


@pytest.mark.parametrize("body", ["0", "[1, 2]", '"text"', "null", "{not json"])
def test_a_json_body_that_is_no_object_is_an_empty_form_not_a_500(accounts, body):
    """flask_wtf read a JSON body into a MultiDict: `0` made a TypeError (found by the fuzzer
    on the administrator's invitation form, and true of every form)."""
    accounts.login(accounts.user("admin", email="admin@example.com"))
    response = accounts.client.post(
        "/admin/accounts/new", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "invitation" not in [row["kind"] for row in accounts.db.query("SELECT kind FROM outbox")]
