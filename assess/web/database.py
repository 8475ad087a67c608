"""One database connection per request, opened on first use and closed at teardown."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlite_utils import Database

from assess.organisation import mail
from assess.store.database import connect


def get_db() -> Database:
    """The request's connection."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"], current_app.config["DATABASE_TIMEOUT"])
        # links in the mail this request queues: this app's site and key
        mail.configure(current_app.config["BASE_URL"], current_app.config["SECRET_KEY"], g.db)
    return g.db


def close_db(exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    """Close the request's connection at teardown. The app does no data work when it starts:
    `flask --app assess init-db` migrates and builds derived data (the deploy step)."""
    app.teardown_appcontext(close_db)
