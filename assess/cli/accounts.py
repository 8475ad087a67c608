"""create-user: an account of any role, from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from assess.regional import regions
from assess.store import organisations, users
from assess.store.database import write_transaction
from assess.web.database import get_db


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
