"""demo: demo accounts, organisations and assessments, and synthetic populations."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from assess.demo import data, population, programme
from assess.regional import peer_figures, peer_parts
from assess.store import organisations, users
from assess.translation import today_in_china
from assess.web import questionnaires
from assess.web.database import get_db


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
    if current_app.config["ENV"] == "production":
        raise click.ClickException("demo data is not for a production database")
    db = get_db()
    q = questionnaires.latest()
    # the year before, enterprises answered the version the newest one carries answers from
    earlier = None
    if q.carried_from is not None:
        try:
            earlier = questionnaires.versions().get(q.id, q.carried_from.version)
        except KeyError:
            earlier = None  # not installed here: the year before is answered under q too
    added = not users.count_by_role(db)
    if not added:
        click.echo("The database already has accounts; demo data not added.")
    else:
        for line in data.fill(db, q, earlier=earlier):
            click.echo(line)
        enterprises = data.POPULATION if enterprises is None else enterprises
    if enterprises:
        start = organisations.count(db)
        with click.progressbar(length=enterprises, label="Synthetic enterprises") as bar:
            done = 0
            made_so_far = population.fill(
                db, q, enterprises, seed=start + 7, start_index=start, earlier=earlier
            )
            for made in made_so_far:
                bar.update(made - done)
                done = made
        click.echo(f"{enterprises} synthetic enterprises added.")
    if added:
        for line in programme.demo(
            db,
            questionnaires.versions(),
            Path(current_app.config["EVIDENCE_DIR"]),
            data.park_ids(db),
            data.authorities(db),
            today_in_china(),
        ):
            click.echo(line)
    if added or enterprises:
        # the demo's results are dated in past quarters: their peer snapshots are made anew
        peer_figures.remake(db)
        peer_parts.remake(db)
