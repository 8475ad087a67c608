"""Configuration: defaults, then the instance folder, then ASSESS_* environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

# Every setting the app reads, with its default. tests/test_docs.py checks that each is documented.
DEFAULTS: dict[str, object] = {
    "ENV": "development",  # "production" turns on the secret-key check and secure cookies
    "DATABASE": None,  # path of the SQLite file; default <instance>/assess.sqlite
    "DATABASE_TIMEOUT": 10.0,  # seconds a writer waits for the lock (busy timeout)
    "QUESTIONNAIRE_DIR": None,  # default: the questionnaires installed with the package
    "QUESTIONNAIRE": "machinery-smart-factory",  # the questionnaire new assessments use
    "EVIDENCE_DIR": None,  # default <instance>/evidence
    "REPORT_CACHE_DIR": None,  # default <instance>/reports
    # where the administrator's page writes backups (archives of the database and evidence)
    "BACKUP_DIR": None,  # default <instance>/backups
    # the render queue: None = embedded (SQLite file <instance>/render-queue.sqlite), a
    # redis:// URL for render workers on other machines, or "immediate" (render in the request)
    "REPORT_QUEUE": None,
    # render processes `render-worker` starts: one per core (they run at nice 10, so pages come
    # first; bench_load: first-render p50 10.6 s with 1 on 2 cores, 3.1 s with 2, pages alike)
    "REPORT_WORKERS": os.cpu_count() or 1,
    "REPORT_RETRIES": 2,  # a failed or interrupted render runs again this many times
    "REPORT_LEASE": 30.0,  # seconds without a heartbeat before a render runs again elsewhere
    "REPORT_RESULT_TTL": 7 * 24 * 3600,  # Redis: seconds a finished PDF waits to be collected
    "SUPPORT_CONTACT": "support@example.com",
    # where the site is, for the links in e-mail (never taken from a request's Host header)
    "BASE_URL": "http://127.0.0.1:5000",
    # outgoing mail (Flask-Mail): with no MAIL_SERVER, messages are written as .eml files to
    # MAIL_FOLDER instead of sent (development: `make run` shows them in instance/mail)
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # STARTTLS after connecting
    "MAIL_USE_SSL": False,  # TLS from the start (port 465)
    "MAIL_USERNAME": None,
    # no password here: set it in the instance config or ASSESS_MAIL_PASSWORD
    "MAIL_PASSWORD": None,  # nosec B105
    "MAIL_DEFAULT_SENDER": "智能工厂评估 <noreply@example.com>",
    "MAIL_FOLDER": None,  # default <instance>/mail
    "MAIL_RETRIES": 5,  # a message that cannot be sent is tried again this many times
    "MAIL_POLL_SECONDS": 2.0,  # how often `send-mail` looks for queued messages  # shown where users are told to ask for help
    "BABEL_DEFAULT_LOCALE": "zh",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": ["zh", "en"],
    "SESSION_IDLE_MINUTES": 120,  # a session unused this long must log in again
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),  # absolute session lifetime
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # forced on in production
    "REMEMBER_COOKIE_HTTPONLY": True,
    # A long questionnaire page must survive an hour's work: the CSRF token lives as long as
    # the session (see ../shared/engineering-notes.md, "Flask defaults that lose a long form").
    "WTF_CSRF_TIME_LIMIT": None,
    "PROXY_COUNT": 0,  # reverse proxies in front of the app whose X-Forwarded-* headers count
    "REPORT_PRERENDER": True,  # render the PDF in the background as soon as an assessment is submitted
    # the largest body of a view that takes no files; a view that does declares its own limit
    # and who may send it (@takes_files, assess/web/uploads.py)
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "MAX_FORM_PARTS": 5000,
    "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
    # running it (docs/operations.md): logs, health, metrics
    "LOG_FORMAT": "text",  # "json": one JSON object a line on stderr, with the request id
    "LOG_LEVEL": None,  # the app's log level; default INFO with json (a line per request), else WARNING
    "HEALTH_MIN_FREE_MB": 1024,  # /healthz fails when the evidence disk has less free space
    "METRICS_ALLOW": ["127.0.0.1", "::1"],  # addresses (or networks) that may read /metrics
    "METRICS_TOKEN": None,  # nosec B105  # none: a bearer token for /metrics from anywhere
}

KEY_FILE_NAME = "secret_key"
# set by `make run` to the address it serves on (Makefile): the BASE_URL when none is configured
SERVED_AT = "MAKE_RUN_URL"


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to do."""


def load(app: Flask, test_config: dict | None) -> None:
    """Fill app.config from defaults, the instance folder, the environment, or test_config."""
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config["BASE_URL"] = None
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("ASSESS")
        # unless configured, mail links point where `make run` serves (PORT=5050 make run)
        app.config["BASE_URL"] = (
            app.config["BASE_URL"] or os.environ.get(SERVED_AT) or DEFAULTS["BASE_URL"]
        )
    else:
        app.config.from_mapping(test_config)
    if "VERIFIED_MIN_COVERAGE" in app.config:
        raise ConfigError(
            "VERIFIED_MIN_COVERAGE is no longer a setting: an on-site assessment is verified at"
            " the programme's bar of 0.8 everywhere (README, assess/scoring/verification.py)."
            " Remove it from the environment or the instance config."
        )
    instance = Path(app.instance_path)
    app.config["DATABASE"] = app.config["DATABASE"] or str(instance / "assess.sqlite")
    app.config["EVIDENCE_DIR"] = app.config["EVIDENCE_DIR"] or str(instance / "evidence")
    app.config["REPORT_CACHE_DIR"] = app.config["REPORT_CACHE_DIR"] or str(instance / "reports")
    app.config["BACKUP_DIR"] = app.config["BACKUP_DIR"] or str(instance / "backups")
    app.config["REPORT_QUEUE"] = app.config["REPORT_QUEUE"] or str(instance / "render-queue.sqlite")
    app.config["MAIL_FOLDER"] = app.config["MAIL_FOLDER"] or str(instance / "mail")
    if app.config["ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        # __Host-: the browser keeps it only when Secure, for this host and the path /, so no
        # sub-domain or other path can set or overwrite the session
        if app.config["SESSION_COOKIE_NAME"] == "session" and not app.config.get(
            "SESSION_COOKIE_DOMAIN"
        ):
            app.config["SESSION_COOKIE_NAME"] = "__Host-session"
    # SECRET_KEY has no default: it comes from the environment, the instance config, or the
    # instance folder's secret_key file, never from the repository.
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance, app.config["ENV"])


def _secret_key(instance: Path, env: str) -> str:
    """Read the instance secret key; outside production, create one on first start."""
    path = instance / KEY_FILE_NAME
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    if env == "production":
        raise ConfigError(
            "No SECRET_KEY in production: set the environment variable ASSESS_SECRET_KEY, "
            f"or SECRET_KEY in {instance / 'config.py'}, or write a random key to {path}."
        )
    instance.mkdir(parents=True, exist_ok=True)
    # Write then hard-link: of several workers starting at once, exactly one key wins.
    tmp = instance / f".{KEY_FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text().strip()
