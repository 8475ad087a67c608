"""Command-line commands: a thin shell over the library's functions (`flask --app assess ...`)."""

from __future__ import annotations

from flask import Flask

from assess.cli import accounts, backup, database, demo, firms, mail, questionnaire, worker


def init_app(app: Flask) -> None:
    database.init_app(app)
    questionnaire.init_app(app)
    app.cli.add_command(accounts.create_user_command)
    app.cli.add_command(demo.demo_command)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
    app.cli.add_command(worker.render_worker_command)
    app.cli.add_command(mail.send_mail_command)
    app.cli.add_command(firms.firm_group)
