"""backup and restore: a consistent copy under a live writer; every refusal changes nothing."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tarfile
import threading
from contextlib import closing

import pytest
from sqlite_utils import Database

from assess.assessment import answering
from assess.assessment.answering import Proposed
from assess.scoring import Answer
from assess.store import assessments, backup
from assess.store.assessments import StoredAnswer
from assess.store.database import connect, write_transaction
from assess.store.migrations import migrations
from assess.web import questionnaires
from tests.support import ready_app

RATINGS = ("full", "most", "partial", "none")
PAUSE_AT = 12  # the save that is half-way through its page while the backup runs


def page(q, n: int) -> list[Proposed]:
    """Save number n of a page: every item at revision n, all with the same rating."""
    return [Proposed(item, RATINGS[n % 4], "", n) for item in list(q.requirements)[:5]]


def whole_save(q, n: int) -> dict[str, StoredAnswer]:
    return {p.item_id: StoredAnswer(Answer(p.value, ""), n) for p in page(q, n)}


class PageSaver(threading.Thread):
    """Saves pages through answering.save, as the wizard does, until stopped.

    Save n writes the page at revision n to one long-lived draft, then to a new draft (so the
    row counts grow). Save PAUSE_AT stops inside its write transaction, with part of the page
    written, until resumed.
    """

    def __init__(self, database: str, q, organisation_id: int, draft_id: int, monkeypatch):
        super().__init__(daemon=True)
        self.database, self.q = database, q
        self.organisation_id, self.draft_id = organisation_id, draft_id
        self.paused, self.resume, self.stop = (
            threading.Event(),
            threading.Event(),
            threading.Event(),
        )
        self.went_on = threading.Event()  # three more saves committed after the pause
        self.saves = 0
        self.error: BaseException | None = None
        self._calls = 0
        save_answer = assessments.save_answer

        def save_answer_pausing(*args, **kwargs):
            outcome = save_answer(*args, **kwargs)
            self._calls += 1
            if self._calls == 3 and self.saves + 1 == PAUSE_AT:
                self.paused.set()
                self.resume.wait(10)
            return outcome

        monkeypatch.setattr(assessments, "save_answer", save_answer_pausing)

    def run(self):
        try:
            with closing(connect(self.database)) as db:
                while not self.stop.is_set():
                    n = self.saves + 1
                    self._calls = 0
                    answering.save(db, self.q, self.draft_id, None, page(self.q, n))
                    with write_transaction(db):
                        draft = assessments.create(
                            db, organisation_id=self.organisation_id, questionnaire=self.q,
                            created_by=None,
                        )  # fmt: skip
                    answering.save(db, self.q, draft, None, page(self.q, n))
                    self.saves = n
                    if n == PAUSE_AT + 3:
                        self.went_on.set()
        except BaseException as error:
            self.error = error
            self.paused.set()
            self.went_on.set()


def reported_counts(output: str) -> dict[str, int]:
    return {
        table: int(count.replace(",", ""))
        for table, count in re.findall(r"^  (\w+) +([\d,]+)$", output, re.MULTILINE)
    }


def test_backup_under_a_live_writer_holds_whole_saves_only(app, runner, accounts, tmp_path, monkeypatch):  # fmt: skip
    with app.app_context():
        q = questionnaires.latest()
    org = accounts.organisation()
    with write_transaction(accounts.db):
        draft = assessments.create(
            accounts.db, organisation_id=org, questionnaire=q, created_by=None
        )
    saver = PageSaver(app.config["DATABASE"], q, org, draft, monkeypatch)
    target = tmp_path / "backups" / "assess.tar"
    target.parent.mkdir()

    saver.start()
    assert saver.paused.wait(10) and saver.error is None
    result = runner.invoke(args=["backup", str(target)])  # a page is half-written meanwhile
    saver.resume.set()
    assert saver.went_on.wait(10)
    saver.stop.set()
    saver.join(10)
    assert saver.error is None

    assert result.exit_code == 0, result.output
    assert "PRAGMA integrity_check: ok" in result.output
    counts = reported_counts(result.output)
    # The last whole save before the paused one: the long-lived draft and PAUSE_AT - 1 new ones.
    assert counts == {
        "organisations": 1,
        "users": 0,
        "assessments": PAUSE_AT,
        "answers": 5 * PAUSE_AT,
        "evidence_files": 0,
        "audit_log": 0,
    }
    assert accounts.db["assessments"].count > PAUSE_AT  # the writer went on after the backup

    fresh_database = tmp_path / "fresh" / "assess.sqlite"
    fresh_database.parent.mkdir()
    fresh = ready_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": str(fresh_database)})
    restored = fresh.test_cli_runner().invoke(args=["restore", str(target), "--yes"])
    assert restored.exit_code == 0, restored.output
    with closing(connect(str(fresh_database))) as db:
        assert {table: db[table].count for table in counts} == counts
        assert [row[0] for row in db.execute("PRAGMA integrity_check")] == ["ok"]
        saved = {row["id"]: assessments.answers(db, row["id"]) for row in db["assessments"].rows}
    expected = {draft: whole_save(q, PAUSE_AT - 1)}
    expected.update({draft + n: whole_save(q, n) for n in range(1, PAUSE_AT)})
    assert saved == expected


def test_backup_refuses_to_overwrite_a_file_without_force(runner, tmp_path):
    target = tmp_path / "backup.sqlite"
    target.write_text("an older backup")

    refused = runner.invoke(args=["backup", str(target)])
    assert refused.exit_code == 1
    assert f"{target} exists: choose another name, or use --force" in refused.output
    assert target.read_text() == "an older backup"

    forced = runner.invoke(args=["backup", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert tarfile.is_tarfile(target)


def test_a_backup_failing_integrity_check_leaves_no_file(runner, tmp_path, monkeypatch):
    folder = tmp_path / "backups"
    folder.mkdir()
    monkeypatch.setattr(backup, "integrity_errors", lambda db: ["row 7 missing from index"])

    result = runner.invoke(args=["backup", str(folder / "assess.sqlite")])
    assert result.exit_code == 1
    assert "failed PRAGMA integrity_check, no backup written: row 7 missing" in result.output
    assert os.listdir(folder) == []  # no backup, and no temporary file left


def test_a_file_appearing_at_the_target_during_a_backup_is_never_overwritten(
    runner, tmp_path, monkeypatch
):
    target = tmp_path / "backup.sqlite"
    check = backup.integrity_errors

    def another_backup_finishes_first(db):
        target.write_text("written meanwhile by another backup")
        return check(db)

    monkeypatch.setattr(backup, "integrity_errors", another_backup_finishes_first)
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert f"{target} exists: use --force to overwrite it" in result.output
    assert target.read_text() == "written meanwhile by another backup"
    assert not list(tmp_path.glob("*.tmp"))


@pytest.fixture
def good_backup(app, runner, accounts, tmp_path):
    """A backup with one organisation, after which the live database gained a second."""
    accounts.organisation(name="备份前企业")
    path = tmp_path / "good.sqlite"  # a backup of the database alone, as before archives
    backup.backup(app.config["DATABASE"], path)
    accounts.organisation(name="备份后企业")
    return path


def corrupt(path):
    with open(path, "r+b") as f:
        f.seek(3 * 4096)
        f.write(b"\xab" * 8 * 4096)


def other_app(path):
    with closing(Database(path)) as db:
        db["dogs"].insert({"name": "Cleo"})


def newer_schema(path):
    with closing(Database(path)) as db:
        db[migrations.migrations_table].insert(
            {"migration_set": "assess", "name": "9999_from_the_future", "applied_at": "2031"}
        )


@pytest.mark.parametrize(
    ("make", "answer", "message"),
    [
        (lambda good, bad: None, "y", "candidate.sqlite: no such file"),
        (lambda good, bad: bad.write_text("名称,代码\n"), "y", "is not a SQLite database"),
        (lambda good, bad: (shutil.copy(good, bad), corrupt(bad)), "y", "is corrupt"),
        (lambda good, bad: other_app(bad), "y", "is not a database of this app"),
        (
            lambda good, bad: (shutil.copy(good, bad), newer_schema(bad)),
            "y",
            "made by a newer version of assess (migrations unknown here: 9999_from_the_future)",
        ),
        (lambda good, bad: shutil.copy(good, bad), "n", "not confirmed"),
    ],
    ids=["missing", "not-a-database", "corrupt", "other-app", "newer-schema", "not-confirmed"],
)
def test_a_refused_restore_changes_nothing(
    runner, db, good_backup, tmp_path, make, answer, message
):
    bad = tmp_path / "candidate.sqlite"
    make(good_backup, bad)
    before = (list(db.conn.iterdump()), sorted(os.listdir(tmp_path)))

    result = runner.invoke(args=["restore", str(bad)], input=f"{answer}\n")
    assert result.exit_code == 1
    assert message in result.output
    assert "nothing changed" in result.output.lower()
    assert (list(db.conn.iterdump()), sorted(os.listdir(tmp_path))) == before


def names(db) -> list[str]:
    return [row["name"] for row in db.query("SELECT name FROM organisations ORDER BY id")]


def test_restore_keeps_the_current_database_and_brings_an_older_backup_up_to_date(
    app, runner, db, accounts, tmp_path
):
    accounts.organisation(name="恢复前企业")
    every = [m.name for m in migrations.pending(Database(memory=True))]
    older = tmp_path / "older.sqlite"
    with closing(Database(older)) as old:
        migrations.apply(old, stop_before=every[-1])
        old["organisations"].insert(
            {"name": "旧备份企业", "credit_code": "X", "region_code": "320505", "sector": "other",
             "size": "small"}
        )  # fmt: skip

    result = runner.invoke(args=["restore", str(older)], input="y\n")
    assert result.exit_code == 0, result.output
    assert f"schema {every[-2]}" in result.output
    assert f"Migrations applied to the restored copy: {every[-1]}" in result.output
    assert names(db) == ["旧备份企业"]
    assert [m.name for m in migrations.applied(db)] == every
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    kept = [path.name for path in tmp_path.glob("test.sqlite.before-restore-*")]
    assert len(kept) == 1 and re.fullmatch(r"test\.sqlite\.before-restore-\d{8}T\d{6}Z", kept[0])
    assert f"Previous database kept as {tmp_path / kept[0]}" in result.output
    with closing(Database(tmp_path / kept[0])) as previous:
        assert names(previous) == ["恢复前企业"]
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_restore_takes_a_backup_with_another_page_size(runner, db, good_backup):
    with closing(sqlite3.connect(good_backup, isolation_level=None)) as conn:
        conn.execute("PRAGMA page_size = 8192")
        conn.execute("VACUUM")
        assert conn.execute("PRAGMA page_size").fetchone() == (8192,)

    result = runner.invoke(args=["restore", str(good_backup), "--yes"])
    assert result.exit_code == 0, result.output
    assert names(db) == ["备份前企业"]
    assert db.execute("PRAGMA page_size").fetchone() == (4096,)
