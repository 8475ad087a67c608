"""CLI commands: init-db, create-user, demo."""

from __future__ import annotations

from assess.store import users


def test_init_db_reports_the_database(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert app.config["DATABASE"] in result.output


def test_create_user_admin(runner, db):
    result = runner.invoke(
        args=["create-user", "--email", "Boss@Example.com", "--name", "管理员", "--role", "admin"],
        input="s3cret-pass\ns3cret-pass\n",
    )
    assert result.exit_code == 0, result.output
    row = users.get_by_email(db, "boss@example.com")
    assert (row["role"], row["name"], row["region_scope"]) == ("admin", "管理员", None)
    assert users.authenticate(db, "boss@example.com", "s3cret-pass")["id"] == row["id"]


def test_create_user_authority_scope_is_a_code_prefix(runner, db):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "gov@example.com",
            "--name",
            "苏州市工信局",
            "--role",
            "authority",
            "--region-scope",
            "320500",
            "--password",
            "pw-12345678",
        ]
    )
    assert result.exit_code == 0, result.output
    assert users.get_by_email(db, "gov@example.com")["region_scope"] == "3205"


def test_create_user_authority_needs_a_known_region(runner, db):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "gov@example.com",
            "--name",
            "x",
            "--role",
            "authority",
            "--region-scope",
            "999999",
            "--password",
            "pw-12345678",
        ]
    )
    assert result.exit_code == 2
    assert "region" in result.output
    assert users.get_by_email(db, "gov@example.com") is None


def test_create_user_enterprise_needs_a_registered_organisation(runner, db, accounts):
    args = [
        "create-user",
        "--email",
        "e@example.com",
        "--name",
        "x",
        "--role",
        "enterprise",
        "--password",
        "pw-12345678",
    ]
    result = runner.invoke(args=[*args, "--organisation", "91320505000000000X"])
    assert result.exit_code == 2
    org_id = accounts.organisation()
    code = db["organisations"].get(org_id)["credit_code"]
    result = runner.invoke(args=[*args, "--organisation", code])
    assert result.exit_code == 0, result.output
    assert users.get_by_email(db, "e@example.com")["organisation_id"] == org_id


def test_create_user_refuses_a_duplicate_email(runner, accounts):
    accounts.user("admin", email="a@example.com")
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "A@example.com",
            "--name",
            "x",
            "--role",
            "admin",
            "--password",
            "pw-12345678",
        ]
    )
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_demo_fills_an_empty_database_once(runner, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert set(users.count_by_role(db)) == {"admin", "consultant", "authority", "enterprise"}
    for email, _name, role, password, _where in __import__("assess.demo.data").demo.data.ACCOUNTS:
        assert email in result.output and password in result.output
        assert users.authenticate(db, email, password)["role"] == role
    provinces = {
        row["p"] for row in db.query("SELECT substr(region_code, 1, 2) AS p FROM organisations")
    }
    sectors = {row["sector"] for row in db.query("SELECT sector FROM organisations")}
    assert len(provinces) >= 5 and len(sectors) >= 8
    # the demo's verified on-site assessment is verified by the one definition: its deciding
    # answers (profile, basic requirements, ...) verified too, each with an evidence note
    [verified] = db.execute(
        "SELECT verified FROM result_facts WHERE mode = 'consultant'"
    ).fetchall()
    deciding = db.execute(
        "SELECT count(*), count(verified_by), count(nullif(trim(note), '')) FROM answers a"
        " JOIN assessments s ON s.id = a.assessment_id WHERE s.mode = 'consultant'"
        " AND (a.item_id LIKE 'profile.%' OR a.item_id LIKE 'gate.%')"
    ).fetchone()
    assert verified == (1,) and deciding[0] >= 9 and deciding[0] == deciding[1] == deciding[2]
    counts = db.execute("SELECT count(*) FROM organisations").fetchone()[0]
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert "already has accounts" in again.output
    assert db.execute("SELECT count(*) FROM organisations").fetchone()[0] == counts


def test_demo_credit_codes_are_valid(runner, db):
    from assess.organisation import credit_code

    runner.invoke(args=["demo"])
    codes = [row["credit_code"] for row in db.query("SELECT credit_code FROM organisations")]
    assert codes and all(credit_code.validate(code) == code for code in codes)
