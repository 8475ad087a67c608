"""Personal access tokens for the API (/api/v1): a user makes one on its account page with a
name, scopes (read, or read and write) and an expiry, sees it once, and revokes it there.

A token is `ast_<prefix>_<secret>`: the prefix finds its row, the SHA-256 of the whole token
is compared (the token is random, 32 bytes: a slow password hash would add nothing). Tokens
are throttled like logins (assess/store/throttle.py: failures per token and address, per token
from anywhere, per address) and every failure, throttling, creation and revocation is in the
audit log. A token acts as its user: the user's role and team role decide what it may do,
exactly as in the web pages. No Flask."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from assess.store import api_tokens, audit, throttle, users
from assess.store.audit import Actor
from assess.store.database import write_transaction

SCOPES = {"read": "read", "write": "read write"}  # what a user picks -> what is stored
EXPIRY_DAYS = (30, 90, 365)
MOST_ACTIVE = 20  # live tokens per user
NAME_LENGTH = 80
PREFIX = "ast_"
USED_EVERY = 60  # seconds: last use is written at most this often


@dataclass(frozen=True)
class Refused:
    """Nothing changed. reason: name | scope | expiry | too_many | unknown (create, revoke);
    missing | invalid | expired | revoked | inactive | throttled (authenticate)."""

    reason: str


@dataclass(frozen=True)
class Created:
    token: str  # shown once, never again
    token_id: int


@dataclass(frozen=True)
class Authenticated:
    user: dict  # the account's row
    scopes: frozenset[str]
    token_id: int


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def create(
    db: Database, user_id: int, name: str, scope: str, days: int, by: Actor
) -> Created | Refused:
    """A new token of the user; the token itself is in the result and nowhere else."""
    name = " ".join(str(name or "").split())
    if not name or len(name) > NAME_LENGTH:
        return Refused("name")
    if scope not in SCOPES:
        return Refused("scope")
    if days not in EXPIRY_DAYS:
        return Refused("expiry")
    now = _now()
    prefix = secrets.token_hex(6)
    token = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with write_transaction(db):
        if api_tokens.active_count(db, user_id, _stamp(now)) >= MOST_ACTIVE:
            return Refused("too_many")
        token_id = api_tokens.create(
            db,
            user_id=user_id,
            name=name,
            prefix=prefix,
            token=token,
            scopes=SCOPES[scope],
            expires_at=_stamp(now + timedelta(days=days)),
        )
        audit.record_by(
            db,
            by,
            "api_token_created",
            target_type="api_token",
            target_id=token_id,
            detail={"name": name, "scopes": SCOPES[scope], "days": days},
        )
    return Created(token, token_id)


def create_confirmed(
    db: Database, email: str, password: str, name: str, scope: str, days: int, by: Actor
) -> Created | Refused:
    """create, once the account's password is given again: a session left open on a shared
    computer must not be enough to take a year's access away with it. A wrong password counts
    towards the login throttle (Refused("password"), then Refused("throttled"))."""
    ip = by.ip or ""
    if throttle.blocked(db, email, ip):
        return Refused("throttled")
    user = users.authenticate(db, email, password or "")
    if user is None or user["id"] != by.user_id:
        with write_transaction(db):
            throttle.fail(db, email, ip)
            audit.record_by(db, by, "login_failed", detail={"while": "making an API access token"})
        return Refused("password")
    return create(db, user["id"], name, scope, days, by)


def revoke(db: Database, user_id: int, token_id: int, by: Actor) -> bool | Refused:
    """Revoke one of the user's own tokens (another's, or an unknown id: Refused("unknown"))."""
    with write_transaction(db):
        if not api_tokens.revoke(db, user_id, token_id, _stamp(_now())):
            return Refused("unknown")
        audit.record_by(db, by, "api_token_revoked", target_type="api_token", target_id=token_id)
    return True


def listing(db: Database, user_id: int) -> list[dict]:
    """The user's tokens with their state (active | expired | revoked), newest first."""
    now = _stamp(_now())
    return [
        {
            **row,
            "state": "revoked"
            if row["revoked_at"]
            else ("expired" if row["expires_at"] <= now else "active"),
        }
        for row in api_tokens.of_user(db, user_id)
    ]


def _prefix_of(token: str) -> str | None:
    if not token.startswith(PREFIX):
        return None
    prefix, _, secret = token[len(PREFIX) :].partition("_")
    if len(prefix) != 12 or not secret or len(token) > 200:
        return None
    return prefix


def authenticate(db: Database, token: str | None, ip: str | None) -> Authenticated | Refused:
    """The user a token acts for, with its scopes; or why not (a wrong token counts towards
    the throttle, as a wrong password does)."""
    if not token:
        return Refused("missing")
    ip = ip or ""
    prefix = _prefix_of(token.strip())
    key = f"{throttle.TOKEN_KEY}{prefix or '?'}"  # the throttle's "account": the token it claims
    if throttle.blocked(db, key, ip):
        audit.record(db, "api_token_throttled", detail={"prefix": prefix}, ip=ip)
        return Refused("throttled")
    row = api_tokens.by_prefix(db, prefix) if prefix else None
    if row is None or not hmac.compare_digest(row["token_hash"], api_tokens.token_hash(token)):
        with write_transaction(db):
            throttle.fail(db, key, ip)
            audit.record(db, "api_token_failed", detail={"prefix": prefix}, ip=ip)
        return Refused("invalid")
    now = _now()
    if row["revoked_at"]:
        return _refused_use(db, row, ip, "revoked")
    if row["expires_at"] <= _stamp(now):
        return _refused_use(db, row, ip, "expired")
    user = users.get(db, row["user_id"])
    if user is None or not user["active"]:
        return _refused_use(db, row, ip, "inactive")
    last = row["last_used_at"]
    if (
        last is None
        or last < _stamp(now - timedelta(seconds=USED_EVERY))
        or row["last_used_ip"] != (ip or None)
    ):
        with write_transaction(db):
            api_tokens.used(db, row["id"], _stamp(now), ip or None)
    return Authenticated(user, frozenset(row["scopes"].split()), row["id"])


def _refused_use(db: Database, row: dict, ip: str, reason: str) -> Refused:
    audit.record(
        db,
        "api_token_failed",
        user_id=row["user_id"],
        target_type="api_token",
        target_id=row["id"],
        detail={"reason": reason},
        ip=ip,
    )
    return Refused(reason)
