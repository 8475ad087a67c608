"""init-db, the deploy step (migrations, then the derived data the dashboards read), and
check-db, the database check."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from assess.integrity import problems
from assess.regional.derived import Brought, bring_up_to_date, prepare_dashboards
from assess.store.database import connect, migrate
from assess.web import questionnaires


def init_database(app: Flask) -> tuple[list[str], Brought]:
    """Apply pending migrations and bring derived data up to date (idempotent)."""
    db = connect(app.config["DATABASE"], app.config["DATABASE_TIMEOUT"])
    try:
        applied = migrate(db)
        with app.app_context():
            brought = bring_up_to_date(db, questionnaires.versions())
    finally:
        db.close()
    return applied, brought


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create the database or bring it up to date: migrations and derived data."""
    applied, brought = init_database(current_app._get_current_object())
    if applied:
        click.echo(f"Applied migrations: {', '.join(applied)}")
    else:
        click.echo("Database is up to date.")
    if brought.facts:
        click.echo(f"Facts made for {brought.facts} submitted assessments.")
    if brought.periods:
        click.echo(f"Regional sums made for {len(brought.periods)} periods.")
    if brought.snapshots:
        click.echo(f"Peer snapshots made for {len(brought.snapshots)} quarter ends.")
    click.echo(f"Database: {current_app.config['DATABASE']}")


@click.command("prepare-dashboards")
@with_appcontext
def prepare_dashboards_command() -> None:
    """Solve the dashboards of the country and every province, now and in every period."""
    start = time.perf_counter()
    db = connect(current_app.config["DATABASE"], current_app.config["DATABASE_TIMEOUT"])
    try:
        solved = prepare_dashboards(db, questionnaires.latest())
    finally:
        db.close()
    click.echo(f"Dashboards prepared: {solved} scopes in {time.perf_counter() - start:.1f} s.")


def report_problems(database: str, evidence_dir: str) -> list[str]:
    """The database check (assess/integrity.py) over a database file."""
    db = connect(database)
    try:
        return problems(db, questionnaires.versions(), Path(evidence_dir))
    finally:
        db.close()


@click.command("check-db")
@with_appcontext
def check_db_command() -> None:
    """Check every stored value against the rules the app promises (exit 1 on a problem)."""
    found = report_problems(current_app.config["DATABASE"], current_app.config["EVIDENCE_DIR"])
    for line in found:
        click.echo(line)
    if found:
        raise click.ClickException(f"{len(found)} problem(s) in {current_app.config['DATABASE']}")
    click.echo(f"No problems in {current_app.config['DATABASE']}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    app.cli.add_command(check_db_command)
    app.cli.add_command(prepare_dashboards_command)
