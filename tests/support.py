"""Helpers shared by test modules (fixtures are in conftest.py)."""

from __future__ import annotations

from flask import Flask

from assess import create_app
from assess.cli.database import init_database


def ready_app(test_config: dict | None = None) -> Flask:
    """An app whose database had the deploy step (`init-db`): migrations and derived data."""
    app = create_app(test_config)
    init_database(app)
    return app
