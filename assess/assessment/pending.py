"""Answers that arrive after the session or its CSRF token expired are not lost.

Every wizard page carries a signed owner token (user, assessment, the user's session version,
and when it was made). A post that fails only because the session is gone is kept, with that
owner, until the same user logs in again; then it is saved as if it had been posted then. A post
without a genuine, recent owner token of the user's current sessions is refused as usual (a token
dies with a logout or a password change, and after OWNER_MAX_AGE), so a forged post cannot
plant answers in someone's assessment; a post from another site is refused before that.
"""

from __future__ import annotations

import json
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlite_utils import Database
from werkzeug.datastructures import MultiDict

from assess.store import pending_saves
from assess.store.database import write_transaction

SALT = "assess.wizard.owner"
KEEP_DAYS = 30
NOT_KEPT = frozenset({"csrf_token", "owner"})
FILES_KEY = "--files-not-kept"  # names of files posted with an expired session


OWNER_MAX_AGE = 24 * 3600  # longer than any session (12 h): a page left open overnight


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def owner_token(secret_key: str, user_id: int, assessment_id: int, session_version: int) -> str:
    return _serializer(secret_key).dumps([user_id, assessment_id, session_version])


def read_owner(secret_key: str, token: str | None) -> tuple[int, int, int] | None:
    """(user id, assessment id, session version) of a genuine, recent owner token, else None."""
    if not token:
        return None
    try:
        user_id, assessment_id, version = _serializer(secret_key).loads(
            token, max_age=OWNER_MAX_AGE
        )
    except (BadSignature, TypeError, ValueError):  # SignatureExpired is a BadSignature
        return None
    return int(user_id), int(assessment_id), int(version)


def keep(
    db: Database,
    user_id: int,
    assessment_id: int,
    page_id: str,
    form: MultiDict,
    files: list[str] = (),
) -> str:
    """Keep a posted page's fields; return the token to find them again. Uploaded files are
    not kept (only their names, to ask for them again)."""
    token = secrets.token_urlsafe(24)
    payload = [[key, value] for key, value in form.items(multi=True) if key not in NOT_KEPT]
    payload += [[FILES_KEY, name] for name in files]
    with write_transaction(db):
        pending_saves.keep(
            db,
            token,
            user_id,
            assessment_id,
            page_id,
            json.dumps(payload, ensure_ascii=False),
            KEEP_DAYS,
        )
    return token


def take(db: Database, token: str) -> dict | None:
    """The kept post for a token, removed from the store (it is applied once)."""
    with write_transaction(db):
        row = pending_saves.take(db, token)
    if row is None:
        return None
    pairs = [tuple(pair) for pair in json.loads(row["payload"])]
    row["files"] = [value for key, value in pairs if key == FILES_KEY]
    row["form"] = MultiDict([pair for pair in pairs if pair[0] != FILES_KEY])
    return row
