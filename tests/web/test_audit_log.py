"""The administrator's audit log reads like a log: who by name, actions in words, a change as
before → after, filters by user, action, object and date, the same rows as CSV; and every
action the code records has words."""

from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path

import pytest
from flask_babel import force_locale

from assess.store import audit
from assess.store.database import write_transaction
from assess.web import audit_words

PACKAGE = Path(__file__).resolve().parents[2] / "assess"
# Calls that record an audit entry, and the position of the action among their arguments.
RECORDERS = {"record": 1, "record_by": 2, "record_download": 1, "_hand_over_code": 3}


def recorded_actions() -> set[str]:
    """Every action name written literally where the code records an entry (dynamic names,
    such as declaration_{outcome}, are listed in the catalogue by hand)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            at = RECORDERS.get(name)
            if at is None or len(node.args) <= at:
                continue
            arg = node.args[at]
            options = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
            found |= {o.value for o in options if isinstance(o, ast.Constant)}
            if isinstance(arg, ast.Name) and name == "record":  # registration: action = "…"
                found |= _assigned(path, arg.id)
    return {a for a in found if isinstance(a, str)}


def _assigned(path: Path, variable: str) -> set[str]:
    """The strings a variable is given in a file (`action = "x"`, `a, action = 1, "y"`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            found |= {
                value.value
                for name, value in pairs
                if isinstance(name, ast.Name)
                and name.id == variable
                and isinstance(value, ast.Constant)
            }
    return found


def test_every_recorded_action_has_words():
    actions = recorded_actions()
    assert {"login", "submit", "register", "organisation_claimed", "client_registered"} <= actions
    assert actions - set(audit_words.ACTIONS) == set()


def test_a_declaration_decision_has_words_for_every_outcome():
    from assess.declaration import chain

    outcomes = {chain.CHECK, chain.REVIEW, chain.RECOGNISE, chain.RECOMMEND_MINISTRY}
    outcomes |= {chain.RECOMMEND, chain.RETURN, chain.REJECT}
    assert {f"declaration_{o}" for o in outcomes} <= set(audit_words.ACTIONS)


@pytest.mark.parametrize(
    ("detail", "lines"),
    [
        ('{"before": {"name": "甲厂", "size": "small"}, "after": {"name": "乙厂", "size": "small"}}',
         ["name: 甲厂 → 乙厂", "size: small → small"]),
        ('{"listed": true}', ["listed: yes"]),
        ('{"role": {"old": "viewer", "new": "contributor"}, "by": 3}',
         ["role: viewer → contributor", "by: 3"]),
        ('{"fields": ["contact_name", "platform_date"], "refused": []}',
         ["fields: contact_name, platform_date", "refused: —"]),
        ("not json", ["not json"]),
        ("{}", []),
    ],
)  # fmt: skip
def test_a_detail_reads_as_lines_with_changes_as_before_and_after(app, detail, lines):
    with app.test_request_context(), force_locale("en"):
        assert audit_words.changes(detail) == lines


@pytest.fixture
def logged(app, db, accounts):
    """Three entries by two named people on two days, and the administrator logged in."""
    wang = accounts.user("enterprise", email="wang@example.com", name="王经理")
    li = accounts.user("authority", email="li@example.com", name="李处长", region_scope="32")
    ids = {e: db["users"].rows_where("email = ?", [e]).__next__()["id"] for e in (wang, li)}
    with write_transaction(db):
        db.execute(  # a week earlier (the log is append-only: written with its time)
            "INSERT INTO audit_log (user_id, action, target_type, target_id, detail, at)"
            " VALUES (?, 'submit', 'assessment', '7', '{}', '2026-11-30T08:00:00.000Z')",
            [ids[wang]],
        )
        audit.record(
            db,
            "listing_changed",
            user_id=ids[wang],
            target_type="organisation",
            target_id=3,
            detail={"listed": {"before": False, "after": True}},
        )
        audit.record(db, "declaration_return", user_id=ids[li], target_type="declaration",
                     target_id=9, detail={"stage": 0})  # fmt: skip
    admin = accounts.user("admin", email="admin@example.com", name="管理员")
    accounts.login(admin)
    return accounts.client


def test_the_log_names_people_and_says_actions_in_words(logged):
    page = logged.get("/admin/audit").get_data(as_text=True)
    assert "王经理" in page and "wang@example.com" in page and "李处长" in page
    assert "提交了评估" in page and "退回了申报" in page
    assert "listed: 否 → 是" in page
    assert "改造目标" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("user=wang@", {"submit", "listing_changed"}),
        ("user=李处长", {"declaration_return"}),
        ("action=submit", {"submit"}),
        ("target_type=declaration&target_id=9", {"declaration_return"}),
        ("since=2026-12-01", {"listing_changed", "declaration_return"}),
        ("until=2026-11-30", {"submit"}),
        ("since=2026-11-30&until=2026-11-30&user=wang", {"submit"}),
    ],
)
def test_the_filters_and_the_csv_give_the_same_entries(logged, query, expected):
    shown = logged.get(f"/admin/audit?{query}").get_data(as_text=True)
    rows = list(
        csv.DictReader(
            io.StringIO(
                logged.get(f"/admin/audit.csv?{query}").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    everything = {"submit", "listing_changed", "declaration_return"}
    found = {r["action"] for r in rows} & everything
    assert found == expected
    for action in everything:
        assert (f">{action}</code>" in shown) == (action in expected)


def test_a_date_that_is_not_one_is_said_and_left_out(logged):
    logged.post("/lang", data={"lang": "en", "next": "/admin"})
    response = logged.get("/admin/audit?since=30/11/2026&action=submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dates are written as 2026-12-06" in page
    assert ">submit</code>" in page  # the other filter still applies


def test_the_csv_has_names_and_words(logged):
    body = logged.get("/admin/audit.csv?action=listing_changed").get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert row["user_name"] == "王经理" and row["user_email"] == "wang@example.com"
    assert row["action_label"] and row["action_label"] != "listing_changed"
    assert "→" in row["changes"]
    assert json.loads(row["detail"]) == {"listed": {"after": True, "before": False}}
