"""Who signed a verified report, kept at submission (assess/store/signers.py) and, for the
on-site assessments submitted before, by the migration that made the table."""

from __future__ import annotations

from sqlite_utils import Database

from assess.store import migrations, signers
from tests.support import png


def test_the_migration_keeps_the_signer_of_each_verified_assessment_submitted_before(tmp_path):
    db = Database(tmp_path / "old.sqlite")
    migrations.migrations.apply(db, stop_before="0040_firm_snapshot")
    logo = png(6, 3)
    firm = (
        db["firms"]
        .insert(
            {
                "name": "江南智造咨询",
                "qualification": "CMMM No. 1",
                "logo": logo,
                "logo_mime": "image/png",
            }
        )
        .last_pk
    )
    org = (
        db["organisations"]
        .insert(
            {
                "name": "甲",
                "credit_code": "A",
                "region_code": "320505",
                "sector": "rail",
                "size": "small",
            }
        )
        .last_pk
    )
    consultant = (
        db["users"]
        .insert(
            {
                "email": "c@x.cn",
                "name": "王顾问",
                "password_hash": "x",
                "role": "consultant",
                "firm_id": firm,
            }
        )
        .last_pk
    )
    alone = (
        db["users"]
        .insert({"email": "d@x.cn", "name": "赵顾问", "password_hash": "x", "role": "consultant"})
        .last_pk
    )
    common = {"organisation_id": org, "questionnaire_id": "q", "questionnaire_version": "1"}
    ids = [
        db["assessments"].insert({**common, **values}).last_pk
        for values in (
            {"mode": "consultant", "status": "submitted", "consultant_id": consultant},
            {"mode": "consultant", "status": "submitted", "consultant_id": consultant},
            {"mode": "consultant", "status": "submitted", "consultant_id": alone},
            {"mode": "consultant", "status": "draft", "consultant_id": consultant},
            {"mode": "self", "status": "submitted"},
        )
    ]
    migrations.migrations.apply(db)
    kept = {i: signers.get(db, i) for i in ids}
    firm_kept = {
        "name": "江南智造咨询",
        "qualification": "CMMM No. 1",
        "logo": logo,
        "logo_mime": "image/png",
    }
    assert kept[ids[0]]["consultant_name"] == "王顾问" and kept[ids[0]]["firm"] == firm_kept
    assert kept[ids[1]]["firm"] == firm_kept
    assert (kept[ids[2]]["consultant_name"], kept[ids[2]]["firm"]) == ("赵顾问", None)
    assert kept[ids[3]] is None and kept[ids[4]] is None  # a draft is signed when submitted
    assert db.execute("SELECT count(*) FROM firm_logos").fetchone()[0] == 1  # kept once


def test_a_signer_is_kept_once_and_never_changed(app, db, accounts, on_site):
    from assess.store.database import write_transaction

    with write_transaction(db):
        signers.record(db, on_site["id"])
        db.execute("UPDATE users SET name = '改名' WHERE email = 'c@example.com'")
        signers.record(db, on_site["id"])
    assert signers.get(db, on_site["id"]) == {
        "consultant_name": "王顾问",
        "firm": None,
        "logo_sha256": None,
    }
