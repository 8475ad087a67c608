"""Mail as the product writes it: signed, expiring, single-use links that prove an address, and
messages in the recipient's language, queued in the caller's transaction (store/outbox.py). No
Flask: the app tells this module where the site is and its secret (`configure`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlite_utils import Database

from assess.store import mail_links, outbox, users
from assess.translation import translator

CONFIRM_HOURS = 72  # a confirmation link works this long
RESET_MINUTES = 60  # a password-reset link works this long
INVITATION_DAYS = 14  # an invitation link (to a consultant) works this long

# Where each link leads (the views at these paths read them; tests/web check both agree).
PATHS = {
    "confirm_email": "/confirm/{token}",
    "password_reset": "/password/reset/{token}",  # nosec B105 (a path, not a password)
}


@dataclass(frozen=True)
class Site:
    """Where the site is (links in mail never come from a request's Host header) and the key
    that signs links."""

    base_url: str
    secret: str


_default: Site | None = None  # the app's of this process (one app per process in production)


def configure(base_url: str, secret: str, db: Database | None = None) -> None:
    """Where links in mail lead and what signs them: for one connection (the web layer's, of
    its app), else for the process (create_app; the last app made wins, as in tests)."""
    global _default  # one app per process outside the tests
    site = Site(base_url.rstrip("/"), secret)
    if db is None:
        _default = site
    else:
        db.mail_site = site  # type: ignore[attr-defined]


def _site(db: Database) -> Site:
    site = getattr(db, "mail_site", None) or _default
    if site is None:
        raise RuntimeError("assess.organisation.mail.configure() was not called")
    return site


def url(db: Database, path: str) -> str:
    return _site(db).base_url + path


def _serializer(db: Database, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_site(db).secret, salt=f"assess-mail-{purpose}")


def signer(db: Database, purpose: str) -> URLSafeTimedSerializer:
    """What signs links of one purpose that are not an account's yet (an invitation to one)."""
    return _serializer(db, purpose)


def make_link(db: Database, purpose: str, user: dict) -> str:
    """A signed link for one account and purpose, recorded so that it works once. Run in the
    caller's write transaction."""
    nonce = secrets.token_urlsafe(16)
    mail_links.record(db, nonce, purpose, user["id"])
    token = _serializer(db, purpose).dumps({"u": user["id"], "n": nonce, "e": user["email"]})
    return url(db, PATHS[purpose].format(token=token))


@dataclass(frozen=True)
class LinkRefused:
    """reason: forged (not ours, or altered) | expired | used | unknown (account gone or its
    address changed since)."""

    reason: str


@dataclass(frozen=True)
class Link:
    user: dict
    nonce: str


def read_link(db: Database, purpose: str, token: str, max_age: int) -> Link | LinkRefused:
    """Check a link's signature and age, and that its account still has the address it was
    sent to; does not use it."""
    try:
        data = _serializer(db, purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        return LinkRefused("expired")
    except BadSignature:
        return LinkRefused("forged")
    if not isinstance(data, dict) or not {"u", "n", "e"} <= data.keys():
        return LinkRefused("forged")
    user = users.get(db, data["u"]) if isinstance(data["u"], int) else None
    if user is None or not user["active"] or user["email"] != data["e"]:
        return LinkRefused("unknown")
    if db.execute(
        "SELECT used_at IS NOT NULL FROM mail_links WHERE nonce = ? AND purpose = ?",
        [str(data["n"]), purpose],
    ).fetchone() != (0,):
        return LinkRefused("used")
    return Link(user, str(data["n"]))


def invitation_refusal(row: dict | None, nonce_digest: str, now: str) -> str | None:
    """Why a stored invitation (a colleague's or an account's: nonce_hash, accepted_at,
    revoked_at, expires_at) does not open for a link's nonce digest at `now` (a UTC stamp):
    invalid (forged, or replaced by a re-sent link), used, revoked, expired; None when it
    opens."""
    if row is None or not secrets.compare_digest(row["nonce_hash"], nonce_digest):
        return "invalid"
    if row["accepted_at"]:
        return "used"
    if row["revoked_at"]:
        return "revoked"
    if row["expires_at"] < now:
        return "expired"
    return None


def use_link(db: Database, purpose: str, link: Link) -> bool:
    """Mark a link used (in the caller's write transaction); False when another request used
    it first."""
    return mail_links.use(db, link.nonce, purpose, link.user["id"])


def compose(
    db: Database, lang: str, *paragraphs: str, name: str = "", security: bool = False
) -> str:
    """A plain-text message: a greeting, the paragraphs, and who sent it (with where to turn
    notifications off, for mail that is not about the account's security)."""
    t = translator(lang)
    greeting = t.gettext("Hello %(name)s,", name=name) if name else t.gettext("Hello,")
    footer = [t.gettext("This message was sent by the smart-factory assessment service.")]
    if not security:
        footer.append(
            t.gettext(
                "You can turn off notifications by e-mail on your account page: %(url)s",
                url=url(db, "/account"),
            )
        )
    return "\n\n".join([greeting, *paragraphs]) + "\n\n-- \n" + "\n".join(footer) + "\n"


def to_user(
    db: Database,
    user: dict,
    kind: str,
    subject: str,
    *paragraphs: str,
    security: bool = False,
) -> int:
    """Queue a message to an account (texts already in its language: `lang_of(user)`)."""
    text = compose(db, user["locale"], *paragraphs, name=user["name"], security=security)
    return outbox.queue(
        db, to=user["email"], subject=subject, text=text, kind=kind, security=security
    )


def lang_of(user: dict):
    """The translator of an account's language."""
    return translator(user["locale"])


def to_users(db: Database, recipients: list[dict], kind: str, write, but: int | None = None):
    """Queue a message to each account (but the one who acted), each in its own language:
    write(t) gives (subject, paragraph, ...) with the translator t."""
    ids = []
    for user in recipients:
        if user["id"] != but:
            subject, *paragraphs = write(lang_of(user))
            ids.append(to_user(db, user, kind, subject, *paragraphs))
    return ids


def to_organisation(db: Database, organisation_id: int, kind: str, write, but=None) -> list[int]:
    """Queue a message to every active account of an enterprise (but the one who acted)."""
    return to_users(db, users.of_organisation(db, organisation_id), kind, write, but)
