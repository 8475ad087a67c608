"""backup and restore: the database, consistent and checked, while the app runs."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from assess.cli.database import report_problems
from assess.store import backup


@click.command("backup")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@with_appcontext
def backup_command(path, force):
    """Write a consistent copy of the live database to PATH, safe while the app runs."""
    try:
        copy = backup.backup(current_app.config["DATABASE"], path, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written: {copy.path}")
    click.echo(f"{copy.size:,} bytes in {copy.seconds:.2f} s; PRAGMA integrity_check: ok")
    _echo_counts(copy.counts)


@click.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(path, yes):
    """Replace the live database with a backup; the current one is kept beside it."""
    database = current_app.config["DATABASE"]
    try:
        with backup.candidate(database, path) as found:
            click.echo(f"Backup {found.source}: integrity_check ok, schema {found.schema}")
            if found.applied:
                click.echo(f"Migrations applied to the restored copy: {', '.join(found.applied)}")
            _echo_counts(found.counts)
            trouble = report_problems(str(found.path), current_app.config["EVIDENCE_DIR"])
            for line in trouble:
                click.echo(f"  check: {line}")
            click.echo(
                f"Database check: {len(trouble)} problem(s) (see above)"
                if trouble
                else "Database check: ok"
            )
            if not yes and not click.confirm(f"Replace the database {database} with it?"):
                raise click.ClickException("not confirmed: nothing changed")
            kept = backup.replace(database, found)
    except backup.BackupError as error:
        raise click.ClickException(f"{error}. Nothing changed.") from error
    click.echo(f"Previous database kept as {kept}")
    click.echo(f"Restored {path} into {database}")


def _echo_counts(counts: dict[str, int]) -> None:
    width = max(map(len, counts), default=0)
    for table, count in counts.items():
        click.echo(f"  {table:<{width}}  {count:>9,}")
