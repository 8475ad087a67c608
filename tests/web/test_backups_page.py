"""The administrator makes a backup from the web and downloads it: the archive holds the
database and the evidence files, checked; one backup at a time; every step in the audit log."""

from __future__ import annotations

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from assess import backups
from assess.store import audit
from tests.support import post_with_files


@pytest.fixture
def admin(accounts):
    accounts.login(accounts.user("admin", email="admin@example.com", name="管理员"))
    return accounts.client


def test_a_backup_made_from_the_page_holds_the_evidence_and_downloads(app, accounts, on_site, db):
    post_with_files(accounts.client, on_site["id"], [("制度.pdf", b"%PDF-1.4 a document")])
    client = accounts.client
    accounts.logout()
    accounts.login(accounts.user("admin", email="admin@example.com", name="管理员"))

    started = client.post("/admin/backups")
    assert started.status_code == 302
    backups.wait(60)
    page = client.get("/admin/backups").get_data(as_text=True)
    name = backups.listing(Path(app.config["BACKUP_DIR"]))[0]["name"]
    assert "每个文件均相符；数据库检查通过" in page and f"/admin/backups/{name}" in page

    with client.get(f"/admin/backups/{name}") as response:
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")
        body = response.data
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        manifest = json.loads(tar.extractfile("assess-backup/manifest.json").read())
    stored = [n for n in manifest["files"] if n.startswith("evidence/")]
    assert len(stored) == 1
    actions = [e["action"] for e in audit.search(db)]
    assert "backup_started" in actions and "backup_downloaded" in actions


def test_one_backup_at_a_time_and_an_interrupted_one_is_said(app, admin):
    folder = Path(app.config["BACKUP_DIR"])
    folder.mkdir(parents=True)
    running = {"state": "running", "started": "2026-12-06T01:00:00+00:00", "pid": os.getppid()}
    (folder / "assess-20261206T010000Z.tar.json").write_text(json.dumps(running))

    refused = admin.post("/admin/backups", follow_redirects=True).get_data(as_text=True)
    assert "正在制作一份备份" in refused
    assert [row["name"] for row in backups.listing(folder)] == ["assess-20261206T010000Z.tar"]

    running["pid"] = 2**22 + 12345  # no such process: the worker that ran it is gone
    (folder / "assess-20261206T010000Z.tar.json").write_text(json.dumps(running))
    page = admin.get("/admin/backups").get_data(as_text=True)
    assert "已中断" in page
    assert "/admin/backups/assess-20261206T010000Z.tar" not in page  # nothing to download


@pytest.mark.parametrize(
    "name", ["assess-20261206T010000Z.tar", "..%2Fassess.sqlite", "assess.sqlite", "x.tar"]
)
def test_only_a_finished_backup_downloads(app, admin, name):
    folder = Path(app.config["BACKUP_DIR"])
    folder.mkdir(parents=True)
    (folder.parent / "assess.sqlite").write_bytes(b"not for download")
    with admin.get(f"/admin/backups/{name}") as response:
        assert response.status_code == 404


def test_others_cannot_make_or_download_a_backup(app, accounts):
    accounts.login(accounts.user("authority", email="gov@example.com", region_scope="32"))
    assert accounts.client.post("/admin/backups").status_code == 403
    assert accounts.client.get("/admin/backups").status_code == 403
    assert not Path(app.config["BACKUP_DIR"]).exists()
