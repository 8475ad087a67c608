"""Login and registration throttling kept in SQLite, so that it holds across every gunicorn
worker."""

from __future__ import annotations

import ipaddress
import time

from sqlite_utils import Database

WINDOW = 15 * 60  # seconds
PER_ACCOUNT_AND_ADDRESS = 5  # failures for one e-mail from one IP address within the window
PER_ACCOUNT = 50  # failures for one e-mail from anywhere (a guess spread over many addresses)
PER_ADDRESS = 30  # failures from one IP address within the window
# Five wrong passwords from one address lock that address out of the account, not the account:
# someone who knows an official's e-mail cannot lock the official out from their own machine.


# Wrong API tokens are counted here too, under the "account" api-token:<prefix>, but apart from
# passwords: a platform's gateway with a mistyped token must not lock its office out of the web
# logins, nor the other way round. And a token is never locked from everywhere: whoever knows a
# prefix (it is shown on the account page) could otherwise block a working integration; its
# secret is 256 bits, guessed by nobody.
TOKEN_KEY = "api-token:"  # nosec B105: a key prefix in the throttle table, not a secret


def blocked(db: Database, email: str, ip: str, now: float | None = None) -> bool:
    """Too many recent failures for this account from this address, for this account from
    anywhere (not for a token), or of the same kind (password or token) from this address."""
    since = (now or time.time()) - WINDOW
    token = email.startswith(TOKEN_KEY)
    pair, by_account = db.execute(
        "SELECT coalesce(sum(ip = ?), 0), count(*) FROM login_failures WHERE email = ? AND at > ?",
        [ip, email, since],
    ).fetchone()
    by_address = db.execute(
        "SELECT count(*) FROM login_failures WHERE ip = ? AND at > ?"
        " AND (substr(email, 1, ?) = ?) = ?",
        [ip, since, len(TOKEN_KEY), TOKEN_KEY, token],
    ).fetchone()[0]
    return (
        pair >= PER_ACCOUNT_AND_ADDRESS
        or (by_account >= PER_ACCOUNT and not token)
        or by_address >= PER_ADDRESS
    )


def fail(db: Database, email: str, ip: str, now: float | None = None) -> int:
    """Count a failure; its row id (an attempt counted before it is checked, see
    organisation/accounts.py, is forgiven by that id when it succeeds)."""
    now = now or time.time()
    cursor = db.execute(
        "INSERT INTO login_failures (email, ip, at) VALUES (?, ?, ?)", [email, ip, now]
    )
    db.execute("DELETE FROM login_failures WHERE at < ?", [now - 24 * 3600])
    return cursor.lastrowid


def forgive(db: Database, failure_id: int) -> None:
    """Take back one counted attempt (a right password that a second factor follows)."""
    db.execute("DELETE FROM login_failures WHERE id = ?", [failure_id])


def succeed(db: Database, email: str) -> None:
    """A successful login clears the account's failures (not the address's)."""
    db.execute("DELETE FROM login_failures WHERE email = ?", [email])


# Requests counted per address and per network (an IPv4 /24, an IPv6 /48: one office, one
# provider's block) within an hour: registrations of new enterprises (a real enterprise registers
# once), and password-reset requests (each address gets at most a few reset mails an hour,
# organisation/identity.py; this stops one network from sending them to many addresses).
REGISTRATION_WINDOW = 3600
REGISTRATIONS_PER_ADDRESS = 10
REGISTRATIONS_PER_NETWORK = 30
RESETS_PER_ADDRESS = 10
RESETS_PER_NETWORK = 30
KINDS = ("registration", "password_reset")


def _limits(kind: str) -> tuple[int, int]:
    """(per address, per network) for a kind of request (read when asked: tests lower them)."""
    if kind == "registration":
        return REGISTRATIONS_PER_ADDRESS, REGISTRATIONS_PER_NETWORK
    if kind == "password_reset":
        return RESETS_PER_ADDRESS, RESETS_PER_NETWORK
    raise ValueError(kind)


def network_of(ip: str) -> str:
    """The network an address belongs to (/24 or /48); the address itself if unreadable."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def requests_blocked(db: Database, kind: str, ip: str, now: float | None = None) -> bool:
    """Too many requests of this kind from this address or its network within the window."""
    per_address, per_network = _limits(kind)
    since = (now or time.time()) - REGISTRATION_WINDOW
    by_address = db.execute(
        "SELECT count(*) FROM registration_attempts WHERE kind = ? AND ip = ? AND at > ?",
        [kind, ip, since],
    ).fetchone()[0]
    by_network = db.execute(
        "SELECT count(*) FROM registration_attempts WHERE kind = ? AND network = ? AND at > ?",
        [kind, network_of(ip), since],
    ).fetchone()[0]
    return by_address >= per_address or by_network >= per_network


def count_request(db: Database, kind: str, ip: str, now: float | None = None) -> None:
    """Count one request of this kind (forgetting those older than a day)."""
    _limits(kind)
    now = now or time.time()
    db.execute(
        "INSERT INTO registration_attempts (kind, ip, network, at) VALUES (?, ?, ?, ?)",
        [kind, ip, network_of(ip), now],
    )
    db.execute("DELETE FROM registration_attempts WHERE at < ?", [now - 24 * 3600])


def registration_blocked(db: Database, ip: str, now: float | None = None) -> bool:
    """Too many registrations from this address or its network within the window."""
    return requests_blocked(db, "registration", ip, now)


def count_registration(db: Database, ip: str, now: float | None = None) -> None:
    """Count one registration attempt."""
    count_request(db, "registration", ip, now)
