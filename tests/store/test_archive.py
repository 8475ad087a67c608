"""Backups that restore everything: the database and the evidence files in one archive, read back
and checked; a restore puts both back, and a damaged or hostile archive changes nothing."""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from pathlib import Path

import pytest

from assess.store import archive
from assess.store import evidence as evidence_store
from tests.support import PDF, PNG, post_with_files

SECOND_PDF = PDF.replace(b"%%EOF", b"% a ledger\n%%EOF")  # another file, also a PDF


@pytest.fixture
def with_files(app, accounts, on_site, db):
    """An on-site draft with three evidence files, uploaded through the page; the consultant
    stays logged in."""
    response = post_with_files(
        accounts.client,
        on_site["id"],
        [("制度.pdf", PDF), ("现场.png", PNG), ("台账.pdf", SECOND_PDF)],
    )
    assert response.status_code == 302
    files = evidence_store.files(db, on_site["id"])
    assert len(files) == 3
    return files


def download(client, file_id: int) -> bytes:
    with client.get(f"/evidence/{file_id}") as response:  # closes the file sent
        assert response.status_code == 200
        return response.data


def state(db, folder: Path):
    """What a refused restore must leave as it was: every row, and every file with its bytes."""
    files = {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    return list(db.conn.iterdump()), files


def test_the_restore_drill_gives_back_every_evidence_file_byte_for_byte(
    app, runner, accounts, db, with_files, tmp_path
):
    """An evidence file downloaded before the backup is byte-identical after a restore, though
    the folder was lost and the database changed in between."""
    before = {f["id"]: download(accounts.client, f["id"]) for f in with_files}
    target = tmp_path / "assess-2026-12-06.tar"

    made = runner.invoke(args=["backup", str(target)])
    assert made.exit_code == 0, made.output
    assert "and 3 evidence file(s)" in made.output
    assert "Checked: every file read back matches the manifest; database check: ok" in made.output

    evidence = Path(app.config["EVIDENCE_DIR"])
    shutil.rmtree(evidence)  # the disk is lost …
    accounts.organisation(name="备份后登记的企业")  # … and the database moved on
    with accounts.client.get(f"/evidence/{with_files[0]['id']}") as gone:
        assert gone.status_code == 404

    restored = runner.invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "3 evidence file(s), every one matching" in restored.output
    assert f"and its evidence files into {evidence}" in restored.output
    after = {f["id"]: download(accounts.client, f["id"]) for f in with_files}
    assert after == before
    assert before[with_files[0]["id"]] == PDF
    names = [row["name"] for row in db.query("SELECT name FROM organisations")]
    assert "备份后登记的企业" not in names


def test_a_restore_keeps_the_evidence_folder_it_replaces(
    app, runner, accounts, with_files, tmp_path
):
    target = tmp_path / "b.tar.gz"  # compressed
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    with tarfile.open(target) as tar:
        assert tar.fileobj is not None and target.read_bytes()[:2] == b"\x1f\x8b"
    evidence = Path(app.config["EVIDENCE_DIR"])
    (evidence / "written-after-the-backup.txt").write_text("kept aside, not lost")

    restored = runner.invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    kept = [p for p in evidence.parent.iterdir() if p.name.startswith("evidence.before-restore-")]
    assert len(kept) == 1
    assert (kept[0] / "written-after-the-backup.txt").read_text() == "kept aside, not lost"
    assert not (evidence / "written-after-the-backup.txt").exists()
    assert not [p for p in evidence.parent.iterdir() if ".restore." in p.name]  # staging gone


def test_the_manifest_names_every_file_with_its_digest(app, runner, with_files, tmp_path):
    target = tmp_path / "b.tar"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    with tarfile.open(target) as tar:
        members = {m.name: m for m in tar.getmembers()}
        manifest = json.loads(tar.extractfile("assess-backup/manifest.json").read())
    stored = {f["stored_name"]: f for f in with_files}
    listed = {name.removeprefix("evidence/"): meta for name, meta in manifest["files"].items()}
    assert set(listed) == {"assess.sqlite", *stored}
    for name, row in stored.items():
        assert listed[name]["sha256"] == row["sha256"]  # the digest taken at upload
    assert all(m.name.startswith("assess-backup/") and m.isfile() for m in members.values())
    assert all(m.mode == 0o600 and m.uid == 0 for m in members.values())  # no owner names leak


def rewrite(source: Path, target: Path, change) -> None:
    """Copy an archive member by member, letting change(name, data) alter or add members."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            data = old.extractfile(member).read()
            for name, content in change(member.name, data):
                info = tarfile.TarInfo(name)
                info.size = len(content)
                new.addfile(info, io.BytesIO(content))


def flip_a_byte(name, data):
    if name.endswith(".pdf") or (name.startswith("assess-backup/evidence/") and b"%PDF" in data):
        data = data.replace(b"%%EOF", b"%%EOG")
    yield name, data


def add_evil(name, data):
    yield name, data
    if name.endswith("manifest.json"):
        yield "assess-backup/../../evil.txt", b"outside"


def drop_manifest(name, data):
    if not name.endswith("manifest.json"):
        yield name, data


def extra_file(name, data):
    yield name, data
    if name.endswith("manifest.json"):
        yield "assess-backup/evidence/unlisted.pdf", PDF


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (flip_a_byte, "does not match its manifest, it is damaged or was changed"),
        (add_evil, "which a backup archive never does"),
        (drop_manifest, "has no manifest.json"),
        (extra_file, "does not match its manifest"),
    ],
    ids=["changed-file", "path-outside", "no-manifest", "unlisted-file"],
)
def test_a_damaged_or_hostile_archive_changes_nothing(
    app, runner, db, with_files, tmp_path, change, message
):
    good = tmp_path / "good.tar"
    assert runner.invoke(args=["backup", str(good)]).exit_code == 0
    bad = tmp_path / "bad.tar"
    rewrite(good, bad, change)
    evidence = Path(app.config["EVIDENCE_DIR"])
    before = state(db, evidence), sorted(os.listdir(evidence.parent)), sorted(os.listdir(tmp_path))

    result = runner.invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code == 1
    assert message in result.output and "Nothing changed." in result.output
    after = state(db, evidence), sorted(os.listdir(evidence.parent)), sorted(os.listdir(tmp_path))
    assert after == before
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_link_in_an_archive_is_refused(app, runner, db, with_files, tmp_path):
    good = tmp_path / "good.tar"
    assert runner.invoke(args=["backup", str(good)]).exit_code == 0
    bad = tmp_path / "bad.tar"
    shutil.copy(good, bad)
    with tarfile.open(bad, "a") as tar:
        link = tarfile.TarInfo("assess-backup/evidence/passwd")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)

    result = runner.invoke(args=["restore", str(bad), "--yes"])
    assert result.exit_code == 1 and "which a backup archive never does" in result.output


def test_a_backup_says_when_a_file_a_row_names_is_not_in_it(
    app, runner, with_files, tmp_path, monkeypatch
):
    """A file deleted between the database copy and the file copy: the archive is written, and
    reading it back names what it lacks."""
    listed = archive._evidence_files
    monkeypatch.setattr(archive, "_evidence_files", lambda folder: listed(folder)[1:])
    target = tmp_path / "b.tar"

    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert "stored file missing or not evidence" in result.output
    assert "the backup was written, but checking it found 1 problem(s)" in result.output
    assert target.is_file()


def test_a_database_only_backup_restores_and_leaves_the_evidence_alone(
    app, runner, with_files, tmp_path
):
    from assess.store import backup

    old = tmp_path / "old.sqlite"
    backup.backup(app.config["DATABASE"], old)
    evidence = Path(app.config["EVIDENCE_DIR"])
    before = sorted(p.name for p in evidence.iterdir())

    result = runner.invoke(args=["restore", str(old), "--yes"])
    assert result.exit_code == 0, result.output
    assert "a backup of the database alone: the evidence files stay as they are" in result.output
    assert sorted(p.name for p in evidence.iterdir()) == before
