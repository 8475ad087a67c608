"""The app factory: configuration sources and the production secret-key check."""

from __future__ import annotations

import pytest

from assess import create_app
from assess.config import ConfigError


def test_test_config_overrides_defaults(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret"
    assert app.config["DATABASE"].endswith("test.sqlite")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "zh"


def test_without_test_config_reads_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("ASSESS_DATABASE", str(tmp_path / "env.sqlite"))
    monkeypatch.setenv("ASSESS_SESSION_IDLE_MINUTES", "30")
    app = create_app()
    assert not app.testing
    assert app.config["DATABASE"] == str(tmp_path / "env.sqlite")
    assert app.config["SESSION_IDLE_MINUTES"] == 30
    # a worker does no data work when it starts: the deploy step (init-db) makes the database
    assert not (tmp_path / "env.sqlite").exists()


def test_instance_config_file_is_read_before_environment(tmp_path, monkeypatch):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text("SESSION_IDLE_MINUTES = 45\nDATABASE_TIMEOUT = 3.0\n")
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("ASSESS_DATABASE", str(tmp_path / "x.sqlite"))
    monkeypatch.setenv("ASSESS_DATABASE_TIMEOUT", "7.5")
    app = create_app()
    assert app.config["SESSION_IDLE_MINUTES"] == 45
    assert app.config["DATABASE_TIMEOUT"] == 7.5


def test_development_creates_a_private_secret_key_once(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("ASSESS_DATABASE", str(tmp_path / "x.sqlite"))
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    key_file = tmp_path / "inst" / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) == 64
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_production_without_secret_key_is_a_clear_startup_error(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("ASSESS_DATABASE", str(tmp_path / "x.sqlite"))
    monkeypatch.setenv("ASSESS_ENV", "production")
    with pytest.raises(ConfigError, match="ASSESS_SECRET_KEY"):
        create_app()
    assert not (tmp_path / "inst" / "secret_key").exists()


def test_production_takes_the_secret_key_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("ASSESS_DATABASE", str(tmp_path / "x.sqlite"))
    monkeypatch.setenv("ASSESS_ENV", "production")
    monkeypatch.setenv("ASSESS_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_takes_the_secret_key_from_the_instance_folder(tmp_path, monkeypatch):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "secret_key").write_text("from-the-instance-folder\n")
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("ASSESS_DATABASE", str(tmp_path / "x.sqlite"))
    monkeypatch.setenv("ASSESS_ENV", "production")
    assert create_app().config["SECRET_KEY"] == "from-the-instance-folder"


def test_make_run_on_another_port_sets_the_base_url_unless_configured(tmp_path, monkeypatch):
    """`PORT=5172 make run` (Makefile: MAKE_RUN_URL): links in e-mail point to that port; a
    BASE_URL in the instance config or the environment still wins."""
    instance = tmp_path / "inst"
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("ASSESS_DATABASE", str(tmp_path / "x.sqlite"))
    assert create_app().config["BASE_URL"] == "http://127.0.0.1:5000"
    monkeypatch.setenv("MAKE_RUN_URL", "http://127.0.0.1:5172")
    assert create_app().config["BASE_URL"] == "http://127.0.0.1:5172"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text('BASE_URL = "https://assess.example.cn"\n')
    assert create_app().config["BASE_URL"] == "https://assess.example.cn"
    monkeypatch.setenv("ASSESS_BASE_URL", "https://env.example.cn")
    assert create_app().config["BASE_URL"] == "https://env.example.cn"


def test_the_retired_verified_minimum_setting_is_a_clear_startup_error(tmp_path, monkeypatch):
    """0.8 is the programme's bar everywhere (assess/scoring/verification.py): an instance that
    still sets another would believe its reports follow it."""
    monkeypatch.setenv("ASSESS_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("ASSESS_DATABASE", str(tmp_path / "x.sqlite"))
    monkeypatch.setenv("ASSESS_VERIFIED_MIN_COVERAGE", "0.5")
    with pytest.raises(ConfigError, match="VERIFIED_MIN_COVERAGE is no longer a setting"):
        create_app()
