"""Notifications by e-mail of what users wait on: an access request and its answer, an
invitation accepted, a submission. Each is queued in the transaction of what it tells (a user
who turned notifications off gets none: store/outbox.py). No Flask."""

from __future__ import annotations

from sqlite_utils import Database

from assess.organisation import mail
from assess.store import grants, organisations, users


def access_requested(db: Database, organisation_id: int, consultant_id: int) -> list[int]:
    """A consultant asks an enterprise for access: its accounts are told who asks, with the
    consultant's proven address."""
    consultant = users.get(db, consultant_id)
    organisation = organisations.get(db, organisation_id)
    return mail.to_organisation(
        db,
        organisation_id,
        "access_request",
        lambda t: (
            t.gettext("A consultant asks for access to %(name)s", name=organisation["name"]),
            t.gettext(
                "%(consultant)s (%(email)s, a confirmed address) asks for access to run an"
                " on-site assessment of %(name)s. Nothing is shared until you grant it.",
                consultant=consultant["name"],
                email=consultant["email"],
                name=organisation["name"],
            ),
            t.gettext("Grant or decline it here: %(url)s", url=mail.url(db, "/consultants")),
        ),
    )


def access_granted(db: Database, grant: dict, by_user: int | None) -> list[int]:
    """The enterprise granted a consultant's request: the consultant is told."""
    consultant = users.get(db, grant["consultant_id"])
    organisation = organisations.get(db, grant["organisation_id"])
    return mail.to_users(
        db,
        [consultant],
        "access_granted",
        lambda t: (
            t.gettext("%(name)s granted you access", name=organisation["name"]),
            t.gettext(
                "%(name)s granted your request: you can now see its assessments and start an"
                " on-site assessment.",
                name=organisation["name"],
            ),
            mail.url(db, f"/consultant/clients/{organisation['id']}"),
        ),
        but=by_user,
    )


def access_revoked(db: Database, grant: dict, by_user: int | None) -> list[int]:
    """The enterprise revoked a consultant's access: the consultant is told (their drafts for
    it can no longer be opened or saved)."""
    if grant["consultant_id"] is None:  # an invitation never accepted: nobody to tell
        return []
    consultant = users.get(db, grant["consultant_id"])
    organisation = organisations.get(db, grant["organisation_id"])
    return mail.to_users(
        db,
        [consultant],
        "access_revoked",
        lambda t: (
            t.gettext("%(name)s withdrew your access", name=organisation["name"]),
            t.gettext(
                "%(name)s withdrew your access to its assessments. You can no longer open or"
                " save its on-site assessments, drafts included; answers not saved before"
                " could not be kept. Ask the enterprise if you need access again.",
                name=organisation["name"],
            ),
            mail.url(db, "/consultant"),
        ),
        but=by_user,
    )


def invitation_accepted(db: Database, grant: dict, consultant_id: int) -> list[int]:
    """A consultant accepted the enterprise's invitation: the enterprise's accounts are told."""
    consultant = users.get(db, consultant_id)
    return mail.to_organisation(
        db,
        grant["organisation_id"],
        "access_granted",
        lambda t: (
            t.gettext("%(consultant)s accepted your invitation", consultant=consultant["name"]),
            t.gettext(
                "%(consultant)s (%(email)s) accepted your invitation and now has access to your"
                " enterprise. You can revoke it at any time: %(url)s",
                consultant=consultant["name"],
                email=consultant["email"],
                url=mail.url(db, "/consultants"),
            ),
        ),
    )


def submitted(db: Database, assessment: dict, by_user: int | None) -> list[int]:
    """An assessment was submitted: the enterprise's accounts and the consultants with access
    are told (but whoever submitted it)."""
    organisation = organisations.get(db, assessment["organisation_id"])
    recipients = users.of_organisation(db, organisation["id"]) + [
        users.get(db, consultant_id)
        for consultant_id in grants.consultants_with_access(db, organisation["id"])
    ]
    on_site = assessment["mode"] == "consultant"
    return mail.to_users(
        db,
        recipients,
        "submission",
        lambda t: (
            t.gettext("An assessment of %(name)s was submitted", name=organisation["name"])
            if not on_site
            else t.gettext(
                "The on-site assessment of %(name)s was submitted", name=organisation["name"]
            ),
            t.gettext(
                "The assessment is locked and scored; its results and report are ready to read.",
            ),
            mail.url(db, f"/assessments/{assessment['id']}/results"),
        ),
        but=by_user,
    )
