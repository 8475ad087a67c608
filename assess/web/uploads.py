"""How large a request body may be, decided before any of it is read.

Every body is small (MAX_CONTENT_LENGTH) except on a view declared with @takes_files, and there
only for a logged-in user of a role the declaration names: an anonymous client never makes the
app read megabytes. The app's request class (closing_request.py) asks `body_limit()` the first
time anything reads the body (CSRF protection, the access check, a view), so the limit is
known whoever reads first. A url-encoded body is form fields only: it is held to
MAX_FORM_MEMORY_SIZE and MAX_FORM_PARTS too (Werkzeug applies those to multipart bodies
only), its fields counted before it is parsed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app, request
from flask_login import current_user

F = TypeVar("F", bound=Callable)
MB = 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A view takes files: bodies up to max_bytes, from logged-in users of these roles."""

    max_bytes: int
    roles: frozenset[str]


def takes_files(megabytes: int, *roles: str) -> Callable[[F], F]:
    """Declare that a view receives files of up to `megabytes` in one request, from `roles`."""
    if megabytes <= 0 or not roles:
        raise ValueError("takes_files() needs a size in MB and the roles that upload")

    def decorate(view: F) -> F:
        view.upload = Upload(megabytes * MB, frozenset(roles))  # type: ignore[attr-defined]
        return view

    return decorate


def declared_upload(view: Callable | None) -> Upload | None:
    """What a view declared with @takes_files, or None."""
    return getattr(view, "upload", None)


def endpoint_upload() -> Upload | None:
    """The declaration of the view this request goes to."""
    if request.endpoint is None:
        return None
    return declared_upload(current_app.view_functions.get(request.endpoint))


def may_upload() -> bool:
    """Whether this request may carry files: its view takes them from the user's role."""
    upload = endpoint_upload()
    return (
        upload is not None and current_user.is_authenticated and current_user.role in upload.roles
    )


def body_limit() -> int:
    """The largest body this request may have (the endpoint's and the user's)."""
    default = current_app.config["MAX_CONTENT_LENGTH"]
    return endpoint_upload().max_bytes if may_upload() else default


def refused_because_anonymous() -> bool:
    """A body refused on a view that takes files, from a client whose session is gone."""
    return endpoint_upload() is not None and not current_user.is_authenticated
