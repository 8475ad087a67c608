"""Words for an enterprise team's roles, shared by the team's pages and the administrators'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLE_NAMES = {"owner": _l("owner"), "contributor": _l("contributor"), "viewer": _l("viewer")}
