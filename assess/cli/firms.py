"""`firm create|update|add|list`: consultancies, made by an administrator on the command line
(or on the administration pages, /admin/firms). A thin shell over assess/organisation/firms.py."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from assess.organisation import firms as consultancies
from assess.organisation.logos import LogoError, check
from assess.store import firms
from assess.store.audit import Actor
from assess.web.database import get_db

firm_group = AppGroup("firm", help="Consultancies: firms and their consultants.")
ACTOR = Actor(None, "cli")
LOGO_ERRORS = {
    "empty": "the logo file is empty",
    "too_large": "the logo is larger than 512 KB",
    "type": "the logo must be a PNG or JPEG image (checked by content; SVG is refused)",
    "broken": "the logo is not a whole PNG or JPEG image",
    "dimensions": "the logo must be at most 4000 pixels on each side",
}


def _logo(path: str | None):
    if not path:
        return None
    try:
        return check(Path(path).read_bytes())
    except LogoError as error:
        raise click.BadParameter(LOGO_ERRORS[error.code], param_hint="--logo") from error


@firm_group.command("create")
@with_appcontext
@click.option("--name", required=True, help="The firm's name as printed on verified reports.")
@click.option("--qualification", default="", help="E.g. its CMMM assessor registration.")
@click.option("--logo", type=click.Path(exists=True, dir_okay=False), help="PNG or JPEG.")
def create_command(name, qualification, logo):
    """Create a consultancy."""
    outcome = consultancies.create_firm(get_db(), name, qualification, _logo(logo), ACTOR)
    if isinstance(outcome, consultancies.Refused):
        raise click.BadParameter("a firm needs a name", param_hint="--name")
    click.echo(f"Created firm {outcome}.")


@firm_group.command("update")
@with_appcontext
@click.argument("firm_id", type=int)
@click.option("--name")
@click.option("--qualification")
@click.option("--logo", type=click.Path(exists=True, dir_okay=False), help="PNG or JPEG.")
def update_command(firm_id, name, qualification, logo):
    """Change a firm's name, qualification or logo."""
    refused = consultancies.update_firm(
        get_db(), firm_id, ACTOR, name=name, qualification=qualification, logo=_logo(logo)
    )
    if refused is not None:
        raise click.ClickException(f"not changed: {refused.reason}")
    click.echo(f"Updated firm {firm_id}.")


@firm_group.command("add")
@with_appcontext
@click.argument("firm_id", type=int)
@click.option("--email", required=True, help="A consultant account's e-mail.")
def add_command(firm_id, email):
    """Put a consultant in a firm (it leaves the one it was in)."""
    refused = consultancies.place_consultant(get_db(), firm_id, email, ACTOR)
    if refused is not None:
        raise click.ClickException(
            {"not_found": f"no firm {firm_id}", "not_consultant": f"no consultant {email}"}[
                refused.reason
            ]
        )
    click.echo(f"{email} is now a consultant of firm {firm_id}.")


@firm_group.command("list")
@with_appcontext
def list_command():
    """Every firm with its consultants."""
    db = get_db()
    for firm in firms.all_firms(db):
        logo = "logo" if firm["logo_mime"] else "no logo"
        click.echo(f"{firm['id']}\t{firm['name']}\t{firm['qualification'] or '—'}\t{logo}")
        for consultant in firms.consultants(db, firm["id"]):
            click.echo(f"\t{consultant['email']}\t{consultant['name']}")
