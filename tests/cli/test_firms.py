"""CLI: `firm create|update|add|list`, an administrator's way to make consultancies."""

from __future__ import annotations

import json

from assess.store import audit, firms, users
from tests.support import png


def test_an_administrator_makes_a_firm_with_a_logo_and_places_consultants(
    runner, db, accounts, tmp_path
):
    accounts.user("consultant", email="wang@example.com", name="王顾问")
    accounts.user("enterprise", email="boss@example.com")
    logo = tmp_path / "logo.png"
    logo.write_bytes(png(40, 20))
    result = runner.invoke(
        args=[
            "firm",
            "create",
            "--name",
            "  江南智造   咨询有限公司 ",
            "--qualification",
            "CMMM 评估师 A-0417",
            "--logo",
            str(logo),
        ]
    )
    assert result.exit_code == 0, result.output
    (firm,) = firms.all_firms(db)[-1:]
    assert (firm["name"], firm["qualification"], firm["logo_mime"]) == (
        "江南智造 咨询有限公司",
        "CMMM 评估师 A-0417",
        "image/png",
    )
    assert (
        runner.invoke(
            args=["firm", "add", str(firm["id"]), "--email", "wang@example.com"]
        ).exit_code
        == 0
    )
    assert users.get_by_email(db, "wang@example.com")["firm_id"] == firm["id"]
    refused = runner.invoke(args=["firm", "add", str(firm["id"]), "--email", "boss@example.com"])
    assert refused.exit_code == 1 and "no consultant boss@example.com" in refused.output
    renamed = runner.invoke(args=["firm", "update", str(firm["id"]), "--name", "江南智造"])
    assert renamed.exit_code == 0 and firms.get(db, firm["id"])["name"] == "江南智造"
    listing = runner.invoke(args=["firm", "list"]).output
    assert f"{firm['id']}\t江南智造\tCMMM 评估师 A-0417\tlogo" in listing
    assert "\twang@example.com\t王顾问" in listing
    actions = [e["action"] for e in audit.recent(db)]
    assert {"firm_created", "firm_consultant_placed", "firm_updated"} <= set(actions)
    placed = next(e for e in audit.recent(db) if e["action"] == "firm_consultant_placed")
    assert json.loads(placed["detail"])["firm_id"] == firm["id"]


def test_a_logo_that_is_not_an_image_changes_nothing(runner, db, tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_text("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    before = firms.all_firms(db)
    result = runner.invoke(args=["firm", "create", "--name", "某咨询", "--logo", str(fake)])
    assert result.exit_code == 2 and "PNG or JPEG" in result.output
    assert firms.all_firms(db) == before
    blank = runner.invoke(args=["firm", "create", "--name", "   "])
    assert blank.exit_code == 2 and firms.all_firms(db) == before
