"""Flask CLI commands: create-user, demo, backup, restore (init-db lives in db.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from assess.cli import questionnaire as cli_questionnaire
from assess.regional import regions
from assess.store import backup, organisations, users
from assess.store.database import get_db, write_transaction
from assess.web import questionnaires as library


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True, help="Login e-mail.")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", required=True, type=click.Choice(users.ROLES))
@click.option(
    "--region-scope",
    help="Authority only: GB/T 2260 code of its province, city or county (e.g. 320000); "
    "000000 for the whole country.",
)
@click.option("--organisation", help="Enterprise only: the organisation's credit code.")
@click.option("--locale", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.password_option(help="Password (asked when not given).")
def create_user_command(email, name, role, region_scope, organisation, locale, password):
    """Create an account of any role."""
    db = get_db()
    scope = None
    organisation_id = None
    if role == "authority" and region_scope in ("000000", "all"):
        scope = ""  # a national authority
    elif role == "authority":
        if not region_scope or regions.get(region_scope) is None:
            raise click.BadParameter(
                "an authority needs --region-scope, a known 6-digit region code",
                param_hint="--region-scope",
            )
        scope = regions.scope_prefix(region_scope)
    if role == "enterprise":
        org = organisations.get_by_credit_code(db, organisation or "")
        if org is None:
            raise click.BadParameter(
                "an enterprise account needs --organisation, the credit code of a registered "
                "organisation",
                param_hint="--organisation",
            )
        organisation_id = org["id"]
    try:
        with write_transaction(db):
            user_id = users.create(
                db,
                email=email,
                name=name,
                password=password,
                role=role,
                organisation_id=organisation_id,
                region_scope=scope,
                locale=locale,
            )
    except users.UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {role} account {email} (id {user_id}).")


@click.command("demo")
@click.option(
    "--enterprises",
    type=click.IntRange(0, 1_000_000),
    default=None,
    help="Also add a synthetic population of N enterprises (default with a new demo: 600).",
)
@with_appcontext
def demo_command(enterprises):
    """Fill an empty database with demo data (prints the accounts); add a synthetic population."""
    from assess.demo import data as demo
    from assess.demo import population

    if current_app.config["ENV"] == "production":
        raise click.ClickException("demo data is not for a production database")
    db = get_db()
    q = library.latest()
    if users.count_by_role(db):
        click.echo("The database already has accounts; demo data not added.")
    else:
        for line in demo.fill(db, q):
            click.echo(line)
        enterprises = demo.POPULATION if enterprises is None else enterprises
    if enterprises:
        start = organisations.count(db)
        with click.progressbar(length=enterprises, label="Synthetic enterprises") as bar:
            done = 0
            for made in population.fill(db, q, enterprises, seed=start + 7, start_index=start):
                bar.update(made - done)
                done = made
        click.echo(f"{enterprises} synthetic enterprises added.")


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


def init_app(app: Flask) -> None:
    cli_questionnaire.init_app(app)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
