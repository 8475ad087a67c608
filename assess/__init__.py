"""assess: smart-factory maturity assessment for China's machinery industry."""

from __future__ import annotations

import os

from flask import Flask
from flask_wtf import CSRFProtect

from assess import cli, config
from assess.views import api_blueprints, blueprints
from assess.web import (
    access,
    api,
    database,
    errors,
    i18n,
    ids,
    login,
    logs,
    mail,
    metrics,
    questionnaires,
    reports,
    security,
    templating,
)
from assess.web.closing_request import ClosingRequest

csrf = CSRFProtect()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, database, extensions, blueprints, commands."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=os.environ.get("ASSESS_INSTANCE_PATH") or None,
    )
    os.makedirs(app.instance_path, exist_ok=True)
    config.load(app, test_config)
    app.url_map.converters["int"] = ids.IdConverter
    app.request_class = ClosingRequest

    logs.init_app(app)  # first: the request id and the timing start before any other hook
    metrics.init_app(app)
    questionnaires.init_app(app)
    database.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    login.init_app(app)
    access.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    reports.init_app(app)
    mail.init_app(app)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    api.init_app(app, api_blueprints(), csrf.exempt)
    cli.init_app(app)
    return app
