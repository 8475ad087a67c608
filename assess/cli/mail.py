"""send-mail: deliver the outbox (assess/web/mail.py) until stopped, or once."""

from __future__ import annotations

import signal
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from assess.web.mail import deliver_due


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@with_appcontext
def send_mail_command(once: bool) -> None:
    """Send queued e-mail (SMTP, or .eml files in MAIL_FOLDER without MAIL_SERVER)."""
    app = current_app._get_current_object()
    where = (
        f"SMTP {app.config['MAIL_SERVER']}:{app.config['MAIL_PORT']}"
        if app.config["MAIL_SERVER"]
        else f"files in {app.config['MAIL_FOLDER']}"
    )
    if once:
        sent, failed = deliver_due(app)
        click.echo(f"{sent} sent, {failed} failed ({where})")
        return
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    click.echo(f"Mail sender: outgoing mail as {where}")
    try:
        while not stopping:
            sent, failed = deliver_due(app)
            if sent or failed:
                click.echo(f"{sent} sent, {failed} failed")
            if not sent:
                time.sleep(float(app.config["MAIL_POLL_SECONDS"]))
    except KeyboardInterrupt:
        pass
