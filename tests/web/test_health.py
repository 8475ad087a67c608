"""/healthz for the load balancer: each check in the JSON body, 200 when all pass and 503 when
one fails, for anyone, with no personal data."""

from __future__ import annotations

import sqlite3

import pytest

from assess.store.database import connect
from assess.web import health


def test_a_ready_instance_is_healthy_for_anyone(app, client, accounts, enterprise):
    anonymous = app.test_client()
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    free = body["checks"]["evidence_disk"]["free_mb"]
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"ok": True},
            "questionnaires": {"ok": True, "versions": 2, "latest": "2026.1"},
            "render_queue": {"ok": True, "waiting": 0},
            "evidence_disk": {"ok": True, "free_mb": free, "min_free_mb": 1024},
        },
    }
    # nothing of a user, an enterprise or a path, and the same for a logged-in user
    text = response.get_data(as_text=True)
    assert "example.com" not in text and "企业" not in text and "/" not in text
    assert enterprise["client"].get("/healthz").get_json()["status"] == "ok"


def test_the_database_check_writes_nothing(app, client, db):
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert db.execute("SELECT * FROM health_probe").fetchall() == []
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_a_pending_migration_fails_the_database_check(app, client, db):
    db.execute("DELETE FROM _sqlite_migrations WHERE name = '0033_ops'")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == {"ok": False, "pending_migrations": 1}
    assert body["checks"]["questionnaires"]["ok"] is True


def test_a_database_whose_write_lock_is_held_fails_quickly(app, client, monkeypatch):
    monkeypatch.setattr(health, "LOCK_WAIT", 0.1)
    holder = connect(app.config["DATABASE"])
    holder.conn.execute("BEGIN IMMEDIATE")
    try:
        response = client.get("/healthz")
    finally:
        holder.conn.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == {"ok": False, "reason": "OperationalError"}
    assert client.get("/healthz").status_code == 200


def test_a_database_that_cannot_be_opened_fails(app, client, tmp_path):
    app.config["DATABASE"] = str(tmp_path / "no-such-folder" / "x.sqlite")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == {"ok": False, "reason": "OperationalError"}


def test_an_unreachable_render_queue_fails(app, client):
    from assess.report.queue import RenderQueue, Settings

    app.extensions["render_queue"] = RenderQueue(Settings("redis://127.0.0.1:1/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["render_queue"] == {"ok": False, "reason": "unreachable"}


def test_the_embedded_queue_counts_what_waits(app, client, tmp_path):
    from assess.report.queue import RenderQueue, Settings

    queue = RenderQueue(Settings(str(tmp_path / "queue.sqlite")))
    app.extensions["render_queue"] = queue
    queue.huey  # noqa: B018  # the tasks are made with Huey
    queue.render_task("a" * 64)
    queue.render_task("b" * 64)
    assert client.get("/healthz").get_json()["checks"]["render_queue"] == {"ok": True, "waiting": 2}


def test_too_little_free_space_for_evidence_fails(app, client):
    app.config["HEALTH_MIN_FREE_MB"] = 10**12
    response = client.get("/healthz")
    assert response.status_code == 503
    check = response.get_json()["checks"]["evidence_disk"]
    assert check["ok"] is False and check["min_free_mb"] == 10**12


def test_the_probe_rolls_back_on_a_failing_write(app, db):
    db.execute("DROP TABLE health_probe")
    with pytest.raises(sqlite3.OperationalError):
        health.health.probe_write(db)
    assert not db.conn.in_transaction
