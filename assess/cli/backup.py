"""backup and restore: one archive with the database and the evidence files, consistent and
checked while the app runs, and put back whole (assess/store/archive.py)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from assess import backups
from assess.cli.database import report_problems
from assess.store import archive, backup
from assess.web import questionnaires


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path, force):
    """Write one archive of the live database and the evidence files to PATH (a .tar, or
    .tar.gz to compress), safe while the app runs; then read it back and check it."""
    database, evidence = current_app.config["DATABASE"], current_app.config["EVIDENCE_DIR"]
    try:
        made = archive.write(database, evidence, path, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written: {made.path}")
    click.echo(
        f"{made.size:,} bytes in {made.seconds:.2f} s: the database (PRAGMA integrity_check: ok)"
        f" and {made.files:,} evidence file(s), {made.file_bytes:,} bytes"
    )
    _echo_counts(made.counts)
    trouble = _read_back(made.path)
    if trouble:
        raise click.ClickException(
            f"the backup was written, but checking it found {len(trouble)} problem(s) (above); "
            "run check-db: the live database may have them too"
        )


def _read_back(path: Path) -> list[str]:
    """Read the archive back and check it (assess/backups.py); print what is wrong."""
    trouble = backups.check(path, questionnaires.versions())
    for line in trouble:
        click.echo(f"  check: {line}")
    if not trouble:
        click.echo("Checked: every file read back matches the manifest; database check: ok")
    return trouble


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(path, yes):
    """Replace the live database and evidence files with a backup's; the current ones are kept
    beside them."""
    database = current_app.config["DATABASE"]
    evidence = Path(current_app.config["EVIDENCE_DIR"])
    try:
        if path.is_file() and not archive.is_archive(path):
            click.echo(
                f"{path} is a backup of the database alone: the evidence files stay as they are"
            )
            _restore(database, path, evidence, None, yes)
            return
        evidence.parent.mkdir(parents=True, exist_ok=True)
        # beside the evidence folder: the restored one takes its place with a rename
        staging = Path(tempfile.mkdtemp(prefix=f".{evidence.name}.restore.", dir=evidence.parent))
        try:
            found = archive.read(path, staging)
            click.echo(
                f"Archive {path}: made {found.manifest['created']}, "
                f"{len(found.manifest['files']) - 1:,} evidence file(s), every one matching"
            )
            _restore(database, found.database, evidence, found.evidence, yes)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except backup.BackupError as error:
        raise click.ClickException(f"{error}. Nothing changed.") from error


def _restore(database: str, source: Path, evidence: Path, restored: Path | None, yes: bool):
    with backup.candidate(database, source) as found:
        where = f"Backup {source}" if restored is None else "The archive's database"
        click.echo(f"{where}: integrity_check ok, schema {found.schema}")
        if found.applied:
            click.echo(f"Migrations applied to the restored copy: {', '.join(found.applied)}")
        _echo_counts(found.counts)
        trouble = report_problems(str(found.path), str(restored or evidence))
        for line in trouble:
            click.echo(f"  check: {line}")
        click.echo(
            f"Database check: {len(trouble)} problem(s) (see above)"
            if trouble
            else "Database check: ok"
        )
        if not yes and not click.confirm(f"Replace the database {database} with it?"):
            raise backup.BackupError("not confirmed")
        kept_files = None
        if restored is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept_files = archive.swap_folder(evidence, restored, stamp)
        try:
            kept = backup.replace(database, found)
        except backup.BackupError:
            if restored is not None:
                archive.undo_swap(evidence, kept_files, restored)
            raise
    click.echo(f"Previous database kept as {kept}")
    if kept_files is not None:
        click.echo(f"Previous evidence files kept in {kept_files}")
    click.echo(f"Restored {source if restored is None else 'the archive'} into {database}")
    if restored is not None:
        click.echo(f"and its evidence files into {evidence}")


def _echo_counts(counts: dict[str, int]) -> None:
    width = max(map(len, counts), default=0)
    for table, count in counts.items():
        click.echo(f"  {table:<{width}}  {count:>9,}")
